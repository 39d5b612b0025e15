/**
 * Timeline capture: messages in incident channels (and in card threads) become the incident's timeline, edits
 * and deletions follow. Bot messages and the bot's own posts are not captured.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { slackToPlain } from '../../text.js';
import type { ListenerDeps } from '../shared.js';
import { onEvent } from './event-context.js';

const CAPTURED_SUBTYPES = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message']);

const MessageEvent = z.looseObject({
  channel: z.string(),
  ts: z.string().optional(),
  subtype: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  text: z.string().optional(),
  thread_ts: z.string().optional(),
  message: z
    .looseObject({
      ts: z.string(),
      text: z.string().optional(),
      user: z.string().optional(),
      bot_id: z.string().optional(),
      thread_ts: z.string().optional(),
    })
    .optional(),
  previous_message: z.looseObject({ ts: z.string(), thread_ts: z.string().optional() }).optional(),
  deleted_ts: z.string().optional(),
});

export function registerChannelMessages(app: App, deps: ListenerDeps): void {
  const { store } = deps.rt;
  const incidentOf = (channel: string, threadTs: string | undefined) =>
    deps.services.resolver.implied({ channelId: channel, threadTs: threadTs ?? null });

  onEvent(app, deps, 'message', async (raw, meta) => {
    const parsed = MessageEvent.safeParse(raw);
    if (!parsed.success) return;
    const e = parsed.data;
    if (e.subtype === 'message_changed' && e.message) {
      if (e.message.bot_id) return;
      const incidentId = await incidentOf(e.channel, e.message.thread_ts);
      if (incidentId)
        await store.timeline.edit(incidentId, 'message', e.message.ts, slackToPlain(e.message.text ?? ''));
      return;
    }
    if (e.subtype === 'message_deleted') {
      const ts = e.deleted_ts ?? e.previous_message?.ts;
      const incidentId = ts ? await incidentOf(e.channel, e.previous_message?.thread_ts) : null;
      if (incidentId && ts) await store.timeline.remove(incidentId, 'message', ts);
      return;
    }
    if (!CAPTURED_SUBTYPES.has(e.subtype) || e.bot_id || !e.user || !e.ts) return;
    // Questions to the bot are answered in a thread; they are not part of the incident's story.
    if (meta.botUserId && (e.text ?? '').includes(`<@${meta.botUserId}`)) return;
    const text = slackToPlain(e.text ?? '').trim();
    if (text === '') return;
    const incidentId = await incidentOf(e.channel, e.thread_ts);
    if (!incidentId) return;
    await store.timeline.append({
      incidentId,
      source: 'message',
      ts: e.ts,
      text,
      channelId: e.channel,
      authorId: e.user,
      authorName: await deps.services.people.displayName(e.user),
    });
  });
}
