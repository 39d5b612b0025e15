import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/shared/errors.js';
import { createDb } from '../../src/store/db.js';
import { createJobQueue, createWakeBus, type JobClaim } from '../../src/store/jobs.js';
import { BACKENDS, T0, TEST_DATABASE_URL, useTestStore, waitFor } from './support.js';

describe.each(BACKENDS)('job queue on %s', (backend) => {
  const t = useTestStore(backend);

  const claimOf = (job: { id: string; lockedBy: string | null; attempts: number }): JobClaim => ({
    id: job.id,
    lockedBy: job.lockedBy ?? '',
    attempts: job.attempts,
  });

  it('enqueues a pending job with defaults and reads it back', async () => {
    const { id, created } = await t.store.jobs.enqueue('triage', { incidentId: 'PABC', n: [1, 2] });
    expect(created).toBe(true);
    expect(await t.store.jobs.get(id)).toMatchObject({
      id,
      kind: 'triage',
      payload: { incidentId: 'PABC', n: [1, 2] },
      state: 'pending',
      attempts: 0,
      maxAttempts: 5,
      runAt: new Date(T0),
      dedupeKey: null,
      orderingKey: null,
      lockedBy: null,
      lastError: null,
      createdAt: new Date(T0),
    });
    expect(await t.store.jobs.get('999999')).toBeUndefined();
  });

  it('claims due jobs only, of the asked kinds, oldest first, up to the limit, under a lease', async () => {
    const a = await t.store.jobs.enqueue('card.update', { n: 1 });
    const later = await t.store.jobs.enqueue('card.update', { n: 2 }, { runAt: T0 + 60_000 });
    const b = await t.store.jobs.enqueue('card.update', { n: 3 });
    await t.store.jobs.enqueue('postmortem', { n: 4 });
    const claimed = await t.store.jobs.claim('w1', ['card.update'], 10, 30_000);
    expect(claimed.map((j) => j.id)).toEqual([a.id, b.id]);
    expect(claimed[0]).toMatchObject({
      state: 'running',
      attempts: 1,
      lockedBy: 'w1',
      leaseUntil: new Date(T0 + 30_000),
      firstStartedAt: new Date(T0),
    });
    expect(await t.store.jobs.claim('w2', ['card.update'], 10, 30_000)).toEqual([]);
    t.clock.advance(60_000);
    expect((await t.store.jobs.claim('w2', ['card.update'], 10, 30_000)).map((j) => j.id)).toEqual([later.id]);
    expect(await t.store.jobs.claim('w2', ['card.update', 'postmortem'], 0, 30_000)).toEqual([]);
  });

  it('never hands one job to two concurrent claimers', async () => {
    for (let i = 0; i < 30; i += 1) await t.store.jobs.enqueue('k', { i });
    const batches = await Promise.all(
      Array.from({ length: 6 }, (_, w) => t.store.jobs.claim(`w${w}`, ['k'], 7, 30_000)),
    );
    const ids = batches.flat().map((j) => j.id);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
  });

  it('dedupeKey: a second enqueue while pending or running returns the first job; after it ends a new one is made', async () => {
    expect(await t.store.jobs.findActive('triage:PABC')).toBeUndefined();
    const first = await t.store.jobs.enqueue('triage', { v: 1 }, { dedupeKey: 'triage:PABC' });
    expect((await t.store.jobs.findActive('triage:PABC'))?.id).toBe(first.id);
    const second = await t.store.jobs.enqueue('triage', { v: 2 }, { dedupeKey: 'triage:PABC' });
    expect(second).toEqual({ id: first.id, created: false });
    const [running] = await t.store.jobs.claim('w1', ['triage'], 1, 30_000);
    expect((await t.store.jobs.enqueue('triage', { v: 3 }, { dedupeKey: 'triage:PABC' })).id).toBe(first.id);
    expect((await t.store.jobs.findActive('triage:PABC'))?.state).toBe('running');
    expect(await t.store.jobs.complete(claimOf(running as never))).toBe(true);
    expect(await t.store.jobs.findActive('triage:PABC')).toBeUndefined();
    const third = await t.store.jobs.enqueue('triage', { v: 4 }, { dedupeKey: 'triage:PABC' });
    expect(third.created).toBe(true);
    expect(third.id).not.toBe(first.id);
    expect((await t.store.jobs.get(first.id))?.payload).toEqual({ v: 1 });
  });

  it('dedupeKey under concurrency: 20 simultaneous enqueues make one job', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.store.jobs.enqueue('triage', { i }, { dedupeKey: 'same' })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
  });

  it('enqueue inside a store transaction commits or rolls back with the caller, dedupe included', async () => {
    await expect(
      t.store.transaction(async (tx) => {
        await tx.processedKeys.claimOnce('pagerduty:webhook:W1');
        await tx.jobs.enqueue('webhook.apply', { id: 'W1' }, { dedupeKey: 'webhook:W1', orderingKey: 'PABC' });
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash before commit');
    expect((await t.store.jobs.stats()).counts.pending).toBe(0);

    const id = await t.store.transaction(async (tx) => {
      expect(await tx.processedKeys.claimOnce('pagerduty:webhook:W1')).toBe(true);
      const made = await tx.jobs.enqueue('webhook.apply', { id: 'W1' }, { dedupeKey: 'webhook:W1' });
      const again = await tx.jobs.enqueue('webhook.apply', { id: 'W1' }, { dedupeKey: 'webhook:W1' });
      expect(again).toEqual({ id: made.id, created: false });
      return made.id;
    });
    expect((await t.store.jobs.get(id))?.state).toBe('pending');
  });

  it('orderingKey: only the oldest unfinished job of a key is claimable; a dead one stops blocking', async () => {
    const a1 = await t.store.jobs.enqueue('apply', { n: 1 }, { orderingKey: 'PABC', maxAttempts: 1 });
    const a2 = await t.store.jobs.enqueue('apply', { n: 2 }, { orderingKey: 'PABC' });
    const a3 = await t.store.jobs.enqueue('apply', { n: 3 }, { orderingKey: 'PABC' });
    const b1 = await t.store.jobs.enqueue('apply', { n: 4 }, { orderingKey: 'PXYZ' });
    const free = await t.store.jobs.enqueue('apply', { n: 5 });
    const first = await t.store.jobs.claim('w1', ['apply'], 10, 30_000);
    expect(first.map((j) => j.id)).toEqual([a1.id, b1.id, free.id]);
    expect(await t.store.jobs.claim('w2', ['apply'], 10, 30_000)).toEqual([]);
    // a1 fails for good: a2 becomes claimable, a3 still waits behind a2.
    const j1 = first[0];
    if (!j1) throw new Error('no job');
    expect(await t.store.jobs.fail(claimOf(j1), 'boom', null)).toBe('dead');
    const next = await t.store.jobs.claim('w2', ['apply'], 10, 30_000);
    expect(next.map((j) => j.id)).toEqual([a2.id]);
    // a2 backs off (pending with a later runAt): a3 must keep waiting behind it.
    const j2 = next[0];
    if (!j2) throw new Error('no job');
    expect(await t.store.jobs.fail(claimOf(j2), 'later', T0 + 5000)).toBe('pending');
    expect(await t.store.jobs.claim('w2', ['apply'], 10, 30_000)).toEqual([]);
    t.clock.advance(5000);
    expect((await t.store.jobs.claim('w2', ['apply'], 10, 30_000)).map((j) => j.id)).toEqual([a2.id]);
    expect(a3.id).not.toBe(a2.id);
  });

  it('complete and fail only act on the exact claim; a lost claim reports so', async () => {
    await t.store.jobs.enqueue('k', {});
    const [job] = await t.store.jobs.claim('w1', ['k'], 1, 30_000);
    if (!job) throw new Error('no job');
    expect(await t.store.jobs.complete({ ...claimOf(job), lockedBy: 'someone-else' })).toBe(false);
    expect(await t.store.jobs.fail({ ...claimOf(job), attempts: 9 }, 'x', null)).toBe('lost');
    expect(await t.store.jobs.complete(claimOf(job))).toBe(true);
    expect(await t.store.jobs.complete(claimOf(job))).toBe(false);
    expect(await t.store.jobs.get(job.id)).toMatchObject({
      state: 'succeeded',
      finishedAt: new Date(T0),
      lockedBy: null,
    });
  });

  it('fail: retries at the given time until the attempts are spent, then dead-letters with the last error', async () => {
    const { id } = await t.store.jobs.enqueue('k', {}, { maxAttempts: 2 });
    let [job] = await t.store.jobs.claim('w1', ['k'], 1, 30_000);
    expect(await t.store.jobs.fail(claimOf(job as never), 'first error', T0 + 1000)).toBe('pending');
    expect(await t.store.jobs.get(id)).toMatchObject({ state: 'pending', runAt: new Date(T0 + 1000), attempts: 1 });
    t.clock.advance(1000);
    [job] = await t.store.jobs.claim('w1', ['k'], 1, 30_000);
    expect(job?.attempts).toBe(2);
    expect(await t.store.jobs.fail(claimOf(job as never), 'second error', T0 + 9000)).toBe('dead');
    expect(await t.store.jobs.get(id)).toMatchObject({
      state: 'dead',
      attempts: 2,
      lastError: 'second error',
      finishedAt: new Date(T0 + 1000),
    });
  });

  it('release gives jobs back without counting the attempt; extendLeases keeps only held claims', async () => {
    await t.store.jobs.enqueue('k', { n: 1 });
    await t.store.jobs.enqueue('k', { n: 2 });
    const claimed = await t.store.jobs.claim('w1', ['k'], 2, 1000);
    const claims = claimed.map(claimOf);
    t.clock.advance(900);
    expect((await t.store.jobs.extendLeases(claims, 1000)).sort()).toEqual(claims.map((c) => c.id).sort());
    expect((await t.store.jobs.get(claims[0]?.id ?? ''))?.leaseUntil).toEqual(new Date(T0 + 1900));
    expect(await t.store.jobs.release(claims.slice(0, 1))).toBe(1);
    expect(await t.store.jobs.get(claims[0]?.id ?? '')).toMatchObject({
      state: 'pending',
      attempts: 0,
      lockedBy: null,
    });
    expect(await t.store.jobs.extendLeases(claims, 1000)).toEqual([claims[1]?.id]);
  });

  it('reapExpired returns jobs of dead workers to pending, or dead when their attempts are spent', async () => {
    const a = await t.store.jobs.enqueue('k', {}, { maxAttempts: 3 });
    const b = await t.store.jobs.enqueue('k', {}, { maxAttempts: 1 });
    await t.store.jobs.claim('ghost', ['k'], 2, 10_000);
    t.clock.advance(10_000);
    expect(await t.store.jobs.reapExpired()).toEqual([]);
    t.clock.advance(1);
    const reaped = await t.store.jobs.reapExpired();
    expect(reaped.map((r) => `${r.id}:${r.state}`).sort()).toEqual([`${a.id}:pending`, `${b.id}:dead`].sort());
    expect(await t.store.jobs.get(a.id)).toMatchObject({
      state: 'pending',
      attempts: 1,
      lockedBy: null,
      lastError: 'lease expired: worker ghost stopped responding during attempt 1',
    });
    expect((await t.store.jobs.get(b.id))?.state).toBe('dead');
  });

  it('retry puts a dead job back; refuses when an active job holds its dedupe key', async () => {
    const { id } = await t.store.jobs.enqueue('k', {}, { maxAttempts: 1, dedupeKey: 'd' });
    const [job] = await t.store.jobs.claim('w', ['k'], 1, 1000);
    await t.store.jobs.fail(claimOf(job as never), 'nope', null);
    expect(await t.store.jobs.retry('999999')).toBe(false);
    const blocker = await t.store.jobs.enqueue('k', {}, { dedupeKey: 'd' });
    expect(blocker.created).toBe(true);
    await expect(t.store.jobs.retry(id)).rejects.toBeInstanceOf(InvalidInputError);
    const [b] = await t.store.jobs.claim('w', ['k'], 1, 1000);
    await t.store.jobs.complete(claimOf(b as never));
    expect(await t.store.jobs.retry(id)).toBe(true);
    expect(await t.store.jobs.get(id)).toMatchObject({ state: 'pending', attempts: 0, finishedAt: null });
    expect(await t.store.jobs.retry(id)).toBe(false);
  });

  it('reports depth, scheduled jobs, oldest due age and counts by state and kind', async () => {
    await t.store.jobs.enqueue('a', {});
    t.clock.advance(5000);
    await t.store.jobs.enqueue('b', {});
    await t.store.jobs.enqueue('b', {}, { runAt: T0 + 60_000 });
    await t.store.jobs.enqueue('c', {}, { maxAttempts: 1 });
    const [c] = await t.store.jobs.claim('w', ['c'], 1, 1000);
    await t.store.jobs.fail(claimOf(c as never), 'x', null);
    t.clock.advance(1000);
    const stats = await t.store.jobs.stats();
    expect(stats.counts).toEqual({ pending: 3, running: 0, succeeded: 0, dead: 1 });
    expect(stats.ready).toBe(2);
    expect(stats.scheduled).toBe(1);
    expect(stats.oldestReadyAgeMs).toBe(6000);
    expect(stats.byKind).toEqual([
      { kind: 'a', state: 'pending', count: 1 },
      { kind: 'b', state: 'pending', count: 2 },
      { kind: 'c', state: 'dead', count: 1 },
    ]);
    const list = await t.store.jobs.list({ state: 'pending', kind: 'b' });
    expect(list).toHaveLength(2);
  });

  it('purges succeeded jobs after 7 days and dead ones after 30', async () => {
    await t.store.jobs.enqueue('ok', {});
    await t.store.jobs.enqueue('bad', {}, { maxAttempts: 1 });
    for (const job of await t.store.jobs.claim('w', ['ok', 'bad'], 2, 1000)) {
      if (job.kind === 'ok') await t.store.jobs.complete(claimOf(job));
      else await t.store.jobs.fail(claimOf(job), 'x', null);
    }
    t.clock.advance(7 * 86_400_000 + 1);
    expect(await t.store.jobs.purge()).toBe(1);
    t.clock.advance(23 * 86_400_000);
    expect(await t.store.jobs.purge()).toBe(1);
    expect((await t.store.jobs.stats()).counts).toEqual({ pending: 0, running: 0, succeeded: 0, dead: 0 });
  });

  it('rejects bad kinds, payloads and options with clear messages and enqueues nothing', async () => {
    const bad = async (fn: () => Promise<unknown>, path: string): Promise<void> => {
      const error = await fn().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues.map((i) => i.path)).toContain(path);
    };
    await bad(() => t.store.jobs.enqueue('Bad Kind', {}), '(value)');
    await bad(() => t.store.jobs.enqueue('k', undefined), 'job payload');
    await bad(() => t.store.jobs.enqueue('k', { big: 'x'.repeat(1_000_001) }), 'job payload');
    await bad(() => t.store.jobs.enqueue('k', {}, { maxAttempts: 0 }), 'maxAttempts');
    await bad(() => t.store.jobs.enqueue('k', {}, { runAt: Number.NaN }), 'runAt');
    await bad(() => t.store.jobs.enqueue('k', {}, { dedupeKey: '' }), 'dedupeKey');
    await bad(() => t.store.jobs.enqueue('k', {}, { colour: 'red' } as never), '(value)');
    await bad(() => t.store.jobs.get('abc'), '(value)');
    expect((await t.store.jobs.stats()).counts.pending).toBe(0);
  });

  it('wakes subscribers on a local enqueue and on NOTIFY from a producer that does not share the bus', async () => {
    let wakes = 0;
    const stop = await t.store.jobs.subscribe(() => {
      wakes += 1;
    });
    await t.store.jobs.enqueue('k', {});
    expect(wakes).toBeGreaterThanOrEqual(1);
    const before = wakes;
    // A producer with its own bus: only NOTIFY can reach us (on Postgres through a second pool).
    const other =
      backend === 'postgres' ? await createDb({ databaseUrl: TEST_DATABASE_URL, schema: t.schema }) : t.store.db;
    try {
      const foreign = createJobQueue(other, { clock: t.clock, bus: createWakeBus() });
      await foreign.enqueue('k', {});
      await waitFor(() => wakes > before, 'a NOTIFY wake-up');
    } finally {
      if (other !== t.store.db) await other.close();
      await stop();
    }
  });
});
