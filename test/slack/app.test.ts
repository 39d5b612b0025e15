/**
 * The app factory over real HTTP: Slack requests at POST /slack/events are verified (Slack's published signing
 * vector, a forged signature, a stale timestamp), custom routes share the server, url_verification is answered,
 * acks are counted in the metrics, and Socket Mode is chosen when an app token is given.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackEmulator, signSlackRequest, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { systemClock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { createMetrics } from '../../src/shared/metrics.js';
import { createSlackApp, type SlackApp } from '../../src/slack/app.js';
import { createInstrumentedReceiver, inboundKind } from '../../src/slack/receiver.js';
import { openStore, type Store } from '../../src/store/index.js';

const logger = createLogger({ level: 'silent' });
const SECRET = 'app-test-signing-secret';
let slack: SlackEmulator;
let store: Store;
let bot: SlackApp;
let base: string;
const metrics = createMetrics();

beforeAll(async () => {
  slack = await startSlackEmulator({
    bot: { token: 'xoxb-app-test', signingSecret: SECRET },
    users: [{ name: 'nobody', realName: 'No Body', email: 'nobody@example.com' }],
  });
  store = await openStore({ memory: true, purgeEveryMs: 0 });
  bot = createSlackApp({
    slack: { botToken: 'xoxb-app-test', signingSecret: SECRET, apiUrl: slack.apiUrl },
    store,
    toolContext: () => {
      throw new Error('no tools in this test');
    },
    logger,
    clock: systemClock,
    metrics,
    customRoutes: [
      {
        path: '/healthz',
        method: ['GET'],
        handler: (_req, res) => {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ok');
        },
      },
    ],
  });
  const { port } = await bot.start(0);
  base = `http://127.0.0.1:${port}`;
  slack.setRequestUrl(`${base}/slack/events`);
}, 60_000);

afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await store?.close();
});

function signed(body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': signSlackRequest({ signingSecret: SECRET, timestamp, body }),
  };
}

describe('createSlackApp', () => {
  it('serves custom routes on the same server', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers Slack’s url_verification challenge', async () => {
    const r = await slack.verifyRequestUrl();
    expect(r.ok).toBe(true);
  });

  it('answers a signed slash command (help) in the ack and counts it', async () => {
    const r = await slack.sendSlashCommand({
      userId: slack.user('nobody')?.id as string,
      channelId: slack.channel('general')?.id as string,
      text: 'help',
    });
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r.body)).toContain('/incident declare');
    expect(metrics.counter('slack_acks_total', '').get({ kind: 'slash_command' })).toBeGreaterThanOrEqual(1);
    expect(await metrics.render()).toMatch(/incident_bot_slack_ack_seconds_count\{kind="slash_command"\} \d+/);
  });

  it('refuses a forged signature and a stale timestamp (401), as Slack’s published vector says', async () => {
    const vector = JSON.parse(readFileSync('/work/shared/specs/slack-signing/test-vectors.json', 'utf8')) as {
      vectors: Array<{ file: string; x_slack_request_timestamp: string; x_slack_signature: string }>;
    };
    const v = vector.vectors[0];
    if (!v) throw new Error('no vector');
    const body = readFileSync(`/work/shared/specs/${v.file}`, 'utf8');
    // The published request is genuine for its secret but years old: stale, refused.
    const stale = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': v.x_slack_request_timestamp,
        'X-Slack-Signature': v.x_slack_signature,
      },
      body,
    });
    expect(stale.status).toBe(401);
    const forged = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: { ...signed(body), 'X-Slack-Signature': `${signed(body)['X-Slack-Signature']?.slice(0, -1)}0` },
      body,
    });
    expect(forged.status).toBe(401);
    const fine = await fetch(`${base}/slack/events`, {
      method: 'POST',
      headers: signed('ssl_check=1'),
      body: 'ssl_check=1',
    });
    expect(fine.status).toBe(200);
  });

  it('uses Socket Mode when an app token is given', () => {
    const socket = createInstrumentedReceiver({ appToken: 'xapp-1-A1-1-abc', logger });
    expect(socket.mode).toBe('socket');
    expect(() => createInstrumentedReceiver({ logger })).toThrow(/SLACK_SIGNING_SECRET/);
  });

  it('classifies inbound requests for metrics', () => {
    expect(inboundKind({ command: '/incident' })).toBe('slash_command');
    expect(inboundKind({ type: 'event_callback', event: { type: 'app_mention' } })).toBe('event:app_mention');
    expect(inboundKind({ type: 'block_actions' })).toBe('block_actions');
  });
});
