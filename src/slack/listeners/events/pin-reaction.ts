/**
 * 📌 on a message in an incident channel (or a card thread) adds it to the PagerDuty incident as a note,
 * attributed to the person who pinned it, once per message however many people pin it. People without a
 * PagerDuty account get an explanation and nothing is written.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { buildNotice } from '../../blocks/notice.js';
import { PIN_REACTION } from '../../ids.js';
import { slackToPlain, userMention } from '../../text.js';
import { claim, dedupeKey, errorNotice, type ListenerDeps, mayHaveWritten, writeAndRefresh } from '../shared.js';
import { onEvent } from './event-context.js';

const ReactionEvent = z.looseObject({
  user: z.string(),
  reaction: z.string(),
  item: z.looseObject({ type: z.string(), channel: z.string().optional(), ts: z.string().optional() }),
  item_user: z.string().optional(),
});

const HistorySchema = z.looseObject({
  messages: z
    .array(
      z.looseObject({
        ts: z.string(),
        text: z.string().optional(),
        user: z.string().optional(),
        thread_ts: z.string().optional(),
      }),
    )
    .optional(),
});

export function registerPinReaction(app: App, deps: ListenerDeps): void {
  onEvent(app, deps, 'reaction_added', async (raw) => {
    const parsed = ReactionEvent.safeParse(raw);
    if (!parsed.success) return;
    const e = parsed.data;
    if (e.reaction !== PIN_REACTION || e.item.type !== 'message' || !e.item.channel || !e.item.ts) return;
    const channel = e.item.channel;
    const ts = e.item.ts;
    const message = await findMessage(deps, channel, ts);
    const incidentId = await deps.services.resolver.implied({
      channelId: channel,
      threadTs: message?.thread_ts ?? null,
    });
    if (!incidentId) return;
    const release = await claim(deps, dedupeKey('pin', channel, ts));
    if (!release) return;
    try {
      const text = message ? slackToPlain(message.text ?? '').trim() : '';
      if (text === '') throw new Error('the pinned message has no text I can read');
      const actor = await deps.services.identity.actorFor(e.user);
      const author = message?.user ? await deps.services.people.displayName(message.user) : 'someone';
      const content = `📌 From Slack, written by ${author}: ${text}`.slice(0, 25_000);
      await writeAndRefresh(deps, 'add_incident_note', { incident_id: incidentId, content }, actor, incidentId);
      await deps.rt.store.timeline.append({
        incidentId,
        source: 'pin',
        ts,
        text,
        channelId: channel,
        authorId: message?.user ?? null,
        authorName: author,
      });
      await deps.services.poster.post(
        channel,
        buildNotice('success', `Added to the PagerDuty incident notes by ${userMention(e.user)}.`),
        { threadTs: message?.thread_ts ?? ts },
      );
    } catch (error) {
      if (!mayHaveWritten(error)) await release();
      await deps.services.poster.ephemeral(
        channel,
        e.user,
        errorNotice('add the pinned message as a PagerDuty note', error),
      );
    }
  });
}

async function findMessage(
  deps: ListenerDeps,
  channel: string,
  ts: string,
): Promise<{ text?: string; user?: string; thread_ts?: string } | null> {
  try {
    const history = HistorySchema.parse(
      await deps.rt.client.conversations.history({ channel, latest: ts, oldest: ts, inclusive: true, limit: 1 }),
    );
    const top = history.messages?.find((m) => m.ts === ts);
    if (top) return top;
  } catch (error) {
    deps.rt.logger.warn({ err: error }, 'conversations.history failed for a pinned message');
  }
  try {
    // A reply in a thread: conversations.replies accepts the ts of any message in the thread.
    const thread = HistorySchema.parse(await deps.rt.client.conversations.replies({ channel, ts, limit: 200 }));
    return thread.messages?.find((m) => m.ts === ts) ?? null;
  } catch (error) {
    deps.rt.logger.warn({ err: error }, 'conversations.replies failed for a pinned message');
  }
  return null;
}
