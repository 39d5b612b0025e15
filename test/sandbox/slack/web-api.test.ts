import { type WebAPIPlatformError, WebAPIRateLimitedError, WebClient, LogLevel as WebLogLevel } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import type { SlackEmulator } from '../../../src/sandbox/slack/types.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { SIGNING_SECRET, sample, shapeMismatches, specProblems, TOKEN, USERS } from './helpers.js';

/** The Web API as the real @slack/web-api 8.2 client calls it (form-urlencoded POSTs, JSON-encoded blocks). */
function client(emu: SlackEmulator, token = TOKEN): WebClient {
  return new WebClient(token, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logLevel: WebLogLevel.ERROR });
}

/** The Slack error code a WebClient call failed with. */
async function slackErrorOf(call: Promise<unknown>): Promise<{ error: string; data: Record<string, unknown> }> {
  try {
    await call;
  } catch (error) {
    const e = error as WebAPIPlatformError;
    if (e.code !== 'slack_webapi_platform_error') throw error;
    return { error: e.data.error, data: e.data as unknown as Record<string, unknown> };
  }
  throw new Error('expected the call to fail');
}

const section = (text: string) => ({ type: 'section' as const, text: { type: 'mrkdwn' as const, text } });

describe('Slack emulator Web API (driven by @slack/web-api WebClient)', () => {
  const clock = createManualClock(Date.UTC(2026, 2, 1, 3, 0, 0));
  let emu: SlackEmulator;
  let web: WebClient;
  let incidents: string;
  let alice: string;
  let bob: string;
  let carol: string;

  beforeAll(async () => {
    emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
      users: USERS,
      channels: [
        { name: 'incidents', topic: 'Where incidents land' },
        { name: 'ops-private', isPrivate: true, members: ['alice'], botMember: false },
        { name: 'random', members: ['alice', 'bob'], botMember: false },
      ],
      usergroups: [{ id: 'S0RESPONDERS', handle: 'responders', name: 'Responders', users: ['alice', 'bob'] }],
      clock,
      rateLimit: false,
      console: false,
    });
    web = client(emu);
    incidents = emu.channel('incidents')?.id ?? '';
    alice = emu.user('alice')?.id ?? '';
    bob = emu.user('bob')?.id ?? '';
    carol = emu.user('carol')?.id ?? '';
  });
  afterAll(async () => {
    await emu.close();
  });

  describe('auth', () => {
    it('auth.test identifies the bot, matching the spec and the java-sdk sample', async () => {
      const res = (await web.auth.test()) as unknown as Record<string, unknown>;
      const { response_metadata: _meta, ...body } = res;
      expect(body).toMatchObject({ ok: true, user_id: emu.bot.userId, bot_id: emu.bot.botId, team_id: emu.team.id });
      expect(specProblems('auth.test', body)).toEqual([]);
      expect(shapeMismatches(body, sample('api/auth.test'))).toEqual([]);
    });

    it('answers invalid_auth for another token and not_authed without one (HTTP 200, ok:false)', async () => {
      expect((await slackErrorOf(client(emu, 'xoxb-wrong').auth.test())).error).toBe('invalid_auth');
      const res = await fetch(`${emu.apiUrl}auth.test`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    });

    it('accepts the token in the form body and JSON bodies with a Bearer header, like Slack', async () => {
      const form = await fetch(`${emu.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `token=${TOKEN}`,
      });
      expect(((await form.json()) as { ok: boolean }).ok).toBe(true);
      const json = await fetch(`${emu.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${TOKEN}` },
        body: JSON.stringify({ channel: incidents, text: 'json body', blocks: [section('*json*')] }),
      });
      const body = (await json.json()) as { ok: boolean; message: { blocks: unknown[] } };
      expect(body.ok).toBe(true);
      expect(body.message.blocks).toHaveLength(1);
      const broken = await fetch(`${emu.apiUrl}auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        body: '{nope',
      });
      expect(await broken.json()).toEqual({ ok: false, error: 'invalid_json' });
    });

    it('answers unknown_method for methods Slack would not know', async () => {
      const res = await fetch(`${emu.apiUrl}chat.postMessageX`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(await res.json()).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.postMessageX' });
    });
  });

  describe('chat', () => {
    it('chat.postMessage stores a bot message with Block Kit, in the shape of the spec', async () => {
      const res = await web.chat.postMessage({
        channel: incidents,
        text: 'Checkout is down',
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: 'Checkout is down' } },
          { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Ack' }, value: 'P1' }] },
        ],
        unfurl_links: false,
      });
      expect(res.ok).toBe(true);
      expect(res.channel).toBe(incidents);
      expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
      const { response_metadata: _m, ...body } = res as unknown as Record<string, unknown>;
      expect(specProblems('chat.postMessage', body)).toEqual([]);
      const stored = emu.message(incidents, res.ts ?? '');
      expect(stored).toMatchObject({
        text: 'Checkout is down',
        user: emu.bot.userId,
        bot_id: emu.bot.botId,
        app_id: emu.bot.appId,
      });
      // Slack fills in the block_id / action_id an app leaves out.
      const blocks = stored?.blocks as Array<{ block_id: string; elements?: Array<{ action_id: string }> }>;
      expect(blocks[0]?.block_id).toMatch(/^[A-Za-z0-9]{5}$/);
      expect(blocks[1]?.elements?.[0]?.action_id).toMatch(/^[A-Za-z0-9]{5}$/);
      expect(emu.calls('chat.postMessage').at(-1)?.args).toMatchObject({ channel: incidents, unfurl_links: 'false' });
      expect(emu.calls('chat.postMessage').at(-1)?.args.blocks).toEqual([
        { type: 'header', text: { type: 'plain_text', text: 'Checkout is down' } },
        { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Ack' }, value: 'P1' }] },
      ]);
    });

    it('threads: replies, reply_broadcast, reply to a reply lands in the root thread', async () => {
      const root = await web.chat.postMessage({ channel: incidents, text: 'root' });
      const r1 = await web.chat.postMessage({ channel: incidents, text: 'reply 1', thread_ts: root.ts ?? '' });
      const r2 = await web.chat.postMessage({
        channel: incidents,
        text: 'reply 2',
        thread_ts: r1.ts ?? '',
        reply_broadcast: true,
      });
      expect(r1.message?.thread_ts).toBe(root.ts);
      expect(r2.message?.thread_ts).toBe(root.ts);
      expect(r2.message?.subtype).toBe('thread_broadcast');
      const parent = emu.message(incidents, root.ts ?? '');
      expect(parent).toMatchObject({
        reply_count: 2,
        reply_users: [emu.bot.userId],
        reply_users_count: 1,
        latest_reply: r2.ts,
      });
      expect(emu.replies(incidents, root.ts ?? '').map((m) => m.text)).toEqual(['reply 1', 'reply 2']);
      // The broadcast shows in the channel too, the plain reply does not.
      const timeline = emu.messages(incidents).map((m) => m.text);
      expect(timeline).toContain('reply 2');
      expect(timeline).not.toContain('reply 1');
      const replies = await web.conversations.replies({ channel: incidents, ts: r1.ts ?? '' });
      expect(replies.messages?.map((m) => m.text)).toEqual(['root', 'reply 1', 'reply 2']);
      expect(
        (await slackErrorOf(web.chat.postMessage({ channel: incidents, text: 'x', thread_ts: '1.2' }))).error,
      ).toBe('invalid_thread_ts');
      expect(
        (await slackErrorOf(web.chat.postMessage({ channel: incidents, text: 'x', thread_ts: '1000000000.000001' })))
          .error,
      ).toBe('thread_not_found');
    });

    it('refuses bad messages with Slack’s errors and stores nothing', async () => {
      const before = emu.messages(incidents).length;
      expect((await slackErrorOf(web.chat.postMessage({ channel: incidents, text: '' }))).error).toBe('no_text');
      expect((await slackErrorOf(web.chat.postMessage({ channel: incidents, text: 'x'.repeat(40_001) }))).error).toBe(
        'msg_too_long',
      );
      const invalid = await slackErrorOf(
        web.chat.postMessage({
          channel: incidents,
          text: 'x',
          blocks: [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }],
        }),
      );
      expect(invalid.error).toBe('invalid_blocks');
      expect(invalid.data.response_metadata).toEqual({
        messages: ['[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]'],
      });
      const tooMany = await slackErrorOf(
        web.chat.postMessage({
          channel: incidents,
          text: 'x',
          blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })),
        }),
      );
      expect(tooMany.error).toBe('invalid_blocks');
      expect((await slackErrorOf(web.chat.postMessage({ channel: 'C0NOPE12345', text: 'x' }))).error).toBe(
        'channel_not_found',
      );
      const missing = await slackErrorOf(web.apiCall('chat.postMessage', { text: 'no channel' }));
      expect(missing.error).toBe('invalid_arguments');
      expect(missing.data.response_metadata).toEqual({ messages: ['[ERROR] missing required field: channel'] });
      const malformed = await fetch(`${emu.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `channel=${incidents}&text=x&blocks=%5B%7B`,
      });
      expect(await malformed.json()).toEqual({ ok: false, error: 'invalid_blocks_format' });
      expect(emu.messages(incidents)).toHaveLength(before);
    });

    it('needs the bot in the channel: not_in_channel (public), channel_not_found (private it cannot see)', async () => {
      const random = emu.channel('random')?.id ?? '';
      const privateId = emu.channel('ops-private')?.id ?? '';
      expect((await slackErrorOf(web.chat.postMessage({ channel: random, text: 'hi' }))).error).toBe('not_in_channel');
      expect((await slackErrorOf(web.chat.postMessage({ channel: privateId, text: 'hi' }))).error).toBe(
        'channel_not_found',
      );
      expect((await slackErrorOf(web.conversations.info({ channel: privateId }))).error).toBe('channel_not_found');
      expect(emu.messages(random)).toEqual([]);
    });

    it('posts by channel name and to a user id (the DM with that user)', async () => {
      const byName = await web.chat.postMessage({ channel: '#incidents', text: 'by name' });
      expect(byName.channel).toBe(incidents);
      const dm = await web.chat.postMessage({ channel: alice, text: 'psst' });
      expect(dm.channel).toMatch(/^D/);
      expect(emu.messages(dm.channel ?? '').map((m) => m.text)).toEqual(['psst']);
      const info = await web.conversations.info({ channel: dm.channel ?? '' });
      expect(info.channel?.is_im).toBe(true);
      expect(specProblems('conversations.info', { ok: true, channel: info.channel })).toEqual([]);
    });

    it('chat.update edits the bot’s own messages only; text alone keeps the blocks', async () => {
      const posted = await web.chat.postMessage({ channel: incidents, text: 'v1', blocks: [section('*v1*')] });
      const updated = await web.chat.update({ channel: incidents, ts: posted.ts ?? '', text: 'v2' });
      expect(updated).toMatchObject({ ok: true, channel: incidents, ts: posted.ts, text: 'v2' });
      const { response_metadata: _m, ...body } = updated as unknown as Record<string, unknown>;
      expect(specProblems('chat.update', body)).toEqual([]);
      const stored = emu.message(incidents, posted.ts ?? '');
      expect(stored?.text).toBe('v2');
      expect(stored?.blocks).toHaveLength(1);
      expect(stored?.edited?.user).toBe(emu.bot.userId);
      await web.chat.update({
        channel: incidents,
        ts: posted.ts ?? '',
        blocks: [section('*v3*'), { type: 'divider' }],
      });
      expect(emu.message(incidents, posted.ts ?? '')?.blocks).toHaveLength(2);
      const { ts: userTs } = await emu.postUserMessage({ userId: alice, channelId: incidents, text: 'mine' });
      expect((await slackErrorOf(web.chat.update({ channel: incidents, ts: userTs, text: 'hijack' }))).error).toBe(
        'cant_update_message',
      );
      expect(emu.message(incidents, userTs)?.text).toBe('mine');
      expect(
        (await slackErrorOf(web.chat.update({ channel: incidents, ts: '1000000000.000001', text: 'x' }))).error,
      ).toBe('message_not_found');
    });

    it('chat.postEphemeral shows a message to one member only', async () => {
      const res = await web.chat.postEphemeral({ channel: incidents, user: bob, text: 'only you' });
      expect(res.message_ts).toMatch(/^\d{10}\.\d{6}$/);
      const { response_metadata: _m, ...body } = res as unknown as Record<string, unknown>;
      expect(shapeMismatches(body, sample('api/chat.postEphemeral'))).toEqual([]);
      expect(emu.ephemerals(bob, incidents).map((m) => m.text)).toContain('only you');
      expect(emu.ephemerals(alice, incidents).map((m) => m.text)).not.toContain('only you');
      expect(emu.messages(incidents).map((m) => m.text)).not.toContain('only you');
      const random = emu.channel('random')?.id ?? '';
      await web.conversations.join({ channel: random });
      expect((await slackErrorOf(web.chat.postEphemeral({ channel: random, user: carol, text: 'x' }))).error).toBe(
        'user_not_in_channel',
      );
    });

    it('chat.delete removes the bot’s message; a thread root keeps a tombstone', async () => {
      const lone = await web.chat.postMessage({ channel: incidents, text: 'delete me' });
      const res = await web.chat.delete({ channel: incidents, ts: lone.ts ?? '' });
      const { response_metadata: _m, ...body } = res as unknown as Record<string, unknown>;
      expect(shapeMismatches(body, sample('api/chat.delete'))).toEqual([]);
      expect(emu.message(incidents, lone.ts ?? '')).toBeUndefined();
      const root = await web.chat.postMessage({ channel: incidents, text: 'root to delete' });
      await web.chat.postMessage({ channel: incidents, text: 'child', thread_ts: root.ts ?? '' });
      await web.chat.delete({ channel: incidents, ts: root.ts ?? '' });
      expect(emu.message(incidents, root.ts ?? '')).toMatchObject({
        subtype: 'tombstone',
        text: 'This message was deleted.',
      });
      expect(emu.replies(incidents, root.ts ?? '')).toHaveLength(1);
      const { ts } = await emu.postUserMessage({ userId: alice, channelId: incidents, text: 'not yours' });
      expect((await slackErrorOf(web.chat.delete({ channel: incidents, ts }))).error).toBe('cant_delete_message');
    });

    it('chat.getPermalink links to the message (served by the emulator: it opens the console there)', async () => {
      const posted = await web.chat.postMessage({ channel: incidents, text: 'link me' });
      const res = await web.chat.getPermalink({ channel: incidents, message_ts: posted.ts ?? '' });
      const { response_metadata: _m, ...body } = res as unknown as Record<string, unknown>;
      expect(shapeMismatches(body, sample('api/chat.getPermalink'))).toEqual([]);
      expect(res.permalink).toBe(`${emu.url}archives/${incidents}/p${(posted.ts ?? '').replace('.', '')}`);
      const follow = await fetch(res.permalink ?? '', { redirect: 'manual' });
      expect(follow.status).toBe(302);
      expect(follow.headers.get('location')).toBe(`/#channel=${incidents}&ts=${posted.ts}`);
      expect((await slackErrorOf(web.chat.getPermalink({ channel: incidents, message_ts: 'bad' }))).error).toBe(
        'bad_timestamp',
      );
    });
  });

  describe('conversations', () => {
    it('conversations.create applies Slack’s name rules', async () => {
      const ok = await web.conversations.create({ name: `inc-${'a'.repeat(76)}` });
      expect(ok.channel?.name).toHaveLength(80);
      expect(specProblems('conversations.create', { ok: true, channel: ok.channel })).toEqual([]);
      expect(ok.channel?.is_member).toBe(true);
      const errors = await Promise.all(
        [`inc-${'a'.repeat(77)}`, 'Inc-Upper', 'inc 1', 'inc.1', '', '---', 'incidents'].map(
          async (name) => (await slackErrorOf(web.conversations.create({ name }))).error,
        ),
      );
      expect(errors).toEqual([
        'invalid_name_maxlength',
        'invalid_name_specials',
        'invalid_name_specials',
        'invalid_name_specials',
        'invalid_name_required',
        'invalid_name_punctuation',
        'name_taken',
      ]);
      const priv = await web.conversations.create({ name: 'inc-private-1', is_private: true });
      expect(priv.channel).toMatchObject({ is_private: true, is_group: true, is_channel: false });
    });

    it('invite, setTopic, setPurpose, info, members, list, archive', async () => {
      const created = await web.conversations.create({ name: 'inc-0042-checkout' });
      const id = created.channel?.id ?? '';
      const invited = await web.conversations.invite({ channel: id, users: `${alice},${bob}` });
      expect(invited.ok).toBe(true);
      expect(emu.channel(id)?.members).toEqual([emu.bot.userId, alice, bob]);
      expect((await slackErrorOf(web.conversations.invite({ channel: id, users: alice }))).error).toBe(
        'already_in_channel',
      );
      expect((await slackErrorOf(web.conversations.invite({ channel: id, users: 'U0NOBODY00' }))).error).toBe(
        'user_not_found',
      );
      expect((await slackErrorOf(web.conversations.invite({ channel: id, users: emu.bot.userId }))).error).toBe(
        'cant_invite_self',
      );
      await web.conversations.setTopic({ channel: id, topic: 'SEV1: checkout down' });
      await web.conversations.setPurpose({ channel: id, purpose: 'Incident #42' });
      expect((await slackErrorOf(web.conversations.setTopic({ channel: id, topic: 't'.repeat(251) }))).error).toBe(
        'too_long',
      );
      const info = await web.conversations.info({ channel: id, include_num_members: true });
      expect(info.channel).toMatchObject({
        name: 'inc-0042-checkout',
        topic: { value: 'SEV1: checkout down', creator: emu.bot.userId },
        purpose: { value: 'Incident #42' },
        num_members: 3,
      });
      expect(specProblems('conversations.info', { ok: true, channel: info.channel })).toEqual([]);
      expect(shapeMismatches({ ok: true, channel: info.channel }, sample('api/conversations.info'))).toEqual([]);
      // System messages as Slack posts them.
      expect(emu.messages(id).map((m) => m.subtype)).toEqual([
        'channel_join',
        'channel_join',
        'channel_topic',
        'channel_purpose',
      ]);
      const page1 = await web.conversations.members({ channel: id, limit: 2 });
      expect(page1.members).toEqual([emu.bot.userId, alice]);
      const page2 = await web.conversations.members({
        channel: id,
        limit: 2,
        cursor: page1.response_metadata?.next_cursor ?? '',
      });
      expect(page2.members).toEqual([bob]);
      expect(page2.response_metadata?.next_cursor).toBe('');
      const { response_metadata: _m, ...membersBody } = page1 as unknown as Record<string, unknown>;
      expect(shapeMismatches(membersBody, sample('api/conversations.members'))).toEqual([]);
      const list = await web.conversations.list({ types: 'public_channel,private_channel', limit: 100 });
      const names = list.channels?.map((c) => c.name) ?? [];
      expect(names).toContain('inc-0042-checkout');
      expect(names).not.toContain('ops-private');
      await web.conversations.archive({ channel: id });
      expect((await slackErrorOf(web.chat.postMessage({ channel: id, text: 'late' }))).error).toBe('is_archived');
      expect((await slackErrorOf(web.conversations.archive({ channel: id }))).error).toBe('already_archived');
      const general = emu.channel('general')?.id ?? '';
      expect((await slackErrorOf(web.conversations.archive({ channel: general }))).error).toBe('cant_archive_general');
      const unarchived = await web.conversations.list({ exclude_archived: true });
      expect(unarchived.channels?.map((c) => c.name)).not.toContain('inc-0042-checkout');
    });

    it('conversations.join: public only; a second join warns already_in_channel', async () => {
      const created = await web.conversations.create({ name: 'inc-join-test' });
      const id = created.channel?.id ?? '';
      const again = await web.conversations.join({ channel: id });
      expect(again.warning).toBe('already_in_channel');
      const priv = await web.conversations.create({ name: 'inc-join-private', is_private: true });
      expect((await slackErrorOf(web.conversations.join({ channel: priv.channel?.id ?? '' }))).error).toBe(
        'method_not_supported_for_channel_type',
      );
    });

    it('conversations.open gives the DM with a person; conversations.rename keeps Slack’s name rules', async () => {
      const opened = await web.conversations.open({ users: carol });
      const dm = opened.channel?.id ?? '';
      expect(dm).toMatch(/^D/);
      expect((await web.conversations.open({ users: carol })).channel?.id).toBe(dm);
      expect((await slackErrorOf(web.conversations.open({ users: 'U0NOBODY00' }))).error).toBe('user_not_found');
      await web.chat.postMessage({ channel: dm, text: 'hello carol' });
      expect(emu.messages(dm).map((m) => m.text)).toEqual(['hello carol']);
      const created = await web.conversations.create({ name: 'inc-rename-me' });
      const id = created.channel?.id ?? '';
      const renamed = await web.conversations.rename({ channel: id, name: 'inc-renamed-resolved' });
      expect(renamed.channel?.name).toBe('inc-renamed-resolved');
      expect(emu.channel('inc-renamed-resolved')?.id).toBe(id);
      expect((await slackErrorOf(web.conversations.rename({ channel: id, name: 'Bad Name' }))).error).toBe(
        'invalid_name_specials',
      );
      expect((await slackErrorOf(web.conversations.rename({ channel: id, name: 'incidents' }))).error).toBe(
        'name_taken',
      );
    });

    it('conversations.history pages newest first within oldest/latest', async () => {
      const created = await web.conversations.create({ name: 'inc-history' });
      const id = created.channel?.id ?? '';
      const ts: string[] = [];
      for (let i = 0; i < 5; i++) {
        clock.advance(1000);
        ts.push((await web.chat.postMessage({ channel: id, text: `m${i}` })).ts ?? '');
      }
      const first = await web.conversations.history({ channel: id, limit: 2 });
      expect(first.messages?.map((m) => m.text)).toEqual(['m4', 'm3']);
      expect(first.has_more).toBe(true);
      const { response_metadata: _m, ...body } = first as unknown as Record<string, unknown>;
      expect(specProblems('conversations.history', body)).toEqual([]);
      const second = await web.conversations.history({
        channel: id,
        limit: 2,
        cursor: first.response_metadata?.next_cursor ?? '',
      });
      expect(second.messages?.map((m) => m.text)).toEqual(['m2', 'm1']);
      const range = await web.conversations.history({ channel: id, oldest: ts[1] ?? '', latest: ts[3] ?? '' });
      expect(range.messages?.map((m) => m.text)).toEqual(['m2']);
      const inclusive = await web.conversations.history({
        channel: id,
        oldest: ts[1] ?? '',
        latest: ts[3] ?? '',
        inclusive: true,
      });
      expect(inclusive.messages?.map((m) => m.text)).toEqual(['m3', 'm2', 'm1']);
      expect((await slackErrorOf(web.conversations.history({ channel: id, oldest: 'yesterday' }))).error).toBe(
        'invalid_ts_oldest',
      );
      const random = emu.channel('general')?.id ?? '';
      await web.conversations.join({ channel: random }).catch(() => undefined);
    });
  });

  describe('pins, reactions, bookmarks', () => {
    it('pins.add once per message; pins.list lists it', async () => {
      const posted = await web.chat.postMessage({ channel: incidents, text: 'pin me' });
      await web.pins.add({ channel: incidents, timestamp: posted.ts ?? '' });
      expect((await slackErrorOf(web.pins.add({ channel: incidents, timestamp: posted.ts ?? '' }))).error).toBe(
        'already_pinned',
      );
      expect((await slackErrorOf(web.pins.add({ channel: incidents, timestamp: '1000000000.000001' }))).error).toBe(
        'message_not_found',
      );
      expect(emu.pins(incidents)).toContain(posted.ts);
      const list = await web.pins.list({ channel: incidents });
      expect(list.items?.map((i) => i.message?.text)).toContain('pin me');
      expect(emu.message(incidents, posted.ts ?? '')?.pinned_to).toEqual([incidents]);
    });

    it('pins.remove and reactions.remove undo, once', async () => {
      const posted = await web.chat.postMessage({ channel: incidents, text: 'pinned then not' });
      const ts = posted.ts ?? '';
      await web.pins.add({ channel: incidents, timestamp: ts });
      await web.pins.remove({ channel: incidents, timestamp: ts });
      expect(emu.pins(incidents)).not.toContain(ts);
      expect(emu.message(incidents, ts)?.pinned_to).toBeUndefined();
      expect((await slackErrorOf(web.pins.remove({ channel: incidents, timestamp: ts }))).error).toBe('no_pin');
      await web.reactions.add({ channel: incidents, timestamp: ts, name: 'white_check_mark' });
      await web.reactions.remove({ channel: incidents, timestamp: ts, name: 'white_check_mark' });
      expect(emu.message(incidents, ts)?.reactions).toBeUndefined();
      expect(
        (await slackErrorOf(web.reactions.remove({ channel: incidents, timestamp: ts, name: 'white_check_mark' })))
          .error,
      ).toBe('no_reaction');
    });

    it('reactions.add: emoji names, already_reacted', async () => {
      const posted = await web.chat.postMessage({ channel: incidents, text: 'react to me' });
      await web.reactions.add({ channel: incidents, timestamp: posted.ts ?? '', name: 'eyes' });
      expect(
        (await slackErrorOf(web.reactions.add({ channel: incidents, timestamp: posted.ts ?? '', name: 'eyes' }))).error,
      ).toBe('already_reacted');
      expect(
        (
          await slackErrorOf(
            web.reactions.add({ channel: incidents, timestamp: posted.ts ?? '', name: 'Not An Emoji' }),
          )
        ).error,
      ).toBe('invalid_name');
      expect(emu.message(incidents, posted.ts ?? '')?.reactions).toEqual([
        { name: 'eyes', users: [emu.bot.userId], count: 1 },
      ]);
    });

    it('bookmarks.add adds a link bookmark', async () => {
      const res = await web.bookmarks.add({
        channel_id: incidents,
        title: 'Runbook',
        type: 'link',
        link: 'https://runbooks.test/checkout',
      });
      expect(res.bookmark).toMatchObject({
        title: 'Runbook',
        link: 'https://runbooks.test/checkout',
        channel_id: incidents,
      });
      expect(emu.channel(incidents)?.bookmarks.map((b) => b.title)).toEqual(['Runbook']);
      expect(
        (
          await slackErrorOf(
            web.bookmarks.add({ channel_id: incidents, title: 'x', type: 'link', link: 'javascript:alert(1)' }),
          )
        ).error,
      ).toBe('invalid_link');
    });
  });

  describe('users and groups', () => {
    it('users.info and users.lookupByEmail match the spec and the java-sdk catalog', async () => {
      const info = await web.users.info({ user: alice });
      expect(info.user).toMatchObject({
        id: alice,
        name: 'alice',
        real_name: 'Alice Ops',
        tz: 'Europe/Paris',
        is_bot: false,
      });
      expect(info.user?.profile?.email).toBe('alice@example.com');
      const { response_metadata: _m, ...infoBody } = info as unknown as Record<string, unknown>;
      expect(specProblems('users.info', infoBody)).toEqual([]);
      expect(shapeMismatches(infoBody, sample('api/users.info'))).toEqual([]);
      const found = await web.users.lookupByEmail({ email: 'BOB@example.com' });
      expect(found.user?.id).toBe(bob);
      const { response_metadata: _n, ...foundBody } = found as unknown as Record<string, unknown>;
      expect(shapeMismatches(foundBody, sample('api/users.lookupByEmail'))).toEqual([]);
      expect((await slackErrorOf(web.users.lookupByEmail({ email: 'nobody@example.com' }))).error).toBe(
        'users_not_found',
      );
      expect((await slackErrorOf(web.users.info({ user: 'U0NOBODY00' }))).error).toBe('user_not_found');
    });

    it('users.list pages through everyone, Slackbot and the bot included', async () => {
      const first = await web.users.list({ limit: 2 });
      const rest = await web.users.list({ limit: 100, cursor: first.response_metadata?.next_cursor ?? '' });
      const ids = [...(first.members ?? []), ...(rest.members ?? [])].map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['USLACKBOT', emu.bot.userId, alice, bob, carol]));
      expect(ids).toHaveLength(5);
    });

    it('usergroups.users.list', async () => {
      const res = await web.usergroups.users.list({ usergroup: 'S0RESPONDERS' });
      expect(res.users).toEqual([alice, bob]);
      const { response_metadata: _m, ...body } = res as unknown as Record<string, unknown>;
      expect(shapeMismatches(body, sample('api/usergroups.users.list'))).toEqual([]);
      expect((await slackErrorOf(web.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe('no_such_subteam');
    });
  });

  describe('views without an interaction', () => {
    it('views.open needs a trigger_id Slack issued', async () => {
      const view = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] };
      expect((await slackErrorOf(web.views.open({ trigger_id: '123.456.abc', view }))).error).toBe(
        'invalid_trigger_id',
      );
      const invalid = await slackErrorOf(
        web.views.open({
          trigger_id: '123.456.abc',
          view: { ...view, title: { type: 'plain_text', text: 'x'.repeat(25) } },
        }),
      );
      expect(invalid.error).toBe('invalid_arguments');
      expect(invalid.data.response_metadata).toEqual({
        messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'],
      });
    });

    it('views.publish sets a Home tab; hash conflicts are refused', async () => {
      const home = { type: 'home' as const, blocks: [section('Welcome')] };
      const res = await web.views.publish({ user_id: alice, view: home });
      expect(res.view?.type).toBe('home');
      expect(emu.homeView(alice)?.blocks).toHaveLength(1);
      expect((await slackErrorOf(web.views.publish({ user_id: alice, view: home, hash: 'stale' }))).error).toBe(
        'hash_conflict',
      );
      await web.views.publish({
        user_id: alice,
        view: { ...home, blocks: [section('Again')] },
        hash: res.view?.hash ?? '',
      });
      expect(emu.homeView(alice)?.id).toBe(res.view?.id);
    });
  });

  it('records every call with decoded arguments and the response, never the token', () => {
    const calls = emu.calls();
    expect(calls.length).toBeGreaterThan(20);
    for (const call of calls) {
      expect(call.args).not.toHaveProperty('token');
      expect(JSON.stringify(call)).not.toContain(TOKEN);
      expect(call.at).toBeGreaterThanOrEqual(Date.UTC(2026, 2, 1, 3, 0, 0));
    }
    expect(calls.some((c) => c.method === 'chat.postMessage' && c.ok === false && c.error === 'no_text')).toBe(true);
  });
});

describe('OAuth scopes', () => {
  it('answers missing_scope with needed/provided; chat:write.public lets the bot post in public channels it is not in', async () => {
    const emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET, scopes: ['chat:write', 'chat:write.public'] },
      users: USERS,
      channels: [
        { name: 'outside', botMember: false },
        { name: 'hidden', isPrivate: true, members: ['alice'], botMember: false },
      ],
      console: false,
    });
    try {
      const web = client(emu);
      const missing = await slackErrorOf(web.conversations.create({ name: 'inc-1' }));
      expect(missing).toEqual({
        error: 'missing_scope',
        data: expect.objectContaining({ needed: 'channels:manage', provided: 'chat:write,chat:write.public' }),
      });
      const outside = emu.channel('outside')?.id ?? '';
      expect((await web.chat.postMessage({ channel: outside, text: 'public, not a member' })).ok).toBe(true);
      expect(emu.messages(outside)).toHaveLength(1);
      expect(
        (await slackErrorOf(web.chat.postMessage({ channel: emu.channel('hidden')?.id ?? '', text: 'x' }))).error,
      ).toBe('channel_not_found');
      expect(emu.channels().find((c) => c.name === 'inc-1')).toBeUndefined();
    } finally {
      await emu.close();
    }
  });
});

describe('chat.postMessage rate limit (~1 message/s per channel, bursts allowed)', () => {
  it('answers HTTP 429 with Retry-After past the burst, per channel, refilled by the clock', async () => {
    const clock = createManualClock(Date.UTC(2026, 2, 1));
    const emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
      users: USERS,
      channels: [{ name: 'storm' }, { name: 'calm' }],
      clock,
      rateLimit: { perChannelPerSecond: 1, burst: 3 },
      console: false,
    });
    try {
      const storm = emu.channel('storm')?.id ?? '';
      const calm = emu.channel('calm')?.id ?? '';
      const web = new WebClient(TOKEN, {
        slackApiUrl: emu.apiUrl,
        retryConfig: { retries: 0 },
        rejectRateLimitedCalls: true,
        logLevel: WebLogLevel.ERROR,
      });
      for (let i = 0; i < 3; i++) await web.chat.postMessage({ channel: storm, text: `burst ${i}` });
      const limited = await web.chat.postMessage({ channel: storm, text: 'one too many' }).catch((e: unknown) => e);
      expect(limited).toBeInstanceOf(Error);
      expect((limited as WebAPIRateLimitedError).code).toBe('slack_webapi_rate_limited_error');
      expect((limited as WebAPIRateLimitedError).retryAfter).toBe(1);
      const raw = await fetch(`${emu.apiUrl}chat.postMessage`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: `channel=${storm}&text=raw`,
      });
      expect(raw.status).toBe(429);
      expect(raw.headers.get('retry-after')).toBe('1');
      expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
      // Another channel has its own budget.
      expect((await web.chat.postMessage({ channel: calm, text: 'fine' })).ok).toBe(true);
      expect(emu.messages(storm)).toHaveLength(3);
      clock.advance(1000);
      expect((await web.chat.postMessage({ channel: storm, text: 'after a second' })).ok).toBe(true);
      expect(
        (await web.chat.postMessage({ channel: storm, text: 'again' }).catch((e: unknown) => e)) as Error,
      ).toBeInstanceOf(WebAPIRateLimitedError);
      expect(emu.calls('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(3);
    } finally {
      await emu.close();
    }
  });
});
