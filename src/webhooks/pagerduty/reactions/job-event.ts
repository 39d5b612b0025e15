import { InvalidInputError } from '../../../shared/errors.js';
import { type WebhookJobPayload, WebhookJobPayloadSchema } from '../intake.js';
import {
  classifyEnvelope,
  type IncidentData,
  type IncidentEventType,
  type IncidentNoteData,
  type WebhookEvent,
} from '../schemas.js';

export type JobEvent =
  | {
      kind: 'incident';
      payload: WebhookJobPayload;
      event: WebhookEvent;
      eventType: IncidentEventType;
      incident: IncidentData;
    }
  | { kind: 'note'; payload: WebhookJobPayload; event: WebhookEvent; note: IncidentNoteData };

function invalid(message: string): InvalidInputError {
  return new InvalidInputError(`Invalid webhook job: ${message}`, [{ path: 'payload', message }]);
}

/**
 * Re-validates a stored webhook job with the same schemas as the receiver. A payload that does not parse throws
 * `invalid_input`, which dead-letters the job at once (retrying cannot help).
 */
export function parseJobEvent(raw: unknown): JobEvent {
  const parsed = WebhookJobPayloadSchema.safeParse(raw);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const payload = parsed.data;
  const outcome = classifyEnvelope({ event: payload.event });
  if (!outcome.ok) throw invalid(outcome.message);
  const value = outcome.value;
  if (value.kind === 'incident') {
    return { kind: 'incident', payload, event: value.event, eventType: value.eventType, incident: value.incident };
  }
  if (value.kind === 'note') return { kind: 'note', payload, event: value.event, note: value.note };
  throw invalid(`event type ${value.event.event_type} has no reaction`);
}

/** The agent as a display name and reference type, from the envelope. */
export function agentOf(event: WebhookEvent): { name: string | null; type: string | null; id: string } | null {
  const agent = event.agent;
  if (!agent) return null;
  return { name: agent.summary ?? null, type: agent.type ?? null, id: agent.id };
}
