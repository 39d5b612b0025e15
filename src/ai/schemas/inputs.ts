import { z } from 'zod';
import { CategorySchema, IsoDateSchema, UrgencySchema } from './common.js';

/**
 * Our own compact domain shapes for engine inputs. The catalogue tools map PagerDuty wire models into these;
 * engines never see PagerDuty JSON. Text fields are bounded generously (engines trim further themselves) so a
 * pathological alert body is refused with a clear message instead of exhausting memory.
 */

const Id = z.string().min(1).max(200);
const Text = (max: number) => z.string().max(max);

export const PersonRefSchema = z.object({
  id: Id,
  name: Text(300),
  email: z.string().max(320).optional(),
  /** IANA zone, e.g. `Europe/Paris`. */
  timeZone: z.string().max(100).optional(),
});
export type PersonRef = z.infer<typeof PersonRefSchema>;

export const ServiceRefSchema = z.object({ id: Id, name: Text(300) });
export type ServiceRef = z.infer<typeof ServiceRefSchema>;

/** A service with what the engines need to reason about blast radius and ownership. */
export const ServiceInfoSchema = ServiceRefSchema.extend({
  team: Text(300).nullable().optional(),
  /** Ids of services this one calls (its dependencies). */
  dependsOn: z.array(Id).max(500).default([]),
  customerFacing: z.boolean().optional(),
});
export type ServiceInfo = z.infer<typeof ServiceInfoSchema>;

export const IncidentStatusSchema = z.enum(['triggered', 'acknowledged', 'resolved']);

export const IncidentInputSchema = z.object({
  id: Id,
  number: z.number().int().optional(),
  title: Text(20_000),
  /** Body details / first alert body; the longest free text about the incident. */
  description: Text(200_000).optional(),
  status: IncidentStatusSchema,
  /** PagerDuty urgency; absent when unknown (batch classification of bare texts). */
  urgency: UrgencySchema.optional(),
  /** Priority name as configured in PagerDuty (`P1`…), if any. */
  priority: z.string().max(50).nullable().optional(),
  service: ServiceRefSchema,
  teams: z
    .array(z.object({ id: Id, name: Text(300) }))
    .max(50)
    .default([]),
  createdAt: IsoDateSchema,
  acknowledgedAt: IsoDateSchema.nullable().optional(),
  resolvedAt: IsoDateSchema.nullable().optional(),
  /** Current escalation level (1 = first level). */
  escalationLevel: z.number().int().min(1).max(100).optional(),
  assignees: z.array(PersonRefSchema).max(100).default([]),
  /** Number of alerts grouped into the incident (repeated triggers). */
  alertCount: z.number().int().min(0).optional(),
});
export type IncidentInput = z.input<typeof IncidentInputSchema>;
export type Incident = z.infer<typeof IncidentInputSchema>;

export const AlertSeveritySchema = z.enum(['critical', 'error', 'warning', 'info']);

export const AlertInputSchema = z.object({
  id: Id,
  summary: Text(20_000),
  severity: AlertSeveritySchema.optional(),
  source: Text(1000).optional(),
  component: Text(1000).optional(),
  createdAt: IsoDateSchema,
  /** Free-text details (custom details flattened to text). */
  details: Text(100_000).optional(),
});
export type AlertInput = z.input<typeof AlertInputSchema>;
export type Alert = z.infer<typeof AlertInputSchema>;

export const TIMELINE_KINDS = [
  'trigger',
  'acknowledge',
  'escalate',
  'assign',
  'notify',
  'note',
  'status_update',
  'priority_change',
  'urgency_change',
  'reopen',
  'resolve',
  'message',
  'other',
] as const;
export const TimelineKindSchema = z.enum(TIMELINE_KINDS);
export type TimelineKind = z.infer<typeof TimelineKindSchema>;

export const TimelineSourceSchema = z.enum(['pagerduty', 'note', 'slack']);

/** One PagerDuty log entry, mapped. */
export const TimelineEntrySchema = z.object({
  at: IsoDateSchema,
  kind: TimelineKindSchema,
  summary: Text(20_000),
  actor: Text(300).optional(),
  source: TimelineSourceSchema.default('pagerduty'),
});
export type TimelineEntryInput = z.input<typeof TimelineEntrySchema>;
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const NoteInputSchema = z.object({
  at: IsoDateSchema,
  author: Text(300).optional(),
  content: Text(100_000),
});
export type NoteInput = z.input<typeof NoteInputSchema>;

/** A message captured from the incident's Slack channel (passed in by the caller). */
export const ChannelMessageSchema = z.object({
  at: IsoDateSchema,
  author: Text(300),
  text: Text(100_000),
});
export type ChannelMessage = z.infer<typeof ChannelMessageSchema>;

/** A resolved incident from history, with how it was resolved. */
export const PastIncidentSchema = z.object({
  id: Id,
  title: Text(20_000),
  description: Text(100_000).optional(),
  service: ServiceRefSchema.optional(),
  category: CategorySchema.optional(),
  urgency: UrgencySchema.optional(),
  createdAt: IsoDateSchema,
  acknowledgedAt: IsoDateSchema.nullable().optional(),
  resolvedAt: IsoDateSchema.nullable().optional(),
  /** Resolution notes (last notes / resolve message). */
  resolution: Text(100_000).optional(),
  responders: z.array(PersonRefSchema).max(100).default([]),
});
export type PastIncidentInput = z.input<typeof PastIncidentSchema>;
export type PastIncident = z.infer<typeof PastIncidentSchema>;

const MAX_HISTORY = 5000;
const MAX_TIMELINE = 100_000;

/** The lists an operation may take about one incident, each optional (default empty) and bounded. */
const context = {
  alerts: z.array(AlertInputSchema).max(10_000).default([]),
  timeline: z.array(TimelineEntrySchema).max(MAX_TIMELINE).default([]),
  notes: z.array(NoteInputSchema).max(10_000).default([]),
  channelMessages: z.array(ChannelMessageSchema).max(50_000).default([]),
  history: z.array(PastIncidentSchema).max(MAX_HISTORY).default([]),
  services: z.array(ServiceInfoSchema).max(5000).default([]),
};

export const TriageInputSchema = z.object({
  incident: IncidentInputSchema,
  alerts: context.alerts,
  services: context.services,
  history: context.history,
});
export type TriageInput = z.input<typeof TriageInputSchema>;

export const AnalyzeInputSchema = z.object({
  incident: IncidentInputSchema,
  alerts: context.alerts,
  timeline: context.timeline,
  notes: context.notes,
  channelMessages: context.channelMessages,
  history: context.history,
  services: context.services,
  now: IsoDateSchema,
});
export type AnalyzeInput = z.input<typeof AnalyzeInputSchema>;

export const CorrelateInputSchema = z.object({
  incidents: z.array(IncidentInputSchema).max(100_000),
  services: context.services,
  /** Two incidents further apart than this are never grouped. */
  windowMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
});
export type CorrelateInput = z.input<typeof CorrelateInputSchema>;

export const PostmortemInputSchema = z.object({
  incident: IncidentInputSchema,
  alerts: context.alerts,
  timeline: context.timeline,
  notes: context.notes,
  channelMessages: context.channelMessages,
  history: context.history,
  services: context.services,
});
export type PostmortemInput = z.input<typeof PostmortemInputSchema>;

export const RunbookInputSchema = z.object({
  incident: IncidentInputSchema,
  alerts: context.alerts,
  history: context.history,
  services: context.services,
});
export type RunbookInput = z.input<typeof RunbookInputSchema>;

/** Who is on call right now, at which escalation level. */
export const OnCallEntrySchema = z.object({
  person: PersonRefSchema,
  level: z.number().int().min(1).max(100),
  scheduleId: Id.nullable().optional(),
  scheduleName: Text(300).nullable().optional(),
  escalationPolicyId: Id.nullable().optional(),
  start: IsoDateSchema.nullable().optional(),
  end: IsoDateSchema.nullable().optional(),
});
export type OnCallEntry = z.infer<typeof OnCallEntrySchema>;

export const EscalationInputSchema = z.object({
  incident: IncidentInputSchema,
  alerts: context.alerts,
  timeline: context.timeline,
  services: context.services,
  onCalls: z.array(OnCallEntrySchema).max(1000).default([]),
  /** Highest level of the incident's escalation policy, when known. */
  maxLevel: z.number().int().min(1).max(100).optional(),
  /** Minutes an incident may stay unacknowledged before escalation is advised (default by urgency). */
  ackTimeoutMinutes: z
    .number()
    .min(1)
    .max(24 * 60)
    .optional(),
  now: IsoDateSchema,
});
export type EscalationInput = z.input<typeof EscalationInputSchema>;

export const ResponderCandidateSchema = z.object({
  person: PersonRefSchema,
  /** Escalation level this person is on call at right now (null = not on call). */
  onCallLevel: z.number().int().min(1).max(100).nullable().default(null),
  /** Incidents currently open and assigned to this person. */
  openIncidents: z.number().int().min(0).default(0),
});
export type ResponderCandidateInput = z.input<typeof ResponderCandidateSchema>;

export const BestResponderInputSchema = z.object({
  incident: IncidentInputSchema,
  candidates: z.array(ResponderCandidateSchema).max(2000),
  history: context.history,
  now: IsoDateSchema,
});
export type BestResponderInput = z.input<typeof BestResponderInputSchema>;

/** One page (notification / assignment) received by a person. */
export const PageEventSchema = z.object({
  personId: Id,
  incidentId: Id,
  at: IsoDateSchema,
  acknowledgedAt: IsoDateSchema.nullable().optional(),
  /** The incident escalated past this person (they did not handle it in time). */
  escalated: z.boolean().default(false),
  scheduleId: Id.nullable().optional(),
  urgency: UrgencySchema.optional(),
});
export type PageEventInput = z.input<typeof PageEventSchema>;

export const OnCallShiftSchema = z.object({
  personId: Id,
  scheduleId: Id.nullable().optional(),
  start: IsoDateSchema,
  end: IsoDateSchema,
});

export const ScheduleInfoSchema = z.object({
  id: Id,
  name: Text(300),
  timeZone: z.string().max(100).optional(),
  personIds: z.array(Id).max(1000).default([]),
});

export const FatigueInputSchema = z.object({
  now: IsoDateSchema,
  windowDays: z.number().int().min(1).max(365).default(30),
  people: z.array(PersonRefSchema).max(5000),
  schedules: z.array(ScheduleInfoSchema).max(1000).default([]),
  pages: z.array(PageEventSchema).max(200_000).default([]),
  shifts: z.array(OnCallShiftSchema).max(100_000).default([]),
});
export type FatigueInput = z.input<typeof FatigueInputSchema>;
