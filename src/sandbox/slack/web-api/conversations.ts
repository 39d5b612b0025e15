import { z } from 'zod';
import { parseTs } from '../ids.js';
import type { Channel, Message } from '../types.js';
import { channelObject, wireMessage } from '../workspace.js';
import { csv, flag, id, int, paginate, parseArgs, slackError } from './args.js';
import { messageEvent } from './chat.js';
import { botAuthor, type MethodContext, type MethodSpec, requireMember, resolveChannel } from './context.js';

/** Slack's channel-name rules: lower-case letters, digits, `-` and `_`, at most 80 characters. */
export const MAX_CHANNEL_NAME = 80;
export const MAX_TOPIC_LENGTH = 250;

/** Why a channel name is refused, or undefined when Slack accepts it. */
export function channelNameError(name: string): string | undefined {
  if (name === '') return 'invalid_name_required';
  if ([...name].length > MAX_CHANNEL_NAME) return 'invalid_name_maxlength';
  if (!/^[a-z0-9_-]+$/.test(name)) return 'invalid_name_specials';
  if (!/[a-z0-9]/.test(name)) return 'invalid_name_punctuation';
  return undefined;
}

function info(ctx: MethodContext, channel: Channel, numMembers = false): Record<string, unknown> {
  return channelObject(channel, ctx.ws.bot.userId, { numMembers });
}

/** A system message (`channel_join`, `channel_topic`, …) authored by `user`. */
function systemMessage(ctx: MethodContext, channel: Channel, user: string, subtype: string, text: string): Message {
  return ctx.ws.insertMessage(channel.id, { user, subtype, text, team: ctx.ws.team.id });
}

/**
 * A person or the bot joins: adds the member and the `channel_join` system message, and returns the two events Slack
 * sends subscribers (the message, and `member_joined_channel`); the caller delivers them.
 */
export function recordJoin(
  ctx: MethodContext,
  channel: Channel,
  userId: string,
  inviter?: string,
): { message: Record<string, unknown>; memberJoined: Record<string, unknown> } {
  if (!channel.members.includes(userId)) channel.members.push(userId);
  const message = systemMessage(ctx, channel, userId, 'channel_join', `<@${userId}> has joined the channel`);
  if (inviter !== undefined) message.inviter = inviter;
  ctx.ws.emit({ type: 'channel', channel: channel.id });
  const eventTs = ctx.ws.ids.ts(ctx.ws.clock.now());
  return {
    message: messageEvent(message, channel),
    memberJoined: {
      type: 'member_joined_channel',
      user: userId,
      channel: channel.id,
      channel_type: channel.isPrivate ? 'G' : 'C',
      team: ctx.ws.team.id,
      ...(inviter !== undefined ? { inviter } : {}),
      event_ts: eventTs,
    },
  };
}

function joinedByBot(ctx: MethodContext, channel: Channel, userId: string, inviter?: string): void {
  const events = recordJoin(ctx, channel, userId, inviter);
  ctx.events.fromBot(events.message, channel.id);
  ctx.events.fromBot(events.memberJoined, channel.id);
}

const createArgs = z.object({ name: z.string(), is_private: flag.optional(), team_id: z.string().optional() });

const create: MethodSpec = {
  scope: 'channels:manage',
  handler(ctx, raw) {
    const args = parseArgs(createArgs, raw);
    const problem = channelNameError(args.name);
    if (problem) throw slackError(problem);
    if (ctx.ws.findChannel(args.name)) throw slackError('name_taken');
    const channel = ctx.ws.createChannel({
      name: args.name,
      isPrivate: args.is_private === true,
      creator: ctx.ws.bot.userId,
      members: [ctx.ws.bot.userId],
    });
    ctx.ws.emit({ type: 'channel', channel: channel.id });
    return { channel: info(ctx, channel) };
  },
};

const inviteArgs = z.object({ channel: id, users: csv, force: flag.optional() });

const invite: MethodSpec = {
  scope: 'channels:manage',
  handler(ctx, raw) {
    const args = parseArgs(inviteArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    if (channel.isIm) throw slackError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw slackError('is_archived');
    requireMember(ctx, channel);
    if (args.users.length === 0) throw slackError('no_user');
    if (args.users.length > 1000) throw slackError('too_many_users');
    const errors: Array<{ user: string; ok: false; error: string }> = [];
    const toAdd: string[] = [];
    for (const userId of args.users) {
      const user = ctx.ws.users.get(userId);
      if (!user || user.deleted) errors.push({ user: userId, ok: false, error: 'user_not_found' });
      else if (userId === ctx.ws.bot.userId) errors.push({ user: userId, ok: false, error: 'cant_invite_self' });
      else if (channel.members.includes(userId)) errors.push({ user: userId, ok: false, error: 'already_in_channel' });
      else toAdd.push(userId);
    }
    if (toAdd.length === 0) {
      const first = errors[0]?.error ?? 'no_user';
      throw slackError(first, errors.length > 1 ? { errors } : {});
    }
    for (const userId of toAdd) joinedByBot(ctx, channel, userId, ctx.ws.bot.userId);
    return { channel: info(ctx, channel), ...(errors.length > 0 ? { errors } : {}) };
  },
};

const channelArgs = z.object({ channel: id });

const join: MethodSpec = {
  scope: 'channels:join',
  handler(ctx, raw) {
    const args = parseArgs(channelArgs, raw);
    const channel = ctx.ws.findChannel(args.channel);
    if (!channel) throw slackError('channel_not_found');
    if (channel.isPrivate || channel.isIm) throw slackError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw slackError('is_archived');
    if (channel.members.includes(ctx.ws.bot.userId)) {
      return {
        channel: info(ctx, channel),
        warning: 'already_in_channel',
        response_metadata: { warnings: ['already_in_channel'] },
      };
    }
    joinedByBot(ctx, channel, ctx.ws.bot.userId);
    return { channel: info(ctx, channel) };
  },
};

function topicOrPurpose(field: 'topic' | 'purpose'): MethodSpec {
  const schema = z.object({ channel: id, [field]: z.string() });
  return {
    scope: 'channels:manage',
    handler(ctx, raw) {
      const args = parseArgs(schema, raw) as { channel: string } & Record<string, string>;
      const value = args[field] ?? '';
      const channel = resolveChannel(ctx, args.channel);
      if (channel.isArchived) throw slackError('is_archived');
      requireMember(ctx, channel);
      if ([...value].length > MAX_TOPIC_LENGTH) throw slackError('too_long');
      channel[field] = { value, creator: ctx.ws.bot.userId, last_set: ctx.ws.nowSeconds() };
      const message = ctx.ws.insertMessage(channel.id, {
        ...botAuthor(ctx),
        subtype: `channel_${field}`,
        [field]: value,
        text: value === '' ? `cleared the channel ${field}` : `set the channel ${field}: ${value}`,
      });
      ctx.ws.emit({ type: 'channel', channel: channel.id });
      ctx.events.fromBot(messageEvent(message, channel), channel.id);
      return { channel: info(ctx, channel) };
    },
  };
}

const infoArgs = z.object({
  channel: id,
  include_num_members: flag.optional(),
  include_locale: flag.optional(),
});

const conversationsInfo: MethodSpec = {
  scope: 'channels:read',
  handler(ctx, raw) {
    const args = parseArgs(infoArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    return { channel: info(ctx, channel, args.include_num_members === true) };
  },
};

const pageArgs = { cursor: z.string().optional(), limit: int.optional() };

function limitOf(limit: number | undefined, fallback: number, max: number): number {
  if (limit === undefined || limit <= 0) return fallback;
  return Math.min(limit, max);
}

const membersArgs = z.object({ channel: id, ...pageArgs });

const members: MethodSpec = {
  scope: 'channels:read',
  handler(ctx, raw) {
    const args = parseArgs(membersArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    const { page, response_metadata } = paginate(channel.members, args.cursor, limitOf(args.limit, 100, 1000));
    return { members: page, response_metadata };
  },
};

/** Top-level messages of a channel (and thread broadcasts), as history lists them. */
export function channelTimeline(messages: readonly Message[]): Message[] {
  return messages.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts || m.subtype === 'thread_broadcast');
}

const historyArgs = z.object({
  channel: id,
  ...pageArgs,
  latest: z.string().optional(),
  oldest: z.string().optional(),
  inclusive: flag.optional(),
  include_all_metadata: flag.optional(),
});

/** Keeps messages within `oldest`..`latest` (exclusive unless `inclusive`). */
function inRange(message: Message, oldest?: number, latest?: number, inclusive = false): boolean {
  const t = parseTs(message.ts) ?? 0;
  if (oldest !== undefined && (inclusive ? t < oldest : t <= oldest)) return false;
  if (latest !== undefined && (inclusive ? t > latest : t >= latest)) return false;
  return true;
}

function tsBound(value: string | undefined, error: string): number | undefined {
  if (value === undefined || value === '' || value === '0') return undefined;
  const parsed = /^\d+$/.test(value) ? Number(value) * 1_000_000 : parseTs(value);
  if (parsed === undefined) throw slackError(error);
  return parsed;
}

const history: MethodSpec = {
  scope: 'channels:history',
  handler(ctx, raw) {
    const args = parseArgs(historyArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    requireMember(ctx, channel);
    const oldest = tsBound(args.oldest, 'invalid_ts_oldest');
    const latest = tsBound(args.latest, 'invalid_ts_latest');
    const timeline = channelTimeline(ctx.ws.allMessages(channel.id))
      .filter((m) => inRange(m, oldest, latest, args.inclusive === true))
      .reverse();
    const { page, hasMore, response_metadata } = paginate(timeline, args.cursor, limitOf(args.limit, 100, 999));
    return {
      messages: page.map(wireMessage),
      has_more: hasMore,
      pin_count: ctx.ws.pins.get(channel.id)?.length ?? 0,
      channel_actions_ts: null,
      channel_actions_count: 0,
      response_metadata,
    };
  },
};

const repliesArgs = z.object({
  channel: id,
  ts: id,
  ...pageArgs,
  latest: z.string().optional(),
  oldest: z.string().optional(),
  inclusive: flag.optional(),
  include_all_metadata: flag.optional(),
});

const replies: MethodSpec = {
  scope: 'channels:history',
  handler(ctx, raw) {
    const args = parseArgs(repliesArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    requireMember(ctx, channel);
    if (parseTs(args.ts) === undefined) throw slackError('thread_not_found');
    const message = ctx.ws.findMessage(channel.id, args.ts);
    if (!message) throw slackError('thread_not_found');
    const rootTs = message.thread_ts ?? message.ts;
    const oldest = tsBound(args.oldest, 'invalid_ts_oldest');
    const latest = tsBound(args.latest, 'invalid_ts_latest');
    const thread = ctx.ws
      .allMessages(channel.id)
      .filter((m) => m.ts === rootTs || m.thread_ts === rootTs)
      .filter((m) => m.ts === rootTs || inRange(m, oldest, latest, args.inclusive === true));
    const { page, hasMore, response_metadata } = paginate(thread, args.cursor, limitOf(args.limit, 1000, 1000));
    return { messages: page.map(wireMessage), has_more: hasMore, response_metadata };
  },
};

const listArgs = z.object({
  ...pageArgs,
  types: csv.optional(),
  exclude_archived: flag.optional(),
  team_id: z.string().optional(),
});

const list: MethodSpec = {
  scope: 'channels:read',
  handler(ctx, raw) {
    const args = parseArgs(listArgs, raw);
    const types = new Set(args.types && args.types.length > 0 ? args.types : ['public_channel']);
    for (const t of types) {
      if (!['public_channel', 'private_channel', 'im', 'mpim'].includes(t)) throw slackError('invalid_types');
    }
    const visible = [...ctx.ws.channels.values()].filter((c) => {
      if (args.exclude_archived && c.isArchived) return false;
      if (c.isIm) return types.has('im');
      if (c.isPrivate) return types.has('private_channel') && c.members.includes(ctx.ws.bot.userId);
      return types.has('public_channel');
    });
    const { page, response_metadata } = paginate(visible, args.cursor, limitOf(args.limit, 100, 1000));
    return { channels: page.map((c) => info(ctx, c)), response_metadata };
  },
};

const archive: MethodSpec = {
  scope: 'channels:manage',
  handler(ctx, raw) {
    const args = parseArgs(channelArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    if (channel.isIm) throw slackError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw slackError('already_archived');
    if (channel.isGeneral) throw slackError('cant_archive_general');
    requireMember(ctx, channel);
    const message = ctx.ws.insertMessage(channel.id, {
      user: ctx.ws.bot.userId,
      subtype: 'channel_archive',
      text: 'archived the channel',
      team: ctx.ws.team.id,
    });
    ctx.events.fromBot(messageEvent(message, channel), channel.id);
    channel.isArchived = true;
    ctx.ws.emit({ type: 'channel', channel: channel.id });
    ctx.events.fromBot(
      { type: 'channel_archive', channel: channel.id, user: ctx.ws.bot.userId, event_ts: message.ts },
      channel.id,
    );
    return {};
  },
};

const openArgs = z.object({
  users: csv.optional(),
  channel: z.string().optional(),
  return_im: flag.optional(),
  prevent_creation: flag.optional(),
});

const open: MethodSpec = {
  scope: 'im:write',
  handler(ctx, raw) {
    const args = parseArgs(openArgs, raw);
    if (args.channel !== undefined && args.channel !== '') {
      const channel = ctx.ws.channels.get(args.channel);
      if (!channel?.isIm) throw slackError('channel_not_found');
      return { channel: args.return_im ? info(ctx, channel) : { id: channel.id } };
    }
    const users = args.users ?? [];
    if (users.length === 0) throw slackError('users_list_not_supplied');
    if (users.length > 1) throw slackError('not_enough_users');
    const user = ctx.ws.users.get(users[0] ?? '');
    if (!user || user.deleted) throw slackError('user_not_found');
    const channel = ctx.ws.imWith(user.id);
    ctx.ws.emit({ type: 'channel', channel: channel.id });
    return { channel: args.return_im ? info(ctx, channel) : { id: channel.id } };
  },
};

const renameArgs = z.object({ channel: id, name: z.string() });

const rename: MethodSpec = {
  scope: 'channels:manage',
  handler(ctx, raw) {
    const args = parseArgs(renameArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    if (channel.isIm) throw slackError('method_not_supported_for_channel_type');
    if (channel.isArchived) throw slackError('is_archived');
    requireMember(ctx, channel);
    const problem = channelNameError(args.name);
    if (problem) throw slackError(problem);
    const taken = ctx.ws.findChannel(args.name);
    if (taken && taken.id !== channel.id) throw slackError('name_taken');
    channel.name = args.name;
    ctx.ws.emit({ type: 'channel', channel: channel.id });
    return { channel: info(ctx, channel) };
  },
};

export const conversationsMethods: Record<string, MethodSpec> = {
  'conversations.open': open,
  'conversations.rename': rename,
  'conversations.create': create,
  'conversations.invite': invite,
  'conversations.join': join,
  'conversations.setTopic': topicOrPurpose('topic'),
  'conversations.setPurpose': topicOrPurpose('purpose'),
  'conversations.info': conversationsInfo,
  'conversations.members': members,
  'conversations.history': history,
  'conversations.replies': replies,
  'conversations.list': list,
  'conversations.archive': archive,
};
