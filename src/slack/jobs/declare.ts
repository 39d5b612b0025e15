/**
 * `slack.declare`: creates the incident in PagerDuty as the person who submitted the declare form, then posts
 * its card, opens the incident channel when asked, and starts AI triage. The PagerDuty write happens at most
 * once per form (a key claimed before it, and PagerDuty's dedup key when an attempt's answer was lost), so a
 * retried job never declares twice; later steps report their own failures to the person instead of retrying the
 * whole job.
 */
import { z } from 'zod';
import { asAppError, ErrorCode } from '../../shared/errors.js';
import { defineJobHandler, type JobHandler } from '../../store/index.js';
import { IncidentShape } from '../../tools/shapes.js';
import { incidentLabel } from '../blocks/incident-card.js';
import { buildNotice } from '../blocks/notice.js';
import { IncidentListShape } from '../incident-view.js';
import { errorNotice, type ListenerDeps } from '../listeners/shared.js';
import { channelMention } from '../text.js';

export const DeclareJobSchema = z
  .object({
    viewId: z.string().min(1).max(64),
    requestedBy: z.string().regex(/^[UW][A-Z0-9]+$/),
    teamId: z.string().max(64).nullable(),
    channelId: z
      .string()
      .regex(/^[CGD][A-Z0-9]+$/)
      .nullable(),
    title: z.string().trim().min(1).max(255),
    serviceId: z.string().regex(/^[A-Za-z0-9]{1,64}$/),
    urgency: z.enum(['high', 'low']),
    priority: z.string().max(100).nullable(),
    description: z.string().max(3000).nullable(),
    createChannel: z.boolean(),
  })
  .strict();
export type DeclareJob = z.infer<typeof DeclareJobSchema>;

const RETRYABLE = new Set<string>([ErrorCode.PagerDutyUnavailable, ErrorCode.Timeout]);

export function declareJobHandler(deps: ListenerDeps): JobHandler {
  return defineJobHandler(DeclareJobSchema, async (job, ctx) => {
    const { services, rt } = deps;
    const where = job.channelId && !job.channelId.startsWith('D') ? job.channelId : (rt.slack.defaultChannel ?? null);
    const tell = (payload: Parameters<typeof services.poster.ephemeral>[2]): Promise<void> =>
      services.poster.ephemeral(where ?? job.channelId, job.requestedBy, payload);
    const key = `slack:declared:${job.viewId}`;
    if (!(await rt.store.processedKeys.claimOnce(key))) return;

    // PagerDuty's dedup key for this form: a retry after a lost answer finds the incident the first attempt
    // created (and PagerDuty itself refuses a second open one), so nobody is paged twice.
    const incidentKey = `slack-declare-${job.viewId}`;
    let incident: z.infer<typeof IncidentShape>;
    try {
      const actor = await services.identity.actorFor(job.requestedBy);
      const earlier =
        ctx.attempt > 1
          ? IncidentListShape.parse(
              await services.runner.read('list_incidents', {
                statuses: ['triggered', 'acknowledged', 'resolved'],
                service_ids: [job.serviceId],
                incident_key: incidentKey,
                limit: 1,
              }),
            ).items[0]
          : undefined;
      const input: Record<string, unknown> = {
        title: job.title,
        service_id: job.serviceId,
        urgency: job.urgency,
        incident_key: incidentKey,
      };
      if (job.description) input.body = job.description;
      if (job.priority) input.priority = job.priority;
      incident = earlier ?? IncidentShape.parse(await services.runner.write('create_incident', input, actor));
    } catch (error) {
      const e = asAppError(error);
      if (RETRYABLE.has(e.code) && ctx.attempt < ctx.maxAttempts) {
        await rt.store.processedKeys.release(key);
        throw error;
      }
      await tell(errorNotice('declare the incident', error));
      return;
    }
    services.resolver.remember(incident.number, incident.id);
    const label = incidentLabel(incident);

    if (where) {
      try {
        await services.cards.post(incident.id, where, { primary: true, teamId: job.teamId });
      } catch (error) {
        await tell(errorNotice(`post the card of ${label} (it was declared in PagerDuty)`, error));
      }
    } else {
      await tell(
        buildNotice(
          'success',
          `Declared ${label} in PagerDuty. Set SLACK_DEFAULT_CHANNEL to get its card in a channel.`,
        ),
      );
    }

    if (job.createChannel) {
      try {
        const { channelId } = await services.channels.open(incident.id, { requestedBy: job.requestedBy });
        if (!where) await tell(buildNotice('info', `Incident channel: ${channelMention(channelId)}`));
      } catch (error) {
        await tell(errorNotice(`open the incident channel of ${label}`, error));
      }
    }

    const triageIn = where ?? (await rt.store.incidentLinks.get(incident.id))?.incidentChannelId ?? null;
    if (triageIn) {
      await services.aiPosts
        .start(
          'triage',
          { incidentId: incident.id, channel: triageIn, requestedBy: job.requestedBy },
          { primaryThread: true },
        )
        .catch((error: unknown) => rt.logger.warn({ err: error, incidentId: incident.id }, 'triage not started'));
    }
  });
}
