import { context } from '../../../slack/blocks/kit.js';
import { link, mrkdwn } from '../../../slack/text.js';
import type { JobContext, JobHandler } from '../../../store/index.js';
import { buildStatusNote } from '../blocks/status-note.js';
import { noteDetails } from './card-update.js';
import { observeProcessed, type ReactionDeps } from './deps.js';
import { agentOf, parseJobEvent } from './job-event.js';

interface ResolveReason {
  type?: unknown;
  incident?: { id?: unknown; summary?: unknown; html_url?: unknown } | null;
}

/**
 * `incident.resolved`: the card is rebuilt from PagerDuty, the thread says who resolved it, and the postmortem
 * draft is posted in the thread — once per incident, whichever surface resolved it (the Slack side's
 * `startPostmortem` holds the `postmortem:<incidentId>` key). An incident resolved by being merged into another
 * gets a "merged into" note instead of a postmortem of its own.
 */
export function createResolvedReaction(deps: ReactionDeps): JobHandler {
  return async (raw: unknown, _job: JobContext) => {
    const parsed = parseJobEvent(raw);
    if (parsed.kind !== 'incident') throw new Error('resolved reaction got a note event');
    const { incident, event, payload } = parsed;
    const { cards } = await deps.slack.refreshCards(incident.id);
    if (cards === 0) {
      observeProcessed(deps, parsed.eventType, payload.receivedAt);
      return;
    }
    const reason = (incident as { resolve_reason?: ResolveReason | null }).resolve_reason;
    if (reason?.type === 'merge_resolve_reason') {
      const target = reason.incident;
      const label =
        typeof target?.summary === 'string'
          ? target.summary
          : typeof target?.id === 'string'
            ? target.id
            : 'another incident';
      const url = typeof target?.html_url === 'string' ? target.html_url : null;
      await deps.slack.postInThread(incident.id, {
        text: 'Merged into another incident in PagerDuty',
        blocks: [
          context([
            `🔗 Merged into ${url ? link(url, label, 150) : mrkdwn(label, 150)}; follow that incident from here on.`,
          ]),
        ],
      });
      observeProcessed(deps, parsed.eventType, payload.receivedAt);
      return;
    }
    await deps.slack.postInThread(
      incident.id,
      buildStatusNote({
        eventType: 'incident.resolved',
        agent: agentOf(event),
        occurredAt: Date.parse(event.occurred_at),
        incident: noteDetails(incident),
      }),
    );
    await deps.slack.startPostmortem(incident.id);
    observeProcessed(deps, parsed.eventType, payload.receivedAt);
  };
}
