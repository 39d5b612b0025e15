import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PDJS_BODY_NOT_JSON, PDJS_RESENDS_PER_429, pdjsFetch } from '../../src/pagerduty/index.js';
import { type LoopbackServer, type Reply, startLoopbackServer, waitFor } from './loopback-server.js';
import { rateLimited, rejection, times } from './setup.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

const PDJS_USER_AGENT = /^pdjs\/2\.0\.0 \(v\d+\.\d+\.\d+\/[a-z0-9]+\)$/;

describe('pdjsFetch: requests go out through @pagerduty/pdjs', () => {
  it('sends the method, full URL with its query, our headers and the JSON body; pdjs writes the token header', async () => {
    server.enqueue({ body: { incident: { id: 'PT4KHLK' } } });
    const response = await pdjsFetch(`${server.url}/incidents/PT4KHLK?include%5B%5D=assignees&include%5B%5D=teams`, {
      method: 'PUT',
      headers: {
        authorization: 'Token token=u+abc',
        accept: 'application/vnd.pagerduty+json;version=2',
        'content-type': 'application/json',
        from: 'oncall@example.com',
      },
      body: JSON.stringify({ incident: { type: 'incident_reference', status: 'acknowledged' } }),
    });
    expect(response.status).toBe(200);
    const [seen] = server.requests;
    expect(seen?.method).toBe('PUT');
    expect(seen?.url).toBe('/incidents/PT4KHLK?include%5B%5D=assignees&include%5B%5D=teams');
    expect(seen?.headers.authorization).toBe('Token token=u+abc');
    expect(seen?.headers.accept).toBe('application/vnd.pagerduty+json;version=2');
    // Our lower-case names replace pdjs's `Content-Type` default instead of being joined to it.
    expect(seen?.headers['content-type']).toBe('application/json');
    expect(seen?.headers.from).toBe('oncall@example.com');
    expect(seen?.headers['user-agent']).toMatch(PDJS_USER_AGENT);
    expect(seen?.json).toEqual({ incident: { type: 'incident_reference', status: 'acknowledged' } });
  });

  it('passes a Bearer token through as pdjs’s bearer token type, and any other scheme as given', async () => {
    server.enqueue({ body: {} }, { body: {} });
    await pdjsFetch(`${server.url}/users/me`, { headers: { Authorization: 'Bearer oauth-token' } });
    await pdjsFetch(`${server.url}/users/me`, { headers: { Authorization: 'Custom abc' } });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual(['Bearer oauth-token', 'Custom abc']);
  });

  it('answers with the status, the headers and the same JSON data (wire-only headers dropped)', async () => {
    server.enqueue({
      status: 201,
      headers: { 'ratelimit-remaining': '959', 'x-request-id': 'abc' },
      body: { note: { id: 'PN1', content: 'ünïcødé ✓' } },
    });
    const response = await pdjsFetch(`${server.url}/incidents/P1/notes`, {
      method: 'POST',
      headers: { Authorization: 'Token token=t' },
      body: JSON.stringify({ note: { content: 'x' } }),
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('ratelimit-remaining')).toBe('959');
    expect(response.headers.get('x-request-id')).toBe('abc');
    expect(response.headers.get('content-length')).toBeNull();
    expect(response.url).toBe(`${server.url}/incidents/P1/notes`);
    expect(await response.json()).toEqual({ note: { id: 'PN1', content: 'ünïcødé ✓' } });
  });

  it('answers a 204 with no body', async () => {
    server.enqueue({ status: 204 });
    const response = await pdjsFetch(`${server.url}/x`, {
      method: 'DELETE',
      headers: { Authorization: 'Token token=t' },
    });
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it('keeps status and headers when pdjs rejects a body that is not JSON, marking the body it consumed', async () => {
    server.enqueue({ status: 502, headers: { 'retry-after': '2' }, body: '<html>bad gateway</html>' });
    const response = await pdjsFetch(`${server.url}/incidents`, { headers: { Authorization: 'Token token=t' } });
    expect(response.status).toBe(502);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(await response.text()).toBe(PDJS_BODY_NOT_JSON);
    expect(() => JSON.parse(PDJS_BODY_NOT_JSON)).toThrow();
  });

  it('without an Authorization header, sends through pdjs’s request() and never adds a credential', async () => {
    server.enqueue({ status: 202, body: 'accepted, not JSON' });
    const body = JSON.stringify({ routing_key: 'R1', event_action: 'trigger' });
    const response = await pdjsFetch(`${server.url}/v2/enqueue`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    });
    const [seen] = server.requests;
    expect(seen?.headers.authorization).toBeUndefined();
    expect(seen?.headers['user-agent']).toMatch(PDJS_USER_AGENT);
    expect(seen?.body).toBe(body);
    // This path hands the body back byte for byte, JSON or not.
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('accepted, not JSON');
  });

  it('accepts a Request and is usable wherever a fetch is', async () => {
    const asFetch: typeof fetch = pdjsFetch;
    server.enqueue({ body: { ok: true } });
    const request = new Request(`${server.url}/incidents/P1/notes`, {
      method: 'POST',
      headers: { Authorization: 'Token token=t' },
      body: '{"note":{"content":"hi"}}',
    });
    const response = await asFetch(request);
    expect(await response.json()).toEqual({ ok: true });
    expect(server.requests[0]?.json).toEqual({ note: { content: 'hi' } });
  });
});

describe('pdjsFetch: what pdjs does on its own, contained', () => {
  it('reports each send: pdjs re-sends a 429 three times, retryTimeout apart, then hands back the last 429', async () => {
    const arrivals: number[] = [];
    const arrive = (reply: Reply) => () => {
      arrivals.push(performance.now());
      return reply;
    };
    server.enqueue(...times(3, rateLimited('30')).map(arrive), arrive(rateLimited('12')));
    const sends: number[] = [];
    const response = await pdjsFetch(`${server.url}/incidents`, {
      headers: { Authorization: 'Token token=t' },
      pdjsRetryTimeoutMs: 100,
      onPdjsSend: (send) => sends.push(send),
    });
    expect(PDJS_RESENDS_PER_429).toBe(3);
    expect(sends).toEqual([1, 2, 3, 4]);
    expect(server.requests).toHaveLength(4);
    expect(response.status).toBe(429);
    expect(response.headers.get('ratelimit-reset')).toBe('12');
    for (let i = 1; i < arrivals.length; i += 1) {
      expect((arrivals[i] ?? 0) - (arrivals[i - 1] ?? 0)).toBeGreaterThanOrEqual(95);
    }
  });

  it('an observer that throws does not break the request', async () => {
    server.enqueue({ body: { ok: true } });
    const response = await pdjsFetch(`${server.url}/x`, {
      headers: { Authorization: 'Token token=t' },
      onPdjsSend: () => {
        throw new Error('observer bug');
      },
    });
    expect(response.status).toBe(200);
  });

  it('an abort closes the socket and rejects with the signal’s reason', async () => {
    server.enqueue({ hang: true });
    const controller = new AbortController();
    const pending = rejection(
      pdjsFetch(`${server.url}/incidents`, { headers: { Authorization: 'Token token=t' }, signal: controller.signal }),
    );
    await waitFor(() => server.requests.length === 1);
    const reason = new Error('timed out');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    await waitFor(() => server.requests[0]?.aborted === true);
  });

  it('an abort while pdjs waits to re-send a 429 settles at once; pdjs’s doomed re-send never reaches the wire', async () => {
    server.enqueue(rateLimited('1'));
    const controller = new AbortController();
    const sends: number[] = [];
    const pending = rejection(
      pdjsFetch(`${server.url}/incidents`, {
        headers: { Authorization: 'Token token=t' },
        signal: controller.signal,
        pdjsRetryTimeoutMs: 800,
        onPdjsSend: (send) => sends.push(send),
      }),
    );
    await waitFor(() => server.requests.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(new Error('cancelled'));
    expect(((await pending) as Error).message).toBe('cancelled');
    // Settled before pdjs's 800 ms timer: it has not tried its re-send yet.
    expect(sends).toEqual([1]);
    // When its timer fires, pdjs tries (node-fetch builds the request, sees the abort, sends nothing).
    await waitFor(() => sends.length === 2);
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const reason = new Error('too late');
    const error = await rejection(
      pdjsFetch(`${server.url}/incidents`, {
        headers: { Authorization: 'Token token=t' },
        signal: AbortSignal.abort(reason),
      }),
    );
    expect(error).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('reports a network failure as fetch does, without the URL (its query may hold an email)', async () => {
    const closed = await startLoopbackServer();
    await closed.close();
    const error = await rejection(
      pdjsFetch(`${closed.url}/users?query=jane%40example.com`, { headers: { Authorization: 'Token token=t' } }),
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('fetch failed');
    const cause = (error as { cause?: Error & { code?: string } }).cause;
    expect(cause?.message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
    expect(cause?.code).toBe('ECONNREFUSED');
  });

  it('hands a redirect back instead of following it', async () => {
    server.enqueue({ status: 302, headers: { location: '/elsewhere' }, body: {} });
    const response = await pdjsFetch(`${server.url}/incidents`, { headers: { Authorization: 'Token token=t' } });
    expect(response.status).toBe(302);
    expect(server.requests).toHaveLength(1);
  });

  it('refuses what pdjs cannot send as given, and sends nothing', async () => {
    const url = `${server.url}/incidents`;
    const auth = { Authorization: 'Token token=t' };
    await expect(pdjsFetch(url, { method: 'GET', headers: auth, body: '{}' })).rejects.toThrow(/cannot have a body/);
    await expect(pdjsFetch(url, { method: 'POST', headers: auth, body: 'not json' })).rejects.toThrow(/not JSON/);
    await expect(pdjsFetch(url, { method: 'POST', headers: auth, body: new Uint8Array([1]) })).rejects.toThrow(
      /JSON text bodies only/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
