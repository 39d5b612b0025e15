import { z } from 'zod';

/**
 * Zod schemas for PagerDuty v3 webhook deliveries (developer-docs `docs/webhooks/01-Overview.md`). One delivery
 * carries one event: `{ event: { id, event_type, resource_type, occurred_at, agent, client, data } }`. The shape
 * of `data` depends on the event type: an `incident` for most incident events, an `incident_note` for
 * `incident.annotated` (whose `data.incident` is only a reference), and so on. Objects are loose: PagerDuty adds
 * fields over time and we must not refuse deliveries for fields we do not read.
 */

/** Every event type PagerDuty documents (Event Types table), plus `pagey.ping` ("send test event"). */
export const PAGERDUTY_EVENT_TYPES = [
  'incident.acknowledged',
  'incident.annotated',
  'incident.conference_bridge.updated',
  'incident.custom_field_values.updated',
  'incident.delegated',
  'incident.escalated',
  'incident.incident_type.changed',
  'incident.priority_updated',
  'incident.reassigned',
  'incident.reopened',
  'incident.resolved',
  'incident.responder.added',
  'incident.responder.replied',
  'incident.role.assigned',
  'incident.service_updated',
  'incident.status_update_published',
  'incident.task.completed',
  'incident.task.created',
  'incident.task.updated',
  'incident.triggered',
  'incident.unacknowledged',
  'incident.action_invocation.created',
  'incident.action_invocation.terminated',
  'incident.action_invocation.updated',
  'incident.workflow.started',
  'incident.workflow.completed',
  'service.created',
  'service.custom_field_values.updated',
  'service.deleted',
  'service.updated',
  'pagey.ping',
] as const;

/**
 * Incident events whose `data` is the incident and that change what its card shows. `triggered` and `resolved`
 * have reactions of their own; the others refresh the card and leave a short "who did what" note in its thread.
 */
export const CARD_UPDATE_EVENT_TYPES = [
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.priority_updated',
  'incident.delegated',
  'incident.reopened',
  'incident.service_updated',
  'incident.incident_type.changed',
] as const;
export type CardUpdateEventType = (typeof CARD_UPDATE_EVENT_TYPES)[number];

export const INCIDENT_EVENT_TYPES = ['incident.triggered', ...CARD_UPDATE_EVENT_TYPES, 'incident.resolved'] as const;
export type IncidentEventType = (typeof INCIDENT_EVENT_TYPES)[number];

/** An id; NUL is refused because the store drops it, and the stored job must still name the same thing. */
const Id = z
  .string()
  .min(1)
  .max(200)
  .refine((id) => !id.includes('\u0000'), { message: 'must not contain NUL characters' });

/** A PagerDuty reference (`user_reference`, `service_reference`, …). Only `id` is required. */
export const ReferenceSchema = z.looseObject({
  id: Id,
  type: z.string().max(200).optional(),
  summary: z.string().max(10_000).nullable().optional(),
  html_url: z.string().max(3000).nullable().optional(),
  self: z.string().max(3000).nullable().optional(),
});
export type Reference = z.infer<typeof ReferenceSchema>;

/** The `incident` data type, reduced to what the reactions read. */
export const IncidentDataSchema = z.looseObject({
  id: Id,
  type: z.literal('incident'),
  number: z.number().int().nonnegative().optional(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  title: z.string().max(100_000),
  html_url: z.string().max(3000).nullable().optional(),
  created_at: z.string().max(100).nullable().optional(),
  urgency: z.enum(['high', 'low']).nullable().optional(),
  service: ReferenceSchema,
  assignees: z.array(ReferenceSchema).max(1000).nullable().optional(),
  priority: ReferenceSchema.nullable().optional(),
});
export type IncidentData = z.infer<typeof IncidentDataSchema>;

/** The `incident_note` data type carried by `incident.annotated`. */
export const IncidentNoteDataSchema = z.looseObject({
  id: Id,
  type: z.literal('incident_note'),
  content: z.string().max(100_000),
  trimmed: z.boolean().nullable().optional(),
  incident: ReferenceSchema,
});
export type IncidentNoteData = z.infer<typeof IncidentNoteDataSchema>;

export const EventSchema = z.looseObject({
  id: Id,
  event_type: z
    .string()
    .max(200)
    .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, { message: 'expected a dotted event type such as incident.triggered' }),
  resource_type: z.string().max(200),
  occurred_at: z.iso.datetime({ offset: true }),
  agent: ReferenceSchema.nullable().optional(),
  client: z.unknown().optional(),
  data: z.looseObject({ type: z.string().max(200).optional() }),
});
export type WebhookEvent = z.infer<typeof EventSchema>;

export const EnvelopeSchema = z.looseObject({ event: EventSchema });

/** What a delivery means to us, once its envelope and (for the events we react to) its data are valid. */
export type ClassifiedEvent =
  | { kind: 'ping'; event: WebhookEvent }
  | { kind: 'incident'; eventType: IncidentEventType; event: WebhookEvent; incident: IncidentData }
  | { kind: 'note'; event: WebhookEvent; note: IncidentNoteData }
  /** A documented event type we do not react to (2xx, logged, no effect). */
  | { kind: 'unused'; event: WebhookEvent }
  /** An event type PagerDuty's docs do not list (2xx, logged, no effect). */
  | { kind: 'unknown'; event: WebhookEvent };

export type ParseOutcome = { ok: true; value: ClassifiedEvent } | { ok: false; message: string };

function describeIssues(prefix: string, error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? `${prefix}.${issue.path.join('.')}` : prefix;
    return `${path}: ${issue.message}`;
  });
  return parts.join('; ');
}

/**
 * Validates a delivery that already parsed as JSON and says what it is. Data is only validated for event types we
 * react to, so a new field or a new data type for an event we ignore never gets a delivery refused.
 */
export function classifyEnvelope(json: unknown): ParseOutcome {
  const envelope = EnvelopeSchema.safeParse(json);
  if (!envelope.success) return { ok: false, message: describeIssues('body', envelope.error) };
  const event = envelope.data.event;
  const type = event.event_type;
  if (type === 'pagey.ping') return { ok: true, value: { kind: 'ping', event } };
  if ((INCIDENT_EVENT_TYPES as readonly string[]).includes(type)) {
    const data = IncidentDataSchema.safeParse(event.data);
    if (!data.success) return { ok: false, message: describeIssues('event.data', data.error) };
    return { ok: true, value: { kind: 'incident', eventType: type as IncidentEventType, event, incident: data.data } };
  }
  if (type === 'incident.annotated') {
    const data = IncidentNoteDataSchema.safeParse(event.data);
    if (!data.success) return { ok: false, message: describeIssues('event.data', data.error) };
    return { ok: true, value: { kind: 'note', event, note: data.data } };
  }
  if ((PAGERDUTY_EVENT_TYPES as readonly string[]).includes(type))
    return { ok: true, value: { kind: 'unused', event } };
  return { ok: true, value: { kind: 'unknown', event } };
}

/**
 * Deepest nesting a delivery may have. PagerDuty's payloads nest a handful of levels; JSON.parse accepts any depth
 * but serialising (storing the event as a job) recurses and overflows the stack a few thousand levels down, which
 * would answer an authentic delivery 503 on every retry.
 */
export const MAX_BODY_DEPTH = 256;

/** True when valid JSON `text` nests arrays / objects deeper than `max` (a scan, no recursion). */
function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

/** Parses the raw body (UTF-8 JSON) and classifies it; never throws. */
export function parseWebhookBody(rawBody: Buffer): ParseOutcome {
  if (rawBody.length === 0) return { ok: false, message: 'body: empty' };
  const text = rawBody.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `body: not valid JSON (${(error as Error).message})` };
  }
  if (nestsDeeperThan(text, MAX_BODY_DEPTH)) {
    return { ok: false, message: `body: nested more than ${MAX_BODY_DEPTH} levels deep` };
  }
  return classifyEnvelope(json);
}

/** The incident a classified event is about (its id), or null for pings and events without one. */
export function incidentIdOf(value: ClassifiedEvent): string | null {
  if (value.kind === 'incident') return value.incident.id;
  if (value.kind === 'note') return value.note.incident.id;
  return null;
}
