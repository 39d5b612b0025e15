import { z } from 'zod';
import { parseTs } from '../ids.js';
import type { Channel, Message } from '../types.js';
import { wireMessage } from '../workspace.js';
import { flag, id, jsonArg, parseArgs, slackError } from './args.js';
import {
  botAuthor,
  isOwnMessage,
  type MethodContext,
  type MethodSpec,
  messageContent,
  permalink,
  requireCanPost,
  requireMessage,
  resolveChannel,
} from './context.js';

/** `channel` / `group` / `im`, as in `channel_type` of message events. */
export function channelType(channel: Channel): 'channel' | 'group' | 'im' {
  if (channel.isIm) return 'im';
  return channel.isPrivate ? 'group' : 'channel';
}

/** The `message` event Slack sends subscribers for a message (the bot's own ones included). */
export function messageEvent(message: Message, channel: Channel): Record<string, unknown> {
  return { ...wireMessage(message), channel: channel.id, event_ts: message.ts, channel_type: channelType(channel) };
}

/** Sends the bot a hidden `message` event (`message_changed` / `message_deleted`) for its own edit or deletion. */
function hiddenMessageEvent(ctx: MethodContext, channel: Channel, fields: Record<string, unknown>): void {
  const eventTs = ctx.ws.ids.ts(ctx.ws.clock.now());
  ctx.events.fromBot(
    {
      type: 'message',
      hidden: true,
      ...fields,
      channel: channel.id,
      ts: eventTs,
      event_ts: eventTs,
      channel_type: channelType(channel),
    },
    channel.id,
  );
}

const contentArgs = {
  text: z.string().optional(),
  blocks: jsonArg('invalid_blocks_format').optional(),
  attachments: jsonArg('invalid_attachments').optional(),
  metadata: jsonArg('invalid_metadata_format').optional(),
  mrkdwn: flag.optional(),
};

const postMessageArgs = z.object({
  channel: id,
  ...contentArgs,
  thread_ts: z.string().optional(),
  reply_broadcast: flag.optional(),
  unfurl_links: flag.optional(),
  unfurl_media: flag.optional(),
  username: z.string().optional(),
  icon_emoji: z.string().optional(),
  icon_url: z.string().optional(),
  link_names: flag.optional(),
  parse: z.string().optional(),
  as_user: flag.optional(),
});

function threadRoot(ctx: MethodContext, channel: Channel, threadTs: string | undefined): string | undefined {
  if (threadTs === undefined || threadTs === '') return undefined;
  if (parseTs(threadTs) === undefined) throw slackError('invalid_thread_ts');
  const parent = ctx.ws.findMessage(channel.id, threadTs);
  if (!parent) throw slackError('thread_not_found');
  return parent.thread_ts ?? parent.ts;
}

const postMessage: MethodSpec = {
  scope: 'chat:write',
  handler(ctx, raw) {
    const args = parseArgs(postMessageArgs, raw);
    const channel = resolveChannel(ctx, args.channel, { allowUser: true });
    requireCanPost(ctx, channel);
    const content = messageContent(args, ctx.ws.ids);
    const threadTs = threadRoot(ctx, channel, args.thread_ts);
    if (ctx.postLimiter) {
      const retryAfter = ctx.postLimiter.take(channel.id);
      if (retryAfter !== undefined) throw slackError('ratelimited', { retryAfter });
    }
    const message = ctx.ws.insertMessage(
      channel.id,
      {
        ...botAuthor(ctx),
        ...content,
        ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
        ...(args.mrkdwn === false ? { mrkdwn: false } : {}),
      },
      threadTs === undefined ? {} : { threadTs, broadcast: args.reply_broadcast === true },
    );
    ctx.events.fromBot(messageEvent(message, channel), channel.id);
    return { channel: channel.id, ts: message.ts, message: wireMessage(message) };
  },
};

const updateArgs = z.object({
  channel: id,
  ts: id,
  ...contentArgs,
  reply_broadcast: flag.optional(),
  link_names: flag.optional(),
  parse: z.string().optional(),
  as_user: flag.optional(),
  file_ids: z.unknown().optional(),
});

const update: MethodSpec = {
  scope: 'chat:write',
  handler(ctx, raw) {
    const args = parseArgs(updateArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    if (channel.isArchived) throw slackError('is_archived');
    const message = requireMessage(ctx, channel, args.ts);
    if (!isOwnMessage(ctx, message)) throw slackError('cant_update_message');
    // chat.update keeps what is not sent: text alone keeps blocks, blocks alone keep the text.
    const content = messageContent(
      {
        text: args.text ?? message.text,
        blocks: args.blocks ?? message.blocks,
        attachments: args.attachments ?? message.attachments,
      },
      ctx.ws.ids,
    );
    const previous = wireMessage(message);
    message.text = content.text;
    if (args.blocks !== undefined) {
      if (content.blocks) message.blocks = content.blocks;
      else delete message.blocks;
    }
    if (args.attachments !== undefined) {
      if (content.attachments) message.attachments = content.attachments;
      else delete message.attachments;
    }
    if (args.metadata !== undefined) message.metadata = args.metadata;
    message.edited = { user: ctx.ws.bot.userId, ts: ctx.ws.ids.ts(ctx.ws.clock.now()) };
    ctx.ws.emit({ type: 'message', channel: channel.id, ts: message.ts });
    hiddenMessageEvent(ctx, channel, {
      subtype: 'message_changed',
      message: wireMessage(message),
      previous_message: previous,
    });
    const { text, ...rest } = wireMessage(message);
    return { channel: channel.id, ts: message.ts, text, message: { text, ...rest } };
  },
};

const postEphemeralArgs = z.object({
  channel: id,
  user: id,
  ...contentArgs,
  thread_ts: z.string().optional(),
  username: z.string().optional(),
  icon_emoji: z.string().optional(),
  icon_url: z.string().optional(),
  link_names: flag.optional(),
  parse: z.string().optional(),
  as_user: flag.optional(),
});

const postEphemeral: MethodSpec = {
  scope: 'chat:write',
  handler(ctx, raw) {
    const args = parseArgs(postEphemeralArgs, raw);
    const channel = resolveChannel(ctx, args.channel, { allowUser: true });
    const user = ctx.ws.users.get(args.user);
    if (!user) throw slackError('user_not_found');
    requireCanPost(ctx, channel);
    if (!channel.members.includes(user.id)) throw slackError('user_not_in_channel');
    const content = messageContent(args, ctx.ws.ids);
    const threadTs = threadRoot(ctx, channel, args.thread_ts);
    const message = ctx.ws.addEphemeral(channel.id, user.id, {
      ...botAuthor(ctx),
      ...content,
      ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
    });
    return { message_ts: message.ts };
  },
};

const deleteArgs = z.object({ channel: id, ts: id, as_user: flag.optional() });

const chatDelete: MethodSpec = {
  scope: 'chat:write',
  handler(ctx, raw) {
    const args = parseArgs(deleteArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    const message = requireMessage(ctx, channel, args.ts);
    if (!isOwnMessage(ctx, message)) throw slackError('cant_delete_message');
    const previous = wireMessage(message);
    ctx.ws.deleteMessage(channel.id, message.ts);
    hiddenMessageEvent(ctx, channel, {
      subtype: 'message_deleted',
      deleted_ts: message.ts,
      previous_message: previous,
    });
    return { channel: channel.id, ts: message.ts };
  },
};

const getPermalinkArgs = z.object({ channel: id, message_ts: id });

const getPermalink: MethodSpec = {
  handler(ctx, raw) {
    const args = parseArgs(getPermalinkArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    const message = requireMessage(ctx, channel, args.message_ts);
    return { channel: channel.id, permalink: permalink(ctx, message) };
  },
};

export const chatMethods: Record<string, MethodSpec> = {
  'chat.postMessage': postMessage,
  'chat.update': update,
  'chat.postEphemeral': postEphemeral,
  'chat.delete': chatDelete,
  'chat.getPermalink': getPermalink,
};
