import { z } from 'zod';
import type { Channel, Message } from '../types.js';
import { wireMessage } from '../workspace.js';
import { id, parseArgs, slackError } from './args.js';
import { type MethodContext, type MethodSpec, requireMember, requireMessage, resolveChannel } from './context.js';

const pinArgs = z.object({ channel: id, timestamp: z.string().optional() });

/** The channel and message a pins.add / pins.remove call names, checked as Slack does. */
function pinTarget(
  ctx: MethodContext,
  raw: Record<string, unknown>,
): { channel: Channel; message: Message; pinned: string[] } {
  const args = parseArgs(pinArgs, raw);
  const channel = resolveChannel(ctx, args.channel);
  requireMember(ctx, channel);
  if (args.timestamp === undefined || args.timestamp === '') throw slackError('no_item_specified');
  const message = requireMessage(ctx, channel, args.timestamp);
  return { channel, message, pinned: ctx.ws.pins.get(channel.id) ?? [] };
}

const add: MethodSpec = {
  scope: 'pins:write',
  handler(ctx, raw) {
    const { channel, message, pinned } = pinTarget(ctx, raw);
    if (pinned.includes(message.ts)) throw slackError('already_pinned');
    pinned.push(message.ts);
    ctx.ws.pins.set(channel.id, pinned);
    message.pinned_to = [...new Set([...(message.pinned_to ?? []), channel.id])];
    ctx.ws.emit({ type: 'message', channel: channel.id, ts: message.ts });
    return {};
  },
};

const listArgs = z.object({ channel: id });

const list: MethodSpec = {
  scope: 'pins:read',
  handler(ctx, raw) {
    const args = parseArgs(listArgs, raw);
    const channel = resolveChannel(ctx, args.channel);
    const items = (ctx.ws.pins.get(channel.id) ?? [])
      .map((ts) => ctx.ws.findMessage(channel.id, ts))
      .filter((m) => m !== undefined)
      .map((m) => ({
        type: 'message',
        created: Math.floor(Number(m.ts)),
        created_by: ctx.ws.bot.userId,
        channel: channel.id,
        message: { ...wireMessage(m), permalink: `${ctx.baseUrl}archives/${channel.id}/p${m.ts.replace('.', '')}` },
      }));
    return { items };
  },
};

const remove: MethodSpec = {
  scope: 'pins:write',
  handler(ctx, raw) {
    const { channel, message, pinned } = pinTarget(ctx, raw);
    if (!pinned.includes(message.ts)) throw slackError('no_pin');
    ctx.ws.pins.set(
      channel.id,
      pinned.filter((ts) => ts !== message.ts),
    );
    const rest = (message.pinned_to ?? []).filter((c) => c !== channel.id);
    if (rest.length > 0) message.pinned_to = rest;
    else delete message.pinned_to;
    ctx.ws.emit({ type: 'message', channel: channel.id, ts: message.ts });
    return {};
  },
};

export const pinsMethods: Record<string, MethodSpec> = { 'pins.add': add, 'pins.remove': remove, 'pins.list': list };
