/** `/incident reassign [incident] [@user]`: directly to a mentioned person, or through the reassign modal. */
import { IncidentShape } from '../../../../tools/shapes.js';
import { incidentLabel } from '../../../blocks/incident-card.js';
import type { IncidentRef } from '../../../command-parser.js';
import { userMention } from '../../../text.js';
import { openReassignModal } from '../../modal-openers.js';
import { pagerDutyUserFor, writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

export async function reassignSubcommand(
  ctx: CommandContext,
  ref: IncidentRef,
  slackUserId: string | null,
): Promise<void> {
  if (!slackUserId) {
    await openReassignModal(ctx.deps, ctx.triggerId, () => ctx.incident(ref), { channelId: ctx.channelId });
    return;
  }
  const incidentId = await ctx.incident(ref);
  const { identity } = ctx.deps.services;
  const actor = await identity.actorFor(ctx.userId);
  const assignee = await pagerDutyUserFor(ctx.deps, slackUserId);
  const out = IncidentShape.parse(
    await writeAndRefresh(
      ctx.deps,
      'reassign_incident',
      { incident_id: incidentId, user_ids: [assignee] },
      actor,
      incidentId,
    ),
  );
  await ctx.ok(`Reassigned ${incidentLabel(out)} to ${userMention(slackUserId)}.`);
}
