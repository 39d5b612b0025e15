/**
 * Runs queued jobs: claims due jobs of the kinds it has handlers for, runs up to `concurrency` at once, keeps
 * their leases alive while they run, retries failures with exponential backoff and jitter, dead-letters a job
 * after its last attempt (or at once for `invalid_input`), and on `stop` finishes or releases what it holds
 * within a bound. It wakes immediately on a local enqueue or a NOTIFY from another process, and polls as a
 * fallback (which also recovers jobs whose worker died, once their lease expires).
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { z } from 'zod';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError, ErrorCode, isAppError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { Job, JobClaim, JobQueue } from './jobs.js';
import { parseInput } from './validate.js';

export interface JobContext {
  id: string;
  kind: string;
  /** 1 for the first attempt. */
  attempt: number;
  maxAttempts: number;
  createdAt: Date;
  runAt: Date;
  dedupeKey: string | null;
  orderingKey: string | null;
  /** Aborted when the attempt times out, the lease is lost, or the worker stops without waiting any longer. */
  signal: AbortSignal;
  logger: Logger;
}

/**
 * Does the work of one job kind. Resolve = done; throw = retry later (dead after the last attempt); throw an
 * `invalid_input` AppError = dead at once (retrying cannot help). Handlers must tolerate running twice (a worker
 * that dies mid-job leaves it to be re-run after its lease).
 */
export type JobHandler = (payload: unknown, job: JobContext) => Promise<void>;

/** A handler whose payload is parsed with `schema` first; a payload that does not match dead-letters the job. */
export function defineJobHandler<S extends z.ZodType>(
  schema: S,
  run: (payload: z.output<S>, job: JobContext) => Promise<void>,
): JobHandler {
  return async (payload, job) => run(parseInput(schema, payload, `${job.kind} job payload`), job);
}

export interface BackoffOptions {
  /** Delay before the second attempt (default 1 s); doubles per attempt. */
  baseMs?: number;
  /** Cap (default 5 min). */
  maxMs?: number;
}

/**
 * Delay after failed attempt `attempt` (1-based): base·2^(attempt−1) capped at max, then "equal jitter" (a
 * uniform draw from the upper half) so retries from a burst spread out.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const base = options.baseMs ?? 1000;
  const max = options.maxMs ?? 300_000;
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Longest wait a failure may ask for before the job's next attempt. */
const MAX_REQUESTED_DELAY_MS = 15 * 60_000;

/**
 * The wait a failure asks for before the next attempt, in ms: `details.retryAfter` (seconds, as Slack's 429
 * `Retry-After`) of an `AppError`; 0 when it names none. Retrying sooner would only be refused again.
 */
export function requestedRetryDelay(failure: unknown): number {
  if (!isAppError(failure)) return 0;
  const seconds = failure.details.retryAfter;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.min(MAX_REQUESTED_DELAY_MS, seconds * 1000);
}

export interface JobWorkerOptions {
  jobs: JobQueue;
  /** Handlers by job kind; the worker only claims these kinds. */
  handlers: Readonly<Record<string, JobHandler>>;
  /** Jobs run at once (default 4). */
  concurrency?: number;
  /** Lease per claim, renewed every third of it while the job runs (default 30 s). */
  leaseMs?: number;
  /** Fallback poll and lease-recovery interval (default 1 s). */
  pollMs?: number;
  /** An attempt running longer fails with `timeout` and is retried (default 5 min). */
  handlerTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Unique per worker (default host:pid:random). */
  workerId?: string;
  logger?: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** Jitter source (tests). */
  random?: () => number;
}

export interface JobWorker {
  readonly id: string;
  /** Jobs running now. */
  readonly active: number;
  /** Subscribes to wake-ups and starts the loop; resolves once running. */
  start(): Promise<void>;
  /**
   * Stops claiming, waits up to `timeoutMs` (default 10 s) for running jobs, then aborts and releases the rest
   * (pending again, attempt not counted). Idempotent.
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
  /** Without the loop: recovers expired leases and runs due jobs until none is due; returns how many ran. */
  runDue(): Promise<number>;
}

interface Running {
  job: Job;
  claim: JobClaim;
  abort: AbortController;
  done: Promise<void>;
  /** Released at shutdown or lease lost: its late result must not be reported. */
  abandoned: boolean;
}

function errorMessage(error: unknown): string {
  if (isAppError(error)) return `${error.code}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Creates a worker; nothing runs until `start()` (or `runDue()`). */
export function createJobWorker(options: JobWorkerOptions): JobWorker {
  const kinds = Object.keys(options.handlers);
  if (kinds.length === 0) {
    throw new AppError(ErrorCode.InvalidInput, 'createJobWorker needs at least one handler');
  }
  const concurrency = options.concurrency ?? 4;
  const leaseMs = options.leaseMs ?? 30_000;
  const pollMs = options.pollMs ?? 1000;
  const handlerTimeoutMs = options.handlerTimeoutMs ?? 300_000;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new AppError(ErrorCode.InvalidInput, 'concurrency must be an integer from 1 to 256');
  }
  if (leaseMs < 100 || pollMs < 1 || handlerTimeoutMs < 1) {
    throw new AppError(ErrorCode.InvalidInput, 'leaseMs must be >= 100 ms; pollMs and handlerTimeoutMs > 0');
  }
  const { jobs } = options;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const id = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = (options.logger ?? silentLogger()).child({ workerId: id });
  const metrics = options.metrics
    ? {
        processed: options.metrics.counter('jobs_processed_total', 'Job attempts finished, by kind and outcome.'),
        duration: options.metrics.histogram('job_duration_seconds', 'Time a job attempt ran.'),
        startDelay: options.metrics.histogram(
          'job_start_delay_seconds',
          'Time from when a job was due (enqueue or retry time) to when an attempt started.',
        ),
      }
    : undefined;

  const running = new Map<string, Running>();
  let state: 'idle' | 'started' | 'stopping' | 'stopped' = 'idle';
  let loopDone: Promise<void> = Promise.resolve();
  let stopped: Promise<void> | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let wakeRequested = false;
  let wakeWaiter: (() => void) | undefined;

  function wake(): void {
    wakeRequested = true;
    wakeWaiter?.();
  }

  function waitForWake(ms: number): Promise<void> {
    if (wakeRequested) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeWaiter = undefined;
        resolve();
      }
      wakeWaiter = done;
    });
  }

  function launch(job: Job): Running {
    const claim: JobClaim = { id: job.id, lockedBy: id, attempts: job.attempts };
    const abort = new AbortController();
    const jobLogger = logger.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    metrics?.startDelay.observe(Math.max(0, clock.now() - job.runAt.getTime()) / 1000, { kind: job.kind });
    const entry: Running = { job, claim, abort, done: Promise.resolve(), abandoned: false };
    entry.done = execute(entry, jobLogger)
      .catch((error: unknown) => {
        // Reporting the outcome failed (store unreachable): the lease runs out and the job is recovered.
        jobLogger.error({ err: error }, 'jobs: could not record the outcome; the job will be retried after its lease');
      })
      .finally(() => {
        running.delete(job.id);
        wake();
      });
    running.set(job.id, entry);
    return entry;
  }

  async function execute(entry: Running, jobLogger: Logger): Promise<void> {
    const { job, claim, abort } = entry;
    const handler = options.handlers[job.kind];
    const started = performance.now();
    const context: JobContext = {
      id: job.id,
      kind: job.kind,
      attempt: job.attempts,
      maxAttempts: job.maxAttempts,
      createdAt: job.createdAt,
      runAt: job.runAt,
      dedupeKey: job.dedupeKey,
      orderingKey: job.orderingKey,
      signal: abort.signal,
      logger: jobLogger,
    };
    let failure: unknown;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!handler) throw new AppError(ErrorCode.InvalidInput, `no handler for job kind ${job.kind}`);
      const work = handler(job.payload, context);
      work.catch(() => undefined); // a late rejection after a timeout is already accounted for
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = new AppError(ErrorCode.Timeout, `job ran longer than ${handlerTimeoutMs} ms`);
          abort.abort(error);
          reject(error);
        }, handlerTimeoutMs);
      });
      const aborted = new Promise<never>((_, reject) => {
        abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true });
      });
      await Promise.race([work, timeout, aborted]);
    } catch (error) {
      failure = error;
    } finally {
      clearTimeout(timer);
    }
    const seconds = (performance.now() - started) / 1000;
    metrics?.duration.observe(seconds, { kind: job.kind });
    if (entry.abandoned) {
      jobLogger.info({ failed: failure !== undefined }, 'jobs: attempt ended after its claim was given up');
      metrics?.processed.inc({ kind: job.kind, outcome: 'abandoned' });
      return;
    }
    if (failure === undefined) {
      const ok = await jobs.complete(claim);
      if (ok) jobLogger.debug({ ms: Math.round(seconds * 1000) }, 'jobs: done');
      else jobLogger.warn('jobs: finished after its lease was lost; another worker may run it again');
      metrics?.processed.inc({ kind: job.kind, outcome: ok ? 'succeeded' : 'lost' });
      return;
    }
    const permanent = isAppError(failure) && failure.code === ErrorCode.InvalidInput;
    const retryAt =
      permanent || job.attempts >= job.maxAttempts
        ? null
        : clock.now() + Math.max(backoffDelay(job.attempts, options.backoff, random), requestedRetryDelay(failure));
    const outcome = await jobs.fail(claim, errorMessage(failure), retryAt);
    metrics?.processed.inc({ kind: job.kind, outcome: outcome === 'pending' ? 'retry' : outcome });
    const log = { err: failure, outcome, retryAt: retryAt === null ? null : new Date(retryAt).toISOString() };
    if (outcome === 'dead') jobLogger.error(log, 'jobs: dead-lettered');
    else jobLogger.warn(log, 'jobs: attempt failed');
  }

  async function renewLeases(): Promise<void> {
    const held = [...running.values()].filter((r) => !r.abandoned);
    if (held.length === 0) return;
    const kept = new Set(
      await jobs.extendLeases(
        held.map((r) => r.claim),
        leaseMs,
      ),
    );
    for (const r of held) {
      if (kept.has(r.job.id) || r.abandoned) continue;
      r.abandoned = true;
      logger.warn({ jobId: r.job.id, kind: r.job.kind }, 'jobs: lease lost while running; abandoning the attempt');
      r.abort.abort(new AppError(ErrorCode.Timeout, 'job lease lost'));
    }
  }

  async function claimInto(free: number): Promise<number> {
    const claimed = await jobs.claim(id, kinds, free, leaseMs);
    for (const job of claimed) launch(job);
    return claimed.length;
  }

  async function loop(): Promise<void> {
    let lastReap = Number.NEGATIVE_INFINITY;
    let errorDelay = pollMs;
    while (state === 'started') {
      wakeRequested = false;
      try {
        if (performance.now() - lastReap >= pollMs) {
          lastReap = performance.now();
          const reaped = await jobs.reapExpired();
          if (reaped.length > 0) logger.warn({ reaped }, 'jobs: recovered jobs whose worker stopped');
        }
        const free = concurrency - running.size;
        if (free > 0 && state === 'started') {
          const n = await claimInto(free);
          if (n === free) continue; // there may be more due right now
        }
        errorDelay = pollMs;
      } catch (error) {
        logger.error({ err: error }, 'jobs: claim failed; retrying');
        errorDelay = Math.min(errorDelay * 2, 30_000);
        await waitForWake(errorDelay);
        continue;
      }
      if (state === 'started') await waitForWake(pollMs);
    }
  }

  return {
    id,
    get active() {
      return running.size;
    },

    async start() {
      if (state !== 'idle') throw new AppError(ErrorCode.InvalidInput, `job worker ${id} was already started`);
      state = 'started';
      unsubscribe = await jobs.subscribe(wake);
      heartbeat = setInterval(
        () => {
          renewLeases().catch((error: unknown) => logger.warn({ err: error }, 'jobs: lease renewal failed'));
        },
        Math.max(50, Math.floor(leaseMs / 3)),
      );
      loopDone = loop();
      logger.info({ kinds, concurrency, leaseMs }, 'jobs: worker started');
    },

    stop(stopOptions = {}) {
      stopped ??= (async () => {
        const timeoutMs = stopOptions.timeoutMs ?? 10_000;
        const wasStarted = state === 'started';
        state = 'stopping';
        wake();
        await loopDone;
        await unsubscribe?.();
        const inFlight = [...running.values()];
        let timer: NodeJS.Timeout | undefined;
        const finishedInTime = await Promise.race([
          Promise.all(inFlight.map((r) => r.done)).then(() => true),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(false), timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (heartbeat) clearInterval(heartbeat);
        if (!finishedInTime) {
          const left = [...running.values()].filter((r) => !r.abandoned);
          for (const r of left) {
            r.abandoned = true;
            r.abort.abort(new AppError(ErrorCode.Timeout, 'worker stopping'));
          }
          const released = await jobs.release(left.map((r) => r.claim)).catch((error: unknown) => {
            logger.error({ err: error }, 'jobs: could not release jobs at shutdown; they return after their lease');
            return 0;
          });
          logger.warn({ released, jobs: left.map((r) => r.job.id) }, 'jobs: released unfinished jobs at shutdown');
        }
        state = 'stopped';
        if (wasStarted) logger.info('jobs: worker stopped');
      })();
      return stopped;
    },

    async runDue() {
      if (state !== 'idle') throw new AppError(ErrorCode.InvalidInput, 'runDue is for a worker that is not started');
      let total = 0;
      await jobs.reapExpired();
      for (;;) {
        const n = await claimInto(concurrency - running.size);
        total += n;
        if (n === 0 && running.size === 0) return total;
        await Promise.race([...running.values()].map((r) => r.done));
      }
    },
  };
}
