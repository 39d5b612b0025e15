/**
 * The server driver: a `pg` pool for statements and transactions, plus one dedicated connection for LISTEN that
 * reconnects with backoff (handlers are called with '' once it is back, since notifications may have been
 * missed meanwhile). int8 is parsed to number so rows look the same as PGlite's.
 */
import pg from 'pg';
import type { Logger } from '../shared/logger.js';
import {
  type Db,
  type NotificationHandler,
  type QueryResult,
  quoteIdent,
  sqlStateOf,
  storeError,
  withSavepoint,
} from './db.js';

export interface PostgresDbOptions {
  url: string;
  schema: string | undefined;
  poolSize: number;
  statementTimeoutMs: number;
  logger: Logger;
}

const INT8_OID = 20;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID && format !== 'binary') return (value: string) => Number(value);
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloads do not accept the union format type
    return pg.types.getTypeParser(oid, format as any);
  },
};

/** Where the URL points, without credentials, for messages. */
function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

type PgClient = pg.PoolClient | pg.Client;

/** Connects to the server, creating `schema` if asked; see `createDb`. */
export async function createPostgresDb(options: PostgresDbOptions): Promise<Db> {
  const { url, schema, logger } = options;
  const where = describeUrl(url);
  const settings = [`-c statement_timeout=${options.statementTimeoutMs}`];
  if (schema) settings.push(`-c search_path=${schema}`);
  const connection = {
    connectionString: url,
    application_name: 'incident-bot',
    options: settings.join(' '),
    connectionTimeoutMillis: 10_000,
    types,
  };

  if (schema) {
    const bootstrap = new pg.Client({ ...connection, options: undefined });
    try {
      await bootstrap.connect();
      await bootstrap.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
    } catch (error) {
      // Two processes creating the same schema at once: one gets a unique violation, and the schema exists.
      const state = sqlStateOf(error);
      if (state !== '23505' && state !== '42P06') {
        throw storeError(error, `Could not prepare schema ${schema} on Postgres at ${where}`);
      }
    } finally {
      await bootstrap.end().catch(() => undefined);
    }
  }

  const pool = new pg.Pool({ ...connection, max: options.poolSize, idleTimeoutMillis: 30_000 });
  pool.on('error', (error) => logger.warn({ err: error }, 'store: idle Postgres connection failed'));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw storeError(error, `Could not connect to Postgres at ${where}`);
  }
  logger.info({ server: where, schema: schema ?? 'public' }, 'store: Postgres pool open');

  const namespace = schema ?? 'public';
  let closed: Promise<void> | undefined;
  const listener = createListener(connection, logger);

  function handle(conn: PgClient | pg.Pool, inTransaction: boolean, depth: number): Db {
    const db: Db = {
      kind: 'postgres',
      namespace,
      inTransaction,
      async query<T>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<T>> {
        try {
          const result = await conn.query(sql, params as unknown[]);
          return { rows: result.rows as T[], rowCount: result.rowCount ?? result.rows.length };
        } catch (error) {
          throw storeError(error);
        }
      },
      async exec(script: string): Promise<void> {
        try {
          await conn.query(script);
        } catch (error) {
          throw storeError(error);
        }
      },
      async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
        if (inTransaction) return withSavepoint(db, depth + 1, handle(conn, true, depth + 1), fn);
        let client: pg.PoolClient;
        try {
          client = await pool.connect();
        } catch (error) {
          throw storeError(error, `Could not get a Postgres connection (${where})`);
        }
        let broken: Error | undefined;
        try {
          await client.query('BEGIN');
        } catch (error) {
          client.release(error as Error);
          throw storeError(error, 'Store transaction failed');
        }
        let thrownByFn: { error: unknown } | undefined;
        try {
          let value: T;
          try {
            value = await fn(handle(client, true, 0));
          } catch (error) {
            thrownByFn = { error };
            throw error;
          }
          await client.query('COMMIT');
          return value;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError as Error;
          }
          if (thrownByFn && thrownByFn.error === error) throw error;
          throw storeError(error, 'Store transaction failed');
        } finally {
          client.release(broken);
        }
      },
      listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>> {
        return listener.listen(channel, handler);
      },
      close(): Promise<void> {
        closed ??= (async () => {
          await listener.close();
          await pool.end();
        })();
        return closed;
      },
    };
    return db;
  }

  return handle(pool, false, 0);
}

interface Listener {
  listen(channel: string, handler: NotificationHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

function createListener(connection: pg.ClientConfig, logger: Logger): Listener {
  const channels = new Map<string, Set<NotificationHandler>>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryDelayMs = 500;
  let closed = false;

  const dispatch = (channel: string, payload: string): void => {
    for (const handler of channels.get(channel) ?? []) {
      try {
        handler(payload);
      } catch (error) {
        logger.warn({ err: error, channel }, 'store: notification handler threw');
      }
    }
  };

  const lost = (which: pg.Client): void => {
    if (client !== which) return;
    client = undefined;
    which.end().catch(() => undefined);
    if (!closed) scheduleReconnect();
  };

  const connect = (): Promise<pg.Client> => {
    if (client) return Promise.resolve(client);
    connecting ??= (async () => {
      const next = new pg.Client({ ...connection, application_name: 'incident-bot-listen' });
      next.on('notification', (message) => dispatch(message.channel, message.payload ?? ''));
      next.on('error', (error) => {
        logger.warn({ err: error }, 'store: LISTEN connection failed; reconnecting');
        lost(next);
      });
      next.on('end', () => lost(next));
      try {
        await next.connect();
        for (const channel of channels.keys()) await next.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (error) {
        await next.end().catch(() => undefined);
        throw error;
      }
      if (closed) {
        await next.end().catch(() => undefined);
        throw new Error('store closed');
      }
      client = next;
      retryDelayMs = 500;
      return next;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  function scheduleReconnect(): void {
    if (retryTimer || closed) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect()
        .then(() => {
          logger.info('store: LISTEN connection restored');
          for (const channel of channels.keys()) dispatch(channel, '');
        })
        .catch((error: unknown) => {
          if (closed) return;
          retryDelayMs = Math.min(retryDelayMs * 2, 30_000);
          logger.warn({ err: error, retryInMs: retryDelayMs }, 'store: LISTEN reconnect failed');
          scheduleReconnect();
        });
    }, retryDelayMs);
    retryTimer.unref();
  }

  return {
    async listen(channel, handler) {
      let set = channels.get(channel);
      const isNew = !set;
      if (!set) {
        set = new Set();
        channels.set(channel, set);
      }
      set.add(handler);
      try {
        const conn = await connect();
        // LISTEN is idempotent, so repeating it after a connect that already covered this channel is harmless.
        if (isNew) await conn.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (error) {
        // Callers keep working by polling; the handler is kept and called with '' once listening resumes.
        logger.warn({ err: error, channel }, 'store: LISTEN unavailable for now; retrying in the background');
        scheduleReconnect();
      }
      return async () => {
        const handlers = channels.get(channel);
        if (!handlers?.delete(handler) || handlers.size > 0) return;
        channels.delete(channel);
        if (client && !closed) await client.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
      };
    },
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = undefined;
      const pending = connecting;
      if (pending) await pending.catch(() => undefined);
      const current = client;
      client = undefined;
      if (current) await current.end().catch(() => undefined);
    },
  };
}
