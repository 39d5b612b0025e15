import { api, event } from '@pagerduty/pdjs';
import { request } from '@pagerduty/pdjs/build/src/common.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';

/**
 * Pins the behaviours of `@pagerduty/pdjs` 2.2.4 that `src/pagerduty/pdjs-fetch.ts` relies on or works around
 * (see `docs/PAGERDUTY.md`). If an upgrade changes one of them, these tests fail and the adapter must be revisited.
 */
let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

const tooMany = { status: 429, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } };

describe('@pagerduty/pdjs 2.2.4', () => {
  it('resolves, rather than rejects, on a 5xx', async () => {
    server.enqueue({ status: 503, body: { error: { message: 'Service Unavailable', code: 0 } } });
    const response = await api({ token: 't', url: `${server.url}/incidents` });
    expect(response.status).toBe(503);
  });

  it('re-sends a 429 three more times even when told retryCount: 0', async () => {
    server.enqueue(tooMany, tooMany, tooMany, tooMany);
    const response = await api({ token: 't', url: `${server.url}/incidents`, retryCount: 0, retryTimeout: 1 });
    expect(response.status).toBe(429);
    expect(server.requests).toHaveLength(4);
  });

  it('cannot find the resource key for a non-.com host', async () => {
    server.enqueue({ body: { incidents: [], more: false, limit: 25, offset: 0 } });
    const response = await api({ token: 't', url: `${server.url}/incidents` });
    expect(response.data).toEqual({ incidents: [], more: false, limit: 25, offset: 0 });
    expect(response.resource).toBeNull();
  });

  it('rejects with the response itself (status and headers kept, body consumed) when the body is not JSON', async () => {
    server.enqueue({ status: 200, headers: { 'x-trace': 'abc' }, body: '<html>gateway</html>' });
    const rejected = await api({ token: 't', url: `${server.url}/incidents` }).then(
      () => undefined,
      (reason: unknown) => reason as Response,
    );
    expect(rejected?.status).toBe(200);
    expect(rejected?.headers.get('x-trace')).toBe('abc');
    expect(rejected?.bodyUsed).toBe(true);
  });

  it('hands every option on to node-fetch, which calls an agent function once per request it sends', async () => {
    server.enqueue(tooMany, tooMany, { body: {} });
    let agentCalls = 0;
    const options = {
      token: 't',
      url: `${server.url}/incidents`,
      retryTimeout: 1,
      agent: () => {
        agentCalls += 1;
        return undefined;
      },
    };
    const response = await api(options as typeof options & { url: string });
    expect(response.status).toBe(200);
    expect(server.requests).toHaveLength(3);
    expect(agentCalls).toBe(3);
  });

  it('puts its JSON Content-Type on every request (GETs too) and lets our headers replace its defaults', async () => {
    server.enqueue({ body: {} }, { body: {} });
    await api({ token: 't', url: `${server.url}/a` });
    await api({
      token: 't',
      url: `${server.url}/b`,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'us' },
    });
    expect(server.requests.map((r) => [r.headers['content-type'], r.headers['user-agent']])).toEqual([
      ['application/json; charset=utf-8', expect.stringMatching(/^pdjs\//)],
      ['application/json', 'us'],
    ]);
  });

  it('sends through request() (what event() uses) with no Authorization header', async () => {
    server.enqueue({ status: 202, body: { status: 'success' } });
    const response = await request(`${server.url}/v2/enqueue`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('builds only https:// Events API URLs in event(), so it cannot reach a plain-http endpoint', async () => {
    const host = new URL(server.url).host;
    const data = {
      routing_key: 'R1',
      event_action: 'trigger' as const,
      payload: { summary: 's', source: 'h', severity: 'info' as const },
    };
    await expect(event({ server: host, data })).rejects.toThrow();
    expect(server.requests).toHaveLength(0);
  });
});
