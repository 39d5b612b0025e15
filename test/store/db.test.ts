import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { channelName, createDb, type Db } from '../../src/store/db.js';
import { BACKENDS, dropSchema, openTestDb, randomSchema, TEST_DATABASE_URL, type TestDb, waitFor } from './support.js';

describe.each(BACKENDS)('Db on %s', (backend) => {
  let t: TestDb;
  let db: Db;

  beforeAll(async () => {
    t = await openTestDb(backend);
    db = t.db;
    await db.exec(`
      CREATE TABLE items (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text UNIQUE, doc jsonb,
                          at timestamptz, amount numeric);
      CREATE TABLE other (n int);`);
  }, 180_000);
  afterAll(async () => {
    await t.dispose();
  });

  it('reports its kind and namespace', () => {
    expect(db.kind).toBe(backend);
    expect(db.namespace).toBe(backend === 'postgres' ? t.schema : 'public');
    expect(db.inTransaction).toBe(false);
  });

  it('returns the same JavaScript shapes on both drivers (int8 number, Date, parsed jsonb, numeric string)', async () => {
    const at = new Date('2026-03-04T05:06:07.089Z');
    const { rows, rowCount } = await db.query<{ id: number; doc: unknown; at: Date; amount: string }>(
      `INSERT INTO items (name, doc, at, amount) VALUES ($1, $2::text::jsonb, $3, $4) RETURNING id, doc, at, amount`,
      ['shapes', JSON.stringify({ a: [1, 'x', null] }), at, '12.50'],
    );
    expect(rowCount).toBe(1);
    expect(typeof rows[0]?.id).toBe('number');
    expect(rows[0]?.doc).toEqual({ a: [1, 'x', null] });
    expect(rows[0]?.at).toBeInstanceOf(Date);
    expect(rows[0]?.at.getTime()).toBe(at.getTime());
    expect(rows[0]?.amount).toBe('12.50');
    const count = await db.query<{ n: number }>('SELECT count(*) AS n FROM items');
    expect(count.rows[0]?.n).toBeTypeOf('number');
  });

  it('reports affected rows for UPDATE and DELETE', async () => {
    await db.query(`INSERT INTO other (n) VALUES (1), (2), (3)`);
    expect((await db.query('UPDATE other SET n = n + 10 WHERE n >= 2')).rowCount).toBe(2);
    expect((await db.query('DELETE FROM other')).rowCount).toBe(3);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    const value = await db.transaction(async (tx) => {
      expect(tx.inTransaction).toBe(true);
      await tx.query(`INSERT INTO items (name) VALUES ('committed')`);
      return 42;
    });
    expect(value).toBe(42);
    const boom = new Error('boom');
    await expect(
      db.transaction(async (tx) => {
        await tx.query(`INSERT INTO items (name) VALUES ('rolled-back')`);
        throw boom;
      }),
    ).rejects.toBe(boom);
    const names = (await db.query<{ name: string }>(`SELECT name FROM items WHERE name LIKE '%ed%'`)).rows.map(
      (r) => r.name,
    );
    expect(names).toContain('committed');
    expect(names).not.toContain('rolled-back');
  });

  it('nests transactions as savepoints: an inner failure rolls back only the inner part', async () => {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO items (name) VALUES ('outer')`);
      await expect(
        tx.transaction(async (inner) => {
          await inner.query(`INSERT INTO items (name) VALUES ('inner')`);
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
      await tx.transaction(async (inner) => {
        await inner.query(`INSERT INTO items (name) VALUES ('inner-ok')`);
      });
    });
    const names = (
      await db.query<{ name: string }>(`SELECT name FROM items WHERE name LIKE '%inner%' OR name = 'outer'`)
    ).rows
      .map((r) => r.name)
      .sort();
    expect(names).toEqual(['inner-ok', 'outer']);
  });

  it('wraps driver errors as store_failed with the SQLSTATE, and keeps the transaction usable after a savepoint', async () => {
    const error = await db.query('SELECT * FROM no_such_table').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as AppError).details.sqlState).toBe('42P01');

    await db.query(`INSERT INTO items (name) VALUES ('dup')`);
    const dup = await db.query(`INSERT INTO items (name) VALUES ('dup')`).catch((e: unknown) => e);
    expect((dup as AppError).details.sqlState).toBe('23505');
  });

  it('runs multi-statement scripts with exec', async () => {
    await db.exec(`INSERT INTO other (n) VALUES (7); INSERT INTO other (n) VALUES (8);`);
    const { rows } = await db.query<{ s: number }>('SELECT sum(n)::int AS s FROM other WHERE n IN (7, 8)');
    expect(rows[0]?.s).toBe(15);
  });

  it('delivers NOTIFY to listeners after COMMIT, not before, and never after a rollback', async () => {
    const channel = channelName(db, 'test_db');
    const received: string[] = [];
    const stop = await db.listen(channel, (payload) => received.push(payload));
    await db.query('SELECT pg_notify($1, $2)', [channel, 'plain']);
    await waitFor(() => received.includes('plain'), 'plain notification');

    await db.transaction(async (tx) => {
      await tx.query('SELECT pg_notify($1, $2)', [channel, 'in-tx']);
      expect(received).not.toContain('in-tx');
    });
    await waitFor(() => received.includes('in-tx'), 'notification after commit');

    await db
      .transaction(async (tx) => {
        await tx.query('SELECT pg_notify($1, $2)', [channel, 'rolled-back']);
        throw new Error('no');
      })
      .catch(() => undefined);
    await db.query('SELECT pg_notify($1, $2)', [channel, 'marker']);
    await waitFor(() => received.includes('marker'), 'marker notification');
    expect(received).not.toContain('rolled-back');

    await stop();
    await db.query('SELECT pg_notify($1, $2)', [channel, 'after-stop']);
    await db.query('SELECT pg_sleep(0.05)');
    expect(received).not.toContain('after-stop');
  });
});

describe('createDb options', () => {
  it('rejects malformed options with a message naming each field', async () => {
    const error = await createDb({ databaseUrl: 'mysql://x', schema: 'Bad-Schema' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['databaseUrl', 'schema']);
    expect((error as Error).message).toContain('postgres://');
  });

  it('fails with a clear store_failed message (no password) when the server cannot be reached', async () => {
    const error = await createDb({ databaseUrl: 'postgres://bot:s3cret-pw@127.0.0.1:1/nowhere' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as Error).message).toContain('127.0.0.1:1/nowhere');
    expect((error as Error).message).not.toContain('s3cret-pw');
  });

  it('derives NOTIFY channel names that are plain identifiers', () => {
    expect(channelName({ namespace: 'T_Ab-1' }, 'incident_bot_jobs')).toBe('incident_bot_jobs_t_ab_1');
    expect(channelName({ namespace: 'x'.repeat(80) }, 'base').length).toBeLessThanOrEqual(63);
  });
});

if (TEST_DATABASE_URL) {
  const url = TEST_DATABASE_URL;
  describe('Postgres driver specifics', () => {
    it('isolates schemas: tables created in one schema are invisible to another', async () => {
      const a = randomSchema();
      const b = randomSchema();
      const dbA = await createDb({ databaseUrl: url, schema: a });
      const dbB = await createDb({ databaseUrl: url, schema: b });
      try {
        await dbA.exec('CREATE TABLE only_here (n int); INSERT INTO only_here VALUES (1);');
        const seen = await dbB.query('SELECT * FROM only_here').catch((e: unknown) => e);
        expect((seen as AppError).details.sqlState).toBe('42P01');
        const own = await dbA.query<{ n: number }>('SELECT n FROM only_here');
        expect(own.rows).toEqual([{ n: 1 }]);
      } finally {
        await dbA.close();
        await dbB.close();
        await dropSchema(a);
        await dropSchema(b);
      }
    });

    it('restores LISTEN after its connection is killed, calling handlers with "" so callers re-check', async () => {
      const schema = randomSchema();
      const db = await createDb({ databaseUrl: url, schema });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const channel = channelName(db, 'reconnect');
        const received: string[] = [];
        const stop = await db.listen(channel, (p) => received.push(p));
        const killed = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'incident-bot-listen'
             AND query ILIKE '%' || $1 || '%'`,
          [channel],
        );
        expect(killed.rowCount).toBeGreaterThanOrEqual(1);
        await waitFor(() => received.includes(''), 'reconnect wake-up');
        await db.query('SELECT pg_notify($1, $2)', [channel, 'after-reconnect']);
        await waitFor(() => received.includes('after-reconnect'), 'notification on the new connection');
        await stop();
      } finally {
        await admin.end();
        await db.close();
        await dropSchema(schema);
      }
    });
  });
}
