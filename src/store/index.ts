/** The store's public API: open it, use the repositories, run job workers. */
export {
  AI_RESULT_TTL_MS,
  type AiResultKey,
  type AiResults,
  type AiTokenUsage,
  type AiUsageTotals,
  createAiResults,
} from './ai-results.js';
export {
  AUDIT_INPUT_MAX_BYTES,
  AUDIT_SURFACES,
  type AuditActor,
  type AuditEntry,
  type AuditEntryInput,
  type AuditListOptions,
  type AuditLog,
  type AuditSurface,
  createAuditLog,
} from './audit-log.js';
export { LOCK_FILE_NAME } from './data-dir-lock.js';
export { type CreateDbOptions, createDb, type Db, type NotificationHandler, type QueryResult } from './db.js';
export {
  createIncidentLinks,
  type IncidentLink,
  type IncidentLinkPatch,
  type IncidentLinks,
} from './incident-links.js';
export { registerJobMetrics } from './job-metrics.js';
export {
  type BackoffOptions,
  backoffDelay,
  createJobWorker,
  defineJobHandler,
  type JobContext,
  type JobHandler,
  type JobWorker,
  type JobWorkerOptions,
} from './job-worker.js';
export {
  createJobQueue,
  DEFAULT_MAX_ATTEMPTS,
  type EnqueueOptions,
  type EnqueueResult,
  JOB_STATES,
  type Job,
  type JobClaim,
  type JobQueue,
  type JobState,
  type JobStats,
} from './jobs.js';
export { defaultMigrationsDir, loadMigrations, type Migration, migrate } from './migrate.js';
export { createProcessedKeys, DEDUPE_WINDOW_MS, type ProcessedKeys } from './processed-keys.js';
export {
  createServiceChannels,
  type ServiceChannel,
  type ServiceChannelInput,
  type ServiceChannels,
} from './service-channels.js';
export {
  createStore,
  type OpenStoreOptions,
  openStore,
  type PurgeResult,
  type Store,
  type StoreDeps,
  type StoreRepositories,
} from './store.js';
export { STORM_WINDOW_MS, type StormWindow, type StormWindows } from './storm-windows.js';
export {
  TIMELINE_SOURCES,
  TIMELINE_TEXT_MAX,
  type Timeline,
  type TimelineEvent,
  type TimelineEventInput,
  type TimelineSource,
} from './timeline.js';
