/**
 * The WebClient policy against real HTTP servers on 127.0.0.1: a 429 is rejected at once with Slack's
 * Retry-After (no queue pause), a hanging server times out instead of waiting ~30 minutes, and platform errors
 * are named.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebClient } from '@slack/web-api';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/shared/logger.js';
import {
  asSlackError,
  DEFAULT_WEB_API_RETRIES,
  DEFAULT_WEB_API_TIMEOUT_MS,
  rateLimitRetryAfter,
  slackErrorCode,
  slackWebClientOptions,
} from '../../src/slack/web-client.js';

const logger = createLogger({ level: 'silent' });
const servers: Server[] = [];

async function serve(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    handler?.(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`, hits: () => hits };
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

describe('slackWebClientOptions', () => {
  it('sets a timeout, a short retry policy and rejects rate-limited calls', () => {
    const o = slackWebClientOptions({ apiUrl: 'http://127.0.0.1:1/api', logger });
    expect(o.timeout).toBe(DEFAULT_WEB_API_TIMEOUT_MS);
    expect(o.retryConfig?.retries).toBe(DEFAULT_WEB_API_RETRIES);
    expect(o.rejectRateLimitedCalls).toBe(true);
    expect(o.slackApiUrl).toBe('http://127.0.0.1:1/api/');
  });

  it('a 429 is rejected at once with the Retry-After, so the caller can defer the post', async () => {
    const { url, hits } = await serve((_req, res) => {
      res.writeHead(429, { 'Retry-After': '7', 'Content-Type': 'application/json' });
      res.end('{"ok":false,"error":"ratelimited"}');
    });
    const client = new WebClient('xoxb-test', slackWebClientOptions({ apiUrl: url, logger }));
    const started = Date.now();
    const error = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(rateLimitRetryAfter(error)).toBe(7);
    expect(hits()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('a hanging Slack times out and is retried a bounded number of times', async () => {
    const { url, hits } = await serve(() => {
      /* never answers */
    });
    const client = new WebClient(
      'xoxb-test',
      slackWebClientOptions({ apiUrl: url, timeoutMs: 200, retries: 1, logger }),
    );
    const error = await client.auth.test().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(hits()).toBe(2);
    expect(asSlackError('auth.test', error).code).toBe('slack_api_error');
  });

  it('platform errors keep Slack’s reason', async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":false,"error":"channel_not_found"}');
    });
    const client = new WebClient('xoxb-test', slackWebClientOptions({ apiUrl: url, logger }));
    const error = await client.chat.postMessage({ channel: 'C1', text: 'x' }).catch((e: unknown) => e);
    expect(slackErrorCode(error)).toBe('channel_not_found');
    const wrapped = asSlackError('chat.postMessage', error);
    expect(wrapped.message).toBe('Slack chat.postMessage failed: channel_not_found');
    expect(wrapped.details).toMatchObject({ method: 'chat.postMessage', error: 'channel_not_found' });
  });
});
