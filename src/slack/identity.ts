/**
 * Identity and authority: Slack user → email (`users.info`) → PagerDuty user (`find_user_by_email`) → the
 * `Actor` every write is attributed to. A person without a PagerDuty account gets a clear explanation and nothing
 * is written. With `SLACK_RESPONDER_GROUP`, only its members may resolve or escalate. Answers are cached briefly
 * (a person's mapping rarely changes mid-incident; a missing mapping is re-checked sooner).
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Actor } from '../tools/define-tool.js';
import { UserShape } from '../tools/shapes.js';
import type { ToolRunner } from './tool-runner.js';
import { asSlackError } from './web-client.js';

const MAPPED_TTL_MS = 10 * 60_000;
const UNMAPPED_TTL_MS = 60_000;
const GROUP_TTL_MS = 60_000;

const UsersInfoSchema = z.object({
  user: z.object({
    id: z.string(),
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    real_name: z.string().optional(),
    name: z.string().optional(),
    profile: z
      .object({ email: z.string().optional(), real_name: z.string().optional(), display_name: z.string().optional() })
      .optional(),
  }),
});

const FindUserSchema = z.object({ user: UserShape.nullable() });

export interface Identity {
  /** The acting person for a Slack user; throws `unmapped_user` with a message for that person. */
  actorFor(slackUserId: string): Promise<Actor>;
  /** Throws `forbidden` when a responder group is configured and the user is not in it. `what` names the action. */
  requireResponder(slackUserId: string, what: string): Promise<void>;
  /** The Slack user with this email (`users.lookupByEmail`), or null. */
  slackUserForEmail(email: string): Promise<string | null>;
  /** Forgets cached answers (tests, or after an admin fixed an account). */
  clear(): void;
}

interface Cached<T> {
  value: T;
  until: number;
}

export function createIdentity(deps: {
  client: WebClient;
  runner: ToolRunner;
  clock: Clock;
  responderGroup?: string | undefined;
}): Identity {
  const actors = new Map<string, Cached<Actor | AppError>>();
  const emails = new Map<string, Cached<string | null>>();
  let group: Cached<Set<string>> | undefined;

  async function lookup(slackUserId: string): Promise<Actor> {
    let info: z.infer<typeof UsersInfoSchema>;
    try {
      info = UsersInfoSchema.parse(await deps.client.users.info({ user: slackUserId }));
    } catch (error) {
      throw asSlackError('users.info', error);
    }
    const u = info.user;
    const name = u.profile?.real_name || u.real_name || u.name || slackUserId;
    if (u.deleted || u.is_bot) {
      throw new AppError(ErrorCode.UnmappedUser, 'Only people can change incidents, so nothing was changed.', {
        details: { slackUserId },
      });
    }
    const email = u.profile?.email?.trim();
    if (!email) {
      throw new AppError(
        ErrorCode.UnmappedUser,
        "I can't act for you: your Slack profile has no email I can read, so I can't find your PagerDuty account. Nothing was changed.",
        { details: { slackUserId } },
      );
    }
    const found = FindUserSchema.parse(await deps.runner.read('find_user_by_email', { email }));
    if (!found.user) {
      throw new AppError(
        ErrorCode.UnmappedUser,
        `I can't act for you: no PagerDuty user has the email ${email}, so this change could not be attributed to you. Ask a PagerDuty admin to add you with the same email as in Slack. Nothing was changed.`,
        { details: { slackUserId, email } },
      );
    }
    return {
      email: found.user.email,
      surface: 'slack',
      slackUserId,
      pagerdutyUserId: found.user.id,
      name: found.user.name || name,
    };
  }

  return {
    async actorFor(slackUserId) {
      const now = deps.clock.now();
      const hit = actors.get(slackUserId);
      if (hit && hit.until > now) {
        if (hit.value instanceof AppError) throw hit.value;
        return hit.value;
      }
      try {
        const actor = await lookup(slackUserId);
        actors.set(slackUserId, { value: actor, until: now + MAPPED_TTL_MS });
        return actor;
      } catch (error) {
        if (error instanceof AppError && error.code === ErrorCode.UnmappedUser) {
          actors.set(slackUserId, { value: error, until: now + UNMAPPED_TTL_MS });
        }
        throw error;
      }
    },

    async requireResponder(slackUserId, what) {
      const groupId = deps.responderGroup;
      if (!groupId) return;
      const now = deps.clock.now();
      if (!group || group.until <= now) {
        let users: string[];
        try {
          const res = (await deps.client.usergroups.users.list({ usergroup: groupId })) as { users?: string[] };
          users = res.users ?? [];
        } catch (error) {
          throw asSlackError('usergroups.users.list', error);
        }
        group = { value: new Set(users), until: now + GROUP_TTL_MS };
      }
      if (!group.value.has(slackUserId)) {
        throw new AppError(
          ErrorCode.Forbidden,
          `Only members of the incident responder group can ${what}. Ask a responder to do it, or ask to join the group. Nothing was changed.`,
          { details: { slackUserId, usergroup: groupId } },
        );
      }
    },

    async slackUserForEmail(email) {
      const key = email.toLowerCase();
      const now = deps.clock.now();
      const hit = emails.get(key);
      if (hit && hit.until > now) return hit.value;
      let id: string | null = null;
      try {
        const res = (await deps.client.users.lookupByEmail({ email })) as { user?: { id?: string } };
        id = res.user?.id ?? null;
      } catch {
        id = null;
      }
      emails.set(key, { value: id, until: now + (id ? MAPPED_TTL_MS : UNMAPPED_TTL_MS) });
      return id;
    },

    clear() {
      actors.clear();
      emails.clear();
      group = undefined;
    },
  };
}
