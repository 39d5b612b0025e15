import { type BlockSurface, validateBlocks } from '../blockkit.js';
import { type IdGenerator, parseTs } from '../ids.js';
import { withGeneratedIds } from '../payloads.js';
import type { RateLimiter } from '../rate-limit.js';
import type { TriggerRegistry } from '../triggers.js';
import type { Channel, Message } from '../types.js';
import type { Workspace } from '../workspace.js';
import { slackError } from './args.js';

/** Events the bot's own Web API calls cause (echoes of its messages, members joining…), delivered asynchronously. */
export interface BotEventSink {
  fromBot(event: Record<string, unknown>, channelId: string): void;
}

export interface MethodContext {
  ws: Workspace;
  /** The emulator's base URL (`http://127.0.0.1:PORT/`), for permalinks. */
  baseUrl: string;
  triggers: TriggerRegistry;
  /** chat.postMessage per-channel limiter; undefined when rate limiting is off. */
  postLimiter: RateLimiter | undefined;
  events: BotEventSink;
}

/** A method returns the success body without `ok`; failures throw `slackError(...)`. */
export type MethodHandler = (ctx: MethodContext, args: Record<string, unknown>) => Record<string, unknown>;

export interface MethodSpec {
  /** OAuth scope the bot token needs. */
  scope?: string;
  handler: MethodHandler;
}

/** Slack's text limit: longer texts are refused with msg_too_long. */
export const MAX_TEXT_LENGTH = 40_000;

/** A channel by id or name (and, for chat methods, a user id meaning the DM with that user). */
export function resolveChannel(ctx: MethodContext, ref: string, options: { allowUser?: boolean } = {}): Channel {
  const { ws } = ctx;
  if (options.allowUser && /^[UW]/.test(ref) && ws.users.has(ref)) return ws.imWith(ref);
  const channel = ws.findChannel(ref);
  if (!channel) throw slackError('channel_not_found');
  // Private channels the bot is not in do not exist for it.
  if (channel.isPrivate && !channel.members.includes(ws.bot.userId)) throw slackError('channel_not_found');
  return channel;
}

export function isBotMember(ctx: MethodContext, channel: Channel): boolean {
  return channel.members.includes(ctx.ws.bot.userId);
}

/** `not_in_channel` unless the bot is a member. */
export function requireMember(ctx: MethodContext, channel: Channel): void {
  if (!isBotMember(ctx, channel)) throw slackError('not_in_channel');
}

/** Posting needs membership, or chat:write.public for public channels. */
export function requireCanPost(ctx: MethodContext, channel: Channel): void {
  if (channel.isArchived) throw slackError('is_archived');
  if (isBotMember(ctx, channel)) return;
  if (!channel.isPrivate && ctx.ws.bot.scopes.has('chat:write.public')) return;
  throw slackError('not_in_channel');
}

/**
 * Checks `text` / `blocks` / `attachments` as chat.postMessage does; returns the message content fields, with the
 * block_id / action_id values Slack generates for blocks that have none.
 */
export function messageContent(
  args: { text?: string | undefined; blocks?: unknown; attachments?: unknown },
  ids: IdGenerator,
  surface: BlockSurface = 'message',
): Pick<Message, 'text' | 'blocks' | 'attachments'> {
  const text = args.text ?? '';
  const hasBlocks = Array.isArray(args.blocks) && args.blocks.length > 0;
  const hasAttachments = Array.isArray(args.attachments) && args.attachments.length > 0;
  if (args.blocks !== undefined) {
    if (!Array.isArray(args.blocks)) throw slackError('invalid_blocks_format');
    const problems = validateBlocks(args.blocks, surface);
    if (problems.length > 0) {
      throw slackError('invalid_blocks', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
    }
  }
  if (args.attachments !== undefined && !Array.isArray(args.attachments)) throw slackError('invalid_attachments');
  if (text.trim() === '' && !hasBlocks && !hasAttachments) throw slackError('no_text');
  if ([...text].length > MAX_TEXT_LENGTH) throw slackError('msg_too_long');
  return {
    text,
    ...(hasBlocks ? { blocks: withGeneratedIds(args.blocks as unknown[], ids) } : {}),
    ...(hasAttachments ? { attachments: args.attachments as unknown[] } : {}),
  };
}

/** A message of the channel by ts; `bad_timestamp` when malformed, `message_not_found` when absent. */
export function requireMessage(ctx: MethodContext, channel: Channel, ts: string): Message {
  if (parseTs(ts) === undefined) throw slackError('bad_timestamp');
  const message = ctx.ws.findMessage(channel.id, ts);
  if (!message || message.subtype === 'tombstone') throw slackError('message_not_found');
  return message;
}

/** Whether the message was posted by this app's bot. */
export function isOwnMessage(ctx: MethodContext, message: Message): boolean {
  return message.bot_id === ctx.ws.bot.botId;
}

/** Fields every message the bot posts carries. */
export function botAuthor(ctx: MethodContext): Pick<Message, 'user' | 'bot_id' | 'app_id' | 'team' | 'bot_profile'> {
  const { ws } = ctx;
  return {
    user: ws.bot.userId,
    bot_id: ws.bot.botId,
    app_id: ws.bot.appId,
    team: ws.team.id,
    bot_profile: ws.botProfile(),
  };
}

/** `https://…/archives/C…/p1700000000000100`, served by the emulator (it opens the console on the message). */
export function permalink(ctx: MethodContext, message: Message): string {
  const base = `${ctx.baseUrl}archives/${message.channel}/p${message.ts.replace('.', '')}`;
  if (message.thread_ts !== undefined && message.thread_ts !== message.ts) {
    return `${base}?thread_ts=${message.thread_ts}&cid=${message.channel}`;
  }
  return base;
}
