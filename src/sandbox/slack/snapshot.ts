/**
 * The workspace as plain JSON, so a sandbox can stop and start again where it was (the sandbox launcher writes it
 * under DATA_DIR): people, channels, groups, every message with its thread, reactions, edits and pins, and Home
 * tabs. Modals, ephemeral messages, trigger ids and response_urls are short-lived in Slack too and are not kept.
 */
import { z } from 'zod';
import { InvalidInputError } from '../../shared/errors.js';
import { parseTs } from './ids.js';
import type { WorkspaceContent } from './workspace.js';

/** Bump whenever `SlackUser`, `Channel`, `Message`, `View` or `WorkspaceContent` changes shape. */
export const SLACK_SNAPSHOT_VERSION = 1;

export interface SlackWorkspaceSnapshot {
  kind: 'slack-workspace';
  version: number;
  /** Seed of the id generator the workspace started with. */
  seed: number;
  /** How many times this workspace has been restored; forks the id stream so a restart never repeats an id. */
  generation: number;
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string };
  content: WorkspaceContent;
}

const id = z.string().min(1);
const ts = z.string().regex(/^\d{1,12}\.\d{6}$/, 'a Slack ts such as 1700000000.000100');
const stamp = z.object({ value: z.string(), creator: z.string(), last_set: z.number() });

const user = z.object({
  id,
  teamId: id,
  name: z.string(),
  realName: z.string(),
  email: z.string(),
  tz: z.string(),
  isBot: z.boolean(),
  botId: z.string().optional(),
  deleted: z.boolean(),
});
const channel = z.object({
  id,
  name: z.string(),
  isPrivate: z.boolean(),
  isIm: z.boolean(),
  isArchived: z.boolean(),
  isGeneral: z.boolean(),
  created: z.number(),
  creator: z.string(),
  members: z.array(id),
  topic: stamp,
  purpose: stamp,
  bookmarks: z.array(z.looseObject({ id, channel_id: id, title: z.string(), link: z.string() })),
  imUser: z.string().optional(),
});
const message = z.looseObject({
  channel: id,
  type: z.literal('message'),
  ts,
  text: z.string(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  thread_ts: ts.optional(),
  blocks: z.array(z.unknown()).optional(),
  reactions: z.array(z.object({ name: z.string(), users: z.array(id), count: z.number().int() })).optional(),
  edited: z.object({ user: z.string(), ts }).optional(),
  visibleTo: z.undefined({ message: 'ephemeral messages are not kept' }).optional(),
});
const home = z.looseObject({ id, type: z.literal('home'), userId: id, blocks: z.array(z.unknown()) });

const SnapshotSchema = z.object({
  kind: z.literal('slack-workspace'),
  version: z.number().int(),
  seed: z.number().int(),
  generation: z.number().int().min(0),
  team: z.object({ id, name: z.string(), domain: z.string() }),
  bot: z.object({ userId: id, botId: id, appId: id, name: z.string() }),
  content: z.object({
    users: z.array(user),
    channels: z.array(channel),
    usergroups: z.array(z.object({ id, handle: z.string(), name: z.string(), users: z.array(id) })),
    messages: z.array(message),
    pins: z.array(z.tuple([id, z.array(ts)])),
    homes: z.array(home),
  }),
});

function refuse(problems: Array<{ path: string; message: string }>): never {
  throw new InvalidInputError(
    `not a usable Slack workspace snapshot: ${problems
      .slice(0, 5)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    problems,
  );
}

/**
 * Checks a snapshot read back from disk: the version, every record's shape, and that references resolve (each
 * message's channel, each reply's thread, each pin, the bot user). Throws `InvalidInputError` naming what is wrong.
 */
export function parseSlackSnapshot(raw: unknown): SlackWorkspaceSnapshot {
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== SLACK_SNAPSHOT_VERSION) {
    refuse([
      { path: 'version', message: `is ${JSON.stringify(version)}; this emulator reads ${SLACK_SNAPSHOT_VERSION}` },
    ]);
  }
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    refuse(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(snapshot)', message: i.message })));
  }
  // The schema checks what the emulator relies on; the messages' remaining fields are Slack's own (same version).
  const snapshot = parsed.data as unknown as SlackWorkspaceSnapshot;
  const { content } = snapshot;
  const problems: Array<{ path: string; message: string }> = [];
  const channels = new Set(content.channels.map((c) => c.id));
  const messages = new Set(content.messages.map((m) => `${m.channel}/${m.ts}`));
  if (!content.users.some((u) => u.id === snapshot.bot.userId)) {
    problems.push({ path: 'bot.userId', message: `no user ${snapshot.bot.userId}` });
  }
  for (const m of content.messages) {
    if (!channels.has(m.channel))
      problems.push({ path: `content.messages.${m.ts}`, message: `no channel ${m.channel}` });
    else if (m.thread_ts !== undefined && !messages.has(`${m.channel}/${m.thread_ts}`)) {
      problems.push({ path: `content.messages.${m.ts}`, message: `no thread ${m.thread_ts} in ${m.channel}` });
    }
  }
  if (messages.size !== content.messages.length) problems.push({ path: 'content.messages', message: 'repeats a ts' });
  for (const [channelId, pinned] of content.pins) {
    for (const p of pinned) {
      if (!messages.has(`${channelId}/${p}`))
        problems.push({ path: `content.pins.${channelId}`, message: `no message ${p}` });
    }
  }
  if (problems.length > 0) refuse(problems);
  return snapshot;
}

/** Every id a restored workspace holds, and its latest message ts, so new ids and ts never repeat them. */
export function takenInContent(content: WorkspaceContent): { ids: Set<string>; latestTs: string | undefined } {
  const ids = new Set<string>();
  let latest: { micros: number; ts: string } | undefined;
  const seeTs = (value: string | undefined): void => {
    const micros = value === undefined ? undefined : parseTs(value);
    if (value !== undefined && micros !== undefined && (latest === undefined || micros > latest.micros)) {
      latest = { micros, ts: value };
    }
  };
  for (const u of content.users) {
    ids.add(u.id);
    if (u.botId !== undefined) ids.add(u.botId);
  }
  for (const c of content.channels) {
    ids.add(c.id);
    for (const b of c.bookmarks) ids.add(b.id);
  }
  for (const g of content.usergroups) ids.add(g.id);
  for (const v of content.homes) ids.add(v.id);
  for (const m of content.messages) {
    seeTs(m.ts);
    seeTs(m.edited?.ts);
    seeTs(m.latest_reply);
  }
  return { ids, latestTs: latest?.ts };
}
