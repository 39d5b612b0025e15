/**
 * The store: one `Db`, migrated, with every repository bound to it. `openStore` is what `src/main.ts` calls;
 * `store.transaction` gives the same repositories bound to one transaction (e.g. claim a webhook id and enqueue
 * its job atomically).
 */
import { type Clock, systemClock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import { componentLogger, silentLogger } from '../shared/logger.js';
import { type AiResults, createAiResults } from './ai-results.js';
import { type AuditLog, createAuditLog } from './audit-log.js';
import { type CreateDbOptions, createDb, type Db } from './db.js';
import { createIncidentLinks, type IncidentLinks } from './incident-links.js';
import { createJobQueue, createWakeBus, type JobQueue, type WakeBus } from './jobs.js';
import { migrate } from './migrate.js';
import { createProcessedKeys, type ProcessedKeys } from './processed-keys.js';
import { createServiceChannels, type ServiceChannels } from './service-channels.js';
import { createStormWindows, type StormWindows } from './storm-windows.js';
import { createTimeline, type Timeline } from './timeline.js';

export interface StoreRepositories {
  /** The handle these repositories use (raw SQL in the same transaction). */
  db: Db;
  incidentLinks: IncidentLinks;
  timeline: Timeline;
  processedKeys: ProcessedKeys;
  audit: AuditLog;
  aiResults: AiResults;
  serviceChannels: ServiceChannels;
  stormWindows: StormWindows;
  jobs: JobQueue;
}

export interface PurgeResult {
  processedKeys: number;
  jobs: number;
  aiResults: number;
  stormWindows: number;
}

export interface Store extends StoreRepositories {
  /**
   * Runs `fn` with repositories bound to one transaction: everything commits together or not at all. Workers in
   * this process are woken after COMMIT for jobs enqueued inside. Use only `tx` inside `fn`.
   */
  transaction<T>(fn: (tx: StoreRepositories) => Promise<T>): Promise<T>;
  /** Deletes expired rows: dedupe keys (7 d), finished jobs (7 d / dead 30 d), AI results (30 d), storm windows. */
  purgeExpired(): Promise<PurgeResult>;
  /** Stops the purge timer and closes the database. Stop job workers first. */
  close(): Promise<void>;
}

export interface StoreDeps {
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  /** Run `purgeExpired` this often (default 1 h; 0 = never). */
  purgeEveryMs?: number | undefined;
}

export type OpenStoreOptions = CreateDbOptions & StoreDeps;

function repositories(db: Db, clock: Clock, bus: WakeBus, onEnqueued?: () => void): StoreRepositories {
  return {
    db,
    incidentLinks: createIncidentLinks(db, { clock }),
    timeline: createTimeline(db, { clock }),
    processedKeys: createProcessedKeys(db, { clock }),
    audit: createAuditLog(db, { clock }),
    aiResults: createAiResults(db, { clock }),
    serviceChannels: createServiceChannels(db, { clock }),
    stormWindows: createStormWindows(db, { clock }),
    jobs: createJobQueue(db, onEnqueued ? { clock, bus, onEnqueued } : { clock, bus }),
  };
}

/** Binds every repository to an open, migrated `db`. */
export function createStore(db: Db, deps: StoreDeps = {}): Store {
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentLogger();
  const bus = createWakeBus();
  const root = repositories(db, clock, bus);
  const purgeEveryMs = deps.purgeEveryMs ?? 3_600_000;
  let timer: NodeJS.Timeout | undefined;

  const store: Store = {
    ...root,
    async transaction(fn) {
      let enqueued = false;
      const result = await db.transaction((tx) =>
        fn(
          repositories(tx, clock, bus, () => {
            enqueued = true;
          }),
        ),
      );
      if (enqueued) bus.notify();
      return result;
    },
    async purgeExpired() {
      const result: PurgeResult = {
        processedKeys: await root.processedKeys.purge(),
        jobs: await root.jobs.purge(),
        aiResults: await root.aiResults.purge(),
        stormWindows: await root.stormWindows.purge(),
      };
      logger.debug(result, 'store: purged expired rows');
      return result;
    },
    async close() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await db.close();
    },
  };

  if (purgeEveryMs > 0) {
    timer = setInterval(() => {
      store.purgeExpired().catch((error: unknown) => logger.warn({ err: error }, 'store: purge failed'));
    }, purgeEveryMs);
    timer.unref();
  }
  return store;
}

/**
 * Opens the database (`pg` when `databaseUrl` is set, else PGlite under `dataDir` or in memory), applies
 * migrations and returns the store. The database is closed again if migrating fails.
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const logger = options.logger ? componentLogger(options.logger, 'store') : silentLogger();
  const db = await createDb({ ...options, logger });
  try {
    const clock = options.clock ?? systemClock;
    await migrate(db, { logger, now: () => clock.now() });
  } catch (error) {
    await db.close();
    throw error;
  }
  return createStore(db, { ...options, logger });
}
