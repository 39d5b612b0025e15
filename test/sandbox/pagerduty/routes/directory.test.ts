import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 0, 14, 12, 0, 0); // Wednesday 14 January 2026, 12:00 UTC (13:00 in Oslo)
let sim: PagerDutySimulator;

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock: createManualClock(NOW), seed: 11, org: 'empty' });
});

afterAll(async () => {
  await sim.close();
});

const schedule = (key: string) =>
  sim.org.schedules.find((s) => s.key === key) as { id: string; name: string; timeZone: string };

describe('schedules', () => {
  it('lists schedules with their layers and filters by query', async () => {
    const res = await pd(sim, 'GET', '/schedules');
    expect(res.violations).toEqual([]);
    expect(res.body.schedules.map((s: AnyJson) => s.name)).toEqual(
      [...sim.org.schedules.map((s) => s.name)].sort((a, b) => a.localeCompare(b)),
    );
    const sun = res.body.schedules.find((s: AnyJson) => s.id === schedule('platform-follow-the-sun').id);
    expect(sun.time_zone).toBe('Europe/London');
    expect(sun.schedule_layers).toHaveLength(2);
    expect(sun.schedule_layers[0].restrictions).toEqual([
      { type: 'daily_restriction', start_time_of_day: '20:00:00', duration_seconds: 43_200 },
    ]);
    const queried = await pd(sim, 'GET', '/schedules?query=payments');
    expect(queried.body.schedules.map((s: AnyJson) => s.name)).toEqual(['Payments – Primary', 'Payments – Secondary']);
  });

  it('renders the final schedule for since/until in the schedule’s time zone, with full coverage for follow-the-sun', async () => {
    const id = schedule('platform-follow-the-sun').id;
    const res = await pd(sim, 'GET', `/schedules/${id}?since=2026-01-14T00:00:00Z&until=2026-01-16T00:00:00Z`);
    expect(res.violations).toEqual([]);
    const final = res.body.schedule.final_schedule;
    expect(final.name).toBe('Final Schedule');
    expect(final.rendered_coverage_percentage).toBe(100);
    const entries = final.rendered_schedule_entries;
    expect(entries[0].start).toBe('2026-01-14T00:00:00+00:00');
    // In January London is on GMT: day shifts run 08:00–20:00.
    expect(entries.filter((e: AnyJson) => e.start.endsWith('T08:00:00+00:00')).length).toBe(2);
    for (let i = 1; i < entries.length; i++) expect(entries[i].start).toBe(entries[i - 1].end);
    const inTokyo = await pd(
      sim,
      'GET',
      `/schedules/${id}?since=2026-01-14T00:00:00Z&until=2026-01-15T00:00:00Z&time_zone=Asia/Tokyo`,
    );
    expect(inTokyo.body.schedule.final_schedule.rendered_schedule_entries[0].start).toBe('2026-01-14T09:00:00+09:00');
  });

  it('defaults to the coming week, and answers 404 for unknown schedules and 400 for bad windows', async () => {
    const id = schedule('payments-primary').id;
    const res = await pd(sim, 'GET', `/schedules/${id}`);
    expect(res.body.schedule.final_schedule.rendered_schedule_entries.length).toBeGreaterThanOrEqual(1);
    expect((await pd(sim, 'GET', '/schedules/PNOPE')).status).toBe(404);
    const backwards = await pd(sim, 'GET', `/schedules/${id}?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z`);
    expect(backwards.status).toBe(400);
  });
});

describe('escalation policies', () => {
  it('lists policies with three levels targeting schedules and users', async () => {
    const res = await pd(sim, 'GET', '/escalation_policies');
    expect(res.violations).toEqual([]);
    expect(res.body.escalation_policies).toHaveLength(3);
    for (const policy of res.body.escalation_policies) {
      expect(policy.escalation_rules).toHaveLength(3);
      expect(policy.services.length).toBeGreaterThan(0);
    }
    const targets = res.body.escalation_policies.flatMap((p: AnyJson) =>
      p.escalation_rules.flatMap((r: AnyJson) => r.targets.map((t: AnyJson) => t.type)),
    );
    expect(new Set(targets)).toEqual(new Set(['schedule_reference', 'user_reference']));
  });

  it('filters by user (directly or through a schedule) and gets one by id', async () => {
    const grace = sim.org.users.find((u) => u.key === 'grace')?.id as string;
    const byUser = await pd(sim, 'GET', `/escalation_policies?user_ids[]=${grace}`);
    expect(byUser.body.escalation_policies.map((p: AnyJson) => p.name)).toEqual(['Platform Escalation']);
    const id = byUser.body.escalation_policies[0].id;
    const one = await pd(sim, 'GET', `/escalation_policies/${id}`);
    expect(one.violations).toEqual([]);
    expect(one.body.escalation_policy.num_loops).toBe(1);
    expect((await pd(sim, 'GET', '/escalation_policies/PNOPE')).status).toBe(404);
  });
});

describe('services and dependencies', () => {
  it('lists services with integrations and a technical dependency graph', async () => {
    const res = await pd(sim, 'GET', '/services?include[]=integrations&limit=100');
    expect(res.violations).toEqual([]);
    expect(res.body.services.length).toBeGreaterThanOrEqual(6);
    const keys = new Set(sim.org.services.map((s) => s.integrationKey));
    for (const service of res.body.services) {
      expect(service.integrations[0].type).toBe('events_api_v2_inbound_integration');
      expect(keys.has(service.integrations[0].integration_key)).toBe(true);
    }
    const checkout = sim.org.services.find((s) => s.name === 'checkout-web');
    const deps = await pd(sim, 'GET', `/service_dependencies/technical_services/${checkout?.id}`);
    expect(deps.violations).toEqual([]);
    const supporting = deps.body.relationships
      .filter((r: AnyJson) => r.dependent_service.id === checkout?.id)
      .map((r: AnyJson) => sim.org.services.find((s) => s.id === r.supporting_service.id)?.name)
      .sort();
    expect(supporting).toEqual(['auth-service', 'cdn-edge', 'inventory-api', 'payments-api']);
    expect((await pd(sim, 'GET', '/service_dependencies/technical_services/PNOPE')).status).toBe(404);
  });

  it('gets one service, filters by name and team, and reports status from open incidents', async () => {
    const orders = sim.org.services.find((s) => s.name === 'orders-db');
    const one = await pd(sim, 'GET', `/services/${orders?.id}?include[]=escalation_policies`);
    expect(one.violations).toEqual([]);
    expect(one.body.service).toMatchObject({
      name: 'orders-db',
      status: 'active',
      escalation_policy: { type: 'escalation_policy' },
    });
    const byName = await pd(sim, 'GET', '/services?query=orders');
    expect(byName.body.services.map((s: AnyJson) => s.name)).toEqual(['orders-db']);
    const team = sim.org.teams.find((t) => t.key === 'payments')?.id;
    const byTeam = await pd(sim, 'GET', `/services?team_ids[]=${team}`);
    expect(byTeam.body.services.map((s: AnyJson) => s.name).sort()).toEqual(['checkout-web', 'payments-api']);
    expect((await pd(sim, 'GET', '/services/PNOPE')).status).toBe(404);
  });
});

describe('users, teams and priorities', () => {
  it('finds users by name or email and gets one by id', async () => {
    const byName = await pd(sim, 'GET', '/users?query=hannah');
    expect(byName.violations).toEqual([]);
    expect(byName.body.users.map((u: AnyJson) => u.email)).toEqual(['hannah.becker@example.com']);
    const byEmail = await pd(sim, 'GET', '/users?query=liam.obrien@');
    expect(byEmail.body.users.map((u: AnyJson) => u.name)).toEqual(["Liam O'Brien"]);
    const one = await pd(sim, 'GET', `/users/${byName.body.users[0].id}`);
    expect(one.body.user).toMatchObject({ time_zone: 'Europe/Berlin', job_title: 'Senior Site Reliability Engineer' });
    expect((await pd(sim, 'GET', '/users/PNOPE')).status).toBe(404);
  });

  it('has at least 12 people with example.com emails in several time zones', async () => {
    const res = await pd(sim, 'GET', '/users?limit=100&total=true');
    expect(res.body.total).toBeGreaterThanOrEqual(12);
    expect(res.body.users.every((u: AnyJson) => u.email.endsWith('@example.com'))).toBe(true);
    expect(new Set(res.body.users.map((u: AnyJson) => u.time_zone)).size).toBeGreaterThanOrEqual(6);
  });

  it('lists three teams and the priorities P1 to P5', async () => {
    const teams = await pd(sim, 'GET', '/teams');
    expect(teams.violations).toEqual([]);
    expect(teams.body.teams).toHaveLength(3);
    const one = await pd(sim, 'GET', `/teams/${teams.body.teams[0].id}`);
    expect(one.body.team.name).toBe(teams.body.teams[0].name);
    const priorities = await pd(sim, 'GET', '/priorities');
    expect(priorities.violations).toEqual([]);
    expect(priorities.body.priorities.map((p: AnyJson) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
  });
});
