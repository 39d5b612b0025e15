/** Someone joins an incident channel: they get the current card (ephemeral) and how to catch up. */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { buildNotice } from '../../blocks/notice.js';
import type { ListenerDeps } from '../shared.js';
import { onEvent } from './event-context.js';

const JoinEvent = z.looseObject({ user: z.string(), channel: z.string() });

export function registerMemberJoined(app: App, deps: ListenerDeps): void {
  onEvent(app, deps, 'member_joined_channel', async (raw, meta) => {
    const parsed = JoinEvent.safeParse(raw);
    if (!parsed.success || parsed.data.user === meta.botUserId) return;
    const { user, channel } = parsed.data;
    const link = await deps.rt.store.incidentLinks.findByIncidentChannel(channel);
    if (!link) return;
    const card = await deps.services.cards.render(link.incidentId);
    const mention = meta.botUserId ? `<@${meta.botUserId}>` : 'me';
    await deps.services.poster.ephemeral(channel, user, {
      text: `Welcome to the incident channel. ${card.payload.text}`,
      blocks: [
        ...buildNotice('info', `Welcome! Here is where the incident stands. Ask ${mention} “summary” to catch up.`)
          .blocks,
        ...card.payload.blocks,
      ],
    });
  });
}
