import { z } from 'zod';
import type { Bookmark } from '../types.js';
import { id, parseArgs, slackError } from './args.js';
import { type MethodSpec, requireMember, resolveChannel } from './context.js';

const addArgs = z.object({
  channel_id: id,
  title: z.string().min(1),
  type: z.string().min(1),
  link: z.string().optional(),
  emoji: z.string().optional(),
  entity_id: z.string().optional(),
  parent_id: z.string().optional(),
  access_level: z.string().optional(),
});

const add: MethodSpec = {
  scope: 'bookmarks:write',
  handler(ctx, raw) {
    const args = parseArgs(addArgs, raw);
    const channel = resolveChannel(ctx, args.channel_id);
    requireMember(ctx, channel);
    if (args.type !== 'link') throw slackError('invalid_bookmark_type');
    if (args.link === undefined || !/^https?:\/\/\S+$/.test(args.link)) throw slackError('invalid_link');
    if (channel.bookmarks.length >= 100) throw slackError('too_many_bookmarks');
    const now = ctx.ws.nowSeconds();
    const bookmark: Bookmark = {
      id: ctx.ws.ids.id('Bk'),
      channel_id: channel.id,
      title: args.title,
      link: args.link,
      emoji: args.emoji ?? '',
      icon_url: null,
      type: 'link',
      entity_id: null,
      date_created: now,
      date_updated: 0,
      rank: String.fromCharCode(97 + (channel.bookmarks.length % 26)),
      last_updated_by_user_id: ctx.ws.bot.userId,
      last_updated_by_team_id: ctx.ws.team.id,
      shortcut_id: null,
      app_id: null,
    };
    channel.bookmarks.push(bookmark);
    ctx.ws.emit({ type: 'channel', channel: channel.id });
    return { bookmark };
  },
};

export const bookmarksMethods: Record<string, MethodSpec> = { 'bookmarks.add': add };
