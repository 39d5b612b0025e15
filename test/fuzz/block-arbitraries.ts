/**
 * Domain arbitraries for fuzzing the Block Kit builders: the view models of `src/slack/blocks/model.ts` and the AI
 * results of `src/ai/schemas/results.ts`, filled with hostile text (broadcast mentions, links, entities, mrkdwn
 * markup, control characters, lone surrogates, zalgo, very long strings), arbitrary ids, huge and empty lists, and
 * numbers at the edges of what the zod schemas allow. Every AI result generated here passes its zod schema (checked
 * by the blocks fuzz file), so a failure is a builder bug, not an impossible input.
 */
import fc from 'fast-check';
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
} from '../../src/ai/contract.js';
import type { AiMeta, IncidentBrief } from '../../src/slack/blocks/ai-common.js';
import type { CardContext, IncidentView, PersonView } from '../../src/slack/blocks/model.js';

/** Fragments that must never reach Slack as markup. */
export const HOSTILE = [
  '<!channel>',
  '<!here>',
  '<!here|@here>',
  '<!everyone>',
  '<!CHANNEL>',
  '<!subteam^S0123|@oncall>',
  '<!date^1700000000^{date}|x>',
  '<@U0123ABC>',
  '<@W1|someone>',
  '<#C0123|general>',
  '<https://evil.example/phish|Click me>',
  '<mailto:a@b.c|mail>',
  '<tel:123>',
  'https://evil.example/x',
  'javascript:alert(1)',
  '@channel',
  '@here',
  '&amp;',
  '&lt;!here&gt;',
  '&lt;',
  '&',
  '&#60;',
  '*bold*',
  '_it_',
  '~s~',
  '`code`',
  '```',
  '>quote',
  '\n> quote',
  '|',
  '<',
  '>',
  '<<!here>>',
  '<!channel',
  '<!',
  '!here>',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u202e',
  '\u200b',
  '\ufeff',
  '\u2028',
  '\ud800',
  '\udc00',
  '🔥',
  '👩‍👩‍👧‍👦',
  'e\u0301',
  'Z\u0351\u036b\u0343\u036a\u0302\u036b\u033d\u034f\u0334\u0319\u0324\u031e\u0349\u035a\u032f',
  '\r\n',
  '\t',
  '   ',
  '\n\n',
];

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Untrusted text: hostile fragments, arbitrary unicode, sometimes empty or very long. */
export function hostileText(maxLength = 300, long = true): fc.Arbitrary<string> {
  const parts: Array<fc.WeightedArbitrary<string>> = [
    {
      weight: 5,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 })), { maxLength: 10 })
        .map((a) => a.join(' ')),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength }) },
    { weight: 1, arbitrary: fc.string({ unit: codeUnit, maxLength: Math.min(maxLength, 80) }) },
    { weight: 1, arbitrary: fc.constantFrom('', ' ', '\n', '\u0000') },
  ];
  if (long) {
    parts.push({
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...HOSTILE, 'a', 'é', '🔥', '& '), fc.integer({ min: 2_000, max: 14_000 }))
        .map(([f, n]) => f.repeat(Math.ceil(n / Math.max(1, f.length)))),
    });
  }
  return fc.oneof(...parts);
}

/** Lone surrogates replaced by U+FFFD. */
export function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** Text cut to a schema's maximum (`z.string().max(n)` counts UTF-16 units). */
export function textMax(max: number, long = true): fc.Arbitrary<string> {
  return hostileText(Math.min(max, 400), long).map((s) => s.slice(0, max));
}

/**
 * The id of a PagerDuty object: PagerDuty's own shape, or (the view model calls every non-Slack string untrusted)
 * any text up to 24 characters. Longer ids are not fuzzed here: buttons and menus carry them in option values of at
 * most 75 characters, which PagerDuty's 7- and 14-character ids fit with room to spare. Ids the AI returns (up to
 * 200 characters by its schemas) are fuzzed in full, see `aiId`.
 */
export const anyId = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[PQ][A-Z0-9]{6}$/) },
  { weight: 1, arbitrary: fc.stringMatching(/^Q[A-Z0-9]{13}$/) },
  // Well-formed text: ids come from PagerDuty as whole JSON strings (lone surrogates are fuzzed in every text field).
  {
    weight: 2,
    arbitrary: textMax(24, false)
      .map(wellFormed)
      .filter((s) => s.length > 0),
  },
);

/** Slack user ids as Slack sends them, plus junk in a field meant for one (must be escaped, never mentioned). */
export const slackUserId = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[UW][A-Z0-9]{8,10}$/) },
  { weight: 1, arbitrary: fc.constantFrom('<!here>', 'U1|x', '', 'here', '<@U1>', 'u123abcde') },
);
export const slackChannelId = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[CG][A-Z0-9]{8,10}$/) },
  { weight: 1, arbitrary: fc.constantFrom('<!channel>', 'C1>', '', '#general') },
);

/** Epoch milliseconds from 1970 to 2100 (plus a few far values). */
export const epochMs = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }) },
);

/** ISO timestamps, and strings PagerDuty should not send but a builder must survive. */
export const isoOrJunk = fc.oneof(
  { weight: 5, arbitrary: epochMs.map((ms) => new Date(ms).toISOString()) },
  { weight: 1, arbitrary: fc.constantFrom('', 'garbage', '2025-02-30T00:00:00Z', '9999-12-31T23:59:59Z', '<!here>') },
);

export const url = fc.oneof(
  fc.constant(null),
  fc.stringMatching(/^[PQ][A-Z0-9]{6}$/).map((id) => `https://acme.pagerduty.com/incidents/${id}`),
  fc.constantFrom(
    'https://acme.pagerduty.com/incidents/PABC123',
    'http://pd.example/incidents/Q1?x=<!here>',
    'https://evil.example/a|b',
    'javascript:alert(1)',
    `https://acme.pagerduty.com/${'x'.repeat(3100)}`,
    '',
  ),
  textMax(60, false),
);

const smallInt = fc.integer({ min: -5, max: 100 });
const anyInt = fc.oneof(smallInt, fc.integer(), fc.constantFrom(0, -1, 2 ** 31 - 1, Number.MAX_SAFE_INTEGER));

export function person(): fc.Arbitrary<PersonView> {
  return fc.record({
    id: anyId,
    name: hostileText(120, false),
    slackUserId: fc.option(slackUserId, { nil: null }),
  });
}

/**
 * A list that is usually short but sometimes empty or huge. Huge lists are not shrunk (shrinking hundreds of
 * hostile items takes minutes); a failure still reports its seed and path to replay it.
 */
export function list<T>(item: fc.Arbitrary<T>, huge = 200): fc.Arbitrary<T[]> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.array(item, { maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constant<T[]>([]) },
    { weight: 1, arbitrary: fc.noShrink(fc.array(item, { minLength: huge / 2, maxLength: huge })) },
  );
}

export function incidentView(): fc.Arbitrary<IncidentView> {
  return fc.record({
    id: anyId,
    number: fc.option(fc.oneof(fc.integer({ min: 1, max: 999_999 }), anyInt), { nil: null }),
    title: hostileText(),
    status: fc.constantFrom('triggered' as const, 'acknowledged' as const, 'resolved' as const),
    urgency: fc.constantFrom('high' as const, 'low' as const, null),
    priority: fc.option(hostileText(60), { nil: null }),
    service: fc.record({ id: anyId, name: hostileText(200) }),
    assignees: list(person(), 60),
    escalationLevel: fc.option(fc.oneof(fc.integer({ min: 1, max: 20 }), anyInt), { nil: null }),
    escalationPolicy: fc.option(fc.record({ id: anyId, name: hostileText(200) }), { nil: null }),
    createdAt: isoOrJunk,
    resolvedAt: fc.option(isoOrJunk, { nil: null }),
    lastChangedBy: fc.option(hostileText(100), { nil: null }),
    htmlUrl: url,
    alertCount: fc.option(anyInt, { nil: null }),
  });
}

export const brief: fc.Arbitrary<IncidentBrief> = incidentView().map((i) => ({
  id: i.id,
  number: i.number,
  title: i.title,
  status: i.status,
  urgency: i.urgency,
  escalationLevel: i.escalationLevel,
  htmlUrl: i.htmlUrl,
}));

export const cardContext: fc.Arbitrary<CardContext> = fc.record({
  now: epochMs,
  roles: fc.option(
    fc.record({
      commander: fc.option(slackUserId, { nil: null }),
      comms: fc.option(slackUserId, { nil: null }),
      scribe: fc.option(slackUserId, { nil: null }),
    }),
    { nil: undefined },
  ),
  incidentChannelId: fc.option(slackChannelId, { nil: null }),
  lastAction: fc.option(
    fc.record({ verb: hostileText(150, false), slackUserId: fc.option(slackUserId, { nil: null }), at: epochMs }),
    { nil: null },
  ),
  escalationLevels: fc.option(fc.oneof(fc.integer({ min: 0, max: 30 }), anyInt), { nil: null }),
});

// ---- AI results (within their zod schemas) -----------------------------------------------------------------------

const unit = fc.double({ min: 0, max: 1, noNaN: true });
const minutes = fc.oneof(fc.integer({ min: 0, max: 100_000 }), fc.double({ min: 0, max: 100_000, noNaN: true }));
const category = fc.constantFrom(...CATEGORIES);
const line = textMax(2000);
const para = textMax(8000);
/** Ids in AI results: whatever the model wrote, up to the 200 characters its schemas allow. */
const aiId = fc.oneof(anyId, textMax(200, false));

export const aiMeta: fc.Arbitrary<AiMeta> = fc.record({
  engine: fc.constantFrom('heuristic' as const, 'claude' as const),
  model: fc.option(fc.oneof(fc.constantFrom('claude-sonnet-4-5'), hostileText(80, false)), { nil: undefined }),
  fallback: fc.option(fc.record({ from: fc.constant('claude' as const), reason: hostileText(300) }), {
    nil: undefined,
  }),
  cached: fc.option(fc.boolean(), { nil: undefined }),
});

const evidence = fc.array(textMax(1000), { maxLength: 30 });

export const triageResult: fc.Arbitrary<TriageResult> = fc.record({
  severity: fc.constantFrom('sev1' as const, 'sev2' as const, 'sev3' as const, 'sev4' as const),
  category,
  team: fc.option(textMax(300), { nil: null }),
  urgency: fc.constantFrom('high' as const, 'low' as const),
  suggestedPriority: fc.constantFrom('P1' as const, 'P2' as const, 'P3' as const, 'P4' as const, 'P5' as const),
  confidence: unit,
  evidence,
  alternatives: fc.array(fc.record({ category, score: unit }), { maxLength: 11 }),
});

export const analyzeResult: fc.Arbitrary<AnalyzeResult> = fc.record({
  summary: para,
  hypotheses: fc.array(fc.record({ cause: line, category, confidence: unit, evidence }), { maxLength: 10 }),
  impact: fc.record({
    services: fc.array(textMax(300), { maxLength: 100 }),
    customerFacing: fc.boolean(),
    durationMinutes: fc.option(minutes, { nil: null }),
    ongoing: fc.boolean(),
    description: para,
  }),
  similarIncidents: fc.array(
    fc.record({ id: aiId, title: line, similarity: unit, resolution: fc.option(para, { nil: null }) }),
    { maxLength: 10 },
  ),
  recommendedActions: fc.array(line, { maxLength: 20 }),
  estimatedResolution: fc.record({ minutes: fc.option(minutes, { nil: null }), basis: line }),
});

/** Correlation over known incident ids (plus ids the model made up). */
export function correlateResult(ids: readonly string[]): fc.Arbitrary<CorrelateResult> {
  const id = ids.length > 0 ? fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ids) }, aiId) : aiId;
  return fc.record({
    groups: list(
      fc.record({
        incidentIds: fc.oneof(
          fc.array(id, { minLength: 2, maxLength: 12 }),
          fc.array(id, { minLength: 50, maxLength: 300 }),
        ),
        reasons: fc.uniqueArray(
          fc.constantFrom('temporal' as const, 'same_service' as const, 'same_symptom' as const, 'dependency' as const),
          { minLength: 1, maxLength: 4 },
        ),
        rootCauseIncidentId: id,
        summary: line,
        confidence: unit,
      }),
      30,
    ),
    mergeRecommendations: list(
      fc.record({
        targetIncidentId: id,
        sourceIncidentIds: fc.oneof(
          fc.array(id, { minLength: 1, maxLength: 6 }),
          fc.array(id, { minLength: 60, maxLength: 400 }),
        ),
        reason: line,
      }),
      30,
    ),
    ungroupedCount: fc.oneof(fc.nat(500), fc.nat()),
  });
}

export const postmortemResult: fc.Arbitrary<PostmortemResult> = fc.record({
  title: line,
  summary: para,
  impact: para,
  timeline: list(
    fc.record({
      at: fc.oneof(isoOrJunk, textMax(40, false)).map((s) => s.slice(0, 40)),
      event: line,
      source: fc.constantFrom('pagerduty' as const, 'note' as const, 'slack' as const, 'alert' as const),
    }),
    200,
  ),
  rootCause: para,
  contributingFactors: fc.array(line, { maxLength: 20 }),
  detection: para,
  resolution: para,
  actionItems: fc.array(
    fc.record({
      title: line,
      owner: fc.option(textMax(300, false), { nil: null }),
      priority: fc.constantFrom('high' as const, 'medium' as const, 'low' as const),
    }),
    { maxLength: 30 },
  ),
  lessonsLearned: fc.array(line, { maxLength: 20 }),
  metrics: fc.record({
    timeToAcknowledgeMinutes: fc.option(minutes, { nil: null }),
    timeToResolveMinutes: fc.option(minutes, { nil: null }),
    escalations: fc.oneof(fc.nat(50), fc.nat()),
    responders: list(textMax(300, false), 200),
  }),
  markdown: fc.oneof(hostileText(2000), fc.constant('x'.repeat(100_000))),
});

export const runbookResult: fc.Arbitrary<RunbookResult> = fc.record({
  title: line,
  category,
  steps: list(
    fc.record({
      phase: fc.constantFrom(
        'diagnosis' as const,
        'mitigation' as const,
        'verification' as const,
        'escalation' as const,
      ),
      action: line,
      command: fc.option(textMax(2000), { nil: null }),
      estimatedMinutes: minutes,
      source: fc.constantFrom('playbook' as const, 'past_incident' as const, 'model' as const),
    }),
    60,
  ),
  estimatedMinutes: minutes,
  basedOn: fc.array(fc.record({ id: aiId, title: line, similarity: unit }), { maxLength: 10 }),
});

const responderScore: fc.Arbitrary<ResponderScore> = fc.record({
  personId: aiId,
  name: textMax(300, false),
  score: unit,
  reasons: fc.array(line, { maxLength: 10 }),
  relevantIncidents: fc.oneof(fc.nat(1000), fc.nat()),
  openIncidents: fc.oneof(fc.nat(1000), fc.nat()),
  onCallLevel: fc.option(fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1 })), { nil: null }),
  localTime: fc.option(textMax(100, false), { nil: null }),
});

export const bestResponderResult: fc.Arbitrary<BestResponderResult> = fc.record({
  best: fc.option(responderScore, { nil: null }),
  candidates: list(responderScore, 200),
});

const factors = fc.record({
  pages: fc.nat(),
  offHoursPages: fc.nat(),
  sleepHourPages: fc.nat(),
  consecutiveOnCallDays: fc.nat(),
  ackMinutesEarly: fc.option(minutes, { nil: null }),
  ackMinutesLate: fc.option(minutes, { nil: null }),
  ackTrend: fc.constantFrom('improving' as const, 'stable' as const, 'worsening' as const, 'unknown' as const),
  escalationRate: unit,
});
const risk = fc.constantFrom('low' as const, 'moderate' as const, 'high' as const, 'critical' as const);
const score100 = fc.double({ min: 0, max: 100, noNaN: true });

export const fatigueResult: fc.Arbitrary<FatigueResult> = fc.record({
  windowDays: fc.oneof(fc.integer({ min: 1, max: 90 }), fc.integer({ min: 1 })),
  people: list(
    fc.record({
      personId: aiId,
      name: textMax(300, false),
      riskLevel: risk,
      score: score100,
      factors,
      recommendations: fc.array(line, { maxLength: 10 }),
    }),
    200,
  ),
  schedules: list(
    fc.record({
      scheduleId: aiId,
      name: textMax(300, false),
      riskLevel: risk,
      score: score100,
      factors,
      peopleAtRisk: fc.array(aiId, { maxLength: 10 }),
      recommendations: fc.array(line, { maxLength: 10 }),
    }),
    60,
  ),
});

/** Text at a paragraph's 8,000-character maximum, made of what escaping makes longest (`&` → `&amp;`). */
const fullPara = fc
  .tuple(fc.constantFrom('&', '<!here> ', 'a ', '🔥', 'word\n\n', '& <'), fc.integer({ min: 4_000, max: 8_000 }))
  .map(([f, n]) => f.repeat(Math.ceil(n / f.length)).slice(0, n));

/** A postmortem at the size limits of its schema: long sections and up to 200 long timeline events (not shrunk). */
export const bigPostmortemResult: fc.Arbitrary<PostmortemResult> = fc.noShrink(
  fc
    .tuple(
      postmortemResult,
      fc.record({
        summary: fullPara,
        impact: fullPara,
        rootCause: fullPara,
        detection: fullPara,
        resolution: fullPara,
        timeline: fc.array(
          fc.record({
            at: fc.constant('2026-03-01T03:00:00Z'),
            event: fc.oneof(
              fullPara.map((s) => s.slice(0, 2000)),
              textMax(2000),
            ),
            source: fc.constantFrom('pagerduty' as const, 'note' as const, 'slack' as const, 'alert' as const),
          }),
          { minLength: 150, maxLength: 200 },
        ),
      }),
    )
    .map(([pm, big]) => ({ ...pm, ...big })),
);
