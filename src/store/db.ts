/**
 * One SQL dialect, two drivers. Everything above this file speaks plain Postgres SQL to a `Db`, which is either
 * embedded PGlite (a directory on disk, or memory for tests) or a Postgres server through `pg` (several replicas
 * share one server). Both drivers return the same JavaScript shapes: int8 as number, timestamptz as Date, jsonb
 * parsed, numeric as string.
 */
import { z } from 'zod';
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { silentLogger } from '../shared/logger.js';
import { parseInput } from './validate.js';

export interface QueryResult<T> {
  rows: T[];
  /** Rows returned or affected. */
  rowCount: number;
}

/** Called with a notification's payload; after a lost listen connection is restored it is called with ''. */
export type NotificationHandler = (payload: string) => void;

export interface Db {
  readonly kind: 'pglite' | 'postgres';
  /** Schema holding the tables (`public` unless one was chosen); also namespaces NOTIFY channels and locks. */
  readonly namespace: string;
  /** True for the handle passed to a `transaction` callback. */
  readonly inTransaction: boolean;
  /** One statement with `$1…` parameters. Driver errors become `AppError` `store_failed` (details.sqlState). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<T>>;
  /** A script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
  /**
   * Runs `fn` in a transaction (a savepoint when already inside one): commit when it resolves, roll back when it
   * throws. Inside `fn` use only `tx`: on PGlite the root handle waits for the transaction to end.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** LISTEN on `channel` (a lower-case identifier); resolves once listening; the returned function stops. */
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  /** Closes connections and releases the data directory; idempotent. */
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** Postgres server URL; when set the `pg` driver is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (created if missing). Defaults to `./data`. Ignored with `databaseUrl` or `memory`. */
  dataDir?: string | undefined;
  /** PGlite in memory (tests). */
  memory?: boolean | undefined;
  /** Schema for the tables (created if missing); `search_path` is set to it on every connection. */
  schema?: string | undefined;
  /** `pg` pool size (default 10). */
  poolSize?: number | undefined;
  /** Per-statement timeout on the server (default 30 s). */
  statementTimeoutMs?: number | undefined;
  logger?: Logger | undefined;
}

const OptionsSchema = z.object({
  databaseUrl: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional(),
  dataDir: z.string().trim().min(1, 'must not be empty').optional(),
  memory: z.boolean().optional(),
  schema: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,47}$/, 'expected a lower-case identifier of at most 48 characters (a-z, 0-9, _)')
    .optional(),
  poolSize: z.number().int().min(1).max(100).optional(),
  statementTimeoutMs: z.number().int().min(0).max(3_600_000).optional(),
  logger: z.unknown().optional(),
});

/** Opens the database named by the options: `pg` when `databaseUrl` is set, PGlite otherwise. */
export async function createDb(options: CreateDbOptions = {}): Promise<Db> {
  const opts = parseInput(OptionsSchema, options, 'store options');
  const logger = (options.logger as Logger | undefined) ?? silentLogger();
  if (opts.databaseUrl) {
    const { createPostgresDb } = await import('./postgres-db.js');
    return createPostgresDb({
      url: opts.databaseUrl,
      schema: opts.schema,
      poolSize: opts.poolSize ?? 10,
      statementTimeoutMs: opts.statementTimeoutMs ?? 30_000,
      logger,
    });
  }
  const { createPgliteDb } = await import('./pglite-db.js');
  return createPgliteDb({
    dataDir: opts.memory ? undefined : (opts.dataDir ?? './data'),
    schema: opts.schema,
    logger,
  });
}

/** Wraps a driver error so callers can rely on `.code`; keeps the SQLSTATE in `details.sqlState`. */
export function storeError(error: unknown, what = 'Store query failed'): AppError {
  if (error instanceof AppError) return error;
  const err = error as { message?: unknown; code?: unknown };
  const message = typeof err?.message === 'string' ? err.message : String(error);
  const sqlState = typeof err?.code === 'string' ? err.code : undefined;
  return new AppError(ErrorCode.StoreFailed, `${what}: ${message}`, {
    cause: error,
    details: sqlState ? { sqlState } : {},
  });
}

/** SQLSTATE of a wrapped or raw driver error, if any. */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof AppError && typeof error.details.sqlState === 'string') return error.details.sqlState;
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Runs `fn` with `inner` inside savepoint `sp_<depth>` of the open transaction `tx` (a nested `transaction`). */
export async function withSavepoint<T>(tx: Db, depth: number, inner: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  const savepoint = `sp_${depth}`;
  await tx.exec(`SAVEPOINT ${savepoint}`);
  try {
    const value = await fn(inner);
    await tx.exec(`RELEASE SAVEPOINT ${savepoint}`);
    return value;
  } catch (error) {
    await tx.exec(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    throw error;
  }
}

/** Quotes an identifier we generated ourselves (schema, channel). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** LISTEN/NOTIFY channel names must be plain identifiers on PGlite; derive one from a base and the namespace. */
export function channelName(db: Pick<Db, 'namespace'>, base: string): string {
  return `${base}_${db.namespace}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 63);
}
