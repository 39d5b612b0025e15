/**
 * `/incident show [incident]` (and the list's "Show card" button): posts the live card here when the incident has
 * none yet; otherwise refreshes the live card and shows the person a copy with a link to where it lives.
 */
import { buildNotice } from '../../../blocks/notice.js';
import { channelMention } from '../../../text.js';
import type { ListenerDeps } from '../../shared.js';

export async function showIncident(
  deps: ListenerDeps,
  incidentId: string,
  where: { channelId: string; userId: string; teamId: string | null },
): Promise<void> {
  const { cards, poster } = deps.services;
  const link = await deps.rt.store.incidentLinks.get(incidentId);
  if (!link?.messageTs || !link.channelId) {
    await cards.post(incidentId, where.channelId, { primary: true, teamId: where.teamId });
    return;
  }
  await cards.refresh(incidentId);
  const card = await cards.render(incidentId);
  deps.services.resolver.remember(card.view.number, card.view.id);
  const here = await cards.cardIn(incidentId, where.channelId);
  let permalink: string | null = null;
  try {
    const res = (await deps.rt.client.chat.getPermalink({ channel: link.channelId, message_ts: link.messageTs })) as {
      permalink?: string;
    };
    permalink = res.permalink ?? null;
  } catch {
    permalink = null;
  }
  const pointer = here
    ? 'The live card is in this channel.'
    : `The live card is in ${channelMention(link.channelId)}${permalink && /^https?:\/\/[^\s<>|]+$/.test(permalink) ? ` (<${permalink}|open it>)` : ''}.`;
  await poster.ephemeral(where.channelId, where.userId, {
    text: card.payload.text,
    blocks: [...card.payload.blocks, ...buildNotice('info', pointer).blocks],
  });
}
