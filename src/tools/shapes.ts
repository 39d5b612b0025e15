import { z } from 'zod';
import {
  type Alert,
  type EscalationPolicy,
  type Incident,
  type LogEntry,
  type Note,
  type OnCall,
  type Priority,
  referenceName,
  type Service,
  type User,
} from '../pagerduty/index.js';

/**
 * The compact, stable shapes every tool returns: the fields a person or a model needs, in PagerDuty's own
 * snake_case vocabulary, defined once and reused. Mappers turn PagerDuty models into them.
 */

/** Longest free text a tool returns in one field (alert bodies can be huge). */
export const MAX_TEXT = 4000;

/** Cuts `text` to `max` characters with a visible marker. */
export function clip(text: string, max = MAX_TEXT): string {
  return text.length <= max ? text : `${text.slice(0, max - 15)}… [truncated]`;
}

/** Free-form details (a string or an object of custom details) as one readable string, or null. */
export function detailsText(details: unknown, max = MAX_TEXT): string | null {
  if (details === undefined || details === null || details === '') return null;
  if (typeof details === 'string') return clip(details, max);
  try {
    return clip(JSON.stringify(details), max);
  } catch {
    return null;
  }
}

export const RefShape = z.object({ id: z.string(), name: z.string() });
export type RefOut = z.infer<typeof RefShape>;

function ref(r: { id: string; summary?: string | null; name?: string | null }): RefOut {
  return { id: r.id, name: referenceName(r) };
}

function refOrNull(r: { id: string; summary?: string | null; name?: string | null } | null | undefined): RefOut | null {
  return r ? ref(r) : null;
}

export const IncidentStatusShape = z.enum(['triggered', 'acknowledged', 'resolved']);
export const UrgencyShape = z.enum(['high', 'low']);

export const IncidentShape = z.object({
  id: z.string(),
  number: z.number().int().nullable(),
  title: z.string(),
  status: IncidentStatusShape,
  urgency: UrgencyShape.nullable(),
  /** Priority name as configured in PagerDuty (`P1`…), or null. */
  priority: z.string().nullable(),
  service: RefShape,
  escalation_policy: RefShape.nullable(),
  /** Current level of the escalation policy (1 = first), or null when it cannot be told. */
  escalation_level: z.number().int().nullable(),
  assignees: z.array(RefShape),
  teams: z.array(RefShape),
  alert_count: z.number().int().nullable(),
  html_url: z.string().nullable(),
  created_at: z.string(),
  last_status_change_at: z.string().nullable(),
  resolved_at: z.string().nullable(),
});
export type IncidentOut = z.infer<typeof IncidentShape>;

export const IncidentDetailShape = IncidentShape.extend({
  description: z.string().nullable(),
  incident_key: z.string().nullable(),
  acknowledgements: z.array(z.object({ by: RefShape, at: z.string().nullable() })),
  last_status_change_by: RefShape.nullable(),
  alert_counts: z.object({ triggered: z.number().int(), resolved: z.number().int(), all: z.number().int() }).nullable(),
});
export type IncidentDetailOut = z.infer<typeof IncidentDetailShape>;

/** Maps an incident; `escalationLevel` overrides what the incident says (see `resolveEscalationLevels`). */
export function toIncident(incident: Incident, escalationLevel?: number | null): IncidentOut {
  return {
    id: incident.id,
    number: incident.incident_number ?? null,
    title: incident.title ?? incident.summary ?? incident.id,
    status: incident.status,
    urgency: incident.urgency ?? null,
    priority: incident.priority ? (incident.priority.name ?? incident.priority.summary ?? null) : null,
    service: ref(incident.service),
    escalation_policy: refOrNull(incident.escalation_policy),
    escalation_level: escalationLevel ?? incident.escalation_level ?? null,
    assignees: (incident.assignments ?? []).map((a) => ref(a.assignee)),
    teams: (incident.teams ?? []).map(ref),
    alert_count: incident.alert_counts?.all ?? null,
    html_url: incident.html_url ?? null,
    created_at: incident.created_at,
    last_status_change_at: incident.last_status_change_at ?? null,
    resolved_at: incident.resolved_at ?? null,
  };
}

export function toIncidentDetail(incident: Incident, escalationLevel?: number | null): IncidentDetailOut {
  const counts = incident.alert_counts;
  return {
    ...toIncident(incident, escalationLevel),
    description: detailsText(incident.body?.details),
    incident_key: incident.incident_key ?? null,
    acknowledgements: (incident.acknowledgements ?? []).map((a) => ({ by: ref(a.acknowledger), at: a.at ?? null })),
    last_status_change_by: refOrNull(incident.last_status_change_by),
    alert_counts: counts
      ? { triggered: counts.triggered ?? 0, resolved: counts.resolved ?? 0, all: counts.all ?? 0 }
      : null,
  };
}

export const AlertShape = z.object({
  id: z.string(),
  summary: z.string(),
  status: z.enum(['triggered', 'resolved']),
  severity: z.enum(['info', 'warning', 'error', 'critical']).nullable(),
  alert_key: z.string().nullable(),
  service: RefShape.nullable(),
  created_at: z.string(),
  details: z.string().nullable(),
  html_url: z.string().nullable(),
});
export type AlertOut = z.infer<typeof AlertShape>;

export function toAlert(alert: Alert): AlertOut {
  return {
    id: alert.id,
    summary: clip(alert.summary ?? alert.id, 1024),
    status: alert.status,
    severity: alert.severity ?? null,
    alert_key: alert.alert_key ?? null,
    service: refOrNull(alert.service),
    created_at: alert.created_at,
    details: detailsText(alert.body?.details),
    html_url: alert.html_url ?? null,
  };
}

export const NoteShape = z.object({
  id: z.string(),
  content: z.string(),
  author: RefShape.nullable(),
  created_at: z.string(),
});
export type NoteOut = z.infer<typeof NoteShape>;

export function toNote(note: Note): NoteOut {
  return { id: note.id, content: clip(note.content), author: refOrNull(note.user), created_at: note.created_at };
}

export const TimelineEntryShape = z.object({
  at: z.string(),
  source: z.enum(['log_entry', 'note']),
  /** The log entry type without `_log_entry` (`trigger`, `acknowledge`, `escalate`, `assign`, …), or `note`. */
  type: z.string(),
  summary: z.string(),
  actor: RefShape.nullable(),
  id: z.string(),
});
export type TimelineEntryOut = z.infer<typeof TimelineEntryShape>;

export function logEntryToTimeline(entry: LogEntry): TimelineEntryOut {
  const extra = entry.note ? ` (note: ${entry.note})` : '';
  return {
    at: entry.created_at,
    source: 'log_entry',
    type: entry.type.replace(/_log_entry$/, ''),
    summary: clip(`${entry.summary ?? entry.channel?.summary ?? entry.type}${extra}`),
    actor: refOrNull(entry.agent),
    id: entry.id,
  };
}

export function noteToTimeline(note: Note): TimelineEntryOut {
  return {
    at: note.created_at,
    source: 'note',
    type: 'note',
    summary: clip(note.content),
    actor: refOrNull(note.user),
    id: note.id,
  };
}

export const OnCallShape = z.object({
  user: RefShape,
  escalation_level: z.number().int(),
  escalation_policy: RefShape,
  schedule: RefShape.nullable(),
  /** null for a permanent on-call (a user targeted directly by the escalation rule). */
  start: z.string().nullable(),
  end: z.string().nullable(),
});
export type OnCallOut = z.infer<typeof OnCallShape>;

export function toOnCall(oncall: OnCall): OnCallOut {
  return {
    user: ref(oncall.user),
    escalation_level: oncall.escalation_level,
    escalation_policy: ref(oncall.escalation_policy),
    schedule: refOrNull(oncall.schedule),
    start: oncall.start ?? null,
    end: oncall.end ?? null,
  };
}

export const ServiceShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  status: z.string().nullable(),
  escalation_policy: RefShape.nullable(),
  teams: z.array(RefShape),
  last_incident_at: z.string().nullable(),
  html_url: z.string().nullable(),
});
export type ServiceOut = z.infer<typeof ServiceShape>;

export function toService(service: Service): ServiceOut {
  return {
    id: service.id,
    name: service.name,
    description: service.description ? clip(service.description, 1000) : null,
    status: service.status ?? null,
    escalation_policy: refOrNull(service.escalation_policy),
    teams: (service.teams ?? []).map(ref),
    last_incident_at: service.last_incident_timestamp ?? null,
    html_url: service.html_url ?? null,
  };
}

export const EscalationPolicyShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  num_loops: z.number().int().nullable(),
  levels: z.array(
    z.object({
      level: z.number().int(),
      delay_minutes: z.number().int().nullable(),
      targets: z.array(z.object({ type: z.string(), id: z.string(), name: z.string() })),
    }),
  ),
  services: z.array(RefShape),
  teams: z.array(RefShape),
  html_url: z.string().nullable(),
});
export type EscalationPolicyOut = z.infer<typeof EscalationPolicyShape>;

export function toEscalationPolicy(policy: EscalationPolicy): EscalationPolicyOut {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description ?? null,
    num_loops: policy.num_loops ?? null,
    levels: policy.escalation_rules.map((rule, i) => ({
      level: i + 1,
      delay_minutes: rule.escalation_delay_in_minutes ?? null,
      targets: rule.targets.map((t) => ({
        type: (t.type ?? 'unknown').replace(/_reference$/, ''),
        id: t.id,
        name: referenceName(t),
      })),
    })),
    services: (policy.services ?? []).map(ref),
    teams: (policy.teams ?? []).map(ref),
    html_url: policy.html_url ?? null,
  };
}

export const UserShape = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  time_zone: z.string().nullable(),
  role: z.string().nullable(),
  job_title: z.string().nullable(),
  html_url: z.string().nullable(),
});
export type UserOut = z.infer<typeof UserShape>;

export function toUser(user: User): UserOut {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    time_zone: user.time_zone ?? null,
    role: user.role ?? null,
    job_title: user.job_title ?? null,
    html_url: user.html_url ?? null,
  };
}

export const PriorityShape = z.object({ id: z.string(), name: z.string(), description: z.string().nullable() });
export type PriorityOut = z.infer<typeof PriorityShape>;

export function toPriority(priority: Priority): PriorityOut {
  return { id: priority.id, name: priority.name, description: priority.description ?? null };
}

/** `{ items, truncated, summary }`: every list tool's output. */
export function listShape<T extends z.ZodType>(
  item: T,
): z.ZodObject<{ items: z.ZodArray<T>; truncated: z.ZodBoolean; summary: z.ZodString }> {
  return z.object({
    items: z.array(item),
    truncated: z.boolean(),
    /** One sentence a person or a model can read without the items ("3 incidents; more exist"). */
    summary: z.string(),
  });
}

/** The sentence for `summary`, warning when the list was cut. */
export function listSummary(count: number, noun: string, truncated: boolean, plural = `${noun}s`): string {
  const word = count === 1 ? noun : plural;
  return truncated ? `${count} ${word} shown; more exist (narrow the filters or raise limit)` : `${count} ${word}`;
}
