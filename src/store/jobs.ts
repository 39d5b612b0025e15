/**
 * The durable job queue (`jobs` table): work still to do after an ack survives restarts and is shared by
 * replicas. Producers call `enqueue`; workers (`createJobWorker`) claim due jobs with `FOR UPDATE SKIP LOCKED`
 * under a lease, and report success, failure (retry later or dead letter) or release.
 *
 * Guarantees:
 * - a job runs at least once, and exactly once unless its worker dies or stalls past the lease mid-run;
 * - `dedupeKey`: while a job with that key is pending or running, enqueueing the key again returns that job;
 * - `orderingKey`: jobs sharing it start one at a time in enqueue order (a dead-lettered job stops blocking);
 * - enqueueing inside `store.transaction` commits or rolls back with the caller's writes.
 * Times come from the injected clock, so leases and backoff are testable without waiting.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import { channelName, type Db, sqlStateOf } from './db.js';
import { Instant } from './ids.js';
import { cleanText, parseInput, toDateOrNull, toJsonParam, toMillis } from './validate.js';

export const JOB_STATES = ['pending', 'running', 'succeeded', 'dead'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const DEFAULT_MAX_ATTEMPTS = 5;
/** Succeeded jobs are deleted after this long by `purge`. */
export const SUCCEEDED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** Dead-lettered jobs are kept this long for inspection and `retry`. */
export const DEAD_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export interface Job {
  id: string;
  kind: string;
  payload: unknown;
  state: JobState;
  /** Attempts started so far (the running one included). */
  attempts: number;
  maxAttempts: number;
  /** Not before this time (enqueue time, requested time, or the retry time after a failure). */
  runAt: Date;
  dedupeKey: string | null;
  orderingKey: string | null;
  lockedBy: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
  createdAt: Date;
  firstStartedAt: Date | null;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface EnqueueOptions {
  /** Earliest start (Date or epoch ms); default now. */
  runAt?: Date | number | undefined;
  /** While a job with this key is pending or running, a second enqueue returns it instead of adding one. */
  dedupeKey?: string | undefined;
  /** Jobs with the same key start one at a time in enqueue order (e.g. a PagerDuty incident id). */
  orderingKey?: string | undefined;
  /** Attempts before the job is dead-lettered (default 5, 1-100). */
  maxAttempts?: number | undefined;
}

export interface EnqueueResult {
  id: string;
  /** False when `dedupeKey` matched a pending or running job, whose id is returned. */
  created: boolean;
}

export interface JobStats {
  counts: Record<JobState, number>;
  /** Pending jobs that are due now (the queue depth). */
  ready: number;
  /** Pending jobs waiting for a later `runAt` (scheduled or backing off). */
  scheduled: number;
  /** Age of the oldest due pending job, measured from its `runAt`; null when none is due. */
  oldestReadyAgeMs: number | null;
  byKind: Array<{ kind: string; state: JobState; count: number }>;
}

/** A claimed job's identity for the worker protocol: the job row version this worker owns. */
export interface JobClaim {
  id: string;
  lockedBy: string;
  attempts: number;
}

export interface JobQueue {
  /** Adds a job (see `EnqueueOptions`). Throws `invalid_input` for a bad kind, payload or option. */
  enqueue(kind: string, payload: unknown, options?: EnqueueOptions): Promise<EnqueueResult>;
  get(id: string): Promise<Job | undefined>;
  /** The pending or running job holding `dedupeKey`, if any. */
  findActive(dedupeKey: string): Promise<Job | undefined>;
  /** Newest first (`limit` default 100, at most 1,000). */
  list(options?: { state?: JobState; kind?: string; limit?: number }): Promise<Job[]>;
  /** Puts a dead job back to pending with its attempts reset; false if the job is not dead. */
  retry(id: string): Promise<boolean>;
  /** Counts for `/metrics`. */
  stats(): Promise<JobStats>;
  /** Deletes succeeded jobs older than 7 days and dead ones older than 30; returns how many. */
  purge(options?: { succeededOlderThanMs?: number; deadOlderThanMs?: number }): Promise<number>;

  // Worker protocol (used by createJobWorker).
  /** Claims up to `limit` due jobs of `kinds` for `workerId`, leased for `leaseMs`. */
  claim(workerId: string, kinds: readonly string[], limit: number, leaseMs: number): Promise<Job[]>;
  /** Marks a claimed job succeeded; false if the claim was lost (lease expired and another took it). */
  complete(claim: JobClaim): Promise<boolean>;
  /**
   * Records a failed attempt: back to pending at `retryAt`, or dead when `retryAt` is null or the attempts are
   * spent. Returns the new state, or 'lost' if the claim was lost.
   */
  fail(claim: JobClaim, error: string, retryAt: number | null): Promise<'pending' | 'dead' | 'lost'>;
  /** Gives claimed jobs back (shutdown): pending again, the interrupted attempt not counted. */
  release(claims: readonly JobClaim[]): Promise<number>;
  /** Extends the leases of jobs still held; returns the ids still held. */
  extendLeases(claims: readonly JobClaim[], leaseMs: number): Promise<string[]>;
  /** Returns jobs whose lease expired (their worker died) to pending, or dead if their attempts are spent. */
  reapExpired(): Promise<Array<{ id: string; kind: string; state: JobState }>>;
  /** Calls `onWake` when jobs may be available (local enqueue, NOTIFY from another process). */
  subscribe(onWake: () => void): Promise<() => Promise<void>>;
}

/** In-process wake-ups between producers and workers sharing one store. */
export interface WakeBus {
  notify(): void;
  subscribe(listener: () => void): () => void;
}

/** A WakeBus for one store. */
export function createWakeBus(): WakeBus {
  const listeners = new Set<() => void>();
  return {
    notify() {
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface JobQueueDeps {
  clock: Clock;
  /** Local wake-ups; the store passes one bus to its queue and workers. */
  bus: WakeBus;
  /** Called instead of `bus.notify()` after an enqueue (the store defers it to after COMMIT in transactions). */
  onEnqueued?: () => void;
}

export const JOBS_CHANNEL_BASE = 'incident_bot_jobs';

const Kind = z.string().regex(/^[a-z][a-z0-9_.:-]{0,99}$/, 'expected a job kind such as "triage" or "card.update"');
const Key = z
  .string()
  .min(1, 'must not be empty')
  .max(500, 'must be at most 500 characters')
  .refine((k) => !k.includes('\u0000'), 'must not contain NUL');
const JobId = z.string().regex(/^\d{1,18}$/, 'expected a job id');

const EnqueueSchema = z.strictObject({
  runAt: Instant.optional(),
  dedupeKey: Key.optional(),
  orderingKey: Key.optional(),
  maxAttempts: z.number().int().min(1).max(100).optional(),
});

const ListSchema = z.strictObject({
  state: z.enum(JOB_STATES).optional(),
  kind: Kind.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

interface Row {
  id: number | string;
  kind: string;
  payload: unknown;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: Date;
  dedupe_key: string | null;
  ordering_key: string | null;
  locked_by: string | null;
  lease_until: Date | null;
  last_error: string | null;
  created_at: Date;
  first_started_at: Date | null;
  finished_at: Date | null;
  updated_at: Date;
}

function fromRow(r: Row): Job {
  return {
    id: String(r.id),
    kind: r.kind,
    payload: r.payload,
    state: r.state,
    attempts: r.attempts,
    maxAttempts: r.max_attempts,
    runAt: new Date(toMillis(r.run_at)),
    dedupeKey: r.dedupe_key,
    orderingKey: r.ordering_key,
    lockedBy: r.locked_by,
    leaseUntil: toDateOrNull(r.lease_until),
    lastError: r.last_error,
    createdAt: new Date(toMillis(r.created_at)),
    firstStartedAt: toDateOrNull(r.first_started_at),
    finishedAt: toDateOrNull(r.finished_at),
    updatedAt: new Date(toMillis(r.updated_at)),
  };
}

const INSERT_JOB = `
  INSERT INTO jobs (kind, payload, state, attempts, max_attempts, run_at, dedupe_key, ordering_key,
                    created_at, updated_at)
  VALUES ($1, $2::text::jsonb, 'pending', 0, $3, $4, $5, $6, $7, $7)
  ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL AND state IN ('pending', 'running') DO NOTHING
  RETURNING id, pg_notify($8, kind)`;

const CLAIM_JOBS = `
  WITH next AS (
    SELECT j.id FROM jobs j
    WHERE j.state = 'pending' AND j.run_at <= $1 AND j.kind = ANY($2::text[])
      AND (j.ordering_key IS NULL OR NOT EXISTS (
        SELECT 1 FROM jobs e
        WHERE e.ordering_key = j.ordering_key AND e.state IN ('pending', 'running') AND e.id < j.id))
    ORDER BY j.run_at, j.id
    LIMIT $3
    FOR UPDATE OF j SKIP LOCKED
  )
  UPDATE jobs SET state = 'running', attempts = jobs.attempts + 1, locked_by = $4, lease_until = $5,
                  first_started_at = coalesce(jobs.first_started_at, $1), updated_at = $1
  FROM next WHERE jobs.id = next.id
  RETURNING jobs.*`;

/** The job queue over `db` (the root handle, or a transaction's). */
export function createJobQueue(db: Db, deps: JobQueueDeps): JobQueue {
  const { clock } = deps;
  const channel = channelName(db, JOBS_CHANNEL_BASE);
  const now = (): Date => new Date(clock.now());
  const jobId = (v: unknown): string => parseInput(JobId, v, 'job id');

  async function insert(
    conn: Db,
    kind: string,
    payload: string,
    o: z.output<typeof EnqueueSchema>,
  ): Promise<EnqueueResult> {
    if (o.orderingKey !== undefined) {
      // Ids of one ordering key are handed out in commit order, so "enqueue order" is well defined across
      // concurrent producers.
      await conn.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `incident_bot:job_order:${db.namespace}:${o.orderingKey}`,
      ]);
    }
    const at = now();
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const inserted = await conn.query<{ id: number | string }>(INSERT_JOB, [
        kind,
        payload,
        o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        o.runAt ?? at,
        o.dedupeKey ?? null,
        o.orderingKey ?? null,
        at,
        channel,
      ]);
      if (inserted.rows[0]) return { id: String(inserted.rows[0].id), created: true };
      const existing = await conn.query<{ id: number | string }>(
        "SELECT id FROM jobs WHERE dedupe_key = $1 AND state IN ('pending', 'running')",
        [o.dedupeKey],
      );
      if (existing.rows[0]) return { id: String(existing.rows[0].id), created: false };
      // The job holding the key finished between the two statements: try the insert again.
    }
    throw new AppError(ErrorCode.StoreFailed, `Could not enqueue ${kind}: dedupe key ${o.dedupeKey} kept changing`);
  }

  return {
    async enqueue(kind, payload, options = {}) {
      const k = parseInput(Kind, kind, 'job kind');
      const o = parseInput(EnqueueSchema, options, 'enqueue options');
      const json = toJsonParam(payload, 'job payload');
      const result =
        o.orderingKey !== undefined || (o.dedupeKey !== undefined && db.inTransaction)
          ? await db.transaction((tx) => insert(tx, k, json, o))
          : await insert(db, k, json, o);
      if (result.created) {
        if (deps.onEnqueued) deps.onEnqueued();
        else deps.bus.notify();
      }
      return result;
    },

    async get(id) {
      const { rows } = await db.query<Row>('SELECT * FROM jobs WHERE id = $1', [jobId(id)]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async findActive(dedupeKey) {
      const key = parseInput(Key, dedupeKey, 'dedupe key');
      const { rows } = await db.query<Row>(
        "SELECT * FROM jobs WHERE dedupe_key = $1 AND state IN ('pending', 'running')",
        [key],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async list(options = {}) {
      const o = parseInput(ListSchema, options, 'job list options');
      const { rows } = await db.query<Row>(
        `SELECT * FROM jobs WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR kind = $2)
         ORDER BY id DESC LIMIT $3`,
        [o.state ?? null, o.kind ?? null, o.limit ?? 100],
      );
      return rows.map(fromRow);
    },

    async retry(id) {
      const target = jobId(id);
      try {
        const { rowCount } = await db.query(
          `UPDATE jobs SET state = 'pending', attempts = 0, run_at = $2, finished_at = NULL, updated_at = $2
           WHERE id = $1 AND state = 'dead'`,
          [target, now()],
        );
        if (rowCount > 0) deps.bus.notify();
        return rowCount > 0;
      } catch (error) {
        if (sqlStateOf(error) === '23505') {
          throw new InvalidInputError(`Job ${target} cannot be retried: another job with its dedupe key is active`, [
            { path: 'id', message: 'another job with the same dedupe key is pending or running' },
          ]);
        }
        throw error;
      }
    },

    async stats() {
      const at = now();
      const { rows } = await db.query<{
        kind: string;
        state: JobState;
        n: number;
        ready: number;
        oldest_ready: Date | null;
      }>(
        `SELECT kind, state, count(*)::int AS n,
                (count(*) FILTER (WHERE state = 'pending' AND run_at <= $1))::int AS ready,
                min(run_at) FILTER (WHERE state = 'pending' AND run_at <= $1) AS oldest_ready
         FROM jobs GROUP BY kind, state ORDER BY kind, state`,
        [at],
      );
      const counts: Record<JobState, number> = { pending: 0, running: 0, succeeded: 0, dead: 0 };
      let ready = 0;
      let oldest: number | null = null;
      for (const r of rows) {
        counts[r.state] += r.n;
        ready += r.ready;
        if (r.oldest_ready !== null) {
          const t = toMillis(r.oldest_ready);
          oldest = oldest === null ? t : Math.min(oldest, t);
        }
      }
      return {
        counts,
        ready,
        scheduled: counts.pending - ready,
        oldestReadyAgeMs: oldest === null ? null : Math.max(0, at.getTime() - oldest),
        byKind: rows.map((r) => ({ kind: r.kind, state: r.state, count: r.n })),
      };
    },

    async purge(options = {}) {
      const at = clock.now();
      const { rowCount } = await db.query(
        `DELETE FROM jobs WHERE (state = 'succeeded' AND finished_at < $1) OR (state = 'dead' AND finished_at < $2)`,
        [
          new Date(at - (options.succeededOlderThanMs ?? SUCCEEDED_RETENTION_MS)),
          new Date(at - (options.deadOlderThanMs ?? DEAD_RETENTION_MS)),
        ],
      );
      return rowCount;
    },

    async claim(workerId, kinds, limit, leaseMs) {
      if (kinds.length === 0 || limit <= 0) return [];
      const at = now();
      const { rows } = await db.query<Row>(CLAIM_JOBS, [
        at,
        [...kinds],
        limit,
        workerId,
        new Date(at.getTime() + leaseMs),
      ]);
      return rows.map(fromRow).sort((a, b) => a.runAt.getTime() - b.runAt.getTime() || Number(a.id) - Number(b.id));
    },

    async complete(claim) {
      const at = now();
      const { rowCount } = await db.query(
        `UPDATE jobs SET state = 'succeeded', finished_at = $4, locked_by = NULL, lease_until = NULL, updated_at = $4
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND state = 'running'`,
        [claim.id, claim.lockedBy, claim.attempts, at],
      );
      return rowCount > 0;
    },

    async fail(claim, error, retryAt) {
      const at = now();
      const { rows } = await db.query<{ state: JobState }>(
        `UPDATE jobs SET
           state = CASE WHEN $5::timestamptz IS NULL OR attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
           run_at = CASE WHEN $5::timestamptz IS NULL OR attempts >= max_attempts THEN run_at ELSE $5 END,
           finished_at = CASE WHEN $5::timestamptz IS NULL OR attempts >= max_attempts THEN $6::timestamptz END,
           last_error = $4, locked_by = NULL, lease_until = NULL, updated_at = $6
         WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND state = 'running'
         RETURNING state`,
        [
          claim.id,
          claim.lockedBy,
          claim.attempts,
          cleanText(error).slice(0, 8000),
          retryAt === null ? null : new Date(retryAt),
          at,
        ],
      );
      const state = rows[0]?.state;
      return state === 'pending' || state === 'dead' ? state : 'lost';
    },

    async release(claims) {
      if (claims.length === 0) return 0;
      const { rowCount } = await db.query(
        `UPDATE jobs SET state = 'pending', attempts = greatest(attempts - 1, 0), locked_by = NULL,
                         lease_until = NULL, updated_at = $4
         WHERE (id, locked_by, attempts) IN (SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[]))
           AND state = 'running'`,
        [claims.map((c) => c.id), claims.map((c) => c.lockedBy), claims.map((c) => c.attempts), now()],
      );
      if (rowCount > 0) deps.bus.notify();
      return rowCount;
    },

    async extendLeases(claims, leaseMs) {
      if (claims.length === 0) return [];
      const at = now();
      const { rows } = await db.query<{ id: number | string }>(
        `UPDATE jobs SET lease_until = $4, updated_at = $5
         WHERE (id, locked_by, attempts) IN (SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[]))
           AND state = 'running'
         RETURNING id`,
        [
          claims.map((c) => c.id),
          claims.map((c) => c.lockedBy),
          claims.map((c) => c.attempts),
          new Date(at.getTime() + leaseMs),
          at,
        ],
      );
      return rows.map((r) => String(r.id));
    },

    async reapExpired() {
      const at = now();
      const { rows } = await db.query<{ id: number | string; kind: string; state: JobState }>(
        `UPDATE jobs SET
           state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'pending' END,
           finished_at = CASE WHEN attempts >= max_attempts THEN $1::timestamptz END,
           last_error = 'lease expired: worker ' || coalesce(locked_by, '?') || ' stopped responding during attempt '
                        || attempts,
           locked_by = NULL, lease_until = NULL, run_at = $1, updated_at = $1
         WHERE id IN (SELECT id FROM jobs WHERE state = 'running' AND lease_until < $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, state`,
        [at],
      );
      if (rows.some((r) => r.state === 'pending')) deps.bus.notify();
      return rows.map((r) => ({ id: String(r.id), kind: r.kind, state: r.state }));
    },

    async subscribe(onWake) {
      const unsubscribeLocal = deps.bus.subscribe(onWake);
      let stopListening: (() => Promise<void>) | undefined;
      try {
        stopListening = await db.listen(channel, () => onWake());
      } catch {
        stopListening = undefined; // polling still finds the jobs
      }
      return async () => {
        unsubscribeLocal();
        await stopListening?.();
      };
    },
  };
}
