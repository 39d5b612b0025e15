import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Exchange,
  type PagerDutySimulator,
  startPagerDutySimulator,
} from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { pd } from './http.js';

const clock = createManualClock(Date.UTC(2026, 10, 2, 8, 0, 0));
let sim: PagerDutySimulator;

beforeAll(async () => {
  sim = await startPagerDutySimulator({
    clock,
    seed: 2,
    org: 'empty',
    tokens: ['primary-token', 'second-token', 'burst-token'],
  });
});

afterAll(async () => {
  await sim.close();
});

describe('authentication', () => {
  it('accepts Token token= and Bearer forms of a configured token, and answers 401 otherwise', async () => {
    expect(sim.token).toBe('primary-token');
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await pd(sim, 'GET', '/teams')).status).toBe(200);
    const bearer = await pd(sim, 'GET', '/teams', { token: null, headers: { Authorization: 'Bearer second-token' } });
    expect(bearer.status).toBe(200);
    for (const authorization of [undefined, 'Token token=wrong', 'Basic cHJpbWFyeS10b2tlbg==']) {
      const res = await pd(sim, 'GET', '/teams', {
        token: null,
        headers: authorization ? { Authorization: authorization } : {},
        allowInvalidRequest: true,
      });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.body.error.code).toBe(2006);
      expect(res.violations).toEqual([]);
    }
  });
});

describe('rate limit', () => {
  it('allows 960 requests a minute per token, then answers 429 with the ratelimit headers until the window resets', {
    timeout: 180_000,
  }, async () => {
    const first = await pd(sim, 'GET', '/priorities', { token: 'burst-token' });
    expect(first.headers.get('ratelimit-limit')).toBe('960');
    expect(first.headers.get('ratelimit-remaining')).toBe('959');
    expect(Number(first.headers.get('ratelimit-reset'))).toBe(60);
    const statuses: number[] = [];
    for (let i = 0; i < 960; i += 40) {
      const batch = await Promise.all(
        Array.from({ length: 40 }, () => pd(sim, 'GET', '/priorities', { token: 'burst-token' }).then((r) => r.status)),
      );
      statuses.push(...batch);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(959);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    clock.advance(20_000);
    const limited = await pd(sim, 'GET', '/priorities', { token: 'burst-token' });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { message: 'Rate Limit Exceeded', code: 2020 } });
    expect(limited.violations).toEqual([]);
    expect([limited.headers.get('ratelimit-remaining'), limited.headers.get('ratelimit-reset')]).toEqual(['0', '40']);
    // Other tokens have their own budget.
    expect((await pd(sim, 'GET', '/priorities', { token: 'second-token' })).status).toBe(200);
    clock.advance(40_000);
    expect((await pd(sim, 'GET', '/priorities', { token: 'burst-token' })).status).toBe(200);
  });
});

describe('requests the API does not serve', () => {
  it('answers unknown paths and unsupported methods with 404 in PagerDuty’s error shape', async () => {
    const unknown = await fetch(`${sim.url}/no/such/thing`, { headers: { Authorization: `Token token=${sim.token}` } });
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(((await unknown.json()) as { error: { code: number } }).error.code).toBe(2100);
    const method = await fetch(`${sim.url}/priorities`, {
      method: 'DELETE',
      headers: { Authorization: `Token token=${sim.token}` },
    });
    expect(method.status).toBe(404);
    expect(JSON.stringify(await method.json())).toContain('DELETE is not supported');
  });

  it('refuses bodies over 1 MB', async () => {
    const res = await pd(sim, 'POST', '/incidents', {
      from: sim.org.users[0]?.email,
      body: {
        incident: { type: 'incident', title: 'x'.repeat(1_100_000), service: { id: 'P1', type: 'service_reference' } },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.errors[0]).toContain('1 MB');
  });
});

describe('onExchange', () => {
  it('reports each request and its answer until unsubscribed', async () => {
    const seen: Exchange[] = [];
    const stop = sim.onExchange((e) => seen.push(e));
    await pd(sim, 'GET', '/users?query=grace');
    await pd(sim, 'POST', '/incidents', {
      from: sim.org.users[0]?.email,
      body: { incident: { type: 'incident' } },
      allowInvalidRequest: true,
    });
    stop();
    await pd(sim, 'GET', '/teams');
    expect(seen.map((e) => [e.method, e.path, e.status])).toEqual([
      ['GET', '/users', 200],
      ['POST', '/incidents', 400],
    ]);
    expect(seen[0]?.query).toEqual({ query: 'grace' });
    expect(seen[0]?.requestHeaders.authorization).toBe('Token token=primary-token');
    expect((seen[0]?.responseBody as { users?: unknown[] } | undefined)?.users).toHaveLength(1);
    expect(seen[1]?.requestBody).toEqual({ incident: { type: 'incident' } });
    expect(seen[1]?.responseHeaders['Content-Type']).toBe('application/json; charset=utf-8');
  });
});
