/** `/incident resolve [incident] [note]`: the resolve modal (a confirmation), prefilled with the note. */
import type { IncidentRef } from '../../../command-parser.js';
import { openResolveModal } from '../../modal-openers.js';
import type { CommandContext } from '../command-context.js';

export async function resolveSubcommand(ctx: CommandContext, ref: IncidentRef, note: string | null): Promise<void> {
  await ctx.deps.services.identity.requireResponder(ctx.userId, 'resolve incidents');
  await openResolveModal(ctx.deps, ctx.triggerId, () => ctx.incident(ref), { channelId: ctx.channelId }, note);
}
