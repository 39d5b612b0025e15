/** Queue gauges for `GET /metrics`, read from the jobs table at scrape time (one query per scrape). */
import type { Metrics } from '../shared/metrics.js';
import { JOB_STATES, type JobQueue, type JobStats } from './jobs.js';

/**
 * Registers `jobs{state}`, `jobs_by_kind{kind,state}`, `jobs_ready` (queue depth), `jobs_scheduled` and
 * `jobs_oldest_ready_age_seconds` on `metrics`.
 */
export function registerJobMetrics(metrics: Metrics, jobs: Pick<JobQueue, 'stats'>): void {
  let cached: { at: number; stats: Promise<JobStats> } | undefined;
  const stats = (): Promise<JobStats> => {
    const at = performance.now();
    if (!cached || at - cached.at > 500) cached = { at, stats: jobs.stats() };
    return cached.stats;
  };
  metrics.gauge('jobs', 'Jobs in the queue table by state.', async () => {
    const s = await stats();
    return JOB_STATES.map((state) => ({ labels: { state }, value: s.counts[state] }));
  });
  metrics.gauge('jobs_by_kind', 'Jobs by kind and state.', async () =>
    (await stats()).byKind.map((k) => ({ labels: { kind: k.kind, state: k.state }, value: k.count })),
  );
  metrics.gauge('jobs_ready', 'Pending jobs that are due now (queue depth).', async () => [
    { value: (await stats()).ready },
  ]);
  metrics.gauge('jobs_scheduled', 'Pending jobs waiting for a later run time (scheduled or backing off).', async () => [
    { value: (await stats()).scheduled },
  ]);
  metrics.gauge('jobs_oldest_ready_age_seconds', 'How long the oldest due job has waited (0 when none).', async () => [
    { value: ((await stats()).oldestReadyAgeMs ?? 0) / 1000 },
  ]);
}
