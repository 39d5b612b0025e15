/**
 * PagerDuty people → Slack users, for invitations and mentions: by email (`users.lookupByEmail`) when the
 * reference carries one, else by exact display or real name among the workspace's users (cached).
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../shared/clock.js';
import type { Identity } from '../identity.js';

const DIRECTORY_TTL_MS = 10 * 60_000;

interface SlackMember {
  id: string;
  deleted?: boolean;
  is_bot?: boolean;
  name?: string;
  real_name?: string;
  profile?: { real_name?: string; display_name?: string; email?: string };
}

export interface PeopleDirectory {
  /** A Slack user's display name (real name first), or the id when unknown. Cached. */
  displayName(slackUserId: string): Promise<string>;
  /** The Slack user id of one PagerDuty user, or null. */
  slackIdFor(person: { name: string; email?: string | null }): Promise<string | null>;
  /** Slack user ids for PagerDuty users (those that cannot be matched are left out). */
  slackIdsFor(people: ReadonlyArray<{ name: string; email?: string | null }>): Promise<string[]>;
}

function norm(s: string | undefined): string {
  return (s ?? '').trim().toLowerCase();
}

export function createPeopleDirectory(deps: { client: WebClient; identity: Identity; clock: Clock }): PeopleDirectory {
  const names = new Map<string, { name: string; until: number }>();
  let cache: { until: number; byName: Map<string, string>; byEmail: Map<string, string> } | undefined;

  async function directory(): Promise<NonNullable<typeof cache>> {
    const now = deps.clock.now();
    if (cache && cache.until > now) return cache;
    const byName = new Map<string, string>();
    const byEmail = new Map<string, string>();
    let cursor: string | undefined;
    for (let page = 0; page < 20; page++) {
      const res = (await deps.client.users.list({ limit: 200, ...(cursor ? { cursor } : {}) })) as {
        members?: SlackMember[];
        response_metadata?: { next_cursor?: string };
      };
      for (const m of res.members ?? []) {
        if (m.deleted || m.is_bot) continue;
        for (const n of [m.real_name, m.profile?.real_name, m.profile?.display_name, m.name]) {
          if (norm(n) && !byName.has(norm(n))) byName.set(norm(n), m.id);
        }
        if (m.profile?.email) byEmail.set(norm(m.profile.email), m.id);
      }
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) break;
    }
    cache = { until: now + DIRECTORY_TTL_MS, byName, byEmail };
    return cache;
  }

  async function slackIdFor(p: { name: string; email?: string | null }): Promise<string | null> {
    if (p.email) {
      const id = await deps.identity.slackUserForEmail(p.email);
      if (id) return id;
    }
    const dir = await directory().catch(() => undefined);
    return (p.email ? dir?.byEmail.get(norm(p.email)) : undefined) ?? dir?.byName.get(norm(p.name)) ?? null;
  }

  async function displayName(slackUserId: string): Promise<string> {
    const now = deps.clock.now();
    const hit = names.get(slackUserId);
    if (hit && hit.until > now) return hit.name;
    let name = slackUserId;
    try {
      const res = (await deps.client.users.info({ user: slackUserId })) as { user?: SlackMember };
      const u = res.user;
      name = u?.profile?.real_name || u?.real_name || u?.profile?.display_name || u?.name || slackUserId;
    } catch {
      name = slackUserId;
    }
    names.set(slackUserId, { name, until: now + DIRECTORY_TTL_MS });
    return name;
  }

  return {
    displayName,
    slackIdFor,
    async slackIdsFor(people) {
      const ids = new Set<string>();
      for (const p of people) {
        const id = await slackIdFor(p);
        if (id) ids.add(id);
      }
      return [...ids];
    },
  };
}
