import { AppError, ErrorCode } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { eventEnvelope, type InboundSender } from './inbound.js';
import type { InboundResult } from './types.js';
import type { BotEventSink } from './web-api/context.js';
import type { Workspace } from './workspace.js';

export interface EventDispatcher extends BotEventSink {
  /** Delivers an event a person caused (remembered for redelivery); undefined when the bot is not subscribed to it. */
  fromUser(event: Record<string, unknown>, channelId: string | undefined): Promise<InboundResult | undefined>;
  /** Re-sends the last person-caused envelope (same event_id) with Slack's retry headers. */
  redeliverLast(retry: { num: number; reason: string }): Promise<InboundResult>;
  /** Resolves when every queued delivery has been attempted. */
  idle(): Promise<void>;
}

/** Whether the bot itself authored the event (its own message, edit, deletion or reaction). */
function isOwnEcho(ws: Workspace, event: Record<string, unknown>): boolean {
  if (event.type === 'message') {
    const inner = (event.message ?? event.previous_message ?? event) as Record<string, unknown>;
    return inner.bot_id === ws.bot.botId || event.bot_id === ws.bot.botId || event.user === ws.bot.userId;
  }
  if (event.type === 'reaction_added' || event.type === 'channel_archive') return event.user === ws.bot.userId;
  return false;
}

/**
 * Events API delivery, in order (one queue), only for channels the bot is in — as Slack does for the
 * `message.channels` / `message.groups` / `app_mention` / `reaction_added` / `member_joined_channel` subscriptions.
 * The bot's own messages come back to it (with `bot_id`) when `echoBotMessages` is on, as in Slack; Bolt's
 * `ignoreSelf` middleware drops them. Failed deliveries are recorded, not retried: call `redeliverLast` to
 * play Slack's retry.
 */
export function createEventDispatcher(options: {
  ws: Workspace;
  sender: InboundSender;
  echoBotMessages: boolean;
  /** Whether the app has a request URL; without one Slack has nowhere to send the bot's echoes. */
  hasRequestUrl(): boolean;
  logger: Logger;
}): EventDispatcher {
  const { ws, sender } = options;
  let queue: Promise<unknown> = Promise.resolve();
  let lastUserEnvelope: Record<string, unknown> | undefined;

  const subscribed = (channelId: string | undefined): boolean => {
    if (channelId === undefined) return true;
    const channel = ws.channels.get(channelId);
    return channel?.members.includes(ws.bot.userId) === true;
  };

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch((error: unknown) => {
      options.logger.error({ err: error }, 'slack emulator: event delivery failed');
    });
    return run;
  };

  const deliver = (envelope: Record<string, unknown>): Promise<InboundResult> =>
    sender.send({
      kind: 'event_callback',
      payload: envelope,
      encoding: 'json',
      eventId: String(envelope.event_id),
    });

  return {
    fromBot(event, channelId) {
      if (!options.hasRequestUrl() || (!options.echoBotMessages && isOwnEcho(ws, event))) return;
      void enqueue(async () => {
        if (!subscribed(channelId)) return undefined;
        return deliver(eventEnvelope(ws, event));
      });
    },
    fromUser(event, channelId) {
      return enqueue(async () => {
        if (!subscribed(channelId)) return undefined;
        const envelope = eventEnvelope(ws, event);
        lastUserEnvelope = envelope;
        return deliver(envelope);
      });
    },
    redeliverLast(retry) {
      const envelope = lastUserEnvelope;
      if (envelope === undefined) {
        return Promise.reject(
          new AppError(ErrorCode.InvalidInput, 'no event to redeliver: no person-caused event was sent yet'),
        );
      }
      return enqueue(() =>
        sender.send({
          kind: 'event_callback',
          payload: envelope,
          encoding: 'json',
          eventId: String(envelope.event_id),
          retry,
        }),
      );
    },
    async idle() {
      let current: Promise<unknown>;
      do {
        current = queue;
        await current;
      } while (current !== queue);
    },
  };
}
