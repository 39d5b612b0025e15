import { api } from '@pagerduty/pdjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';

/**
 * Pins the behaviours of `@pagerduty/pdjs` 2.2.4 that made `src/pagerduty/` send requests itself (see
 * `createPagerDutyClient`). If an upgrade changes them, these tests fail and the choice should be revisited.
 */
let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

describe('@pagerduty/pdjs 2.2.4', () => {
  it('resolves, rather than rejects, on a 5xx', async () => {
    server.enqueue({ status: 503, body: { error: { message: 'Service Unavailable', code: 0 } } });
    const response = await api({ token: 't', url: `${server.url}/incidents` });
    expect(response.status).toBe(503);
  });

  it('re-sends a 429 three more times even when told retryCount: 0', async () => {
    const tooMany = { status: 429, body: { error: { message: 'Rate Limit Exceeded', code: 2020 } } };
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
});
