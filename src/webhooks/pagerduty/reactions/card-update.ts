import type { JobContext, JobHandler } from '../../../store/index.js';
import { buildStatusNote } from '../blocks/status-note.js';
import type { CardUpdateEventType, IncidentData } from '../schemas.js';
import { observeProcessed, type ReactionDeps } from './deps.js';
import { agentOf, parseJobEvent } from './job-event.js';

/** What the thread note says about the incident, from the event's own copy of it. */
export function noteDetails(incident: IncidentData): {
  assignees: string[];
  priority: string | null;
  escalationLevel: number | null;
  serviceName: string | null;
  incidentType: string | null;
} {
  const type = (incident as { incident_type?: { name?: unknown } | null }).incident_type;
  return {
    assignees: (incident.assignees ?? []).map((a) => a.summary ?? a.id),
    priority: incident.priority?.summary ?? null,
    escalationLevel: null,
    serviceName: incident.service.summary ?? null,
    incidentType: typeof type?.name === 'string' ? type.name : null,
  };
}

/**
 * `acknowledged`, `unacknowledged`, `escalated`, `reassigned`, `priority_updated` (and `delegated`, `reopened`,
 * `service_updated`, `incident_type.changed`): the card is rebuilt from PagerDuty's current state — so a missed
 * or late event cannot leave it wrong — and a one-line note in its thread says who did what.
 */
export function createCardUpdateReaction(deps: ReactionDeps): JobHandler {
  return async (raw: unknown, _job: JobContext) => {
    const parsed = parseJobEvent(raw);
    if (parsed.kind !== 'incident') throw new Error('card update reaction got a note event');
    const { incident, event, payload } = parsed;
    const { cards } = await deps.slack.refreshCards(incident.id);
    if (cards > 0) {
      await deps.slack.postInThread(
        incident.id,
        buildStatusNote({
          eventType: parsed.eventType as CardUpdateEventType,
          agent: agentOf(event),
          occurredAt: Date.parse(event.occurred_at),
          incident: noteDetails(incident),
        }),
      );
    }
    observeProcessed(deps, parsed.eventType, payload.receivedAt);
  };
}
