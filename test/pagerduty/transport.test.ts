import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PagerDutyApiError } from '../../src/pagerduty/index.js';
import { type AppError, ErrorCode } from '../../src/shared/errors.js';
import { type LoopbackServer, type Reply, startLoopbackServer, waitFor } from './loopback-server.js';
import { attemptLogs, makeTestClient, PDJS_SENDS_PER_429, rateLimited, rejection, times } from './setup.js';
import { lastPage, specResponseExample } from './spec-examples.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

/** A short attempt timeout keeps pdjs's real waits between its 429 re-sends short (timeout / 8 = 250 ms). */
const SHORT_429_TIMEOUT = { timeoutMs: 2_000 };

describe('retries and the time budget', () => {
  it('waits as long as ratelimit-reset says once pdjs has re-sent the 429 three times, then succeeds', async () => {
    const { client, waits, logs } = makeTestClient(server, SHORT_429_TIMEOUT);
    server.enqueue(...times(PDJS_SENDS_PER_429, rateLimited('7')), { body: lastPage('GET', '/priorities') });
    const result = await client.listPriorities();
    expect(result.items.length).toBeGreaterThan(0);
    // pdjs's first send and three re-sends (250 ms apart), then our retry after ratelimit-reset.
    expect(server.requests).toHaveLength(5);
    expect(waits).toEqual([7000]);
    expect(attemptLogs(logs)).toEqual([
      { status: 429, requests: 4, pdjsRetryTimeoutMs: 250 },
      { status: 200, requests: 1, pdjsRetryTimeoutMs: 250 },
    ]);
  });

  it('leaves a lone 429 to pdjs, which re-sends it after its short wait (ratelimit-reset is not read)', async () => {
    const { client, waits, events } = makeTestClient(server, SHORT_429_TIMEOUT);
    const arrivals: number[] = [];
    const arrive = (reply: Reply) => () => {
      arrivals.push(performance.now());
      return reply;
    };
    server.enqueue(arrive(rateLimited('7')), arrive({ body: lastPage('GET', '/priorities') }));
    await client.listPriorities();
    expect(server.requests).toHaveLength(2);
    // Our layer never saw the 429, so it never waited the 7 s; pdjs waited its 250 ms (timers never fire early).
    expect(waits).toEqual([]);
    expect((arrivals[1] ?? 0) - (arrivals[0] ?? 0)).toBeGreaterThanOrEqual(245);
    expect(events.map((e) => [e.method, e.endpoint, e.status, e.attempt, e.pdjsResend])).toEqual([
      ['GET', '/priorities', 429, 1, false],
      ['GET', '/priorities', 200, 2, true],
    ]);
  });

  it('honours Retry-After (seconds) when ratelimit-reset is absent', async () => {
    const { client, waits } = makeTestClient(server, SHORT_429_TIMEOUT);
    const tooMany = {
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error: { message: 'Rate Limit Exceeded', code: 2020 } },
    };
    server.enqueue(...times(PDJS_SENDS_PER_429, tooMany), { body: specResponseExample('GET', '/incidents/{id}') });
    await client.getIncident('PT4KHLK');
    expect(waits).toEqual([3000]);
    expect(server.requests).toHaveLength(5);
  });

  it('fails at once when PagerDuty asks to wait longer than the budget left', async () => {
    const { client, waits } = makeTestClient(server, { ...SHORT_429_TIMEOUT, retryBudgetMs: 10_000 });
    server.enqueue(...times(PDJS_SENDS_PER_429, rateLimited('45')), { body: lastPage('GET', '/priorities') });
    const error = await rejection<AppError>(client.listPriorities());
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect((error as PagerDutyApiError).status).toBe(429);
    expect((error as PagerDutyApiError).retryAfterMs).toBe(45_000);
    expect(error.message).toMatch(/wait 45 s/);
    expect(error.message).toMatch(/budget/);
    // Only pdjs's own re-sends went out; our layer did not retry.
    expect(server.requests).toHaveLength(PDJS_SENDS_PER_429);
    expect(waits).toEqual([]);
  });

  it('retries a write on 429 (PagerDuty refused it before doing anything)', async () => {
    const { client, waits } = makeTestClient(server, SHORT_429_TIMEOUT);
    server.enqueue(...times(PDJS_SENDS_PER_429, rateLimited('1')), {
      body: specResponseExample('POST', '/incidents/{id}/notes'),
    });
    const note = await client.createIncidentNote('PT4KHLK', 'Still on it', { from: 'a@example.com' });
    expect(note.content).toBeTruthy();
    expect(server.requests.map((r) => r.method)).toEqual(times(5, 'POST'));
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    expect(waits).toEqual([1000]);
  });

  it('keeps pdjs re-sends and our own waits inside the budget while PagerDuty keeps answering 429', async () => {
    // Production-like time: real for I/O and for pdjs's waits (it has its own timers), instant for our sleeps.
    const started = Date.now();
    let slept = 0;
    const clock = { now: () => Date.now() + slept };
    const waits: number[] = [];
    const budget = 13_000;
    const { client, logs, events } = makeTestClient(server, {
      clock,
      sleep: async (ms) => {
        waits.push(ms);
        slept += ms;
      },
      timeoutMs: 2_000,
      retryBudgetMs: budget,
      maxRetries: 5,
    });
    server.fallback = () => rateLimited('5');
    const error = await rejection<AppError>(client.listPriorities());
    const elapsed = clock.now() - started;
    expect((error as PagerDutyApiError).status).toBe(429);
    expect(error.message).toMatch(/Not retried: that is longer than the \d+ s left of this request's budget/);
    // Two 5 s waits fit in 13 s; the third does not. Each of our three attempts was four HTTP requests.
    expect(waits).toEqual([5000, 5000]);
    const attempts = attemptLogs(logs);
    expect(attempts.map((a) => [a.status, a.requests])).toEqual(times(3, [429, PDJS_SENDS_PER_429]));
    expect(server.requests).toHaveLength(3 * PDJS_SENDS_PER_429);
    expect(events).toHaveLength(server.requests.length);
    expect(events.map((e) => e.attempt)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(events.every((e) => e.status === 429)).toBe(true);
    // pdjs's wait is an eighth of the attempt's time: 250 ms while the 2 s timeout fits in the budget; by the third
    // attempt at most 13 - 10 - 1.5 s (pdjs's six waits so far) are left, so the timeout and the wait shrink.
    expect(attempts.slice(0, 2).map((a) => a.pdjsRetryTimeoutMs)).toEqual([250, 250]);
    expect(attempts[2]?.pdjsRetryTimeoutMs).toBeLessThan(250);
    expect(elapsed).toBeLessThanOrEqual(budget);
  });

  it('charges pdjs’s hidden re-sends to the client-side rate limiter', async () => {
    // 60/min: a burst of 4, then one request per second. pdjs's send + 3 re-sends use the whole burst, so our
    // retry (PagerDuty said ratelimit-reset: 0) waits one interval for the limiter.
    const { client, waits } = makeTestClient(server, { ...SHORT_429_TIMEOUT, rateLimitPerMinute: 60 });
    server.enqueue(...times(PDJS_SENDS_PER_429, rateLimited('0')), { body: lastPage('GET', '/priorities') });
    await client.listPriorities();
    expect(server.requests).toHaveLength(5);
    expect(waits).toEqual([1000]);
  });

  it('retries a GET on 5xx with growing, jittered backoff', async () => {
    const { client, waits } = makeTestClient(server, { random: () => 0 });
    server.enqueue(
      { status: 502, body: 'bad gateway' },
      { status: 503, body: { error: { message: 'Service Unavailable', code: 0 } } },
      { status: 500, body: { error: { message: 'Internal', code: 0 } } },
      { body: specResponseExample('GET', '/incidents/{id}') },
    );
    const incident = await client.getIncident('PT4KHLK');
    expect(incident.id).toBe('PT4KHLK');
    expect(server.requests).toHaveLength(4);
    // Equal jitter with random() = 0 gives exactly half of each exponential step (250, 500, 1000 ms).
    expect(waits).toEqual([125, 250, 500]);
  });

  it('waits as long as Retry-After says on a 503', async () => {
    const { client, waits } = makeTestClient(server);
    server.enqueue(
      { status: 503, headers: { 'retry-after': '2' }, body: { error: { message: 'Service Unavailable', code: 0 } } },
      { body: specResponseExample('GET', '/incidents/{id}') },
    );
    await client.getIncident('PT4KHLK');
    expect(waits).toEqual([2000]);
  });

  it('stops after maxRetries and surfaces the last 5xx', async () => {
    const { client } = makeTestClient(server, { maxRetries: 2 });
    server.fallback = () => ({ status: 503, body: { error: { message: 'Service Unavailable', code: 0 } } });
    const error = await rejection<AppError>(client.getService('PIJ90N7'));
    expect((error as PagerDutyApiError).status).toBe(503);
    expect(error.message).toBe('PagerDuty is having trouble (503) after 3 attempts; try again shortly');
    expect(server.requests).toHaveLength(3);
  });

  it('never retries a POST on 5xx and says the write may have happened', async () => {
    const { client, waits } = makeTestClient(server);
    server.fallback = () => ({ status: 500, body: { error: { message: 'Internal Server Error', code: 0 } } });
    const error = await rejection<AppError>(
      client.createIncident({ title: 'Disk full', serviceId: 'PWIXJZS' }, { from: 'a@example.com' }),
    );
    expect(error).toBeInstanceOf(PagerDutyApiError);
    expect((error as PagerDutyApiError).status).toBe(500);
    expect(error.message).toMatch(/may or may not have been applied/);
    expect(server.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('never retries a PUT on 5xx either', async () => {
    const { client } = makeTestClient(server);
    server.fallback = () => ({ status: 502, body: 'bad gateway' });
    const error = await rejection<AppError>(
      client.updateIncident('PT4KHLK', { status: 'acknowledged' }, { from: 'a@example.com' }),
    );
    expect((error as PagerDutyApiError).status).toBe(502);
    expect(server.requests).toHaveLength(1);
  });

  it('retries an Events API event with a dedup key on 5xx (it is idempotent)', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 502, body: 'bad gateway' }, { status: 202, body: { status: 'success', dedup_key: 'k1' } });
    const result = await client.enqueueEvent({ routing_key: 'R1', event_action: 'resolve', dedup_key: 'k1' });
    expect(result.status).toBe('success');
    expect(server.requests).toHaveLength(2);
  });

  it('gives up when backoff would pass the total budget', async () => {
    const { client, waits } = makeTestClient(server, { retryBudgetMs: 600, random: () => 1 });
    server.fallback = () => ({ status: 503, body: { error: { message: 'down', code: 0 } } });
    const error = await rejection<AppError>(client.getUser('PXPGF42'));
    expect((error as PagerDutyApiError).status).toBe(503);
    // Steps of 250 then 500 ms (random() = 1 takes the full step): 250 fits in 600 ms, 250 + 500 does not.
    expect(waits).toEqual([250]);
    expect(server.requests).toHaveLength(2);
  });
});

describe('timeouts and network errors', () => {
  it('aborts a request that takes longer than timeoutMs, closing the connection', async () => {
    const { client } = makeTestClient(server, { timeoutMs: 200, maxRetries: 0 });
    server.enqueue({ hang: true });
    const error = await rejection<AppError>(client.getIncident('PT4KHLK'));
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toBe('PagerDuty did not answer GET /incidents/{id} within 200 ms');
    await waitFor(() => server.requests[0]?.aborted === true);
    expect(server.requests).toHaveLength(1);
  });

  it('names the budget, not a misleading per-request limit, when the budget cut the wait short', async () => {
    const { client } = makeTestClient(server, { timeoutMs: 5000, retryBudgetMs: 300, maxRetries: 0 });
    server.enqueue({ hang: true });
    const error = await rejection<AppError>(client.getIncident('PT4KHLK'));
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(
      /^PagerDuty did not answer GET \/incidents\/\{id\} in the \d+ ms left of the call's 300 ms budget$/,
    );
  });

  it('aborts a pdjs re-send that outlives the timeout, closing its connection', async () => {
    // 600 ms timeout → pdjs waits 75 ms before re-sending the 429; the re-send never gets an answer.
    const { client, events } = makeTestClient(server, { timeoutMs: 600, maxRetries: 0 });
    server.enqueue(rateLimited('1'), { hang: true });
    const error = await rejection<AppError>(client.listPriorities());
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toBe('PagerDuty did not answer GET /priorities within 600 ms');
    await waitFor(() => server.requests[1]?.aborted === true);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.aborted).toBe(false);
    expect(events.map((e) => [e.status, e.attempt, e.pdjsResend])).toEqual([
      [429, 1, false],
      ['error', 2, true],
    ]);
  });

  it('retries a GET after a timeout and succeeds', async () => {
    // Generous: the second, answered attempt must fit in the same timeout on a loaded machine.
    const { client } = makeTestClient(server, { timeoutMs: 1500 });
    server.enqueue({ hang: true }, { body: specResponseExample('GET', '/incidents/{id}') });
    const incident = await client.getIncident('PT4KHLK');
    expect(incident.id).toBe('PT4KHLK');
    expect(server.requests).toHaveLength(2);
    await waitFor(() => server.requests[0]?.aborted === true);
  });

  it('does not retry a write that timed out', async () => {
    const { client } = makeTestClient(server, { timeoutMs: 200 });
    server.enqueue({ hang: true });
    const error = await rejection<AppError>(client.snoozeIncident('PT4KHLK', 600, { from: 'a@example.com' }));
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(/may or may not have been applied/);
    expect(server.requests).toHaveLength(1);
  });

  it('reports an unreachable PagerDuty as unavailable after bounded retries', async () => {
    const closed = await startLoopbackServer();
    const url = closed.url;
    await closed.close();
    const { client, waits } = makeTestClient({ ...server, url }, { maxRetries: 2 });
    const error = await rejection<AppError>(client.listTeams());
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(/^PagerDuty could not be reached for GET \/teams/);
    expect(waits).toHaveLength(2);
  });

  it('keeps the query (which may hold an email) out of network error messages', async () => {
    const closed = await startLoopbackServer();
    const url = closed.url;
    await closed.close();
    const { client } = makeTestClient({ ...server, url }, { maxRetries: 0 });
    const error = await rejection<AppError>(client.listUsers({ query: 'jane.doe@example.com' }));
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(
      /^PagerDuty could not be reached for GET \/users: fetch failed \(connect ECONNREFUSED/,
    );
    expect(error.message).not.toContain('jane');
    expect(error.message).not.toContain(url);
  });

  it('stops when the caller cancels, without retrying', async () => {
    const { client } = makeTestClient(server, { timeoutMs: 5_000 });
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = rejection<AppError>(client.getIncident('PT4KHLK', { signal: controller.signal }));
    await waitFor(() => server.requests.length === 1);
    controller.abort();
    const error = await pending;
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(/cancelled/);
    await waitFor(() => server.requests[0]?.aborted === true);
    expect(server.requests).toHaveLength(1);
  });
});

describe('client-side rate limit', () => {
  it('paces requests beyond the burst at the configured rate', async () => {
    // 900/min leaves a burst of 60: the 61st request waits one interval (60 000 / 900 ≈ 66.7 ms).
    const { client, waits } = makeTestClient(server, { rateLimitPerMinute: 900 });
    server.fallback = () => ({ body: specResponseExample('GET', '/users/{id}') });
    for (let i = 0; i < 62; i += 1) await client.getUser('PXPGF42');
    expect(waits).toEqual([67, 67]);
    expect(server.requests).toHaveLength(62);
  });

  it('refuses to queue a request past its budget', async () => {
    const { client } = makeTestClient(server, { rateLimitPerMinute: 1, retryBudgetMs: 5_000 });
    server.fallback = () => ({ body: specResponseExample('GET', '/users/{id}') });
    await client.getUser('PXPGF42');
    const error = await rejection<AppError>(client.getUser('PXPGF42'));
    expect(error.code).toBe(ErrorCode.PagerDutyUnavailable);
    expect(error.message).toMatch(/client-side rate limit \(1\/min\)/);
    expect(server.requests).toHaveLength(1);
  });
});
