import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/shared/metrics.js';
import { registerJobMetrics } from '../../src/store/job-metrics.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('job metrics on %s', (backend) => {
  const t = useTestStore(backend, { reset: false });

  it('exposes queue depth, scheduled jobs, oldest due age and counts by state and kind', async () => {
    const T0 = t.clock.now();
    await t.store.jobs.enqueue('triage', {});
    await t.store.jobs.enqueue('triage', {}, { runAt: T0 + 3_600_000 });
    await t.store.jobs.enqueue('card.update', {});
    await t.store.jobs.claim('w', ['card.update'], 1, 30_000);
    t.clock.advance(90_000);
    const metrics = createMetrics('ib_');
    registerJobMetrics(metrics, t.store.jobs);
    const text = await metrics.render();
    expect(text).toContain('# TYPE ib_jobs gauge');
    expect(text).toContain('ib_jobs{state="pending"} 2');
    expect(text).toContain('ib_jobs{state="running"} 1');
    expect(text).toContain('ib_jobs{state="dead"} 0');
    expect(text).toContain('ib_jobs_by_kind{kind="triage",state="pending"} 2');
    expect(text).toContain('ib_jobs_by_kind{kind="card.update",state="running"} 1');
    expect(text).toContain('ib_jobs_ready 1');
    expect(text).toContain('ib_jobs_scheduled 1');
    expect(text).toContain('ib_jobs_oldest_ready_age_seconds 90');
  });
});
