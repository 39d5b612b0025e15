import { z } from 'zod';
import type { IncidentView } from '../../../slack/blocks/model.js';
import { toIncidentView } from '../../../slack/incident-view.js';
import { defineJobHandler, type JobHandler } from '../../../store/index.js';
import { runTool } from '../../../tools/define-tool.js';
import { getIncident } from '../../../tools/incidents/get-incident.js';
import { listIncidents } from '../../../tools/incidents/list-incidents.js';
import { buildStormSummary } from '../blocks/storm-summary.js';
import { WebhookJobKind } from '../intake.js';
import type { Correlation } from '../ports.js';
import { stormGapMs } from '../storm.js';
import type { ReactionDeps } from './deps.js';
import { stormOrderingKey } from './triggered.js';

export const StormSummaryJobSchema = z.object({
  windowId: z.string().regex(/^\d{1,18}$/),
  channelId: z.string().regex(/^[CG][A-Z0-9]{2,}$/),
  /** Incidents in the window when this job was enqueued. */
  seq: z.number().int().min(1),
  /** Final render once the window has been quiet for the storm gap (only if it still has `seq` incidents). */
  settle: z.boolean(),
});
export type StormSummaryJob = z.infer<typeof StormSummaryJobSchema>;

/**
 * Attempts of a summary render. A storm is when the channel is busiest, so Slack's 429 is expected: each refused
 * attempt waits for Slack's Retry-After (see the job worker), and the summary must not be dead-lettered for it.
 */
const SUMMARY_MAX_ATTEMPTS = 12;

/**
 * Asks for a summary render that starts after now. Renders of a window coalesce into two job slots under the
 * channel's ordering key: a slot still pending has not read the window yet, so it will include this trigger and
 * nothing more is needed; when the first slot is already running, the second one is queued behind it. So a storm
 * keeps at most one render running and one waiting, however many incidents arrive, and none is ever missed.
 */
export async function requestStormSummary(
  deps: Pick<ReactionDeps, 'store'>,
  job: Omit<StormSummaryJob, 'settle'>,
  runAt: number,
): Promise<void> {
  const payload: StormSummaryJob = { ...job, settle: false };
  for (const slot of ['a', 'b']) {
    const result = await deps.store.jobs.enqueue(WebhookJobKind.stormSummary, payload, {
      orderingKey: stormOrderingKey(job.channelId),
      dedupeKey: `webhook:storm-summary:${job.windowId}:${slot}`,
      runAt,
      maxAttempts: SUMMARY_MAX_ATTEMPTS,
    });
    if (result.created) return;
    if ((await deps.store.jobs.get(result.id))?.state === 'pending') return;
  }
}

/** Incidents read in one summary (PagerDuty list cap); the count in the header stays exact beyond it. */
const MAX_LISTED = 1000;
/** Incidents missing from the list that are read one by one. */
const MAX_SINGLE_READS = 10;

/**
 * Posts, then updates in place, the storm summary of one window, from the window and PagerDuty as they are when the
 * job starts (see `requestStormSummary` for how renders coalesce). The first post carries the counts at once and
 * queues a second render with correlation; every render that is not final schedules a "settled" render for when
 * the window will have been quiet for the storm gap, which runs only if no incident joined since.
 */
export function createStormSummaryReaction(deps: ReactionDeps): JobHandler {
  return defineJobHandler(StormSummaryJobSchema, async (job, ctx) => {
    const window = await deps.store.stormWindows.get(job.windowId);
    if (!window) return;
    const count = window.incidentIds.length;
    const now = deps.clock.now();
    const gap = stormGapMs(deps.options.storm);
    const lastAt = window.lastAt.getTime();
    const settled = now - lastAt >= gap;

    if (job.settle && count !== job.seq) return;

    const ids = window.incidentIds.slice(0, MAX_LISTED);
    const wanted = new Set(ids);
    const toolCtx = deps.tools(ctx.signal);
    const found = new Map<string, IncidentView>();
    try {
      const listed = await runTool(
        listIncidents,
        {
          statuses: ['triggered', 'acknowledged', 'resolved'],
          since: new Date(window.openedAt.getTime() - 10 * 60_000).toISOString(),
          sort_by: 'created_at:asc',
          limit: MAX_LISTED,
        },
        toolCtx,
      );
      for (const item of listed.items) if (wanted.has(item.id)) found.set(item.id, toIncidentView(item));
      const missing = ids.filter((id) => !found.has(id)).slice(0, MAX_SINGLE_READS);
      for (const id of missing) {
        const one = await runTool(getIncident, { incident_id: id }, toolCtx);
        found.set(id, toIncidentView(one));
      }
    } catch (error) {
      ctx.logger.warn({ err: error, windowId: job.windowId }, 'storm summary: could not read every incident');
    }

    // The first post does not wait for correlation (Claude may take seconds): counts first, suggestions next.
    const firstPost = window.messageTs === null;
    let correlation: Correlation | 'pending' | null = firstPost ? 'pending' : null;
    if (!firstPost) {
      try {
        correlation = await deps.correlate({ incidentIds: ids, since: window.openedAt.getTime() }, ctx.signal);
      } catch (error) {
        ctx.logger.warn(
          { err: error, windowId: job.windowId },
          'storm summary: correlation failed; summary without it',
        );
      }
    }

    const message = buildStormSummary({
      incidents: ids.map((id) => found.get(id)).filter((v): v is IncidentView => v !== undefined),
      totalCount: count,
      openedAt: window.openedAt.getTime(),
      lastAt,
      now,
      settled,
      correlation,
    });
    if (window.messageTs) {
      await deps.messages.update(job.channelId, window.messageTs, message);
    } else {
      const { ts } = await deps.messages.post(job.channelId, message);
      await deps.store.stormWindows.setMessageTs(job.windowId, ts);
      // Right behind it, in the channel's order: the same summary with correlation.
      await requestStormSummary(deps, { windowId: job.windowId, channelId: job.channelId, seq: count }, now);
      return;
    }

    if (!settled && !job.settle) {
      const settle: StormSummaryJob = { ...job, seq: count, settle: true };
      // Not under the channel's ordering key: a job due later would hold back every update queued behind it. It
      // renders only if no trigger came since, and by then the message exists, so it can only update it.
      await deps.store.jobs.enqueue(WebhookJobKind.stormSummary, settle, {
        runAt: Math.max(now, lastAt + gap) + 250,
        dedupeKey: `webhook:storm-settle:${job.windowId}:${count}`,
        maxAttempts: SUMMARY_MAX_ATTEMPTS,
      });
    }
  });
}
