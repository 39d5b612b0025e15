import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { DEDUPE_WINDOW_MS } from '../../src/store/processed-keys.js';
import { createStore, openStore } from '../../src/store/store.js';
import { BACKENDS, dropSchema, randomSchema, TEST_DATABASE_URL, useTestStore, waitFor } from './support.js';

describe('openStore', () => {
  it('opens an in-memory PGlite store, migrated and ready, and closes idempotently', async () => {
    const store = await openStore({ memory: true, purgeEveryMs: 0 });
    try {
      expect(store.db.kind).toBe('pglite');
      const { rows } = await store.db.query<{ name: string }>('SELECT name FROM schema_migrations');
      expect(rows.map((r) => r.name)).toContain('001_init.sql');
      expect(await store.processedKeys.claimOnce('first')).toBe(true);
    } finally {
      await store.close();
      await store.close();
    }
  }, 180_000);

  it('rejects bad options before touching any database', async () => {
    await expect(openStore({ databaseUrl: 'http://db', purgeEveryMs: 0 })).rejects.toBeInstanceOf(InvalidInputError);
  });

  if (TEST_DATABASE_URL) {
    const url = TEST_DATABASE_URL;
    it('opens a Postgres store in its schema, and fails clearly (closing the pool) when a migration cannot apply', async () => {
      const schema = randomSchema();
      try {
        const store = await openStore({ databaseUrl: url, schema, purgeEveryMs: 0 });
        expect(store.db.kind).toBe('postgres');
        expect(store.db.namespace).toBe(schema);
        await store.close();

        const broken = randomSchema();
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${broken}; CREATE TABLE ${broken}.jobs (something_else int);`);
        await admin.end();
        try {
          const error = await openStore({ databaseUrl: url, schema: broken, purgeEveryMs: 0 }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(AppError);
          expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
          expect((error as Error).message).toContain('001_init.sql');
        } finally {
          await dropSchema(broken);
        }
      } finally {
        await dropSchema(schema);
      }
    });
  }
});

describe.each(BACKENDS)('store on %s', (backend) => {
  const t = useTestStore(backend);

  it('commits writes to several repositories together, or none of them', async () => {
    const actor = { surface: 'slack' as const, email: 'ada@example.com', slackUserId: 'U0ADA' };
    await expect(
      t.store.transaction(async (tx) => {
        await tx.incidentLinks.upsert('PABC', { channelId: 'C01', messageTs: '1.000001' });
        await tx.audit.record({ actor, tool: 'declare_incident', input: { title: 'x' }, outcome: 'ok' });
        await tx.jobs.enqueue('triage', { incidentId: 'PABC' });
        throw new Error('Slack post failed');
      }),
    ).rejects.toThrow('Slack post failed');
    expect(await t.store.incidentLinks.get('PABC')).toBeUndefined();
    expect(await t.store.audit.list()).toEqual([]);
    expect((await t.store.jobs.stats()).counts.pending).toBe(0);

    const value = await t.store.transaction(async (tx) => {
      expect(tx.db.inTransaction).toBe(true);
      await tx.incidentLinks.upsert('PABC', { channelId: 'C01', messageTs: '1.000001' });
      await tx.audit.record({ actor, tool: 'declare_incident', input: { title: 'x' }, outcome: 'ok' });
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(await t.store.incidentLinks.get('PABC')).toBeDefined();
    expect(await t.store.audit.list()).toHaveLength(1);
  });

  it('purges expired rows from every repository that expires them', async () => {
    await t.store.processedKeys.claimOnce('old-key');
    await t.store.aiResults.put({ incidentId: 'PABC', kind: 'triage', engine: 'heuristic', inputHash: 'h' }, {});
    await t.store.stormWindows.record('C0OPS', 'PABC');
    await t.store.jobs.enqueue('k', {});
    const [job] = await t.store.jobs.claim('w', ['k'], 1, 1000);
    if (!job) throw new Error('no job');
    await t.store.jobs.complete({ id: job.id, lockedBy: 'w', attempts: 1 });
    t.clock.advance(31 * 86_400_000);
    await t.store.processedKeys.claimOnce('fresh-key');
    expect(await t.store.purgeExpired()).toEqual({ processedKeys: 1, jobs: 1, aiResults: 1, stormWindows: 1 });
    expect(await t.store.purgeExpired()).toEqual({ processedKeys: 0, jobs: 0, aiResults: 0, stormWindows: 0 });
    expect(await t.store.processedKeys.has('fresh-key')).toBe(true);
  });

  it('purges on its own timer when purgeEveryMs is set, and stops when closed', async () => {
    const clock = createManualClock(Date.UTC(2026, 0, 1));
    // A second store over the same database, whose close() leaves the shared handle open.
    const store = createStore({ ...t.store.db, close: async () => undefined }, { clock, purgeEveryMs: 20 });
    await store.processedKeys.claimOnce('expiring');
    clock.advance(DEDUPE_WINDOW_MS + 1);
    const gone = async (key: string): Promise<boolean> =>
      (await t.store.db.query('SELECT 1 FROM processed_keys WHERE key = $1', [key])).rows.length === 0;
    await waitFor(() => gone('expiring'), 'the timer to purge the key');
    await store.close();
    await store.processedKeys.claimOnce('after-close');
    clock.advance(DEDUPE_WINDOW_MS + 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await gone('after-close')).toBe(false);
  });
});
