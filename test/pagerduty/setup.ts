import { Writable } from 'node:stream';
import { pino } from 'pino';
import { createPagerDutyClient, type PagerDutyClient, type PagerDutyClientOptions } from '../../src/pagerduty/index.js';
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
}

/**
 * A client pointed at a loopback server, with a manual clock and a sleep that only moves that clock, so retry
 * waits cost no real time while timeouts (real timers on real sockets) stay real.
 */
export function makeTestClient(server: LoopbackServer, overrides: Partial<PagerDutyClientOptions> = {}): TestClient {
  const clock = createManualClock(Date.UTC(2026, 0, 5, 3, 0, 0));
  const waits: number[] = [];
  const logs: string[] = [];
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
    ...overrides,
  });
  return { client, clock, waits, logs };
}
