import type { App } from '@slack/bolt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import type { SlackEmulator } from '../../../src/sandbox/slack/types.js';
import { SIGNING_SECRET, startBoltApp, type TestBoltApp, TOKEN, USERS } from './helpers.js';

interface Seen {
  type: string;
  event: Record<string, unknown>;
  body: Record<string, unknown>;
  retryNum?: number;
  retryReason?: string;
}

describe('Events API deliveries to a real Bolt app', () => {
  let emu: SlackEmulator;
  let bot: TestBoltApp;
  let alice: string;
  let bob: string;
  let incidents: string;
  const seen: Seen[] = [];

  function register(app: App): void {
    const record =
      (type: string) =>
      async ({ event, body, context }: { event: unknown; body: unknown; context: Record<string, unknown> }) => {
        seen.push({
          type,
          event: event as Record<string, unknown>,
          body: body as Record<string, unknown>,
          ...(typeof context.retryNum === 'number' ? { retryNum: context.retryNum } : {}),
          ...(typeof context.retryReason === 'string' ? { retryReason: context.retryReason } : {}),
        });
      };
    app.event('message', record('message'));
    app.event('app_mention', async (args) => {
      await record('app_mention')(args as never);
      await args.say({
        text: `Hi <@${(args.event as { user: string }).user}>`,
        thread_ts: (args.event as { ts: string }).ts,
      });
    });
    app.event('reaction_added', record('reaction_added'));
    app.event('member_joined_channel', record('member_joined_channel'));
  }

  beforeAll(async () => {
    emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
      users: USERS,
      channels: [{ name: 'incidents' }, { name: 'elsewhere', botMember: false }],
      console: false,
    });
    bot = await startBoltApp(emu.apiUrl, register);
    emu.setRequestUrl(bot.requestUrl);
    alice = emu.user('alice')?.id ?? '';
    bob = emu.user('bob')?.id ?? '';
    incidents = emu.channel('incidents')?.id ?? '';
  });
  afterAll(async () => {
    await bot.stop();
    await emu.close();
  });

  it('url_verification: Bolt echoes the challenge', async () => {
    const result = await emu.verifyRequestUrl();
    expect(result).toMatchObject({ kind: 'url_verification', ok: true, status: 200 });
    expect((result.body as { challenge: string }).challenge).toBe((result.payload as { challenge: string }).challenge);
  });

  it('a person’s message arrives as a message event in an event_callback envelope', async () => {
    const { ts, deliveries } = await emu.postUserMessage({
      userId: alice,
      channelId: incidents,
      text: 'checkout is slow',
    });
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ kind: 'event_callback', ok: true, status: 200 });
    const got = await emu.waitFor(() => seen.find((s) => s.type === 'message' && s.event.ts === ts));
    expect(got.event).toMatchObject({
      type: 'message',
      channel: incidents,
      user: alice,
      text: 'checkout is slow',
      ts,
      event_ts: ts,
      channel_type: 'channel',
      team: emu.team.id,
    });
    expect(got.event.client_msg_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(got.event.blocks).toEqual([
      {
        type: 'rich_text',
        block_id: expect.any(String),
        elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'checkout is slow' }] }],
      },
    ]);
    expect(got.body).toMatchObject({
      type: 'event_callback',
      team_id: emu.team.id,
      api_app_id: emu.bot.appId,
      authorizations: [{ team_id: emu.team.id, user_id: emu.bot.userId, is_bot: true, is_enterprise_install: false }],
      is_ext_shared_channel: false,
    });
    expect(got.body.event_id).toMatch(/^Ev[A-Z0-9]{10}$/);
    expect(typeof got.body.event_time).toBe('number');
    expect(String(got.body.event_context)).toMatch(/^4-/);
  });

  it('a mention sends message and app_mention (two event_ids); the bot’s threaded answer is stored', async () => {
    const { ts, deliveries } = await emu.postUserMessage({
      userId: bob,
      channelId: incidents,
      text: `<@${emu.bot.userId}> what broke?`,
    });
    expect(deliveries.map((d) => (d.payload.event as { type: string }).type)).toEqual(['message', 'app_mention']);
    expect(new Set(deliveries.map((d) => d.eventId)).size).toBe(2);
    const mention = await emu.waitFor(() => seen.find((s) => s.type === 'app_mention' && s.event.ts === ts));
    expect(mention.event).toMatchObject({
      type: 'app_mention',
      user: bob,
      channel: incidents,
      text: `<@${emu.bot.userId}> what broke?`,
    });
    expect(mention.event).not.toHaveProperty('channel_type');
    const reply = await emu.waitFor(() => emu.replies(incidents, ts)[0]);
    expect(reply).toMatchObject({ text: `Hi <@${bob}>`, bot_id: emu.bot.botId, thread_ts: ts, parent_user_id: bob });
  });

  it('a typed message carries the rich_text blocks Slack’s composer makes (characters decoded, mentions, links)', async () => {
    const text = `<@${emu.bot.userId}> p99 &gt; 2s &amp; rising, see <https://grafana.test/d/1|the dashboard> <!here>`;
    const { deliveries } = await emu.postUserMessage({ userId: alice, channelId: incidents, text });
    const event = deliveries[0]?.payload.event as {
      text: string;
      blocks: Array<{ elements: Array<{ elements: unknown[] }> }>;
    };
    expect(event.text).toBe(text);
    expect(event.blocks[0]?.elements[0]?.elements).toEqual([
      { type: 'user', user_id: emu.bot.userId },
      { type: 'text', text: ' p99 > 2s & rising, see ' },
      { type: 'link', url: 'https://grafana.test/d/1', text: 'the dashboard' },
      { type: 'text', text: ' ' },
      { type: 'broadcast', range: 'here' },
    ]);
  });

  it('the bot’s own messages come back with bot_id, as Slack delivers them, and Bolt’s ignoreSelf drops them', async () => {
    const before = emu.inbound('event_callback').length;
    const web = bot.app.client;
    const posted = await web.chat.postMessage({ channel: incidents, text: 'bot speaking' });
    const echo = await emu.waitFor(() =>
      emu
        .inbound('event_callback')
        .slice(before)
        .find((r) => (r.payload.event as { ts?: string }).ts === posted.ts),
    );
    expect(echo.payload.event).toMatchObject({
      type: 'message',
      bot_id: emu.bot.botId,
      user: emu.bot.userId,
      text: 'bot speaking',
    });
    expect(echo.ok).toBe(true);
    await web.chat.update({ channel: incidents, ts: posted.ts ?? '', text: 'bot edited' });
    const changed = await emu.waitFor(() =>
      emu
        .inbound('event_callback')
        .slice(before)
        .find((r) => (r.payload.event as { subtype?: string }).subtype === 'message_changed'),
    );
    expect(changed.payload.event).toMatchObject({
      channel: incidents,
      hidden: true,
      message: { ts: posted.ts, text: 'bot edited', edited: { user: emu.bot.userId } },
      previous_message: { text: 'bot speaking' },
    });
    // Bolt filtered its own message; it saw the edit (Slack sends message_changed without bot_id on top).
    expect(seen.some((s) => s.event.ts === posted.ts && s.event.bot_id !== undefined)).toBe(false);
  });

  it('reaction_added and member_joined_channel', async () => {
    const { ts } = await emu.postUserMessage({ userId: alice, channelId: incidents, text: 'pin this one' });
    const reaction = await emu.addReaction({ userId: bob, channelId: incidents, ts, name: 'pushpin' });
    expect(reaction.ok).toBe(true);
    const got = await emu.waitFor(() =>
      seen.find((s) => s.type === 'reaction_added' && (s.event.item as { ts: string }).ts === ts),
    );
    expect(got.event).toMatchObject({
      user: bob,
      reaction: 'pushpin',
      item: { type: 'message', channel: incidents, ts },
      item_user: alice,
    });
    expect(emu.message(incidents, ts)?.reactions).toEqual([{ name: 'pushpin', users: [bob], count: 1 }]);
    await expect(emu.addReaction({ userId: bob, channelId: incidents, ts, name: 'pushpin' })).rejects.toThrow(
      /already reacted/,
    );

    const created = await bot.app.client.conversations.create({ name: 'inc-joins' });
    const channelId = created.channel?.id ?? '';
    const joined = await emu.joinChannel({ userId: alice, channelId });
    expect(joined.ok).toBe(true);
    const member = await emu.waitFor(() =>
      seen.find((s) => s.type === 'member_joined_channel' && s.event.channel === channelId),
    );
    expect(member.event).toMatchObject({ user: alice, channel: channelId, channel_type: 'C', team: emu.team.id });
    expect(emu.channel(channelId)?.members).toContain(alice);
  });

  it('nothing is delivered for channels the bot is not in', async () => {
    const elsewhere = emu.channel('elsewhere')?.id ?? '';
    const before = emu.inbound().length;
    const { deliveries } = await emu.postUserMessage({ userId: alice, channelId: elsewhere, text: 'private chatter' });
    expect(deliveries).toEqual([]);
    const reaction = await emu.addReaction({
      userId: bob,
      channelId: elsewhere,
      ts: emu.messages(elsewhere)[0]?.ts ?? '',
      name: 'eyes',
    });
    expect(reaction).toMatchObject({ delivered: false });
    expect(emu.inbound()).toHaveLength(before);
  });

  it('redeliverLastEvent replays the same event_id with Slack’s retry headers (Bolt sees retryNum/retryReason)', async () => {
    const { ts, deliveries } = await emu.postUserMessage({
      userId: alice,
      channelId: incidents,
      text: 'deliver me twice',
    });
    const original = deliveries[0];
    const retry = await emu.redeliverLastEvent({ retryNum: 1, retryReason: 'http_timeout' });
    expect(retry.eventId).toBe(original?.eventId);
    expect(retry.requestBody).toBe(original?.requestBody);
    const copies = await emu.waitFor(() => {
      const matching = seen.filter((s) => s.type === 'message' && s.event.ts === ts);
      return matching.length === 2 ? matching : undefined;
    });
    expect(copies[0]?.retryNum).toBeUndefined();
    expect(copies[1]).toMatchObject({ retryNum: 1, retryReason: 'http_timeout' });
    expect(copies[1]?.body.event_id).toBe(copies[0]?.body.event_id);
  });

  it('refuses messages from non-members and unknown threads, sending nothing', async () => {
    const before = emu.inbound().length;
    const elsewhere = emu.channel('elsewhere')?.id ?? '';
    await bot.app.client.conversations.join({ channel: elsewhere });
    const carol = emu.user('carol')?.id ?? '';
    const privateCh = await bot.app.client.conversations.create({ name: 'inc-private-x', is_private: true });
    await expect(
      emu.postUserMessage({ userId: carol, channelId: privateCh.channel?.id ?? '', text: 'hi' }),
    ).rejects.toThrow(/not a member/);
    await expect(
      emu.postUserMessage({ userId: alice, channelId: incidents, text: 'x', threadTs: '1000000000.000001' }),
    ).rejects.toThrow(/no message/);
    await expect(emu.postUserMessage({ userId: alice, channelId: incidents, text: '' })).rejects.toThrow(/text/);
    await emu.waitFor(() => emu.inbound().length >= before + 2);
    // Only the bot's own join (message + member_joined_channel) was delivered.
    expect(
      emu
        .inbound()
        .slice(before)
        .map((r) => (r.payload.event as { type: string }).type),
    ).toEqual(['message', 'member_joined_channel']);
  });
});
