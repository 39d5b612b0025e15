import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeMerge } from '../../../../src/slack/action-values.js';
import { MERGE_ACTION } from '../../../../src/slack/blocks/correlation-post.js';
import type { IncidentView } from '../../../../src/slack/blocks/model.js';
import { buildStormSummary, MERGE_BATCH } from '../../../../src/webhooks/pagerduty/blocks/storm-summary.js';
import { expectSafeBlocks, expectSafeFallback, incidentView } from '../../../slack/blocks/arbitraries.js';

const NOW = Date.UTC(2026, 2, 1, 3, 10, 0);
const URL = (id: string): string => `https://acme.pagerduty.com/incidents/${id}`;

function incident(n: number, overrides: Partial<IncidentView> = {}): IncidentView {
  const id = `PINC${String(n).padStart(3, '0')}`;
  return {
    id,
    number: 1000 + n,
    title: `Checkout latency above SLO (${n})`,
    status: 'triggered',
    urgency: 'high',
    priority: null,
    service: n % 3 === 0 ? { id: 'PSVCDB1', name: 'orders-db' } : { id: 'PSVCAPI', name: 'checkout-api' },
    assignees: [],
    escalationLevel: 1,
    escalationPolicy: null,
    createdAt: new Date(NOW - (200 - n) * 1000).toISOString(),
    resolvedAt: null,
    lastChangedBy: null,
    htmlUrl: URL(id),
    alertCount: 1,
    ...overrides,
  };
}

function buttons(
  blocks: Array<Record<string, unknown>>,
): Array<{ action_id: string; value: string; text: { text: string } }> {
  return blocks
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements as Array<{ action_id: string; value: string; text: { text: string } }>);
}

describe('buildStormSummary', () => {
  const incidents = Array.from({ length: 120 }, (_, i) =>
    incident(i, i < 5 ? { status: 'acknowledged' } : i < 8 ? { status: 'resolved' } : {}),
  );
  const ids = incidents.map((i) => i.id);
  const input = {
    incidents,
    totalCount: 120,
    openedAt: NOW - 200_000,
    lastAt: NOW - 5_000,
    now: NOW,
    settled: false,
    correlation: {
      engine: 'heuristic',
      groups: [
        {
          incidentIds: ids.slice(0, 110),
          reasons: ['same_symptom' as const, 'dependency' as const],
          rootCauseIncidentId: 'PINC000',
          summary: 'orders-db replication lag slows checkout',
          confidence: 0.82,
        },
      ],
      mergeRecommendations: [
        { targetIncidentId: 'PINC000', sourceIncidentIds: ids.slice(1, 110), reason: 'same cause' },
      ],
      ungroupedCount: 10,
    },
  };

  it('shows size, status counts, services, the group and merge buttons in batches a listener can decode', () => {
    const summary = buildStormSummary(input);
    const json = JSON.stringify(summary.blocks);
    expect(summary.blocks[0]).toMatchObject({ type: 'header', text: { text: '⚡ Alert storm: 120 incidents in 3m' } });
    expect(json).toContain('*112* triggered');
    expect(json).toContain('*5* acknowledged');
    expect(json).toContain('*3* resolved');
    expect(json).toContain('*checkout-api* 80 · *orders-db* 40');
    expect(json).toContain('Still arriving');
    expect(json).toContain('*Group 1: 110 incidents* · same symptom, dependency · 82% confidence');
    expect(json).toContain('10 incidents related to no other');
    expect(json).toContain('…and 107 more open');
    const merges = buttons(summary.blocks).filter((b) => MERGE_ACTION.test(b.action_id));
    // 109 sources minus the 2 already resolved (PINC005..PINC007 are resolved; PINC000 is the target).
    const decoded = merges.map((b) => decodeMerge(b.value));
    expect(decoded.every((d) => d.targetId === 'PINC000' && d.sourceIds.length <= MERGE_BATCH)).toBe(true);
    const merged = decoded.flatMap((d) => d.sourceIds);
    expect(new Set(merged).size).toBe(merged.length);
    expect(merged).toHaveLength(106);
    expect(merged).not.toContain('PINC005');
    expect(merges[0]?.text.text).toBe('Merge 50 into #1000 (1/3)');
    expectSafeBlocks(summary.blocks, 'message', ids.map(URL));
    expectSafeFallback(summary.text);
  });

  it('says when the storm settled and when correlation is unavailable', () => {
    const summary = buildStormSummary({ ...input, settled: true, correlation: null });
    const json = JSON.stringify(summary.blocks);
    expect(json).toContain('Settled: nothing new since');
    expect(json).toContain('Correlation unavailable right now');
    expect(buttons(summary.blocks).filter((b) => MERGE_ACTION.test(b.action_id))).toHaveLength(0);
  });

  it('stays valid and safe for arbitrary incident text and any group shape', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(incidentView(), { minLength: 1, maxLength: 60, selector: (i) => i.id }),
        fc.integer({ min: 0, max: 5 }),
        fc.boolean(),
        (views, groupCount, settled) => {
          const vids = views.map((v) => v.id);
          const groups = Array.from({ length: Math.min(groupCount, Math.floor(vids.length / 2)) }, (_, g) => ({
            incidentIds: vids.filter((_, i) => i % Math.max(1, groupCount) === g).concat(vids[0] as string),
            reasons: ['temporal' as const],
            rootCauseIncidentId: vids[g] as string,
            summary: views[g]?.title ?? '',
            confidence: 0.5,
          })).filter((g) => new Set(g.incidentIds).size >= 2);
          const summary = buildStormSummary({
            incidents: views,
            totalCount: views.length + 3,
            openedAt: NOW - 600_000,
            lastAt: NOW - 1000,
            now: NOW,
            settled,
            correlation: {
              engine: 'heuristic',
              groups: groups.map((g) => ({ ...g, incidentIds: [...new Set(g.incidentIds)] })),
              mergeRecommendations: groups.map((g) => ({
                targetIncidentId: g.rootCauseIncidentId,
                sourceIncidentIds: g.incidentIds.filter((id) => id !== g.rootCauseIncidentId),
                reason: 'x',
              })),
              ungroupedCount: 1,
            },
          });
          const urls = views.map((v) => v.htmlUrl).filter((u): u is string => typeof u === 'string');
          expectSafeBlocks(summary.blocks, 'message', urls);
          expectSafeFallback(summary.text);
          for (const b of buttons(summary.blocks)) if (MERGE_ACTION.test(b.action_id)) decodeMerge(b.value);
        },
      ),
      { numRuns: 60 },
    );
  });
});
