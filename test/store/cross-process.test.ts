/**
 * The store across separate OS processes: what a restart or a second replica must never break. PGlite: data
 * survives a process exit, and a second process cannot open a data dir in use. Postgres server (when
 * TEST_DATABASE_URL is set): two worker processes drain 1,000 jobs with each run exactly once; two processes
 * claiming the same 1,000 keys win exactly 1,000 in total; a worker killed with SIGKILL mid-job has its job
 * re-run after the lease.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/shared/errors.js';
import { createJobWorker } from '../../src/store/job-worker.js';
import { openStore, type Store } from '../../src/store/store.js';
import { dropSchema, randomSchema, TEST_DATABASE_URL, waitFor } from './support.js';

const CHILD = fileURLToPath(new URL('./fixtures/store-child.ts', import.meta.url));

interface Child {
  process: ChildProcess;
  messages: Array<Record<string, unknown>>;
  next(type: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
}

const children: Child[] = [];

function spawnChild(command: Record<string, unknown>): Child {
  const proc = fork(CHILD, [JSON.stringify(command)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  proc.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const messages: Array<Record<string, unknown>> = [];
  proc.on('message', (m) => messages.push(m as Record<string, unknown>));
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const child: Child = {
    process: proc,
    messages,
    exited,
    async next(type, timeoutMs = 120_000) {
      let found: Record<string, unknown> | undefined;
      await waitFor(
        () => {
          const failed = messages.find((m) => m.type === 'error');
          if (failed) throw new Error(`child failed: ${String(failed.message)}\n${stderr}`);
          if (proc.exitCode !== null && !messages.some((m) => m.type === type)) {
            throw new Error(`child exited (${proc.exitCode}) before "${type}"\n${stderr}`);
          }
          found = messages.find((m) => m.type === type);
          return found !== undefined;
        },
        `child message "${type}"`,
        timeoutMs,
      );
      return found as Record<string, unknown>;
    },
  };
  children.push(child);
  return child;
}

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.process.exitCode === null && child.process.signalCode === null) {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  }
});

describe('PGlite data directory across processes', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ib-pglite-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what one process wrote after it exits, for the next process and after close + reopen', async () => {
    const dataDir = tempDir();
    const writer = spawnChild({ mode: 'pglite-write', dataDir });
    expect(await writer.exited).toBe(0);
    for (let round = 0; round < 2; round += 1) {
      const store = await openStore({ dataDir, purgeEveryMs: 0 });
      try {
        expect((await store.incidentLinks.get('PPERSIST'))?.messageTs).toBe('1767225600.000100');
        expect((await store.timeline.list('PPERSIST')).map((e) => e.text)).toEqual(['kept']);
        expect((await store.jobs.list({ kind: 'after.restart' })).map((j) => j.state)).toEqual(['pending']);
      } finally {
        await store.close();
      }
    }
  }, 180_000);

  it('refuses a second process on a data dir in use with a clear error, and takes over once the owner is gone', async () => {
    const dataDir = tempDir();
    const holder = spawnChild({ mode: 'pglite-hold', dataDir });
    const { pid } = await holder.next('ready');
    const error = await openStore({ dataDir, purgeEveryMs: 0 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as AppError).details.reason).toBe('data_dir_locked');
    expect((error as Error).message).toContain(`process ${pid}`);
    expect((error as Error).message).toContain('DATABASE_URL');

    holder.process.kill('SIGKILL');
    await holder.exited;
    const store = await openStore({ dataDir, purgeEveryMs: 0 });
    try {
      expect(await store.processedKeys.claimOnce('after-takeover')).toBe(true);
    } finally {
      await store.close();
    }
  }, 180_000);
});

if (TEST_DATABASE_URL) {
  const databaseUrl = TEST_DATABASE_URL;

  describe('Postgres server shared by separate processes', () => {
    let schema: string;
    let store: Store | undefined;

    const setUp = async (): Promise<Store> => {
      schema = randomSchema();
      store = await openStore({ databaseUrl, schema, purgeEveryMs: 0 });
      await store.db.exec('CREATE TABLE job_runs (job_id bigint NOT NULL, n int NOT NULL, pid int NOT NULL)');
      return store;
    };
    afterEach(async () => {
      await store?.close();
      store = undefined;
      if (schema) await dropSchema(schema);
    });

    it('two worker processes drain 1,000 jobs, each run exactly once', async () => {
      const s = await setUp();
      const workers = [
        spawnChild({ mode: 'worker', databaseUrl, schema }),
        spawnChild({ mode: 'worker', databaseUrl, schema }),
      ];
      await Promise.all(workers.map((w) => w.next('ready')));
      for (let n = 0; n < 1000; n += 1) await s.jobs.enqueue('count', { n });
      await waitFor(async () => (await s.jobs.stats()).counts.succeeded === 1000, '1,000 jobs to succeed', 150_000);

      const runs = await s.db.query<{ total: number; jobs: number; ns: number }>(
        'SELECT count(*)::int AS total, count(DISTINCT job_id)::int AS jobs, count(DISTINCT n)::int AS ns FROM job_runs',
      );
      expect(runs.rows[0]).toEqual({ total: 1000, jobs: 1000, ns: 1000 });
      const byPid = await s.db.query<{ pid: number; n: number }>(
        'SELECT pid, count(*)::int AS n FROM job_runs GROUP BY pid',
      );
      const pids = workers.map((w) => w.process.pid);
      expect(byPid.rows.map((r) => r.pid).sort()).toEqual([...pids].sort());
      expect((await s.jobs.stats()).counts).toEqual({ pending: 0, running: 0, succeeded: 1000, dead: 0 });

      for (const w of workers) w.process.send({ type: 'stop' });
      expect(await Promise.all(workers.map((w) => w.exited))).toEqual([0, 0]);
    }, 240_000);

    it('two processes calling claimOnce on the same 1,000 keys win exactly 1,000 times in total', async () => {
      await setUp();
      const claimers = [
        spawnChild({ mode: 'claim', databaseUrl, schema, keys: 1000 }),
        spawnChild({ mode: 'claim', databaseUrl, schema, keys: 1000 }),
      ];
      await Promise.all(claimers.map((c) => c.next('ready')));
      for (const c of claimers) c.process.send({ type: 'go' });
      const results = await Promise.all(claimers.map((c) => c.next('claimed', 150_000)));
      const won = results.map((r) => r.won as string[]);
      expect((won[0] ?? []).length + (won[1] ?? []).length).toBe(1000);
      const union = new Set([...(won[0] ?? []), ...(won[1] ?? [])]);
      expect(union.size).toBe(1000);
      expect(await Promise.all(claimers.map((c) => c.exited))).toEqual([0, 0]);
    }, 240_000);

    it('re-runs the job of a worker killed with SIGKILL mid-job once its lease expires', async () => {
      const s = await setUp();
      const doomed = spawnChild({ mode: 'worker', databaseUrl, schema, leaseMs: 1500 });
      const { workerId } = await doomed.next('ready');
      const { id } = await s.jobs.enqueue('hang', { n: 1 });
      const started = await doomed.next('started');
      expect(started.jobId).toBe(id);
      doomed.process.kill('SIGKILL');
      await doomed.exited;
      expect(await s.jobs.get(id)).toMatchObject({ state: 'running', attempts: 1, lockedBy: workerId });

      const reruns: number[] = [];
      const rescuer = createJobWorker({
        jobs: s.jobs,
        pollMs: 100,
        handlers: {
          hang: async (_p, job) => {
            reruns.push(job.attempt);
          },
        },
      });
      await rescuer.start();
      try {
        await waitFor(async () => (await s.jobs.get(id))?.state === 'succeeded', 'the job to be re-run', 60_000);
      } finally {
        await rescuer.stop();
      }
      expect(reruns).toEqual([2]);
      expect((await s.jobs.get(id))?.lastError).toBe(
        `lease expired: worker ${String(workerId)} stopped responding during attempt 1`,
      );
    }, 240_000);
  });
}
