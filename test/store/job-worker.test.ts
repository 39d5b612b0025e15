import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { systemClock } from '../../src/shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { createMetrics } from '../../src/shared/metrics.js';
import { createDb } from '../../src/store/db.js';
import {
  backoffDelay,
  createJobWorker,
  defineJobHandler,
  type JobContext,
  type JobWorker,
  requestedRetryDelay,
} from '../../src/store/job-worker.js';
import { createJobQueue, createWakeBus } from '../../src/store/jobs.js';
import { createStore } from '../../src/store/store.js';
import { BACKENDS, deferred, T0, TEST_DATABASE_URL, useTestStore, waitFor } from './support.js';

describe('backoffDelay', () => {
  it('doubles per attempt from the base, caps at the maximum, and jitters within the upper half', () => {
    const opts = { baseMs: 1000, maxMs: 10_000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(500);
    expect(backoffDelay(1, opts, () => 1)).toBe(1000);
    expect(backoffDelay(3, opts, () => 0)).toBe(2000);
    expect(backoffDelay(3, opts, () => 1)).toBe(4000);
    expect(backoffDelay(20, opts, () => 1)).toBe(10_000);
    expect(backoffDelay(20, opts, () => 0)).toBe(5000);
    for (let i = 0; i < 200; i += 1) {
      const d = backoffDelay(4, opts);
      expect(d).toBeGreaterThanOrEqual(4000);
      expect(d).toBeLessThanOrEqual(8000);
    }
  });
});

describe('requestedRetryDelay', () => {
  it("reads an AppError's retryAfter seconds, bounded, and nothing else", () => {
    const limited = (retryAfter: unknown) => new AppError(ErrorCode.SlackApi, 'limited', { details: { retryAfter } });
    expect(requestedRetryDelay(limited(2))).toBe(2000);
    expect(requestedRetryDelay(limited(86_400))).toBe(15 * 60_000);
    expect(requestedRetryDelay(limited(-1))).toBe(0);
    expect(requestedRetryDelay(limited('30'))).toBe(0);
    expect(requestedRetryDelay(new AppError(ErrorCode.SlackApi, 'no hint'))).toBe(0);
    expect(requestedRetryDelay(Object.assign(new Error('plain'), { details: { retryAfter: 5 } }))).toBe(0);
  });
});

describe.each(BACKENDS)('job worker on %s', (backend) => {
  const t = useTestStore(backend);
  const workers: JobWorker[] = [];
  const worker = (options: Omit<Parameters<typeof createJobWorker>[0], 'jobs'>): JobWorker => {
    const w = createJobWorker({ jobs: t.store.jobs, clock: t.clock, random: () => 0, ...options });
    workers.push(w);
    return w;
  };

  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop({ timeoutMs: 2000 })));
  });

  it('runs a due job with its payload and context, and marks it succeeded', async () => {
    const seen: Array<{ payload: unknown; job: JobContext }> = [];
    const w = worker({
      handlers: {
        triage: async (payload, job) => {
          seen.push({ payload, job });
        },
      },
    });
    const { id } = await t.store.jobs.enqueue(
      'triage',
      { incidentId: 'PABC' },
      { orderingKey: 'PABC', dedupeKey: 'd1' },
    );
    expect(await w.runDue()).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.payload).toEqual({ incidentId: 'PABC' });
    expect(seen[0]?.job).toMatchObject({
      id,
      kind: 'triage',
      attempt: 1,
      maxAttempts: 5,
      orderingKey: 'PABC',
      dedupeKey: 'd1',
      createdAt: new Date(T0),
    });
    expect(seen[0]?.job.signal.aborted).toBe(false);
    expect((await t.store.jobs.get(id))?.state).toBe('succeeded');
    expect(await w.runDue()).toBe(0);
  });

  it('retries a failing job after an exponential backoff from the injected clock, keeping the last error', async () => {
    let calls = 0;
    const w = worker({
      backoff: { baseMs: 1000, maxMs: 60_000 },
      handlers: {
        flaky: async () => {
          calls += 1;
          if (calls < 3) throw new Error(`transient ${calls}`);
        },
      },
    });
    const { id } = await t.store.jobs.enqueue('flaky', {});
    expect(await w.runDue()).toBe(1);
    expect(await t.store.jobs.get(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      runAt: new Date(T0 + 500),
      lastError: 'Error: transient 1',
    });
    t.clock.advance(499);
    expect(await w.runDue()).toBe(0);
    t.clock.advance(1);
    expect(await w.runDue()).toBe(1);
    expect((await t.store.jobs.get(id))?.runAt).toEqual(new Date(T0 + 500 + 1000));
    t.clock.advance(1000);
    expect(await w.runDue()).toBe(1);
    expect(await t.store.jobs.get(id)).toMatchObject({
      state: 'succeeded',
      attempts: 3,
      lastError: 'Error: transient 2',
    });
  });

  it("waits as long as a failure asks (a rate limit's retryAfter) when that is longer than the backoff", async () => {
    const w = worker({
      backoff: { baseMs: 1000, maxMs: 60_000 },
      handlers: {
        limited: async () => {
          throw new AppError(ErrorCode.SlackApi, 'Slack chat.postMessage failed: rate limited', {
            details: { retryAfter: 30 },
          });
        },
      },
    });
    const { id } = await t.store.jobs.enqueue('limited', {});
    expect(await w.runDue()).toBe(1);
    expect(await t.store.jobs.get(id)).toMatchObject({ state: 'pending', attempts: 1, runAt: new Date(T0 + 30_000) });
  });

  it('dead-letters after maxAttempts with the last error, and at once for invalid_input', async () => {
    const w = worker({
      handlers: {
        broken: async (_p, job) => {
          throw new AppError(ErrorCode.PagerDutyUnavailable, `PagerDuty down (attempt ${job.attempt})`);
        },
        strict: defineJobHandler(z.object({ incidentId: z.string() }), async () => undefined),
      },
    });
    const broken = await t.store.jobs.enqueue('broken', {}, { maxAttempts: 3 });
    const strict = await t.store.jobs.enqueue('strict', { incident: 42 });
    for (let i = 0; i < 5; i += 1) {
      await w.runDue();
      t.clock.advance(3_600_000);
    }
    expect(await t.store.jobs.get(broken.id)).toMatchObject({
      state: 'dead',
      attempts: 3,
      lastError: 'pagerduty_unavailable: PagerDuty down (attempt 3)',
    });
    const dead = await t.store.jobs.get(strict.id);
    expect(dead).toMatchObject({ state: 'dead', attempts: 1 });
    expect(dead?.lastError).toMatch(/^invalid_input: Invalid strict job payload: incidentId/);
  });

  it('only claims kinds it has handlers for', async () => {
    const w = worker({ handlers: { mine: async () => undefined } });
    const other = await t.store.jobs.enqueue('theirs', {});
    await t.store.jobs.enqueue('mine', {});
    expect(await w.runDue()).toBe(1);
    expect((await t.store.jobs.get(other.id))?.state).toBe('pending');
  });

  it('recovers a job whose worker died once its lease expires, and counts the lost attempt', async () => {
    const ran: number[] = [];
    const w = worker({
      handlers: {
        k: async (_p, job) => {
          ran.push(job.attempt);
        },
      },
    });
    const { id } = await t.store.jobs.enqueue('k', {});
    await t.store.jobs.claim('crashed-worker', ['k'], 1, 30_000);
    expect(await w.runDue()).toBe(0);
    t.clock.advance(30_001);
    expect(await w.runDue()).toBe(1);
    expect(ran).toEqual([2]);
    expect(await t.store.jobs.get(id)).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      lastError: 'lease expired: worker crashed-worker stopped responding during attempt 1',
    });
  });

  it('fails an attempt that runs past handlerTimeoutMs, aborting its signal, and retries it', async () => {
    let signal: AbortSignal | undefined;
    const w = worker({
      handlerTimeoutMs: 50,
      handlers: {
        slow: async (_p, job) => {
          signal = job.signal;
          await new Promise((resolve) => setTimeout(resolve, 5000).unref());
        },
      },
    });
    const { id } = await t.store.jobs.enqueue('slow', {});
    expect(await w.runDue()).toBe(1);
    expect(signal?.aborted).toBe(true);
    expect(await t.store.jobs.get(id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lastError: 'timeout: job ran longer than 50 ms',
    });
  });

  it('once started, picks up a job immediately after a local enqueue (no poll needed)', async () => {
    const done = deferred<string>();
    const w = worker({ pollMs: 600_000, handlers: { fast: async (p) => done.resolve((p as { v: string }).v) } });
    await w.start();
    await t.store.jobs.enqueue('fast', { v: 'hello' });
    expect(await done.promise).toBe('hello');
  });

  it('is woken after COMMIT for a job enqueued inside a store transaction', async () => {
    const done = deferred();
    const w = worker({ pollMs: 600_000, handlers: { tx: async () => done.resolve() } });
    await w.start();
    const { id } = await t.store.transaction(async (tx) => tx.jobs.enqueue('tx', {}));
    await done.promise;
    await waitFor(async () => (await t.store.jobs.get(id))?.state === 'succeeded', 'job to succeed');
  });

  it('is woken by NOTIFY when another process enqueues', async () => {
    const done = deferred();
    const w = worker({ pollMs: 600_000, handlers: { remote: async () => done.resolve() } });
    await w.start();
    const other =
      backend === 'postgres' ? await createDb({ databaseUrl: TEST_DATABASE_URL, schema: t.schema }) : t.store.db;
    try {
      await createJobQueue(other, { clock: t.clock, bus: createWakeBus() }).enqueue('remote', {});
      await done.promise;
    } finally {
      if (other !== t.store.db) await other.close();
    }
  });

  it('runs at most `concurrency` jobs at once and keeps going as they finish', async () => {
    let active = 0;
    let peak = 0;
    let finished = 0;
    const w = worker({
      concurrency: 3,
      pollMs: 600_000,
      handlers: {
        work: async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 20));
          active -= 1;
          finished += 1;
        },
      },
    });
    for (let i = 0; i < 12; i += 1) await t.store.jobs.enqueue('work', { i });
    await w.start();
    await waitFor(() => finished === 12, '12 jobs');
    expect(peak).toBe(3);
    await waitFor(async () => (await t.store.jobs.stats()).counts.succeeded === 12, '12 recorded successes');
  });

  it('runs jobs sharing an orderingKey one at a time in enqueue order, while others run alongside', async () => {
    const log: string[] = [];
    const activeByKey = new Map<string, number>();
    let overlap = false;
    const w = worker({
      concurrency: 4,
      pollMs: 600_000,
      handlers: {
        apply: async (payload, job) => {
          const key = job.orderingKey ?? 'none';
          const now = (activeByKey.get(key) ?? 0) + 1;
          activeByKey.set(key, now);
          if (key !== 'none' && now > 1) overlap = true;
          await new Promise((resolve) => setTimeout(resolve, 5));
          log.push(`${key}:${(payload as { n: number }).n}`);
          activeByKey.set(key, (activeByKey.get(key) ?? 1) - 1);
        },
      },
    });
    for (let n = 0; n < 8; n += 1) {
      await t.store.jobs.enqueue('apply', { n }, { orderingKey: 'PAAA' });
      await t.store.jobs.enqueue('apply', { n }, { orderingKey: 'PBBB' });
      await t.store.jobs.enqueue('apply', { n });
    }
    await w.start();
    await waitFor(() => log.length === 24, '24 jobs');
    expect(overlap).toBe(false);
    const order = (key: string): number[] =>
      log.filter((l) => l.startsWith(`${key}:`)).map((l) => Number(l.split(':')[1]));
    expect(order('PAAA')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(order('PBBB')).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('stop() waits for a running job to finish within the bound', async () => {
    const release = deferred();
    const started = deferred();
    const w = worker({
      pollMs: 600_000,
      handlers: {
        slow: async () => {
          started.resolve();
          await release.promise;
        },
      },
    });
    await w.start();
    const { id } = await t.store.jobs.enqueue('slow', {});
    await started.promise;
    const stopping = w.stop({ timeoutMs: 20_000 });
    setTimeout(() => release.resolve(), 50);
    await stopping;
    expect((await t.store.jobs.get(id))?.state).toBe('succeeded');
  });

  it('stop() releases a job still running at the bound: pending again, attempt not counted, signal aborted', async () => {
    const started = deferred<AbortSignal>();
    const w = worker({
      pollMs: 600_000,
      handlers: {
        stuck: async (_p, job) => {
          started.resolve(job.signal);
          await new Promise((resolve) => setTimeout(resolve, 10_000).unref());
        },
      },
    });
    await w.start();
    const { id } = await t.store.jobs.enqueue('stuck', {});
    const signal = await started.promise;
    await w.stop({ timeoutMs: 100 });
    expect(signal.aborted).toBe(true);
    expect(await t.store.jobs.get(id)).toMatchObject({ state: 'pending', attempts: 0, lockedBy: null });
    // Nothing was claimed after stop.
    await t.store.jobs.enqueue('stuck', {});
    expect((await t.store.jobs.stats()).counts.running).toBe(0);
  });

  it('rejects a worker without handlers or with a nonsense configuration', () => {
    expect(() => createJobWorker({ jobs: t.store.jobs, handlers: {} })).toThrow(/at least one handler/);
    expect(() =>
      createJobWorker({ jobs: t.store.jobs, handlers: { k: async () => undefined }, concurrency: 0 }),
    ).toThrow(/concurrency/);
  });

  it('records outcomes, durations and start delays in metrics', async () => {
    const metrics = createMetrics('t_');
    const w = worker({
      metrics,
      handlers: {
        ok: async () => undefined,
        bad: async () => {
          throw new InvalidInputError('no', []);
        },
      },
    });
    await t.store.jobs.enqueue('ok', {});
    await t.store.jobs.enqueue('bad', {});
    t.clock.advance(2000);
    await w.runDue();
    const text = await metrics.render();
    expect(text).toContain('t_jobs_processed_total{kind="ok",outcome="succeeded"} 1');
    expect(text).toContain('t_jobs_processed_total{kind="bad",outcome="dead"} 1');
    expect(text).toMatch(/t_job_duration_seconds_count\{kind="ok"\} 1/);
    expect(text).toMatch(/t_job_start_delay_seconds_sum\{kind="ok"\} 2\n/);
  });
});

describe.each(BACKENDS)('job worker with the real clock on %s', (backend) => {
  const t = useTestStore(backend, { reset: false });

  it('keeps renewing the lease of a long job so another worker never steals it', async () => {
    const store = createStore(t.store.db, { clock: systemClock, purgeEveryMs: 0 });
    let runs = 0;
    const handlers = {
      long: async () => {
        runs += 1;
        await new Promise((resolve) => setTimeout(resolve, 1500));
      },
    };
    const a = createJobWorker({ jobs: store.jobs, handlers, leaseMs: 300, pollMs: 50 });
    const b = createJobWorker({ jobs: store.jobs, handlers, leaseMs: 300, pollMs: 50 });
    await a.start();
    await b.start();
    try {
      const { id } = await store.jobs.enqueue('long', {});
      await waitFor(async () => (await store.jobs.get(id))?.state === 'succeeded', 'the long job');
      expect(runs).toBe(1);
      expect((await store.jobs.get(id))?.attempts).toBe(1);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});
