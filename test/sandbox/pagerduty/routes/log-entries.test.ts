import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 4, 20, 9, 30, 0);
let sim: PagerDutySimulator;

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock: createManualClock(NOW), seed: 3 });
});

afterAll(async () => {
  await sim.close();
});

describe('GET /log_entries', () => {
  it('lists the account log newest first, pages it and counts it', async () => {
    const page = await pd(sim, 'GET', '/log_entries?limit=100&total=true');
    expect(page.violations).toEqual([]);
    expect(page.body.total).toBeGreaterThan(1000);
    expect(page.body.log_entries).toHaveLength(100);
    const times = page.body.log_entries.map((e: AnyJson) => Date.parse(e.created_at));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    const next = await pd(sim, 'GET', '/log_entries?limit=100&offset=100');
    expect(Date.parse(next.body.log_entries[0].created_at)).toBeLessThanOrEqual(times[times.length - 1]);
  });

  it('filters by team and by time window, and keeps only the important changes with is_overview', async () => {
    const team = sim.org.teams.find((t) => t.key === 'discovery')?.id as string;
    const byTeam = await pd(sim, 'GET', `/log_entries?team_ids[]=${team}&limit=50`);
    expect(byTeam.body.log_entries.length).toBeGreaterThan(0);
    expect(byTeam.body.log_entries.every((e: AnyJson) => e.teams.some((t: AnyJson) => t.id === team))).toBe(true);
    const since = new Date(NOW - 86_400_000).toISOString();
    const until = new Date(NOW - 3_600_000).toISOString();
    const day = await pd(sim, 'GET', `/log_entries?since=${since}&until=${until}&limit=100`);
    expect(
      day.body.log_entries.every(
        (e: AnyJson) => e.created_at >= since.slice(0, 19) && e.created_at < until.slice(0, 19),
      ),
    ).toBe(true);
    const overview = await pd(sim, 'GET', '/log_entries?is_overview=true&limit=100');
    expect(overview.body.log_entries.some((e: AnyJson) => e.type === 'notify_log_entry')).toBe(false);
  });

  it('gets one entry, 404 for unknown ones', async () => {
    const first = (await pd(sim, 'GET', '/log_entries?limit=1')).body.log_entries[0];
    const one = await pd(sim, 'GET', `/log_entries/${first.id}?include[]=services&include[]=teams`);
    expect(one.violations).toEqual([]);
    expect(one.body.log_entry).toMatchObject({ id: first.id, service: { type: 'service' } });
    const missing = await pd(sim, 'GET', '/log_entries/RNOSUCHENTRY');
    expect([missing.status, missing.body.error.code]).toEqual([404, 2100]);
  });
});
