import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { instrumentFetch, recordUpstream } from '../../src/observability/instrument-fetch.js';
import { createMetrics } from '../../src/shared/metrics.js';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
import { makeTestClient, PDJS_SENDS_PER_429, rateLimited, times } from './setup.js';
import { lastPage, specResponseExample } from './spec-examples.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

describe('onRequest: one event per HTTP request', () => {
  it('reports each attempt with the endpoint template, never the id or the query', async () => {
    const { client, events } = makeTestClient(server);
    server.enqueue(
      { status: 503, body: { error: { message: 'down', code: 0 } } },
      { body: specResponseExample('GET', '/incidents/{id}') },
      { body: lastPage('GET', '/users') },
    );
    await client.getIncident('PT4KHLK');
    await client.listUsers({ query: 'jane@example.com' });
    expect(events.map(({ durationMs: _d, ...rest }) => rest)).toEqual([
      { method: 'GET', endpoint: '/incidents/{id}', status: 503, attempt: 1, pdjsResend: false },
      { method: 'GET', endpoint: '/incidents/{id}', status: 200, attempt: 2, pdjsResend: false },
      { method: 'GET', endpoint: '/users', status: 200, attempt: 1, pdjsResend: false },
    ]);
    expect(events.every((e) => Number.isFinite(e.durationMs) && e.durationMs >= 0)).toBe(true);
  });

  it('reports requests that got no answer as error', async () => {
    const closed = await startLoopbackServer();
    const url = closed.url;
    await closed.close();
    const { client, events } = makeTestClient({ ...server, url }, { maxRetries: 1 });
    await expect(client.listTeams()).rejects.toThrow(/could not be reached/);
    expect(events.map((e) => [e.endpoint, e.status, e.attempt])).toEqual([
      ['/teams', 'error', 1],
      ['/teams', 'error', 2],
    ]);
  });

  it('counts one request per attempt with an injected fetch (it makes no hidden re-sends)', async () => {
    const { client, events } = makeTestClient(server, { fetch: globalThis.fetch });
    server.enqueue(rateLimited('2'), { body: lastPage('GET', '/priorities') });
    await client.listPriorities();
    expect(server.requests).toHaveLength(2);
    expect(events.map((e) => [e.status, e.attempt, e.pdjsResend])).toEqual([
      [429, 1, false],
      [200, 2, false],
    ]);
  });

  it('survives an observer that throws, and logs it', async () => {
    const { client, logs } = makeTestClient(server, {
      onRequest: () => {
        throw new Error('metrics backend down');
      },
    });
    server.enqueue({ body: lastPage('GET', '/priorities') });
    const result = await client.listPriorities();
    expect(result.items.length).toBeGreaterThan(0);
    expect(logs.some((line) => line.includes('onRequest observer threw'))).toBe(true);
  });
});

describe('onRequest → upstream metrics (as main.ts wires it)', () => {
  it('counts pdjs’s hidden 429s and shares the series with instrumentFetch', async () => {
    const metrics = createMetrics();
    const { client } = makeTestClient(server, {
      timeoutMs: 2_000,
      onRequest: (e) =>
        recordUpstream(metrics, {
          upstream: 'pagerduty',
          method: e.method,
          route: e.endpoint,
          status: e.status,
          seconds: e.durationMs / 1000,
        }),
    });
    server.enqueue(...times(PDJS_SENDS_PER_429, rateLimited('1')), { body: lastPage('GET', '/priorities') });
    await client.listPriorities();
    server.enqueue({ body: { ok: true } });
    await (await instrumentFetch(globalThis.fetch, metrics, 'anthropic')(`${server.url}/v1/messages`)).json();

    const text = await metrics.render();
    const line = (name: string, labels: string): string | undefined =>
      text.split('\n').find((l) => l.startsWith(`incident_bot_${name}{${labels}}`));
    const pd = 'method="GET",route="/priorities"';
    expect(line('upstream_requests_total', `${pd},status="429",upstream="pagerduty"`)).toMatch(/ 4$/);
    expect(line('upstream_requests_total', `${pd},status="200",upstream="pagerduty"`)).toMatch(/ 1$/);
    expect(line('upstream_request_seconds_count', `${pd},upstream="pagerduty"`)).toMatch(/ 5$/);
    expect(line('upstream_request_seconds_count', 'method="GET",route="/v1/messages",upstream="anthropic"')).toMatch(
      / 1$/,
    );
  });
});
