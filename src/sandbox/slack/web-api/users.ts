import { z } from 'zod';
import { userObject } from '../workspace.js';
import { flag, id, int, paginate, parseArgs, slackError } from './args.js';
import type { MethodSpec } from './context.js';

const infoArgs = z.object({ user: id, include_locale: flag.optional() });

const info: MethodSpec = {
  scope: 'users:read',
  handler(ctx, raw) {
    const args = parseArgs(infoArgs, raw);
    const user = ctx.ws.users.get(args.user);
    if (!user) throw slackError('user_not_found');
    return { user: userObject(user, ctx.ws.team.id) };
  },
};

const lookupArgs = z.object({ email: z.string().min(1) });

const lookupByEmail: MethodSpec = {
  scope: 'users:read.email',
  handler(ctx, raw) {
    const args = parseArgs(lookupArgs, raw);
    const wanted = args.email.trim().toLowerCase();
    const user = [...ctx.ws.users.values()].find((u) => u.email !== '' && u.email.toLowerCase() === wanted);
    if (!user || user.deleted) throw slackError('users_not_found');
    return { user: userObject(user, ctx.ws.team.id) };
  },
};

const listArgs = z.object({
  cursor: z.string().optional(),
  limit: int.optional(),
  include_locale: flag.optional(),
  team_id: z.string().optional(),
});

const list: MethodSpec = {
  scope: 'users:read',
  handler(ctx, raw) {
    const args = parseArgs(listArgs, raw);
    const limit = args.limit === undefined || args.limit <= 0 ? 1000 : Math.min(args.limit, 1000);
    const all = [...ctx.ws.users.values()].map((u) => userObject(u, ctx.ws.team.id));
    const { page, response_metadata } = paginate(all, args.cursor, limit);
    return { members: page, cache_ts: ctx.ws.nowSeconds(), response_metadata };
  },
};

const groupUsersArgs = z.object({
  usergroup: id,
  include_disabled: flag.optional(),
  team_id: z.string().optional(),
});

const usergroupUsers: MethodSpec = {
  scope: 'usergroups:read',
  handler(ctx, raw) {
    const args = parseArgs(groupUsersArgs, raw);
    const group = ctx.ws.usergroups.get(args.usergroup);
    if (!group) throw slackError('no_such_subteam');
    return { users: [...group.users] };
  },
};

export const usersMethods: Record<string, MethodSpec> = {
  'users.info': info,
  'users.lookupByEmail': lookupByEmail,
  'users.list': list,
  'usergroups.users.list': usergroupUsers,
};
