import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeApplyUrgency, decodeMerge, decodeTriageEscalate } from '../../../src/slack/action-values.js';
import type { IncidentBrief } from '../../../src/slack/blocks/ai-common.js';
import { buildAnalysisPost } from '../../../src/slack/blocks/analysis-post.js';
import { buildCorrelationPost, MERGE_ACTION } from '../../../src/slack/blocks/correlation-post.js';
import { buildFatiguePost } from '../../../src/slack/blocks/fatigue-post.js';
import { buildPostmortemPosts } from '../../../src/slack/blocks/postmortem-post.js';
import { buildResponderPost } from '../../../src/slack/blocks/responder-post.js';
import {
  applyRunbookTicks,
  buildRunbookPost,
  incidentFromRunbookBlockId,
  runbookBlockId,
} from '../../../src/slack/blocks/runbook-post.js';
import { buildTriagePost } from '../../../src/slack/blocks/triage-post.js';
import { ActionId } from '../../../src/slack/ids.js';
import {
  aiMeta,
  analyzeResult,
  bestResponderResult,
  correlateResult,
  expectSafeBlocks,
  expectSafeFallback,
  fatigueResult,
  incidentView,
  nastyText,
  postmortemResult,
  runbookResult,
  triageResult,
} from './arbitraries.js';

const URL = 'https://acme.pagerduty.com/incidents/PABC123';
const brief: IncidentBrief = {
  id: 'PABC123',
  number: 42,
  title: 'Checkout down',
  status: 'triggered',
  urgency: 'low',
  escalationLevel: 1,
  htmlUrl: URL,
};
const heuristic = { engine: 'heuristic' as const };
const briefArb = incidentView().map(
  (i): IncidentBrief => ({ ...i, id: 'PABC123', htmlUrl: i.htmlUrl === URL ? URL : i.htmlUrl }),
);
/** Links the builders may emit: the incident's own origin, any PagerDuty incident there. */
function allowed(blocks: unknown): string[] {
  const urls = [...JSON.stringify(blocks).matchAll(/<(https:\/\/acme\.pagerduty\.com\/incidents\/[A-Z0-9]+)\|/g)];
  return urls.map((m) => m[1] ?? '');
}

function elements(blocks: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return blocks
    .flatMap((b) => [
      ...((b.elements as Array<Record<string, unknown>>) ?? []),
      ...(b.accessory ? [b.accessory as Record<string, unknown>] : []),
    ])
    .filter((e) => typeof e.action_id === 'string');
}

describe('triage post', () => {
  it('offers Apply urgency and Escalate, each with a confirm dialog', () => {
    const post = buildTriagePost(
      brief,
      {
        severity: 'sev1',
        category: 'database',
        team: 'Data',
        urgency: 'high',
        suggestedPriority: 'P1',
        confidence: 0.82,
        evidence: ['connection pool exhausted'],
        alternatives: [{ category: 'network', score: 0.3 }],
      },
      heuristic,
    );
    const json = JSON.stringify(post.blocks);
    expect(json).toContain('SEV1');
    expect(json).toContain('82%');
    expect(json).toContain('connection pool exhausted');
    const els = elements(post.blocks);
    const apply = els.find((e) => e.action_id === ActionId.applyUrgency);
    expect(decodeApplyUrgency(apply?.value as string)).toEqual({ incidentId: 'PABC123', urgency: 'high' });
    expect(apply?.confirm).toBeDefined();
    const esc = els.find((e) => e.action_id === ActionId.triageEscalate);
    expect(decodeTriageEscalate(esc?.value as string)).toEqual({ incidentId: 'PABC123', level: 2 });
    expect(esc?.confirm).toBeDefined();
  });

  it('has no write buttons on a resolved incident', () => {
    const post = buildTriagePost(
      { ...brief, status: 'resolved' },
      {
        severity: 'sev1',
        category: 'database',
        team: null,
        urgency: 'high',
        suggestedPriority: 'P1',
        confidence: 0.5,
        evidence: [],
        alternatives: [],
      },
      heuristic,
    );
    expect(elements(post.blocks).filter((e) => e.type === 'button')).toEqual([]);
  });

  it('is valid and safe for any result (property)', () => {
    fc.assert(
      fc.property(briefArb, triageResult, aiMeta, (incident, result, meta) => {
        const post = buildTriagePost(incident, result, meta);
        expectSafeBlocks(post.blocks, 'message', allowed(post.blocks));
        expectSafeFallback(post.text);
      }),
      { numRuns: 200 },
    );
  });
});

describe('analysis post', () => {
  it('links similar incidents to PagerDuty and says which engine answered', () => {
    const post = buildAnalysisPost(
      brief,
      {
        summary: 'DB saturated',
        hypotheses: [{ cause: 'Slow query', category: 'database', confidence: 0.7, evidence: ['p99 up'] }],
        impact: { services: ['Checkout'], customerFacing: true, durationMinutes: 30, ongoing: true, description: 'x' },
        similarIncidents: [
          { id: 'POLD001', title: 'DB saturated last week', similarity: 0.9, resolution: 'killed query' },
        ],
        recommendedActions: ['Kill the query'],
        estimatedResolution: { minutes: 45, basis: 'similar incidents' },
      },
      { engine: 'heuristic', fallback: { from: 'claude', reason: 'timeout' } },
    );
    const json = JSON.stringify(post.blocks);
    expect(json).toContain('<https://acme.pagerduty.com/incidents/POLD001|DB saturated last week>');
    expect(json).toContain('Claude was unavailable (timeout)');
    expect(json).toContain('~45m');
  });

  it('is valid and safe for any result (property)', () => {
    fc.assert(
      fc.property(briefArb, analyzeResult, aiMeta, (incident, result, meta) => {
        const post = buildAnalysisPost(incident, result, meta);
        expectSafeBlocks(post.blocks, 'message', allowed(post.blocks));
        expectSafeFallback(post.text);
      }),
      { numRuns: 80 },
    );
  });
});

describe('correlation post', () => {
  const ids = ['PAAA001', 'PAAA002', 'PAAA003'];
  it('offers Merge buttons with a destructive confirm', () => {
    const post = buildCorrelationPost(
      {
        groups: [
          {
            incidentIds: ids,
            reasons: ['temporal', 'same_service'],
            rootCauseIncidentId: 'PAAA001',
            summary: 'DB outage',
            confidence: 0.8,
          },
        ],
        mergeRecommendations: [
          { targetIncidentId: 'PAAA001', sourceIncidentIds: ['PAAA002', 'PAAA003'], reason: 'dup' },
        ],
        ungroupedCount: 1,
      },
      ids.map((id, i) => ({ id, number: i + 1, title: `t${i}` })),
      heuristic,
      URL,
    );
    const merge = elements(post.blocks).find((e) => MERGE_ACTION.test(String(e.action_id)));
    expect(decodeMerge(merge?.value as string)).toEqual({ targetId: 'PAAA001', sourceIds: ['PAAA002', 'PAAA003'] });
    expect(merge?.text).toMatchObject({ text: 'Merge 2 into #1' });
    expect(merge?.confirm).toMatchObject({ style: 'danger' });
    expect(JSON.stringify(post.blocks)).toContain('🎯');
  });

  it('is valid and safe for any result (property)', () => {
    const ids2 = ['PAAA001', 'PAAA002', 'PAAA003', 'PAAA004'];
    fc.assert(
      fc.property(
        correlateResult(ids2),
        fc.array(nastyText(200), { minLength: 4, maxLength: 4 }),
        aiMeta,
        (result, titles, meta) => {
          const incidents = ids2.map((id, i) => ({ id, number: i === 0 ? null : i, title: titles[i] ?? '' }));
          const post = buildCorrelationPost(result, incidents, meta, URL);
          expectSafeBlocks(post.blocks, 'message', allowed(post.blocks));
          expectSafeFallback(post.text);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('postmortem posts', () => {
  it('splits long drafts across replies and keeps the buttons on the first', () => {
    fc.assert(
      fc.property(briefArb, postmortemResult, aiMeta, (incident, pm, meta) => {
        const posts = buildPostmortemPosts(incident, pm, meta);
        expect(posts.length).toBeGreaterThanOrEqual(1);
        posts.forEach((p, i) => {
          expectSafeBlocks(p.blocks, 'message', allowed(p.blocks));
          expectSafeFallback(p.text);
          const ids = elements(p.blocks).map((e) => e.action_id);
          if (i === 0) expect(ids).toEqual([ActionId.regeneratePostmortem, ActionId.exportPostmortem]);
          else expect(ids).toEqual([]);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('marks truncated text visibly', () => {
    const long = 'x'.repeat(20_000);
    const posts = buildPostmortemPosts(
      brief,
      {
        title: 't',
        summary: long,
        impact: '',
        timeline: [],
        rootCause: '',
        contributingFactors: [],
        detection: '',
        resolution: '',
        actionItems: [],
        lessonsLearned: [],
        metrics: { timeToAcknowledgeMinutes: 5, timeToResolveMinutes: 60, escalations: 1, responders: ['A'] },
        markdown: '',
      },
      heuristic,
    );
    expect(JSON.stringify(posts)).toContain('… (truncated)');
  });
});

describe('runbook post', () => {
  it('renders steps as checklists and re-renders ticks for everyone', () => {
    const post = buildRunbookPost(
      brief,
      {
        title: 'DB saturation',
        category: 'database',
        steps: [
          {
            phase: 'diagnosis',
            action: 'Check pool',
            command: 'psql -c "select 1"',
            estimatedMinutes: 5,
            source: 'playbook',
          },
          { phase: 'mitigation', action: 'Kill query', command: null, estimatedMinutes: 10, source: 'model' },
        ],
        estimatedMinutes: 15,
        basedOn: [],
      },
      heuristic,
    );
    const id0 = runbookBlockId('PABC123', 0);
    expect(incidentFromRunbookBlockId(id0)).toBe('PABC123');
    const ticked = applyRunbookTicks(post.blocks, new Map([[id0, ['step-0']]]), 'U0ALICE01');
    expectSafeBlocks(ticked, 'message');
    const json = JSON.stringify(ticked);
    expect(json).toContain('1/2 steps done');
    expect(json).toContain('<@U0ALICE01>');
    const again = applyRunbookTicks(ticked, new Map(), null);
    expect(JSON.stringify(again)).toContain('0/2 steps done');
    expect(JSON.stringify(again)).not.toContain('initial_options');
  });

  it('is valid and safe for any result (property)', () => {
    fc.assert(
      fc.property(briefArb, runbookResult, aiMeta, (incident, result, meta) => {
        const post = buildRunbookPost(incident, result, meta);
        expectSafeBlocks(post.blocks, 'message');
        expectSafeFallback(post.text);
      }),
      { numRuns: 80 },
    );
  });
});

describe('responder and fatigue posts', () => {
  it('responder post is valid and safe (property)', () => {
    fc.assert(
      fc.property(briefArb, bestResponderResult, aiMeta, (incident, result, meta) => {
        const post = buildResponderPost(incident, result, meta);
        expectSafeBlocks(post.blocks, 'message');
        expectSafeFallback(post.text);
      }),
      { numRuns: 80 },
    );
  });

  it('fatigue post is valid and safe (property)', () => {
    fc.assert(
      fc.property(nastyText(100), fatigueResult, aiMeta, (title, result, meta) => {
        const post = buildFatiguePost(title, result, meta);
        expectSafeBlocks(post.blocks, 'message');
        expectSafeFallback(post.text);
      }),
      { numRuns: 80 },
    );
  });
});
