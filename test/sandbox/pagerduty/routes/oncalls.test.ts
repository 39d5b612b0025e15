import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
let sim: PagerDutySimulator;
let paymentsPolicy: string;
let platformPolicy: string;
let primary: { id: string; users: string[] };

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock: createManualClock(NOW), seed: 5, org: 'empty' });
  paymentsPolicy = sim.org.escalationPolicies.find((p) => p.key === 'payments')?.id as string;
  platformPolicy = sim.org.escalationPolicies.find((p) => p.key === 'platform')?.id as string;
  const id = sim.org.schedules.find((s) => s.key === 'payments-primary')?.id as string;
  const schedule = (await pd(sim, 'GET', `/schedules/${id}`)).body.schedule;
  primary = { id, users: schedule.schedule_layers[0].users.map((u: AnyJson) => u.user.id) };
});

afterAll(async () => {
  await sim.close();
});

async function oncallsAt(instant: string, extra = ''): Promise<AnyJson[]> {
  const res = await pd(sim, 'GET', `/oncalls?since=${instant}&until=${instant}${extra}`);
  expect(res.status).toBe(200);
  expect(res.violations).toEqual([]);
  return res.body.oncalls;
}

/** The primary rotation starts Monday 2024-01-01 10:00 New York; turn k belongs to users[k mod n]. */
function expectedPrimary(weeksSinceStart: number): string {
  return primary.users[weeksSinceStart % primary.users.length] as string;
}

describe('GET /oncalls', () => {
  it('answers who is on call now for every policy and level', async () => {
    const res = await pd(sim, 'GET', '/oncalls?limit=100');
    expect(res.violations).toEqual([]);
    const levels = new Set(res.body.oncalls.map((o: AnyJson) => `${o.escalation_policy.id}:${o.escalation_level}`));
    expect(levels.size).toBe(9);
    const now = res.body.oncalls.filter((o: AnyJson) => o.schedule !== null);
    expect(now.every((o: AnyJson) => Date.parse(o.start) <= NOW && NOW < Date.parse(o.end))).toBe(true);
  });

  it('hands the weekly rotation over at 10:00 New York time, before and after the DST change', async () => {
    // 2026-03-02 is 113 weeks after 2024-01-01; 2026-03-09 (after the 8 March DST change) is 114 weeks.
    const filter = `&schedule_ids[]=${primary.id}&escalation_policy_ids[]=${paymentsPolicy}`;
    const winter = (await oncallsAt('2026-03-02T15:00:00Z', filter)).filter((o) => o.escalation_level === 1);
    expect(winter.map((o) => [o.user.id, o.start, o.end])).toEqual([
      [expectedPrimary(113), '2026-03-02T15:00:00Z', '2026-03-09T14:00:00Z'],
    ]);
    const before = (await oncallsAt('2026-03-09T13:59:59Z', filter)).find((o) => o.escalation_level === 1);
    expect(before?.user.id).toBe(expectedPrimary(113));
    const after = (await oncallsAt('2026-03-09T14:00:00Z', filter)).find((o) => o.escalation_level === 1);
    expect([after?.user.id, after?.start, after?.end]).toEqual([
      expectedPrimary(114),
      '2026-03-09T14:00:00Z',
      '2026-03-16T14:00:00Z',
    ]);
  });

  it('follows the sun: the London day layer takes over at 08:00 local, which moves to 07:00 UTC in summer', async () => {
    const sun = sim.org.schedules.find((s) => s.key === 'platform-follow-the-sun')?.id as string;
    const filter = `&schedule_ids[]=${sun}`;
    const emea = new Set(['hannah', 'omar'].map((k) => sim.org.users.find((u) => u.key === k)?.id));
    const nights = new Set(['sofia', 'grace', 'kenji'].map((k) => sim.org.users.find((u) => u.key === k)?.id));
    const at = async (instant: string) => (await oncallsAt(instant, filter))[0];
    expect(nights.has((await at('2026-01-12T07:59:59Z')).user.id)).toBe(true);
    const day = await at('2026-01-12T08:00:00Z');
    expect(emea.has(day.user.id)).toBe(true);
    expect([day.start, day.end]).toEqual(['2026-01-12T08:00:00Z', '2026-01-12T20:00:00Z']);
    const summer = await at('2026-04-06T07:00:00Z');
    expect(emea.has(summer.user.id)).toBe(true);
    expect([summer.start, summer.end]).toEqual(['2026-04-06T07:00:00Z', '2026-04-06T19:00:00Z']);
    const summerNight = await at('2026-04-06T06:59:59Z');
    expect(nights.has(summerNight.user.id)).toBe(true);
  });

  it('reports users targeted directly as permanently on call, and selects them with schedule_ids[]=null', async () => {
    const grace = sim.org.users.find((u) => u.key === 'grace')?.id;
    const direct = await pd(sim, 'GET', `/oncalls?escalation_policy_ids[]=${platformPolicy}&schedule_ids[]=null`);
    expect(direct.violations).toEqual([]);
    expect(
      direct.body.oncalls.map((o: AnyJson) => [o.user.id, o.escalation_level, o.schedule, o.start, o.end]),
    ).toEqual([[grace, 2, null, null, null]]);
  });

  it('lists every shift over a range, or only the earliest per policy, level and user', async () => {
    const range = `since=2026-01-10T00:00:00Z&until=2026-02-07T00:00:00Z&escalation_policy_ids[]=${paymentsPolicy}`;
    const all = await pd(sim, 'GET', `/oncalls?${range}&limit=100`);
    expect(all.violations).toEqual([]);
    const level1 = all.body.oncalls.filter((o: AnyJson) => o.escalation_level === 1);
    expect(level1.length).toBe(5);
    const earliest = await pd(sim, 'GET', `/oncalls?${range}&earliest=true&limit=100`);
    const keys = earliest.body.oncalls.map((o: AnyJson) => `${o.escalation_level}:${o.user.id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(earliest.body.oncalls.filter((o: AnyJson) => o.escalation_level === 1)).toHaveLength(4);
  });

  it('filters by user, expands include[] and renders time_zone', async () => {
    const someone = primary.users[0] as string;
    const res = await pd(
      sim,
      'GET',
      `/oncalls?user_ids[]=${someone}&since=2026-01-10T00:00:00Z&until=2026-02-28T00:00:00Z&include[]=users&include[]=schedules&include[]=escalation_policies&time_zone=America/New_York`,
    );
    expect(res.violations).toEqual([]);
    expect(res.body.oncalls.length).toBeGreaterThan(0);
    for (const o of res.body.oncalls) {
      expect(o.user).toMatchObject({ id: someone, type: 'user', email: expect.stringContaining('@example.com') });
      expect(o.escalation_policy.type).toBe('escalation_policy');
      if (o.schedule) expect(o.schedule.type).toBe('schedule');
      if (o.start) expect(o.start).toMatch(/-0[45]:00$/);
    }
  });

  it('refuses ranges ending more than 90 days ahead, backwards ranges and unreadable dates', async () => {
    const far = await pd(sim, 'GET', '/oncalls?since=2026-01-10T00:00:00Z&until=2026-05-01T00:00:00Z');
    expect([far.status, far.body.error.code]).toEqual([400, 2005]);
    expect(far.violations).toEqual([]);
    const backwards = await pd(sim, 'GET', '/oncalls?since=2026-01-12T00:00:00Z&until=2026-01-11T00:00:00Z');
    expect(backwards.status).toBe(400);
    const unreadable = await pd(sim, 'GET', '/oncalls?since=soon', { allowInvalidRequest: true });
    expect([unreadable.status, unreadable.body.error.code]).toEqual([400, 2004]);
  });
});
