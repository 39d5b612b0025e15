/** `/incident role [incident] <commander|comms|scribe> <@user>`: shown on the card and in the channel topic. */
import { buildNotice } from '../../../blocks/notice.js';
import type { IncidentRef, Role } from '../../../command-parser.js';
import { userMention } from '../../../text.js';
import { refreshQuietly } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

const LABEL: Record<Role, string> = { commander: 'incident commander', comms: 'communications lead', scribe: 'scribe' };
const FIELD = { commander: 'commanderUserId', comms: 'commsUserId', scribe: 'scribeUserId' } as const;

export async function roleSubcommand(
  ctx: CommandContext,
  ref: IncidentRef,
  role: Role,
  slackUserId: string,
): Promise<void> {
  const incidentId = await ctx.incident(ref);
  const { deps } = ctx;
  await deps.rt.store.incidentLinks.upsert(incidentId, { [FIELD[role]]: slackUserId });
  await refreshQuietly(deps, incidentId);
  const text = `${userMention(slackUserId)} is now the ${LABEL[role]} (set by ${userMention(ctx.userId)}).`;
  const where = await deps.services.cards.threadFor(incidentId, ctx.channelId);
  if (where) await deps.services.poster.post(where.channel, buildNotice('info', text), { threadTs: where.ts });
  const link = await deps.rt.store.incidentLinks.get(incidentId);
  if (link?.incidentChannelId && link.incidentChannelId !== where?.channel) {
    await deps.services.poster.post(link.incidentChannelId, buildNotice('info', text));
  }
  if (!where) await ctx.ok(text);
}
