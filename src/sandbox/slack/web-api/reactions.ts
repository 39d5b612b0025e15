import { z } from 'zod';
import type { Channel, Message } from '../types.js';
import { id, parseArgs, slackError } from './args.js';
import { type MethodContext, type MethodSpec, requireMember, requireMessage, resolveChannel } from './context.js';

/** Emoji names as Slack accepts them (`pushpin`, `+1`, `white_check_mark`, `skin-tone-2`). */
export const EMOJI_NAME = /^[a-z0-9_+'-]{1,100}$/;

const reactionArgs = z.object({ channel: id, timestamp: id, name: z.string() });

/** The emoji, channel and message a reactions.add / reactions.remove call names, checked as Slack does. */
function reactionTarget(
  ctx: MethodContext,
  raw: Record<string, unknown>,
): { name: string; channel: Channel; message: Message } {
  const args = parseArgs(reactionArgs, raw);
  const name = args.name.replace(/^:|:$/g, '');
  if (!EMOJI_NAME.test(name)) throw slackError('invalid_name');
  const channel = resolveChannel(ctx, args.channel);
  requireMember(ctx, channel);
  return { name, channel, message: requireMessage(ctx, channel, args.timestamp) };
}

const add: MethodSpec = {
  scope: 'reactions:write',
  handler(ctx, raw) {
    const { name, channel, message } = reactionTarget(ctx, raw);
    const reactions = message.reactions ?? [];
    const existing = reactions.find((r) => r.name === name);
    const me = ctx.ws.bot.userId;
    if (existing?.users.includes(me)) throw slackError('already_reacted');
    if (existing) {
      existing.users.push(me);
      existing.count += 1;
    } else {
      if (reactions.length >= 50) throw slackError('too_many_emoji');
      reactions.push({ name, users: [me], count: 1 });
    }
    message.reactions = reactions;
    ctx.ws.emit({ type: 'message', channel: channel.id, ts: message.ts });
    const eventTs = ctx.ws.ids.ts(ctx.ws.clock.now());
    ctx.events.fromBot(
      {
        type: 'reaction_added',
        user: me,
        reaction: name,
        item: { type: 'message', channel: channel.id, ts: message.ts },
        ...(message.user !== undefined ? { item_user: message.user } : {}),
        event_ts: eventTs,
      },
      channel.id,
    );
    return {};
  },
};

const remove: MethodSpec = {
  scope: 'reactions:write',
  handler(ctx, raw) {
    const { name, channel, message } = reactionTarget(ctx, raw);
    const me = ctx.ws.bot.userId;
    const existing = message.reactions?.find((r) => r.name === name);
    if (!existing?.users.includes(me)) throw slackError('no_reaction');
    existing.users = existing.users.filter((u) => u !== me);
    existing.count -= 1;
    message.reactions = (message.reactions ?? []).filter((r) => r.count > 0);
    if (message.reactions.length === 0) delete message.reactions;
    ctx.ws.emit({ type: 'message', channel: channel.id, ts: message.ts });
    return {};
  },
};

export const reactionsMethods: Record<string, MethodSpec> = { 'reactions.add': add, 'reactions.remove': remove };
