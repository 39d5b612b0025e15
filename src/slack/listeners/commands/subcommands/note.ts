/** `/incident note [incident] <text>`: a PagerDuty note, attributed to the person. */
import type { IncidentRef } from '../../../command-parser.js';
import { slackToPlain } from '../../../text.js';
import { writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

export async function noteSubcommand(ctx: CommandContext, ref: IncidentRef, text: string): Promise<void> {
  const incidentId = await ctx.incident(ref);
  const actor = await ctx.deps.services.identity.actorFor(ctx.userId);
  await writeAndRefresh(
    ctx.deps,
    'add_incident_note',
    { incident_id: incidentId, content: slackToPlain(text) },
    actor,
    incidentId,
  );
  await ctx.ok('Note added to the PagerDuty incident.');
}
