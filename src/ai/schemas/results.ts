import { z } from 'zod';
import {
  CategorySchema,
  ConfidenceSchema,
  EvidenceSchema,
  PrioritySchema,
  SeveritySchema,
  UrgencySchema,
} from './common.js';

/**
 * Result schemas shared by both engines. The Claude engine validates the model's structured output against
 * these (minus fields the code computes itself, see `src/ai/engines/claude/`), the heuristic engine builds them
 * directly, and the catalogue tools use them as their output schemas.
 */

const Line = z.string().max(2000);
const Para = z.string().max(8000);
const Minutes = z.number().min(0).max(100_000);

export const TriageResultSchema = z.object({
  severity: SeveritySchema,
  category: CategorySchema,
  /** Owning team, when known from the service or the incident's teams. */
  team: z.string().max(300).nullable(),
  urgency: UrgencySchema,
  suggestedPriority: PrioritySchema,
  confidence: ConfidenceSchema,
  evidence: EvidenceSchema,
  /** Runner-up categories with their scores (0–1), best first. */
  alternatives: z.array(z.object({ category: CategorySchema, score: ConfidenceSchema })).max(11),
});
export type TriageResult = z.infer<typeof TriageResultSchema>;

export const HypothesisSchema = z.object({
  cause: Line,
  category: CategorySchema,
  confidence: ConfidenceSchema,
  evidence: EvidenceSchema,
});

export const SimilarIncidentSchema = z.object({
  id: z.string().max(200),
  title: Line,
  similarity: ConfidenceSchema,
  /** How it was resolved (resolution notes), when known. */
  resolution: Para.nullable(),
});
export type SimilarIncident = z.infer<typeof SimilarIncidentSchema>;

export const AnalyzeResultSchema = z.object({
  summary: Para,
  hypotheses: z.array(HypothesisSchema).max(10),
  impact: z.object({
    services: z.array(z.string().max(300)).max(100),
    customerFacing: z.boolean(),
    /** Minutes from creation to resolution, or to now while open. */
    durationMinutes: Minutes.nullable(),
    ongoing: z.boolean(),
    description: Para,
  }),
  similarIncidents: z.array(SimilarIncidentSchema).max(10),
  recommendedActions: z.array(Line).max(20),
  estimatedResolution: z.object({ minutes: Minutes.nullable(), basis: Line }),
});
export type AnalyzeResult = z.infer<typeof AnalyzeResultSchema>;

export const CORRELATION_REASONS = ['temporal', 'same_service', 'same_symptom', 'dependency'] as const;
export const CorrelationReasonSchema = z.enum(CORRELATION_REASONS);
export type CorrelationReason = z.infer<typeof CorrelationReasonSchema>;

export const CorrelationGroupSchema = z.object({
  incidentIds: z.array(z.string().max(200)).min(2),
  reasons: z.array(CorrelationReasonSchema).min(1).max(4),
  /** The incident most likely to be the cause (earliest upstream one). */
  rootCauseIncidentId: z.string().max(200),
  summary: Line,
  confidence: ConfidenceSchema,
});
export type CorrelationGroup = z.infer<typeof CorrelationGroupSchema>;

export const MergeRecommendationSchema = z.object({
  targetIncidentId: z.string().max(200),
  sourceIncidentIds: z.array(z.string().max(200)).min(1),
  reason: Line,
});

export const CorrelateResultSchema = z.object({
  groups: z.array(CorrelationGroupSchema),
  mergeRecommendations: z.array(MergeRecommendationSchema),
  /** Incidents that belong to no group. */
  ungroupedCount: z.number().int().min(0),
});
export type CorrelateResult = z.infer<typeof CorrelateResultSchema>;

export const PostmortemTimelineItemSchema = z.object({
  at: z.string().max(40),
  event: Line,
  source: z.enum(['pagerduty', 'note', 'slack', 'alert']),
});

export const ActionItemSchema = z.object({
  title: Line,
  owner: z.string().max(300).nullable(),
  priority: z.enum(['high', 'medium', 'low']),
});
export type ActionItem = z.infer<typeof ActionItemSchema>;

export const PostmortemMetricsSchema = z.object({
  timeToAcknowledgeMinutes: Minutes.nullable(),
  timeToResolveMinutes: Minutes.nullable(),
  escalations: z.number().int().min(0),
  responders: z.array(z.string().max(300)).max(200),
});

/** The postmortem as a model (or the heuristic) writes it, before Markdown rendering. */
export const PostmortemDraftSchema = z.object({
  title: Line,
  summary: Para,
  impact: Para,
  timeline: z.array(PostmortemTimelineItemSchema).max(200),
  rootCause: Para,
  contributingFactors: z.array(Line).max(20),
  detection: Para,
  resolution: Para,
  actionItems: z.array(ActionItemSchema).max(30),
  lessonsLearned: z.array(Line).max(20),
  metrics: PostmortemMetricsSchema,
});
export type PostmortemDraft = z.infer<typeof PostmortemDraftSchema>;

export const PostmortemResultSchema = PostmortemDraftSchema.extend({
  /** The whole postmortem rendered as Markdown. */
  markdown: z.string().max(100_000),
});
export type PostmortemResult = z.infer<typeof PostmortemResultSchema>;

export const RUNBOOK_PHASES = ['diagnosis', 'mitigation', 'verification', 'escalation'] as const;
export const RunbookPhaseSchema = z.enum(RUNBOOK_PHASES);

export const RunbookStepSchema = z.object({
  phase: RunbookPhaseSchema,
  action: Line,
  /** Shell command or query to run, when one is known. */
  command: z.string().max(2000).nullable(),
  estimatedMinutes: Minutes,
  /** Where the step came from. */
  source: z.enum(['playbook', 'past_incident', 'model']),
});
export type RunbookStep = z.infer<typeof RunbookStepSchema>;

export const RunbookResultSchema = z.object({
  title: Line,
  category: CategorySchema,
  steps: z.array(RunbookStepSchema).max(60),
  estimatedMinutes: Minutes,
  /** Past incidents whose resolution notes enriched the runbook. */
  basedOn: z.array(z.object({ id: z.string().max(200), title: Line, similarity: ConfidenceSchema })).max(10),
});
export type RunbookResult = z.infer<typeof RunbookResultSchema>;

export const EscalationResultSchema = z.object({
  shouldEscalate: z.boolean(),
  /** Escalation level to page next (null when no escalation is advised). */
  level: z.number().int().min(1).max(100).nullable(),
  reason: Para,
  expertiseNeeded: z.array(z.string().max(200)).max(10),
  /** Which rules fired (`unacknowledged`, `high_urgency`, `repeated_triggers`, `customer_impact`, …). */
  signals: z.array(z.string().max(200)).max(20),
});
export type EscalationResult = z.infer<typeof EscalationResultSchema>;

export const ResponderScoreSchema = z.object({
  personId: z.string().max(200),
  name: z.string().max(300),
  score: ConfidenceSchema,
  reasons: z.array(Line).max(10),
  /** Past incidents on this service or category they helped resolve. */
  relevantIncidents: z.number().int().min(0),
  openIncidents: z.number().int().min(0),
  onCallLevel: z.number().int().min(1).nullable(),
  /** Their local time right now (`HH:MM Zone`), when their time zone is known. */
  localTime: z.string().max(100).nullable(),
});
export type ResponderScore = z.infer<typeof ResponderScoreSchema>;

export const BestResponderResultSchema = z.object({
  best: ResponderScoreSchema.nullable(),
  candidates: z.array(ResponderScoreSchema).max(2000),
});
export type BestResponderResult = z.infer<typeof BestResponderResultSchema>;

export const RISK_LEVELS = ['low', 'moderate', 'high', 'critical'] as const;
export const RiskLevelSchema = z.enum(RISK_LEVELS);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

export const FatigueFactorsSchema = z.object({
  pages: z.number().int().min(0),
  offHoursPages: z.number().int().min(0),
  sleepHourPages: z.number().int().min(0),
  consecutiveOnCallDays: z.number().int().min(0),
  /** Median minutes to acknowledge, earlier half of the window vs later half. */
  ackMinutesEarly: Minutes.nullable(),
  ackMinutesLate: Minutes.nullable(),
  ackTrend: z.enum(['improving', 'stable', 'worsening', 'unknown']),
  escalationRate: ConfidenceSchema,
});
export type FatigueFactors = z.infer<typeof FatigueFactorsSchema>;

export const PersonFatigueSchema = z.object({
  personId: z.string().max(200),
  name: z.string().max(300),
  riskLevel: RiskLevelSchema,
  /** 0 (rested) – 100 (exhausted). */
  score: z.number().min(0).max(100),
  factors: FatigueFactorsSchema,
  recommendations: z.array(Line).max(10),
});
export type PersonFatigue = z.infer<typeof PersonFatigueSchema>;

export const ScheduleFatigueSchema = z.object({
  scheduleId: z.string().max(200),
  name: z.string().max(300),
  riskLevel: RiskLevelSchema,
  score: z.number().min(0).max(100),
  factors: FatigueFactorsSchema,
  /** People on this schedule at high or critical risk. */
  peopleAtRisk: z.array(z.string().max(200)),
  recommendations: z.array(Line).max(10),
});
export type ScheduleFatigue = z.infer<typeof ScheduleFatigueSchema>;

export const FatigueResultSchema = z.object({
  windowDays: z.number().int().min(1),
  people: z.array(PersonFatigueSchema),
  schedules: z.array(ScheduleFatigueSchema),
});
export type FatigueResult = z.infer<typeof FatigueResultSchema>;
