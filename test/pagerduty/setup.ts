import { Writable } from 'node:stream';
import { pino } from 'pino';
import {
  createPagerDutyClient,
  type PagerDutyClient,
  type PagerDutyClientOptions,
  type PagerDutyRequestEvent,
} from '../../src/pagerduty/index.js';
import { createManualClock } from '../../src/shared/clock.js';
import type { LoopbackServer } from './loopback-server.js';

export const TEST_TOKEN = 'u+testtoken_abcdef123456';

export interface TestClient {
  client: PagerDutyClient;
  clock: ReturnType<typeof createManualClock>;
  /** Every wait the client asked for (retry backoff, rate limiter), in milliseconds. */
  waits: number[];
  /** Log lines the client wrote (JSON). */
  logs: string[];
  /** What `onRequest` reported, one event per HTTP request (pdjs's own 429 re-sends included). */
  events: PagerDutyRequestEvent[];
}

/** What `promise` rejected with (typed as `E` for the caller); fails the test when it resolves instead. */
export async function rejection<E = unknown>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    return error as E;
  }
  throw new Error('expected the call to fail');
}

/**
 * The 429 answer PagerDuty sends when a token is over its limit (REST API rate-limit headers). `@pagerduty/pdjs`
 * re-sends a 429 three times on its own before our transport sees it, so it takes `PDJS_SENDS_PER_429` of these
 * for one attempt of ours to end in a 429.
 */
export const rateLimited = (resetSeconds: string, extra: Record<string, string> = {}) => ({
  status: 429,
  headers: { 'ratelimit-limit': '960', 'ratelimit-remaining': '0', 'ratelimit-reset': resetSeconds, ...extra },
  body: { error: { message: 'Rate Limit Exceeded', code: 2020 } },
});

/** HTTP requests in one attempt that ends in a 429: pdjs's first send plus its three re-sends. */
export const PDJS_SENDS_PER_429 = 4;

/** `count` copies of a reply, for `server.enqueue(...)`. */
export function times<T>(count: number, reply: T): T[] {
  return Array.from({ length: count }, () => reply);
}

/** Debug lines the transport logs per answered attempt (status, requests sent, pdjs's wait between re-sends). */
export function attemptLogs(
  logs: readonly string[],
): Array<{ status: number; requests: number; pdjsRetryTimeoutMs: number }> {
  return logs
    .map(
      (line) => JSON.parse(line) as { msg?: string; status?: number; requests?: number; pdjsRetryTimeoutMs?: number },
    )
    .filter((entry) => entry.msg === 'pagerduty' && typeof entry.status === 'number')
    .map((entry) => ({
      status: entry.status as number,
      requests: entry.requests as number,
      pdjsRetryTimeoutMs: entry.pdjsRetryTimeoutMs as number,
    }));
}

/**
 * A client pointed at a loopback server, with a manual clock and a sleep that only moves that clock, so retry
 * waits cost no real time while timeouts (real timers on real sockets) stay real.
 */
export function makeTestClient(server: LoopbackServer, overrides: Partial<PagerDutyClientOptions> = {}): TestClient {
  const clock = createManualClock(Date.UTC(2026, 0, 5, 3, 0, 0));
  const waits: number[] = [];
  const logs: string[] = [];
  const events: PagerDutyRequestEvent[] = [];
  const sink = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const client = createPagerDutyClient({
    token: TEST_TOKEN,
    baseUrl: server.url,
    eventsUrl: `${server.url}/events`,
    clock,
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
    logger,
    timeoutMs: 5_000,
    onRequest: (event) => {
      events.push(event);
    },
    ...overrides,
  });
  return { client, clock, waits, logs, events };
}
