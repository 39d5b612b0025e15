import { LogLevel, WebClient } from '@slack/web-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CONSOLE_MESSAGES } from '../../../src/sandbox/slack/console-server.js';
import { startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import type { SlackEmulator } from '../../../src/sandbox/slack/types.js';
import { eventually, SIGNING_SECRET, TOKEN, USERS } from './helpers.js';

/** The console's JSON API and live stream, without a browser. */
describe('console JSON API and SSE stream', () => {
  let emu: SlackEmulator;
  let web: WebClient;
  let incidents: string;
  let alice: string;

  beforeAll(async () => {
    emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
      users: USERS,
      channels: [{ name: 'incidents' }, { name: 'secret', isPrivate: true, members: ['bob'] }],
      rateLimit: false,
    });
    web = new WebClient(TOKEN, { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    incidents = emu.channel('incidents')?.id ?? '';
    alice = emu.user('alice')?.id ?? '';
  });
  afterAll(async () => {
    await emu.close();
  });

  const state = async (user: string, channel: string) =>
    (await (await fetch(`${emu.url}console/api/state?user=${user}&channel=${channel}`)).json()) as {
      channels: Array<{ name: string }>;
      messages: Array<{ ts: string; text: string; replies: unknown[] }>;
      olderMessages: number;
      ephemerals: Array<{ text: string }>;
      sidePanel: unknown;
    };

  it('shows what the chosen person may see, and the latest messages only', async () => {
    for (let i = 0; i < MAX_CONSOLE_MESSAGES + 5; i++)
      await web.chat.postMessage({ channel: incidents, text: `m${i}` });
    const seen = await state(alice, incidents);
    expect(seen.channels.map((c) => c.name)).toEqual(['general', 'incidents']);
    expect(seen.messages).toHaveLength(MAX_CONSOLE_MESSAGES);
    expect(seen.olderMessages).toBe(5);
    expect(seen.messages.at(-1)?.text).toBe(`m${MAX_CONSOLE_MESSAGES + 4}`);
    expect(seen.sidePanel).toBeNull();
    const bob = emu.user('bob')?.id ?? '';
    expect((await state(bob, incidents)).channels.map((c) => c.name)).toContain('secret');
  });

  it('streams a change event when the bot posts (SSE)', async () => {
    const controller = new AbortController();
    const res = await fetch(`${emu.url}console/api/events`, { signal: controller.signal });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body?.getReader();
    if (!reader) throw new Error('no stream');
    let received = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    })().catch(() => undefined);
    await eventually(() => received.includes('retry: 1000'));
    const posted = await web.chat.postMessage({ channel: incidents, text: 'live' });
    await eventually(() => received.includes(`"ts":"${posted.ts}"`));
    expect(received).toContain(`event: change\ndata: {"type":"message","channel":"${incidents}","ts":"${posted.ts}"}`);
    controller.abort();
    await reading;
  });

  it('the composer posts a person’s message; without a request URL a command is refused like Slack', async () => {
    const post = await fetch(`${emu.url}console/api/compose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: alice, channelId: incidents, text: 'hello from the console' }),
    });
    expect(post.status).toBe(200);
    expect(emu.messages(incidents).at(-1)).toMatchObject({ user: alice, text: 'hello from the console' });
    const command = await fetch(`${emu.url}console/api/compose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: alice, channelId: incidents, text: '/incident list' }),
    });
    expect(await command.json()).toMatchObject({
      ok: false,
      kind: 'slash_command',
      delivered: false,
      error: 'no_request_url',
    });
    expect(emu.inbound('slash_command').at(-1)?.payload).toMatchObject({ command: '/incident', text: 'list' });
  });

  it('refuses malformed requests and PagerDuty actions without a side panel', async () => {
    const notJson = await fetch(`${emu.url}console/api/compose`, { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
    const missing = await fetch(`${emu.url}console/api/select`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: alice }),
    });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: string }).error).toContain('actionId');
    const panel = await fetch(`${emu.url}console/api/pagerduty/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: 'P1', title: 'x', urgency: 'high' }),
    });
    expect(panel.status).toBe(404);
    expect((await fetch(`${emu.url}console/nope.js`)).status).toBe(404);
  });
});
