import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { readOptions } from '../resolve.js';
import { toUser, UserShape } from '../shapes.js';

export const findUserByEmail = defineTool({
  name: 'find_user_by_email',
  title: 'Find user by email',
  description:
    'Find the PagerDuty user with an exact email address (case-insensitive), to get the user id that ' +
    'reassign_incident, add_responders and list_oncalls need. Returns user: null when nobody has that email.',
  access: 'read',
  input: z.object({
    email: z.email().max(320).describe('Email address of the person, e.g. "jane@example.com".'),
  }),
  output: z.object({ user: UserShape.nullable() }),
  async run(input, ctx) {
    const user = await ctx.pagerduty.findUserByEmail(input.email, readOptions(ctx));
    return { user: user ? toUser(user) : null };
  },
});
