/**
 * The embedded driver: PGlite (Postgres compiled to WASM) in this process, persisted under a data directory
 * guarded by a lock file, or in memory. One connection: statements run one at a time, transactions exclusively.
 */
import { resolve } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Logger } from '../shared/logger.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { type Db, type NotificationHandler, type QueryResult, quoteIdent, storeError, withSavepoint } from './db.js';

export interface PgliteDbOptions {
  /** Directory to persist to; undefined = memory. */
  dataDir: string | undefined;
  schema: string | undefined;
  logger: Logger;
  /** Start from this dump (`PGlite.dumpDataDir`) instead of running initdb; only with `dataDir` undefined. */
  loadDataDir?: Blob | undefined;
}

type Queryable = Pick<Transaction, 'query' | 'exec'>;

/** Opens PGlite; see `createDb`. */
export async function createPgliteDb(options: PgliteDbOptions): Promise<Db> {
  const dataDir = options.dataDir === undefined ? undefined : resolve(options.dataDir);
  const lock: DataDirLock | undefined = dataDir === undefined ? undefined : acquireDataDirLock(dataDir);
  let pglite: PGlite;
  try {
    pglite =
      dataDir === undefined && options.loadDataDir
        ? await PGlite.create({ loadDataDir: options.loadDataDir })
        : await PGlite.create(dataDir);
    if (options.schema) {
      await pglite.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(options.schema)}`);
      await pglite.exec(`SET search_path TO ${quoteIdent(options.schema)}`);
    }
  } catch (error) {
    lock?.release();
    throw storeError(error, `Could not open the embedded database${dataDir ? ` in ${dataDir}` : ''}`);
  }
  options.logger.info({ dataDir: dataDir ?? '(memory)' }, 'store: PGlite open');
  const namespace = options.schema ?? 'public';
  let closed: Promise<void> | undefined;

  function handle(conn: Queryable, inTransaction: boolean, depth: number): Db {
    const db: Db = {
      kind: 'pglite',
      namespace,
      inTransaction,
      async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
        try {
          const result = await conn.query<T>(sql, params as unknown[]);
          return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
        } catch (error) {
          throw storeError(error);
        }
      },
      async exec(script: string): Promise<void> {
        try {
          await conn.exec(script);
        } catch (error) {
          throw storeError(error);
        }
      },
      async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
        if (inTransaction) return withSavepoint(db, depth + 1, handle(conn, true, depth + 1), fn);
        let thrownByFn: { error: unknown } | undefined;
        try {
          return await pglite.transaction(async (tx) => {
            try {
              return await fn(handle(tx, true, 0));
            } catch (error) {
              thrownByFn = { error };
              throw error;
            }
          });
        } catch (error) {
          if (thrownByFn && thrownByFn.error === error) throw error;
          throw storeError(error, 'Store transaction failed');
        }
      },
      async listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
        try {
          const stop = await pglite.listen(channel, handler);
          return async () => {
            if (!pglite.closed) await stop();
          };
        } catch (error) {
          throw storeError(error, `Could not LISTEN on ${channel}`);
        }
      },
      close(): Promise<void> {
        closed ??= (async () => {
          try {
            if (!pglite.closed) await pglite.close();
          } finally {
            lock?.release();
          }
        })();
        return closed;
      },
    };
    return db;
  }

  return handle(pglite, false, 0);
}
