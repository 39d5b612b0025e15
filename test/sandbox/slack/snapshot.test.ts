import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseSlackSnapshot,
  SLACK_SNAPSHOT_VERSION,
  type SlackEmulator,
  type SlackWorkspaceSnapshot,
  startSlackEmulator,
} from '../../../src/sandbox/slack/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { eventually, SIGNING_SECRET, TOKEN, USERS } from './helpers.js';

const NOW = Date.UTC(2026, 4, 12, 14, 5, 0);

/** Records the event_id of every Events API delivery (answers 200 like a bot). */
async function startEventSink(): Promise<{ url: string; eventIds: string[]; close(): Promise<void> }> {
  const eventIds: string[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { event_id?: string };
      if (body.event_id) eventIds.push(body.event_id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`,
    eventIds,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function start(clock: ReturnType<typeof createManualClock>, restore?: SlackWorkspaceSnapshot): Promise<SlackEmulator> {
  return startSlackEmulator({
    bot: { token: TOKEN, signingSecret: SIGNING_SECRET, name: 'incident-bot' },
    team: { id: 'T0SNAP', name: 'Snapshot Inc.', domain: 'snapshot' },
    users: USERS,
    channels: [{ name: 'incidents', topic: 'Where incidents land' }, { name: 'ops' }],
    clock,
    rateLimit: false,
    console: false,
    seed: 42,
    ...(restore ? { restore } : {}),
  });
}

/** What a person or the bot can see of the workspace, for before/after comparisons. */
function visible(emu: SlackEmulator): unknown {
  return {
    team: emu.team,
    bot: emu.bot,
    users: emu.users(),
    channels: emu.channels().map((c) => ({
      ...c,
      messages: emu.messages(c.id).map((m) => ({ ...m, replies: emu.replies(c.id, m.ts) })),
      pins: emu.pins(c.id),
    })),
  };
}

describe('Slack workspace snapshot: stop, start again where it was', () => {
  const clock = createManualClock(NOW);
  let first: SlackEmulator;
  let sink: Awaited<ReturnType<typeof startEventSink>>;
  let snapshot: SlackWorkspaceSnapshot;
  let before: unknown;
  let history: unknown;
  let home: unknown;
  const ids = { incidents: '', card: '', alice: '', channel: '', latest: '' };

  beforeAll(async () => {
    sink = await startEventSink();
    first = await start(clock);
    first.setRequestUrl(sink.url);
    const client = new WebClient(TOKEN, { slackApiUrl: first.apiUrl, retryConfig: { retries: 0 } });
    ids.incidents = first.channel('incidents')?.id as string;
    ids.alice = first.user('alice')?.id as string;
    const card = await client.chat.postMessage({
      channel: ids.incidents,
      text: '🔴 #7 Checkout down',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*#7* Checkout down' } }],
    });
    ids.card = card.ts as string;
    clock.advance(1_000);
    await client.chat.postMessage({ channel: ids.incidents, thread_ts: ids.card, text: 'AI triage: SEV2' });
    clock.advance(1_000);
    await client.chat.update({ channel: ids.incidents, ts: ids.card, text: '🟠 #7 Checkout down (acknowledged)' });
    await client.reactions.add({ channel: ids.incidents, timestamp: ids.card, name: 'eyes' });
    await client.pins.add({ channel: ids.incidents, timestamp: ids.card });
    const created = await client.conversations.create({ name: 'inc-7-checkout-down' });
    ids.channel = created.channel?.id as string;
    await client.conversations.invite({ channel: ids.channel, users: ids.alice });
    await client.bookmarks.add({
      channel_id: ids.channel,
      title: 'PagerDuty',
      type: 'link',
      link: 'https://example.pagerduty.com/incidents/Q7',
    });
    await client.views.publish({
      user_id: ids.alice,
      view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Your incidents' } }] },
    });
    await client.chat.postEphemeral({ channel: ids.incidents, user: ids.alice, text: 'only Alice sees this' });
    clock.advance(1_000);
    const posted = await first.postUserMessage({ userId: ids.alice, channelId: ids.channel, text: 'rolling back' });
    ids.latest = posted.ts;
    await eventually(() => sink.eventIds.length > 0);

    history = (await client.conversations.history({ channel: ids.incidents })).messages;
    home = first.homeView(ids.alice);
    before = visible(first);
    snapshot = parseSlackSnapshot(JSON.parse(JSON.stringify(first.snapshot())));
    await first.close();
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await sink?.close();
  });

  it('carries its version and what it started from, and leaves ephemerals and modals out', () => {
    expect(snapshot).toMatchObject({
      kind: 'slack-workspace',
      version: SLACK_SNAPSHOT_VERSION,
      seed: 42,
      generation: 0,
    });
    expect(snapshot.content.messages.some((m) => m.text === 'only Alice sees this')).toBe(false);
    expect(snapshot.content.homes).toHaveLength(1);
  });

  it('restores people, channels, messages, threads, edits, reactions, pins, bookmarks and Home tabs', async () => {
    const second = await start(clock, snapshot);
    try {
      expect(visible(second)).toEqual(before);
      expect(second.homeView(ids.alice)).toEqual(home);
      expect(second.ephemerals(ids.alice)).toEqual([]);
      const client = new WebClient(TOKEN, { slackApiUrl: second.apiUrl, retryConfig: { retries: 0 } });
      expect((await client.conversations.history({ channel: ids.incidents })).messages).toEqual(history);
      const card = second.message(ids.incidents, ids.card);
      expect(card).toMatchObject({ text: '🟠 #7 Checkout down (acknowledged)', reply_count: 1 });
      expect(card?.reactions).toEqual([{ name: 'eyes', users: [second.bot.userId], count: 1 }]);
      expect(second.channel(ids.channel)?.bookmarks.map((b) => b.title)).toEqual(['PagerDuty']);
      // The bot can keep working on what it posted before the restart.
      const updated = await client.chat.update({ channel: ids.incidents, ts: ids.card, text: '✅ #7 resolved' });
      expect(updated.ok).toBe(true);
      expect(second.message(ids.incidents, ids.card)?.text).toBe('✅ #7 resolved');
    } finally {
      await second.close();
    }
  });

  it('never repeats a ts, a channel id or an event_id after a restart, even with the clock behind', async () => {
    const seenEvents = new Set(sink.eventIds);
    const oldIds = new Set([...snapshot.content.channels.map((c) => c.id), ...snapshot.content.users.map((u) => u.id)]);
    const made: string[][] = [];
    // Twice from the same snapshot (a crash before the next save): the runs must not repeat each other either.
    for (let run = 0; run < 2; run++) {
      const behind = createManualClock(NOW - 3_600_000);
      const emu = await start(behind, snapshot);
      emu.setRequestUrl(sink.url);
      const delivered = sink.eventIds.length;
      try {
        const client = new WebClient(TOKEN, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } });
        const posted = await client.chat.postMessage({ channel: ids.incidents, text: `after restart ${run}` });
        expect(Number(posted.ts)).toBeGreaterThan(Number(ids.latest));
        const created = await client.conversations.create({ name: `inc-restart-${run}` });
        const channelId = created.channel?.id as string;
        expect(oldIds.has(channelId)).toBe(false);
        await emu.postUserMessage({ userId: ids.alice, channelId: ids.incidents, text: `hello ${run}` });
        await eventually(() => sink.eventIds.length > delivered);
        const events = sink.eventIds.slice(delivered);
        for (const id of events) expect(seenEvents.has(id)).toBe(false);
        made.push([channelId, ...events]);
      } finally {
        await emu.close();
      }
    }
    const [a = [], b = []] = made;
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('refuses a snapshot of another version', () => {
    const other = { ...JSON.parse(JSON.stringify(snapshot)), version: SLACK_SNAPSHOT_VERSION + 1 };
    expect(() => parseSlackSnapshot(other)).toThrow(/version: is 2; this emulator reads 1/);
  });

  it('refuses a snapshot with dangling references or an ephemeral message, listing each problem', () => {
    const broken = JSON.parse(JSON.stringify(snapshot)) as SlackWorkspaceSnapshot;
    const reply = broken.content.messages.find((m) => m.thread_ts === ids.card && m.ts !== ids.card);
    if (!reply) throw new Error('the snapshot should hold the triage reply');
    reply.thread_ts = '1000000000.000001';
    broken.content.pins = [[ids.incidents, ['1000000000.000002']]];
    broken.bot.userId = 'UNOBODY';
    try {
      parseSlackSnapshot(broken);
      expect.unreachable('a broken snapshot must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      const issues = (error as InvalidInputError).issues.map((i) => `${i.path}: ${i.message}`);
      expect(issues).toEqual([
        'bot.userId: no user UNOBODY',
        `content.messages.${reply.ts}: no thread 1000000000.000001 in ${ids.incidents}`,
        `content.pins.${ids.incidents}: no message 1000000000.000002`,
      ]);
    }
    const ephemeral = JSON.parse(JSON.stringify(snapshot));
    ephemeral.content.messages[0].visibleTo = ids.alice;
    expect(() => parseSlackSnapshot(ephemeral)).toThrow(/ephemeral messages are not kept/);
  });
});
