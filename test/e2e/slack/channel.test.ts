/**
 * Incident channels: messages become the timeline (edits and deletions follow), 📌 turns a message into a
 * PagerDuty note once, @bot answers in a thread, newcomers get the card, and Events API retries are ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignatureHeaders } from '../../../src/sandbox/slack/index.js';
import { ActionId } from '../../../src/slack/ids.js';
import {
  card,
  cmd,
  ephemeral,
  type Harness,
  pdNotes,
  SIGNING_SECRET,
  startHarness,
  threadOf,
  trigger,
  waitAsync,
} from './harness.js';

let h: Harness;
let alice: string;
let bob: string;
let incidentId: string;
let channel: string;

beforeAll(async () => {
  h = await startHarness();
  alice = h.users.mapped[0] as string;
  bob = h.users.mapped[1] as string;
  const incident = trigger(h, 'Search index corrupted');
  incidentId = incident.id;
  await cmd(h, alice, `show ${incident.id}`);
  const c = await card(h, incident.id);
  await h.slack.clickButton({
    userId: alice,
    channelId: h.channel,
    messageTs: c.link.messageTs as string,
    actionId: ActionId.openChannel,
  });
  channel = await waitAsync(async () => (await h.store.incidentLinks.get(incident.id))?.incidentChannelId);
  await h.slack.waitFor(() => h.slack.channel(channel)?.members.includes(alice));
  if (!h.slack.channel(channel)?.members.includes(bob)) await h.slack.joinChannel({ userId: bob, channelId: channel });
}, 120_000);
afterAll(async () => {
  await h?.close();
});

let eventSeq = 0;
/** Delivers an Events API callback to the bot exactly as Slack would (signed, JSON). */
async function sendEvent(event: Record<string, unknown>): Promise<void> {
  const body = JSON.stringify({
    token: 'legacy',
    team_id: h.slack.team.id,
    api_app_id: h.slack.bot.appId,
    event,
    type: 'event_callback',
    event_id: `Ev0TEST${++eventSeq}`,
    event_time: Math.floor(Date.now() / 1000),
  });
  const res = await fetch(`http://127.0.0.1:${h.bot.receiver.port()}/slack/events`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...slackSignatureHeaders({ signingSecret: SIGNING_SECRET, nowMs: Date.now(), body }),
    },
    body,
  });
  expect(res.status).toBe(200);
}

describe('incident channel', () => {
  it('captures messages into the timeline, following edits and deletions, and ignores the bot', async () => {
    const { ts } = await h.slack.postUserMessage({
      userId: alice,
      channelId: channel,
      text: `reindex started <@${bob}|bob> &amp; cache flushed`,
    });
    const event = await waitAsync(async () =>
      (await h.store.timeline.list(incidentId)).find((e) => e.source === 'message' && e.ts === ts),
    );
    expect(event.text).toBe('reindex started @bob & cache flushed');
    expect(event.authorId).toBe(alice);
    expect(event.authorName).toBe(h.slack.user(alice)?.realName);
    const botPosts = (await h.store.timeline.list(incidentId)).filter(
      (e) => e.source === 'message' && e.authorId === h.slack.bot.userId,
    );
    expect(botPosts).toEqual([]);

    // Slack's message_changed / message_deleted events (signed like Slack signs them) update the timeline.
    await sendEvent({
      type: 'message',
      subtype: 'message_changed',
      channel,
      hidden: true,
      ts: '1900000000.000100',
      message: { type: 'message', user: alice, text: 'reindex finished', ts },
      previous_message: { type: 'message', user: alice, text: 'reindex started', ts },
    });
    await waitAsync(async () =>
      (await h.store.timeline.list(incidentId)).find((e) => e.ts === ts && e.text === 'reindex finished' && e.edited),
    );
    await sendEvent({
      type: 'message',
      subtype: 'message_deleted',
      channel,
      hidden: true,
      deleted_ts: ts,
      ts: '1900000000.000200',
      previous_message: { type: 'message', user: alice, text: 'reindex finished', ts },
    });
    await waitAsync(async () => !(await h.store.timeline.list(incidentId)).some((e) => e.ts === ts));
    // Messages in ordinary channels are not captured.
    await h.slack.postUserMessage({
      userId: alice,
      channelId: h.slack.channel('general')?.id as string,
      text: 'lunch?',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.store.timeline.list(incidentId)).some((e) => e.text === 'lunch?')).toBe(false);
  }, 30_000);

  it('📌 adds the message as a PagerDuty note, attributed to whoever pinned it, once', async () => {
    const { ts } = await h.slack.postUserMessage({
      userId: bob,
      channelId: channel,
      text: 'Root cause: bad mapping in v42',
    });
    await h.slack.addReaction({ userId: alice, channelId: channel, ts, name: 'pushpin' });
    await h.slack.addReaction({ userId: bob, channelId: channel, ts, name: 'pushpin' });
    const note = await waitAsync(async () =>
      (await pdNotes(h, incidentId)).find((n) => n.content.includes('Root cause: bad mapping in v42')),
    );
    expect(note.content).toBe(
      `📌 From Slack, written by ${h.slack.user(bob)?.realName}: Root cause: bad mapping in v42`,
    );
    expect(note.user?.summary).toBe(h.slack.user(alice)?.realName);
    await h.slack.waitFor(() =>
      h.slack.replies(channel, ts).find((m) => m.text.includes('Added to the PagerDuty incident notes')),
    );
    await new Promise((r) => setTimeout(r, 500));
    expect((await pdNotes(h, incidentId)).filter((n) => n.content.includes('bad mapping'))).toHaveLength(1);
    const pin = (await h.store.timeline.list(incidentId)).find((e) => e.source === 'pin' && e.ts === ts);
    expect(pin?.text).toBe('Root cause: bad mapping in v42');
  }, 30_000);

  it('📌 by someone without a PagerDuty account explains why and writes nothing', async () => {
    const visitor = h.users.unmapped;
    await h.slack.joinChannel({ userId: visitor, channelId: channel });
    const { ts } = await h.slack.postUserMessage({
      userId: alice,
      channelId: channel,
      text: 'Mitigation: disabled feature flag',
    });
    await h.slack.addReaction({ userId: visitor, channelId: channel, ts, name: 'pushpin' });
    await ephemeral(h, visitor, /no PagerDuty user has the email vera@elsewhere\.example/);
    await new Promise((r) => setTimeout(r, 300));
    expect((await pdNotes(h, incidentId)).some((n) => n.content.includes('disabled feature flag'))).toBe(false);
    // Someone else can still pin it afterwards.
    await h.slack.addReaction({ userId: alice, channelId: channel, ts, name: 'pushpin' });
    await waitAsync(async () =>
      (await pdNotes(h, incidentId)).some((n) => n.content.includes('disabled feature flag')),
    );
  }, 30_000);

  it('@bot answers summary, who is on call and what changed, in a thread', async () => {
    const bot = h.slack.bot.userId;
    const ask = async (text: string, pattern: RegExp) => {
      const { ts } = await h.slack.postUserMessage({ userId: alice, channelId: channel, text: `<@${bot}> ${text}` });
      return h.slack.waitFor(() => threadOf(h, channel, ts).find((m) => pattern.test(m.json)), { timeoutMs: 20_000 });
    };
    const summary = await ask('catch me up', /\*Summary\*|\*Latest\*/);
    expect(summary.json).toContain('Search index corrupted');
    expect(summary.json).toContain('Root cause: bad mapping in v42');
    expect(summary.json).not.toContain('catch me up');
    const oncall = await ask('who is on call?', /On call for/);
    expect(oncall.json).toMatch(/L1 /);
    await ask('what changed?', /What changed on/);
    // Outside an incident channel the bot says where it can help.
    const { ts } = await h.slack.postUserMessage({
      userId: alice,
      channelId: h.slack.channel('general')?.id as string,
      text: `<@${bot}> summary`,
    });
    await h.slack.waitFor(() =>
      threadOf(h, h.slack.channel('general')?.id as string, ts).find((m) => m.text.includes('incident channel')),
    );
  }, 60_000);

  it('a newcomer gets the card privately', async () => {
    const carol = h.users.mapped[2] as string;
    await h.slack.joinChannel({ userId: carol, channelId: channel });
    const welcome = await ephemeral(h, carol, /Welcome/);
    expect(JSON.stringify(welcome.blocks)).toContain('Search index corrupted');
  }, 30_000);

  it('Events API retries (same event_id) do nothing twice', async () => {
    const { ts } = await h.slack.postUserMessage({ userId: alice, channelId: channel, text: 'Second pin target' });
    await h.slack.addReaction({ userId: alice, channelId: channel, ts, name: 'pushpin' });
    await waitAsync(async () => (await pdNotes(h, incidentId)).some((n) => n.content.includes('Second pin target')));
    const retry = await h.slack.redeliverLastEvent({ retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.ok).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect((await pdNotes(h, incidentId)).filter((n) => n.content.includes('Second pin target'))).toHaveLength(1);
    expect(h.slack.replies(channel, ts).filter((m) => m.text.includes('Added to the PagerDuty'))).toHaveLength(1);
  }, 30_000);

  it('commands inside the incident channel imply the incident', async () => {
    await cmd(h, alice, 'note written from the channel', channel);
    await waitAsync(async () => (await pdNotes(h, incidentId)).some((n) => n.content === 'written from the channel'));
    await cmd(h, alice, 'triage', channel);
    const pinned = h.slack.pins(channel)[0] as string;
    await h.slack.waitFor(() => threadOf(h, channel, pinned).find((m) => m.json.includes('*✨ AI triage*')), {
      timeoutMs: 30_000,
    });
  }, 60_000);
});
