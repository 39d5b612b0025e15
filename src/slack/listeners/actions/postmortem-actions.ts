/** Postmortem post buttons: Regenerate (a fresh draft in the same thread) and Export Markdown (a modal to copy). */
import type { App } from '@slack/bolt';
import { PostmortemResultSchema } from '../../../ai/contract.js';
import { decodeIncidentId } from '../../action-values.js';
import { buildExportModal } from '../../blocks/modals.js';
import { ActionId } from '../../ids.js';
import { fetchIncident, toBrief, toIncidentView } from '../../incident-view.js';
import { loadingModal, openThenLoad } from '../modal-openers.js';
import { claim, dedupeKey, type ListenerDeps } from '../shared.js';
import { onAction } from './action-context.js';

export function registerRegeneratePostmortem(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.regeneratePostmortem, 'regenerate the postmortem', async (ctx) => {
    const incidentId = decodeIncidentId(ctx.value);
    if (!ctx.channelId) return;
    const minute = Math.floor(deps.rt.clock.now() / 60_000);
    if (!(await claim(deps, dedupeKey('regenerate', incidentId, ctx.messageTs, minute)))) return;
    await deps.services.aiPosts.start('postmortem', { incidentId, channel: ctx.channelId, requestedBy: ctx.userId });
  });
}

export function registerExportPostmortem(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.exportPostmortem, 'export the postmortem', async (ctx) => {
    const incidentId = decodeIncidentId(ctx.value);
    if (!ctx.triggerId) throw new Error('Slack sent no trigger id, so the export cannot be shown');
    await openThenLoad(
      deps,
      ctx.triggerId,
      loadingModal('Postmortem Markdown', '⏳ Preparing the Markdown…'),
      'export the postmortem',
      async () => {
        const [incident, out] = await Promise.all([
          fetchIncident(deps.services.runner, incidentId),
          deps.services.runner.read('generate_postmortem', { incident_id: incidentId }),
        ]);
        const candidate = (out as { result?: unknown })?.result ?? out;
        const pm = PostmortemResultSchema.parse(candidate);
        return buildExportModal(toBrief(toIncidentView(incident)), pm.markdown);
      },
    );
  });
}
