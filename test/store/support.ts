/**
 * Backends for the store suite: PGlite in memory always, and the Postgres server when TEST_DATABASE_URL is set.
 * On Postgres every opened store lives in its own random schema, dropped by `dispose`, so parallel test files
 * (and other engineers' runs) never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Clock, createManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createDb, type Db } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { createPgliteDb } from '../../src/store/pglite-db.js';
import { createStore, type Store } from '../../src/store/store.js';

export type BackendName = 'pglite' | 'postgres';

export const TEST_DATABASE_URL: string | undefined = process.env.TEST_DATABASE_URL || undefined;

/** Backends to run the same test bodies over (`describe.each(BACKENDS)`). */
export const BACKENDS: BackendName[] = TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export function randomSchema(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

/** Drops a test schema on the server. */
export async function dropSchema(schema: string): Promise<void> {
  if (!TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export interface TestDb {
  db: Db;
  schema: string | undefined;
  dispose(): Promise<void>;
}

let template: Promise<Blob> | undefined;

/**
 * An empty PGlite cluster as a dump, made once per machine and PGlite version (initdb takes seconds on a loaded
 * machine; loading the dump takes about a third of that).
 */
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const manifest = new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url);
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    const file = join(tmpdir(), `incident-bot-pglite-template-${version}-${process.getuid?.() ?? 0}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const fresh = await PGlite.create();
    const blob = await fresh.dumpDataDir('none');
    await fresh.close();
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(tmp, Buffer.from(await blob.arrayBuffer()));
    renameSync(tmp, file);
    return blob;
  })();
  return template;
}

/** A fresh, unmigrated database on `backend`. */
export async function openTestDb(backend: BackendName, schema: string = randomSchema()): Promise<TestDb> {
  if (backend === 'pglite') {
    const db = await createPgliteDb({
      dataDir: undefined,
      schema: undefined,
      logger: silentLogger(),
      loadDataDir: await pgliteTemplate(),
    });
    return { db, schema: undefined, dispose: () => db.close() };
  }
  const db = await createDb({ databaseUrl: TEST_DATABASE_URL, schema, poolSize: 6 });
  return {
    db,
    schema,
    async dispose() {
      await db.close();
      await dropSchema(schema);
    },
  };
}

export interface TestStore {
  store: Store;
  clock: Clock & { advance(ms: number): void; set(ms: number): void };
  schema: string | undefined;
  dispose(): Promise<void>;
}

/** A migrated store on `backend` with a manual clock starting at 2026-01-01. */
export async function openTestStore(backend: BackendName): Promise<TestStore> {
  const { db, schema, dispose } = await openTestDb(backend);
  const clock = createManualClock();
  await migrate(db);
  const store = createStore(db, { clock, purgeEveryMs: 0 });
  return {
    store,
    clock,
    schema,
    async dispose() {
      await store.close();
      await dispose();
    },
  };
}

/** Empties every table (between tests sharing one store). */
export async function truncateAll(db: Db): Promise<void> {
  await db.exec(
    `TRUNCATE incident_links, timeline_events, processed_keys, audit_log, ai_results, service_channels,
              storm_windows, jobs RESTART IDENTITY`,
  );
}

/** Polls `check` until it returns true (generous deadline for loaded machines); throws with `what` on timeout. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A promise with its resolve function, for handlers the test releases by hand. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The time every suite's manual clock is reset to. */
export const T0 = Date.UTC(2026, 0, 1);

/**
 * Registers hooks for a describe block: one migrated store on `backend` for the block (opening PGlite is the slow
 * part), emptied and its clock reset to T0 before each test unless `reset` is false. Read fields inside tests.
 */
export function useTestStore(backend: BackendName, options: { reset?: boolean } = {}): TestStore {
  let current: TestStore | undefined;
  const get = (): TestStore => {
    if (!current) throw new Error('the test store is not open yet (use it inside tests or hooks)');
    return current;
  };
  beforeAll(async () => {
    current = await openTestStore(backend);
  }, 180_000);
  afterAll(async () => {
    await current?.dispose();
  });
  if (options.reset !== false) {
    beforeEach(async () => {
      await truncateAll(get().store.db);
      get().clock.set(T0);
    });
  }
  return {
    get store() {
      return get().store;
    },
    get clock() {
      return get().clock;
    },
    get schema() {
      return get().schema;
    },
    dispose: () => get().dispose(),
  };
}
