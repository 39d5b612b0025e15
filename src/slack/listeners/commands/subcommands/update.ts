/**
 * `/incident update [incident] [text]`: a stakeholder status update to PagerDuty and the incident's thread and
 * channel. Without text, an editor opens with an AI draft from `analyze_incident`.
 */
import { AnalyzeResultSchema } from '../../../../ai/contract.js';
import { draftStatusUpdate } from '../../../blocks/status-update-draft.js';
import type { IncidentRef } from '../../../command-parser.js';
import { slackToPlain } from '../../../text.js';
import { openStatusUpdateModal } from '../../modal-openers.js';
import type { ListenerDeps } from '../../shared.js';
import { publishStatusUpdate } from '../../status-update.js';
import type { CommandContext } from '../command-context.js';

/** The AI draft for an incident (analysis → plain-text update). */
export async function statusDraft(
  deps: ListenerDeps,
  incident: Parameters<typeof draftStatusUpdate>[0],
): Promise<string> {
  const out = await deps.services.runner.read('analyze_incident', { incident_id: incident.id });
  const candidate = (out as { result?: unknown })?.result ?? out;
  return draftStatusUpdate(incident, AnalyzeResultSchema.parse(candidate));
}

export async function updateSubcommand(ctx: CommandContext, ref: IncidentRef, text: string | null): Promise<void> {
  if (!text) {
    await openStatusUpdateModal(
      ctx.deps,
      ctx.triggerId,
      () => ctx.incident(ref),
      { channelId: ctx.channelId },
      (b) => statusDraft(ctx.deps, b),
    );
    return;
  }
  const incidentId = await ctx.incident(ref);
  const actor = await ctx.deps.services.identity.actorFor(ctx.userId);
  await publishStatusUpdate(ctx.deps, incidentId, slackToPlain(text), actor, ctx.channelId);
  await ctx.ok('Status update sent to PagerDuty and posted in the incident thread.');
}
