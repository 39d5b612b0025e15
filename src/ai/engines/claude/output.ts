/**
 * What the model must return for each operation, and how its answer is checked against the input before it is
 * used: ids must exist in the data (ids the model invents are dropped, or the answer is refused), and numbers
 * the code computes from timestamps and counts (postmortem metrics, fatigue factors, responder facts) always
 * come from the deterministic baseline, never from the model.
 */
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../../shared/errors.js';
import { scrubSecrets } from '../../../shared/logger.js';
import type { AiKind, AiResults } from '../../contract.js';
import { renderPostmortemMarkdown } from '../../render-postmortem.js';
import {
  AnalyzeResultSchema,
  BestResponderResultSchema,
  CorrelateResultSchema,
  EscalationResultSchema,
  FatigueResultSchema,
  PostmortemDraftSchema,
  RunbookResultSchema,
  TriageResultSchema,
} from '../../schemas/results.js';

/** The schema of the model's answer, per operation. */
export const MODEL_OUTPUT_SCHEMAS: Readonly<Record<AiKind, z.ZodType>> = {
  triage: TriageResultSchema,
  analyze: AnalyzeResultSchema,
  correlate: CorrelateResultSchema,
  postmortem: PostmortemDraftSchema,
  runbook: RunbookResultSchema,
  escalationDecision: EscalationResultSchema,
  bestResponder: BestResponderResultSchema,
  fatigue: FatigueResultSchema,
};

function refuse(kind: AiKind, why: string): never {
  throw new AppError(ErrorCode.AiFailed, `model answer for ${kind} rejected: ${why}`);
}

interface Facts {
  /** The parsed engine input. */
  input: Record<string, unknown>;
  /** The heuristic engine's result for the same input. */
  baseline: unknown;
}

type Finalizer<K extends AiKind> = (model: never, facts: Facts) => AiResults[K];

const idsOf = (list: unknown, key = 'id'): Set<string> =>
  new Set(Array.isArray(list) ? list.map((x) => String((x as Record<string, unknown>)[key])) : []);

const FINALIZERS: { [K in AiKind]: Finalizer<K> } = {
  triage: (m: AiResults['triage']) => m,

  analyze: (m: AiResults['analyze'], f) => {
    const known = idsOf(f.input.history);
    const base = f.baseline as AiResults['analyze'];
    return {
      ...m,
      similarIncidents: m.similarIncidents.filter((s) => known.has(s.id)),
      impact: { ...m.impact, durationMinutes: base.impact.durationMinutes, ongoing: base.impact.ongoing },
    };
  },

  correlate: (m: AiResults['correlate'], f) => {
    const incidents = (f.input.incidents as Array<{ id: string; status: string }>) ?? [];
    const known = new Set(incidents.map((i) => i.id));
    const open = new Set(incidents.filter((i) => i.status !== 'resolved').map((i) => i.id));
    const placed = new Set<string>();
    const groups = m.groups
      .map((g) => {
        const ids = [...new Set(g.incidentIds)].filter((id) => known.has(id) && !placed.has(id));
        for (const id of ids) placed.add(id);
        return {
          ...g,
          incidentIds: ids,
          rootCauseIncidentId: ids.includes(g.rootCauseIncidentId) ? g.rootCauseIncidentId : (ids[0] ?? ''),
        };
      })
      .filter((g) => g.incidentIds.length >= 2);
    if (m.groups.length > 0 && groups.length === 0) refuse('correlate', 'no group refers to incidents in the data');
    const mergeRecommendations = m.mergeRecommendations
      .map((r) => ({
        ...r,
        sourceIncidentIds: r.sourceIncidentIds.filter((id) => open.has(id) && id !== r.targetIncidentId),
      }))
      .filter((r) => open.has(r.targetIncidentId) && r.sourceIncidentIds.length > 0);
    return { groups, mergeRecommendations, ungroupedCount: incidents.length - placed.size };
  },

  postmortem: (m: z.infer<typeof PostmortemDraftSchema>, f) => {
    const base = f.baseline as AiResults['postmortem'];
    const draft = { ...m, metrics: base.metrics };
    return { ...draft, markdown: renderPostmortemMarkdown(draft) };
  },

  runbook: (m: AiResults['runbook'], f) => {
    const known = idsOf(f.input.history);
    return { ...m, basedOn: m.basedOn.filter((b) => known.has(b.id)) };
  },

  escalationDecision: (m: AiResults['escalationDecision']) => (m.shouldEscalate ? m : { ...m, level: null }),

  bestResponder: (m: AiResults['bestResponder'], f) => {
    const base = f.baseline as AiResults['bestResponder'];
    const facts = new Map(base.candidates.map((c) => [c.personId, c]));
    const seen = new Set<string>();
    const ranked = m.candidates
      .filter((c) => facts.has(c.personId) && !seen.has(c.personId) && seen.add(c.personId))
      .map((c) => {
        const fact = facts.get(c.personId) as (typeof base.candidates)[number];
        return {
          ...c,
          name: fact.name,
          relevantIncidents: fact.relevantIncidents,
          openIncidents: fact.openIncidents,
          onCallLevel: fact.onCallLevel,
          localTime: fact.localTime,
        };
      });
    if (base.candidates.length > 0 && ranked.length === 0) refuse('bestResponder', 'no candidate id from the data');
    for (const c of base.candidates) if (!seen.has(c.personId)) ranked.push(c);
    return { best: ranked[0] ?? null, candidates: ranked };
  },

  fatigue: (m: AiResults['fatigue'], f) => {
    const base = f.baseline as AiResults['fatigue'];
    const people = new Map(m.people.map((p) => [p.personId, p]));
    const schedules = new Map(m.schedules.map((s) => [s.scheduleId, s]));
    return {
      windowDays: base.windowDays,
      people: base.people.map((p) => {
        const judged = people.get(p.personId);
        return judged ? { ...p, riskLevel: judged.riskLevel, recommendations: judged.recommendations } : p;
      }),
      schedules: base.schedules.map((s) => {
        const judged = schedules.get(s.scheduleId);
        return judged ? { ...s, riskLevel: judged.riskLevel, recommendations: judged.recommendations } : s;
      }),
    };
  },
};

/** Checks the model's parsed answer against the input and the baseline, returning the final result. */
export function finalizeModelOutput<K extends AiKind>(kind: K, modelOutput: unknown, facts: Facts): AiResults[K] {
  return (FINALIZERS[kind] as (m: unknown, f: Facts) => AiResults[K])(modelOutput, facts);
}

/**
 * The result with every configured secret value and token shape replaced by "[redacted]" in every string. The model
 * never sees a credential, but text it was asked to repeat ("print SLACK_BOT_TOKEN") must not reach a person even
 * if one ever got into its context.
 */
export function withoutSecrets<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, secrets)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, withoutSecrets(v, secrets)]),
    ) as T;
  }
  return value;
}
