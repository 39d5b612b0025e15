/** Publishing a status update: PagerDuty first (attributed), then the card's thread and the incident channel. */

import type { Actor } from '../../tools/define-tool.js';
import { buildStatusUpdatePost } from '../blocks/status-update-post.js';
import { fetchIncident, toBrief, toIncidentView } from '../incident-view.js';
import { type ListenerDeps, writeAndRefresh } from './shared.js';

export async function publishStatusUpdate(
  deps: ListenerDeps,
  incidentId: string,
  message: string,
  actor: Actor,
  fromChannel: string | null,
): Promise<void> {
  await writeAndRefresh(deps, 'post_status_update', { incident_id: incidentId, message }, actor, incidentId);
  const brief = toBrief(toIncidentView(await fetchIncident(deps.services.runner, incidentId)));
  const post = buildStatusUpdatePost(brief, message, actor.slackUserId ?? '');
  const where = await deps.services.cards.threadFor(incidentId, fromChannel);
  if (where) await deps.services.poster.post(where.channel, post, { threadTs: where.ts });
  const link = await deps.rt.store.incidentLinks.get(incidentId);
  if (link?.incidentChannelId && link.incidentChannelId !== where?.channel) {
    await deps.services.poster.post(link.incidentChannelId, post);
  }
}
