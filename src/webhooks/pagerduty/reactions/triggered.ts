import { AppError, ErrorCode } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import type { JobContext, JobHandler } from '../../../store/index.js';
import { judgeTrigger, stormGapMs } from '../storm.js';
import { observeProcessed, type ReactionDeps } from './deps.js';
import { parseJobEvent } from './job-event.js';
import { requestStormSummary } from './storm-summary.js';

/** The webhook reaction posted this incident's card (so it also owns triage and the incident channel). */
export const cardKey = (incidentId: string): string => `webhook:card:${incidentId}`;
/** Auto-triage started by this reaction (a retried job never triages twice). */
export const triageKey = (incidentId: string): string => `webhook:triage:${incidentId}`;
/** Incident channel opened by this reaction (a retried job never opens two). */
export const incidentChannelKey = (incidentId: string): string => `webhook:channel:${incidentId}`;

/** Marks a step claimed by `once` as finished. */
const doneKey = (key: string): string => `${key}:done`;

/**
 * Runs `step` once per key across retries and replicas: the key is claimed before the step (a concurrent attempt
 * skips it) and marked done after it; a failed step releases its claim to be retried. A claim never marked done is
 * an attempt that stopped mid-step (SIGTERM, crash): the reaction's jobs for one incident run one at a time, so
 * nobody else holds it, and this run does the step again rather than never.
 */
async function once(deps: ReactionDeps, log: Logger, key: string, step: () => Promise<void>): Promise<void> {
  if (await deps.store.processedKeys.has(doneKey(key))) return;
  if (!(await deps.store.processedKeys.claimOnce(key))) {
    log.warn({ key }, 'an earlier attempt stopped in the middle of this step; doing it again');
  }
  try {
    await step();
  } catch (error) {
    await deps.store.processedKeys.release(key);
    throw error;
  }
  await deps.store.processedKeys.claimOnce(doneKey(key));
}

/** Ordering key of a channel's storm summary jobs: one at a time, in order. */
export const stormOrderingKey = (channelId: string): string => `storm:${channelId}`;

function urgencyOpensChannel(urgency: string | null | undefined, setting: 'high' | 'low' | 'never'): boolean {
  if (setting === 'never') return false;
  if (setting === 'low') return urgency === 'high' || urgency === 'low';
  return urgency === 'high';
}

/**
 * `incident.triggered`: route the service to a channel; outside a storm, post the card there, start auto-triage
 * in its thread and (for urgent incidents) open an incident channel; inside a storm, add the incident to the
 * channel's storm summary instead. Each step is claimed once per incident, so a retried job never triages or
 * opens a channel twice, and an incident declared from Slack (card already there) is not posted again.
 */
export function createTriggeredReaction(deps: ReactionDeps): JobHandler {
  return async (raw: unknown, job: JobContext) => {
    const parsed = parseJobEvent(raw);
    if (parsed.kind !== 'incident') throw new Error('triggered reaction got a note event');
    const { incident, event, payload } = parsed;
    const log = job.logger.child({ incidentId: incident.id, eventType: parsed.eventType });

    const link = await deps.store.incidentLinks.get(incident.id);
    if (link?.messageTs && !(await deps.store.processedKeys.has(cardKey(incident.id)))) {
      // Declared from Slack: its card, triage and channel are that flow's; keep the card true to PagerDuty.
      await deps.slack.refreshCards(incident.id);
      observeProcessed(deps, parsed.eventType, payload.receivedAt);
      return;
    }

    const route = await deps.router.channelFor(incident.service.id, incident.service.summary);
    if (!route) {
      observeProcessed(deps, parsed.eventType, payload.receivedAt);
      return;
    }

    const policy = deps.options.storm;
    const occurredAt = Date.parse(event.occurred_at);
    const { window } = await deps.store.stormWindows.record(route.channelId, incident.id, {
      windowMs: stormGapMs(policy),
      at: Number.isFinite(occurredAt) ? occurredAt : deps.clock.now(),
    });
    const verdict = judgeTrigger(window, incident.id, policy);
    if (verdict.storm) {
      await requestStormSummary(
        deps,
        { windowId: window.id, channelId: route.channelId, seq: window.incidentIds.length },
        // The first render soon (counts at once); later ones spaced out, coalescing every incident meanwhile.
        deps.clock.now() + (verdict.stormStarted ? deps.options.summaryDebounceMs : deps.options.summaryMinIntervalMs),
      );
      if (verdict.stormStarted) {
        log.warn(
          { channelId: route.channelId, windowId: window.id },
          'alert storm: individual cards paused, summary posted',
        );
      }
      observeProcessed(deps, parsed.eventType, payload.receivedAt);
      return;
    }

    // The card key marks the card as this reaction's: a retry after a later step failed carries on, and a card
    // whose post Slack deferred (rate limit) is waited for rather than posted twice. A claim with neither a card
    // nor a deferred post is an attempt that stopped mid-post (shutdown, crash): this run posts the card.
    if (!link?.messageTs) {
      let mine = await deps.store.processedKeys.claimOnce(cardKey(incident.id));
      if (!mine && !(await deps.slack.cardPostPending(incident.id))) {
        log.warn('an earlier attempt claimed the card but neither posted nor deferred it; posting it now');
        mine = true;
      }
      if (mine) {
        try {
          await deps.slack.postCard({ incidentId: incident.id, channelId: route.channelId });
        } catch (error) {
          await deps.store.processedKeys.release(cardKey(incident.id));
          throw error;
        }
      }
      if (!(await deps.store.incidentLinks.get(incident.id))?.messageTs) {
        // Triage and the incident channel go under the card: retry once Slack has taken it.
        throw new AppError(
          ErrorCode.SlackApi,
          `the card of ${incident.id} is waiting on Slack's rate limit; triage follows it`,
          {
            details: { incidentId: incident.id, retryable: true },
          },
        );
      }
    } else {
      await deps.slack.refreshCards(incident.id);
    }
    await once(deps, log, triageKey(incident.id), () => deps.slack.startTriage(incident.id));
    if (urgencyOpensChannel(incident.urgency, deps.options.incidentChannelUrgency)) {
      await once(deps, log, incidentChannelKey(incident.id), () => deps.slack.openIncidentChannel(incident.id));
    }
    observeProcessed(deps, parsed.eventType, payload.receivedAt);
  };
}
