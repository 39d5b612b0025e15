import { afterEach, describe, expect, it } from 'vitest';
import { createFaultInjector } from '../../../src/sandbox/pagerduty/faults.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { pd } from './http.js';

describe('fault decisions', () => {
  it('are a function of the seed and of the requests per path, whatever the interleaving', () => {
    const options = { errorRate: 0.3, latencyMs: { min: 10, max: 90 }, resetRate: 0.1 };
    const a = createFaultInjector(42, options);
    const b = createFaultInjector(42, options);
    const c = createFaultInjector(43, options);
    const seqA = Array.from({ length: 50 }, () => a.decide('GET', '/incidents'));
    // b sees the same /incidents requests, interleaved with other paths.
    const seqB = Array.from({ length: 50 }, () => {
      b.decide('GET', '/users');
      return b.decide('GET', '/incidents');
    });
    const seqC = Array.from({ length: 50 }, () => c.decide('GET', '/incidents'));
    expect(seqB).toEqual(seqA);
    expect(seqC).not.toEqual(seqA);
    expect(seqA.every((d) => d.latencyMs >= 10 && d.latencyMs <= 90)).toBe(true);
    const errors = seqA.filter((d) => d.action.kind === 'error').length;
    expect(errors).toBeGreaterThan(5);
    expect(errors).toBeLessThan(30);
  });

  it('applies the first matching rule by path pattern and method over the global values', () => {
    const faults = createFaultInjector(1, {
      latencyMs: 5,
      rules: [
        { path: '/incidents/*', methods: ['PUT'], errorRate: 1, errorStatus: 503 },
        { path: /^\/oncalls$/, latencyMs: 250 },
      ],
    });
    expect(faults.decide('PUT', '/incidents/Q1')).toEqual({ latencyMs: 5, action: { kind: 'error', status: 503 } });
    expect(faults.decide('GET', '/incidents/Q1').action.kind).toBe('none');
    expect(faults.decide('PUT', '/incidents/Q1/notes').action.kind).toBe('none');
    expect(faults.decide('GET', '/oncalls')).toEqual({ latencyMs: 250, action: { kind: 'none' } });
    faults.set({});
    expect(faults.decide('PUT', '/incidents/Q1')).toEqual({ latencyMs: 0, action: { kind: 'none' } });
  });

  it('starts bursts of 429s of the configured length', () => {
    const faults = createFaultInjector(7, { rateLimitRate: 0.2, rateLimitBurst: 4 });
    const kinds = Array.from({ length: 200 }, (_, i) => faults.decide('GET', `/users/${i}`).action.kind);
    const runs = kinds.join(',').match(/(rate_limit,?)+/g) ?? [];
    expect(runs.length).toBeGreaterThan(0);
    for (const run of runs) expect(run.split(',').filter(Boolean).length % 4).toBe(0);
  });
});

describe('faults over HTTP', () => {
  let sims: PagerDutySimulator[] = [];
  afterEach(async () => {
    await Promise.all(sims.map((s) => s.close()));
    sims = [];
  });
  const start = async (seed: number) => {
    const sim = await startPagerDutySimulator({ seed, org: 'empty', clock: createManualClock(Date.UTC(2026, 1, 1)) });
    sims.push(sim);
    return sim;
  };

  it('gives two simulators with the same seed the same faults, in PagerDuty’s error shape', async () => {
    const statuses = async (sim: PagerDutySimulator): Promise<number[]> => {
      sim.setFaults({
        errorRate: 0.4,
        errorStatus: 502,
        rules: [{ path: '/teams', rateLimitRate: 0.3, rateLimitBurst: 2 }],
      });
      const out: number[] = [];
      for (let i = 0; i < 25; i++) out.push((await pd(sim, 'GET', '/priorities')).status);
      for (let i = 0; i < 25; i++) out.push((await pd(sim, 'GET', '/teams')).status);
      return out;
    };
    const [a, b] = [await start(99), await start(99)];
    const first = await statuses(a as PagerDutySimulator);
    expect(await statuses(b as PagerDutySimulator)).toEqual(first);
    expect(first).toContain(502);
    expect(first).toContain(429);
    expect(first).toContain(200);
    (a as PagerDutySimulator).setFaults({ errorRate: 1, errorStatus: 503 });
    const failed = await pd(a as PagerDutySimulator, 'GET', '/users');
    expect([failed.status, failed.body.error.code]).toEqual([503, 2000]);
    expect(failed.violations).toEqual([]);
    (a as PagerDutySimulator).setFaults({ rateLimitRate: 1, rateLimitBurst: 1 });
    const limited = await pd(a as PagerDutySimulator, 'GET', '/users');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBeGreaterThan(0);
    expect(limited.violations).toEqual([]);
  });

  it('never half-applies a write: a reset before processing drops it, a reset after processing keeps it', async () => {
    const sim = await start(5);
    const from = sim.org.users[0]?.email as string;
    const serviceId = sim.org.services[0]?.id as string;
    const count = async () => {
      sim.setFaults({});
      const res = await pd(sim, 'GET', '/incidents?date_range=all&total=true&limit=1');
      return res.body.total as number;
    };
    const post = () =>
      fetch(`${sim.url}/incidents`, {
        method: 'POST',
        headers: { Authorization: `Token token=${sim.token}`, 'Content-Type': 'application/json', From: from },
        body: JSON.stringify({
          incident: { type: 'incident', title: 'Faulted write', service: { id: serviceId, type: 'service_reference' } },
        }),
      });
    expect(await count()).toBe(0);
    sim.setFaults({ rules: [{ path: '/incidents', methods: ['POST'], resetRate: 1 }] });
    await expect(post()).rejects.toThrow();
    expect(await count()).toBe(0);
    sim.setFaults({ rules: [{ path: '/incidents', methods: ['POST'], resetRate: 1, resetAfterWrite: true }] });
    await expect(post()).rejects.toThrow();
    expect(await count()).toBe(1);
    sim.setFaults({ rules: [{ path: '/incidents', methods: ['POST'], errorRate: 1 }] });
    expect((await post()).status).toBe(500);
    expect(await count()).toBe(1);
  });
});
