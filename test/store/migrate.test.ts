import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/shared/errors.js';
import { createDb } from '../../src/store/db.js';
import { defaultMigrationsDir, loadMigrations, type Migration, migrate } from '../../src/store/migrate.js';
import { BACKENDS, dropSchema, openTestDb, randomSchema, TEST_DATABASE_URL, type TestDb } from './support.js';

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

const EXPECTED_TABLES = [
  'ai_results',
  'audit_log',
  'incident_links',
  'jobs',
  'processed_keys',
  'schema_migrations',
  'service_channels',
  'storm_windows',
  'timeline_events',
];

describe.each(BACKENDS)('migrate on %s', (backend) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(backend);
  }, 180_000);
  afterEach(async () => {
    await t?.dispose();
  });

  it('applies the shipped migrations once; a second run is a no-op', async () => {
    const first = await migrate(t.db);
    expect(first.applied).toEqual(loadMigrations().map((m) => m.name));
    expect(first.applied[0]).toBe('001_init.sql');
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(EXPECTED_TABLES);

    const second = await migrate(t.db);
    expect(second.applied).toEqual([]);
    const recorded = await t.db.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations',
    );
    expect(recorded.rows).toEqual(loadMigrations().map((m) => ({ name: m.name, checksum: m.checksum })));
  });

  it('applies each file in its own transaction: a failing file leaves no trace, earlier files stay', async () => {
    const good = migration('001_a.sql', 'CREATE TABLE a (n int);');
    const bad = migration('002_b.sql', 'CREATE TABLE b (n int); INSERT INTO b VALUES (1); SELECT * FROM missing;');
    const error = await migrate(t.db, { migrations: [good, bad] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as Error).message).toContain('002_b.sql');
    const tables = await t.db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(['a', 'schema_migrations']);
    const recorded = await t.db.query<{ name: string }>('SELECT name FROM schema_migrations');
    expect(recorded.rows).toEqual([{ name: '001_a.sql' }]);

    const fixed = migration('002_b.sql', 'CREATE TABLE b (n int);');
    expect((await migrate(t.db, { migrations: [good, fixed] })).applied).toEqual(['002_b.sql']);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    await migrate(t.db, { migrations: [migration('001_a.sql', 'CREATE TABLE a (n int);')] });
    const error = await migrate(t.db, {
      migrations: [migration('001_a.sql', 'CREATE TABLE a (n bigint);')],
    }).catch((e: unknown) => e);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as Error).message).toMatch(/001_a\.sql was changed after it was applied/);
  });

  it('is safe when called concurrently on one database', async () => {
    const results = await Promise.all([migrate(t.db), migrate(t.db), migrate(t.db)]);
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(loadMigrations().map((m) => m.name));
    const count = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations');
    expect(count.rows[0]?.n).toBe(loadMigrations().length);
  });
});

if (TEST_DATABASE_URL) {
  const url = TEST_DATABASE_URL;
  describe('migrate from two processes at once (separate pools on the Postgres server)', () => {
    it('applies every file exactly once while the other waits on the advisory lock', async () => {
      const schema = randomSchema();
      const a = await createDb({ databaseUrl: url, schema });
      const b = await createDb({ databaseUrl: url, schema });
      try {
        // A slow first file widens the window in which both would otherwise apply it.
        const slow = [
          migration('001_slow.sql', 'SELECT pg_sleep(0.3); CREATE TABLE slow (n int);'),
          migration('002_more.sql', 'CREATE TABLE more (n int);'),
        ];
        const [ra, rb] = await Promise.all([migrate(a, { migrations: slow }), migrate(b, { migrations: slow })]);
        expect([...ra.applied, ...rb.applied].sort()).toEqual(['001_slow.sql', '002_more.sql']);
        const shipped = await Promise.all([migrate(a), migrate(b)]);
        expect(shipped.flatMap((r) => r.applied).sort()).toEqual(loadMigrations().map((m) => m.name));
      } finally {
        await a.close();
        await b.close();
        await dropSchema(schema);
      }
    });
  });
}

describe('loadMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ib-migrations-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds the shipped folder next to the module', () => {
    expect(existsSync(join(defaultMigrationsDir(), '001_init.sql'))).toBe(true);
  });

  it('orders files by number, ignores other files, and checksums the content', () => {
    writeFileSync(join(dir, '010_ten.sql'), 'SELECT 10;');
    writeFileSync(join(dir, '002_two.sql'), 'SELECT 2;');
    writeFileSync(join(dir, 'README.md'), 'not a migration');
    writeFileSync(join(dir, '3_bad_name.sql'), 'SELECT 3;');
    const loaded = loadMigrations(dir);
    expect(loaded.map((m) => m.name)).toEqual(['002_two.sql', '010_ten.sql']);
    expect(loaded[0]?.checksum).toBe(createHash('sha256').update('SELECT 2;').digest('hex'));
  });

  it('rejects two files with one number, an empty folder and a missing folder', () => {
    expect(() => loadMigrations(dir)).toThrow(/No migrations found/);
    writeFileSync(join(dir, '001_a.sql'), 'SELECT 1;');
    writeFileSync(join(dir, '001_b.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/share number 1/);
    expect(() => loadMigrations(join(dir, 'nope'))).toThrow(/is missing/);
  });
});
