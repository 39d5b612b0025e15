/**
 * fast-check arbitraries for Block Kit property tests: incident text full of the things that must never reach
 * Slack unescaped (special mentions, links, entities, control characters, emoji, very long strings), and a
 * checker that every `<…>` in rendered mrkdwn is one the bot made on purpose.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { validateBlocks, validateView } from '../../../src/sandbox/slack/blockkit.js';
import type { IncidentView, PersonView } from '../../../src/slack/blocks/model.js';

const NASTY = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<!subteam^S0123|@oncall>',
  '<@U0123ABC>',
  '<#C0123|general>',
  '<https://evil.example/phish|Click me>',
  'https://evil.example/x',
  '@channel',
  '&amp;',
  '&lt;!here&gt;',
  '*bold* _it_ ~s~ `code`',
  '```',
  '\u0000\u0007\u001b[31m',
  '🔥🚨',
  '|',
  '>',
  '<',
  '&',
  '\n\n',
];

/** Untrusted text: a mix of adversarial fragments and arbitrary unicode, sometimes very long. */
export function nastyText(maxLength = 400): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ maxLength: 30 })), { maxLength: 12 })
        .map((a) => a.join(' ')),
    },
    { weight: 2, arbitrary: fc.string({ maxLength, unit: 'grapheme' }) },
    { weight: 1, arbitrary: fc.string({ minLength: 3000, maxLength: 12000 }) },
    { weight: 1, arbitrary: fc.constant('') },
  );
}

export const slackUserId = fc.stringMatching(/^U[A-Z0-9]{8,10}$/);
export const incidentId = fc.stringMatching(/^P[A-Z0-9]{6}$/);

export function person(): fc.Arbitrary<PersonView> {
  return fc.record({
    id: fc.stringMatching(/^P[A-Z0-9]{6}$/),
    name: nastyText(200),
    slackUserId: fc.option(slackUserId, { nil: null }),
  });
}

const iso = fc
  .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
  .map((ms) => new Date(ms).toISOString());

export function incidentView(): fc.Arbitrary<IncidentView> {
  return fc.record({
    id: incidentId,
    number: fc.option(fc.integer({ min: 1, max: 999_999_999 }), { nil: null }),
    title: nastyText(),
    status: fc.constantFrom('triggered' as const, 'acknowledged' as const, 'resolved' as const),
    urgency: fc.constantFrom('high' as const, 'low' as const, null),
    priority: fc.option(nastyText(60), { nil: null }),
    service: fc.record({ id: fc.stringMatching(/^P[A-Z0-9]{6}$/), name: nastyText(200) }),
    assignees: fc.array(person(), { maxLength: 12 }),
    escalationLevel: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
    escalationPolicy: fc.option(fc.record({ id: fc.stringMatching(/^P[A-Z0-9]{6}$/), name: nastyText(200) }), {
      nil: null,
    }),
    createdAt: iso,
    resolvedAt: fc.option(iso, { nil: null }),
    lastChangedBy: fc.option(nastyText(100), { nil: null }),
    htmlUrl: fc.oneof(
      fc.constant(null),
      fc.constant('https://acme.pagerduty.com/incidents/PABC123'),
      fc.constant('javascript:alert(1)'),
      nastyText(50),
    ),
    alertCount: fc.option(fc.integer({ min: 0, max: 100_000 }), { nil: null }),
  });
}

/** Every text string inside a block tree, with whether it is mrkdwn. */
function texts(node: unknown, out: Array<{ text: string; mrkdwn: boolean; verbatim: boolean }>): void {
  if (Array.isArray(node)) {
    for (const n of node) texts(n, out);
    return;
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if ((o.type === 'mrkdwn' || o.type === 'plain_text') && typeof o.text === 'string') {
      out.push({ text: o.text, mrkdwn: o.type === 'mrkdwn', verbatim: o.verbatim === true });
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') texts(v, out);
  }
}

const ALLOWED_ENTITY = /^(?:@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|https?:\/\/[^\s|<>]+\|[^<>]*|!date\^\d+\^[^|<>]+\|[^<>]+)$/;

/**
 * Asserts the blocks are valid for the surface and that no untrusted text became markup: every `<…>` entity is
 * a user/channel mention by id, a link to an allowed URL, or a date token; nothing pings `@channel`-style groups;
 * every mrkdwn object is verbatim (no auto-linking).
 */
export function expectSafeBlocks(
  blocks: unknown,
  surface: 'message' | 'modal',
  allowedUrls: ReadonlyArray<string> = [],
): void {
  const errors = validateBlocks(blocks, surface);
  expect(errors, JSON.stringify(errors)).toEqual([]);
  const found: Array<{ text: string; mrkdwn: boolean; verbatim: boolean }> = [];
  texts(blocks, found);
  for (const t of found) {
    expect(t.text).not.toMatch(/<!(?:channel|here|everyone|subteam)/);
    if (!t.mrkdwn) continue;
    expect(t.verbatim).toBe(true);
    for (const m of t.text.matchAll(/<([^<>]*)>/g)) {
      const inner = m[1] ?? '';
      expect(inner).toMatch(ALLOWED_ENTITY);
      if (/^https?:/.test(inner)) expect(allowedUrls).toContain(inner.split('|')[0]);
    }
    expect(t.text).not.toMatch(/&(?!amp;|lt;|gt;)/);
  }
}

export function expectSafeView(view: unknown): void {
  const errors = validateView(view);
  expect(errors, JSON.stringify(errors)).toEqual([]);
  expectSafeBlocks((view as { blocks: unknown }).blocks, 'modal');
}

/** The fallback `text` must not carry markup or live links either. */
export function expectSafeFallback(text: string): void {
  expect(text).not.toMatch(/<[!@#]|<https?:/);
  expect(text).not.toMatch(/https?:\/\//);
  expect(text.length).toBeGreaterThan(0);
}

// ---- AI results -------------------------------------------------------------------------------------------------

import {
  type AnalyzeResult,
  type BestResponderResult,
  CATEGORIES,
  type CorrelateResult,
  type FatigueResult,
  type PostmortemResult,
  type ResponderScore,
  type RunbookResult,
  type TriageResult,
} from '../../../src/ai/contract.js';

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const minutes = fc.integer({ min: 0, max: 100_000 });
const category = fc.constantFrom(...CATEGORIES);
const line = nastyText(300).map((s) => s.slice(0, 2000));
const para = nastyText(800).map((s) => s.slice(0, 8000));

export const aiMeta = fc.record({
  engine: fc.constantFrom('heuristic' as const, 'claude' as const),
  model: fc.option(fc.constantFrom('claude-sonnet-5-5', '<!here>'), { nil: undefined }),
  fallback: fc.option(fc.record({ from: fc.constant('claude' as const), reason: line }), { nil: undefined }),
  cached: fc.option(fc.boolean(), { nil: undefined }),
});

export const triageResult: fc.Arbitrary<TriageResult> = fc.record({
  severity: fc.constantFrom('sev1' as const, 'sev2' as const, 'sev3' as const, 'sev4' as const),
  category,
  team: fc.option(nastyText(100), { nil: null }),
  urgency: fc.constantFrom('high' as const, 'low' as const),
  suggestedPriority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const, 'P5' as const),
  confidence: unit,
  evidence: fc.array(
    nastyText(200).map((s) => s.slice(0, 1000)),
    { maxLength: 30 },
  ),
  alternatives: fc.array(fc.record({ category, score: unit }), { maxLength: 11 }),
});

export const analyzeResult: fc.Arbitrary<AnalyzeResult> = fc.record({
  summary: para,
  hypotheses: fc.array(
    fc.record({
      cause: line,
      category,
      confidence: unit,
      evidence: fc.array(
        line.map((s) => s.slice(0, 1000)),
        { maxLength: 5 },
      ),
    }),
    { maxLength: 10 },
  ),
  impact: fc.record({
    services: fc.array(
      nastyText(80).map((s) => s.slice(0, 300)),
      { maxLength: 100 },
    ),
    customerFacing: fc.boolean(),
    durationMinutes: fc.option(minutes, { nil: null }),
    ongoing: fc.boolean(),
    description: para,
  }),
  similarIncidents: fc.array(
    fc.record({
      id: fc.oneof(
        incidentId,
        nastyText(20).map((s) => s.slice(0, 200)),
      ),
      title: line,
      similarity: unit,
      resolution: fc.option(para, { nil: null }),
    }),
    { maxLength: 10 },
  ),
  recommendedActions: fc.array(line, { maxLength: 20 }),
  estimatedResolution: fc.record({ minutes: fc.option(minutes, { nil: null }), basis: line }),
});

export function correlateResult(ids: string[]): fc.Arbitrary<CorrelateResult> {
  const id = ids.length > 0 ? fc.constantFrom(...ids) : incidentId;
  return fc.record({
    groups: fc.array(
      fc.record({
        incidentIds: fc.array(id, { minLength: 2, maxLength: 30 }),
        reasons: fc.uniqueArray(
          fc.constantFrom('temporal' as const, 'same_service' as const, 'same_symptom' as const, 'dependency' as const),
          { minLength: 1, maxLength: 4 },
        ),
        rootCauseIncidentId: id,
        summary: line,
        confidence: unit,
      }),
      { maxLength: 12 },
    ),
    mergeRecommendations: fc.array(
      fc.record({
        targetIncidentId: id,
        sourceIncidentIds: fc.array(id, { minLength: 1, maxLength: 5 }),
        reason: line,
      }),
      { maxLength: 8 },
    ),
    ungroupedCount: fc.integer({ min: 0, max: 500 }),
  });
}

export const postmortemResult: fc.Arbitrary<PostmortemResult> = fc.record({
  title: line,
  summary: para,
  impact: para,
  timeline: fc.array(
    fc.record({
      at: fc.oneof(
        fc.constant('2026-03-01T03:00:00Z'),
        nastyText(40).map((s) => s.slice(0, 40)),
      ),
      event: line,
      source: fc.constantFrom('pagerduty' as const, 'note' as const, 'slack' as const, 'alert' as const),
    }),
    { maxLength: 200 },
  ),
  rootCause: para,
  contributingFactors: fc.array(line, { maxLength: 20 }),
  detection: para,
  resolution: para,
  actionItems: fc.array(
    fc.record({
      title: line,
      owner: fc.option(nastyText(60), { nil: null }),
      priority: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
    }),
    { maxLength: 30 },
  ),
  lessonsLearned: fc.array(line, { maxLength: 20 }),
  metrics: fc.record({
    timeToAcknowledgeMinutes: fc.option(minutes, { nil: null }),
    timeToResolveMinutes: fc.option(minutes, { nil: null }),
    escalations: fc.integer({ min: 0, max: 50 }),
    responders: fc.array(nastyText(60), { maxLength: 200 }),
  }),
  markdown: fc.string({ maxLength: 20_000 }),
});

export const runbookResult: fc.Arbitrary<RunbookResult> = fc.record({
  title: line,
  category,
  steps: fc.array(
    fc.record({
      phase: fc.constantFrom(
        'diagnosis' as const,
        'mitigation' as const,
        'verification' as const,
        'escalation' as const,
      ),
      action: line,
      command: fc.option(
        nastyText(200).map((s) => s.slice(0, 2000)),
        { nil: null },
      ),
      estimatedMinutes: minutes,
      source: fc.constantFrom('playbook' as const, 'past_incident' as const, 'model' as const),
    }),
    { maxLength: 60 },
  ),
  estimatedMinutes: minutes,
  basedOn: fc.array(fc.record({ id: incidentId, title: line, similarity: unit }), { maxLength: 10 }),
});

const responderScore: fc.Arbitrary<ResponderScore> = fc.record({
  personId: fc.oneof(
    fc.stringMatching(/^P[A-Z0-9]{6}$/),
    nastyText(20).map((s) => s.slice(0, 200)),
  ),
  name: nastyText(100).map((s) => s.slice(0, 300)),
  score: unit,
  reasons: fc.array(line, { maxLength: 10 }),
  relevantIncidents: fc.integer({ min: 0, max: 1000 }),
  openIncidents: fc.integer({ min: 0, max: 1000 }),
  onCallLevel: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  localTime: fc.option(
    nastyText(30).map((s) => s.slice(0, 100)),
    { nil: null },
  ),
});

export const bestResponderResult: fc.Arbitrary<BestResponderResult> = fc.record({
  best: fc.option(responderScore, { nil: null }),
  candidates: fc.array(responderScore, { maxLength: 30 }),
});

const factors = fc.record({
  pages: fc.integer({ min: 0, max: 1000 }),
  offHoursPages: fc.integer({ min: 0, max: 1000 }),
  sleepHourPages: fc.integer({ min: 0, max: 1000 }),
  consecutiveOnCallDays: fc.integer({ min: 0, max: 365 }),
  ackMinutesEarly: fc.option(minutes, { nil: null }),
  ackMinutesLate: fc.option(minutes, { nil: null }),
  ackTrend: fc.constantFrom('improving' as const, 'stable' as const, 'worsening' as const, 'unknown' as const),
  escalationRate: unit,
});
const risk = fc.constantFrom('low' as const, 'moderate' as const, 'high' as const, 'critical' as const);

export const fatigueResult: fc.Arbitrary<FatigueResult> = fc.record({
  windowDays: fc.integer({ min: 1, max: 90 }),
  people: fc.array(
    fc.record({
      personId: fc.stringMatching(/^P[A-Z0-9]{6}$/),
      name: nastyText(100).map((s) => s.slice(0, 300)),
      riskLevel: risk,
      score: fc.double({ min: 0, max: 100, noNaN: true }),
      factors,
      recommendations: fc.array(line, { maxLength: 10 }),
    }),
    { maxLength: 40 },
  ),
  schedules: fc.array(
    fc.record({
      scheduleId: fc.stringMatching(/^P[A-Z0-9]{6}$/),
      name: nastyText(100).map((s) => s.slice(0, 300)),
      riskLevel: risk,
      score: fc.double({ min: 0, max: 100, noNaN: true }),
      factors,
      peopleAtRisk: fc.array(fc.stringMatching(/^P[A-Z0-9]{6}$/), { maxLength: 10 }),
      recommendations: fc.array(line, { maxLength: 10 }),
    }),
    { maxLength: 20 },
  ),
});
