import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 5, 10, 16, 20, 0);
const DAY = 86_400_000;
let a: PagerDutySimulator;
let b: PagerDutySimulator;
let other: PagerDutySimulator;
let incidents: AnyJson[];
let logEntries: AnyJson[];

async function all(sim: PagerDutySimulator, path: string, key: string): Promise<AnyJson[]> {
  const out: AnyJson[] = [];
  for (let offset = 0; ; offset += 100) {
    const res = await pd(sim, 'GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&offset=${offset}`);
    expect(res.violations).toEqual([]);
    out.push(...res.body[key]);
    if (!res.body.more) return out;
  }
}

/** The same data regardless of which port the simulator listens on. */
const portless = (value: unknown): string => JSON.stringify(value).replace(/http:\/\/127\.0\.0\.1:\d+/g, '');

beforeAll(async () => {
  [a, b, other] = await Promise.all([
    startPagerDutySimulator({ seed: 4, clock: createManualClock(NOW) }),
    startPagerDutySimulator({ seed: 4, clock: createManualClock(NOW) }),
    startPagerDutySimulator({ seed: 5, clock: createManualClock(NOW) }),
  ]);
  incidents = await all(a, '/incidents?date_range=all&include[]=first_trigger_log_entries', 'incidents');
  logEntries = await all(a, '/log_entries', 'log_entries');
}, 180_000);

afterAll(async () => {
  await Promise.all([a, b, other].map((s) => s?.close()));
});

describe('seed determinism', () => {
  it('builds the identical organisation and history from the same seed and clock', { timeout: 120_000 }, async () => {
    expect(b.org).toEqual(a.org);
    const again = await all(b, '/incidents?date_range=all&include[]=first_trigger_log_entries', 'incidents');
    expect(portless(again)).toBe(portless(incidents));
    expect(portless(await all(b, '/log_entries', 'log_entries'))).toBe(portless(logEntries));
  });

  it('builds a different history from another seed', async () => {
    expect(other.org.users.map((u) => u.name)).toEqual(a.org.users.map((u) => u.name));
    expect(other.org.users[0]?.id).not.toBe(a.org.users[0]?.id);
    const theirs = await all(other, '/incidents?date_range=all', 'incidents');
    expect(theirs.map((i) => i.title)).not.toEqual(incidents.map((i) => i.title));
  });
});

describe('seed organisation', () => {
  it('has the people, teams, services, schedules, policies and priorities the brief asks for', () => {
    const { org } = a;
    expect(org.teams).toHaveLength(3);
    expect(org.users.length).toBeGreaterThanOrEqual(12);
    expect(org.users.every((u) => u.email.endsWith('@example.com'))).toBe(true);
    expect(new Set(org.users.map((u) => u.timeZone)).size).toBeGreaterThanOrEqual(6);
    expect(org.services.length).toBeGreaterThanOrEqual(6);
    expect(org.services.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'payments-api',
        'checkout-web',
        'orders-db',
        'auth-service',
        'search',
        'notifications',
        'cdn-edge',
      ]),
    );
    expect(org.services.every((s) => /^[0-9a-f]{32}$/.test(s.integrationKey))).toBe(true);
    // Every service takes part in the dependency graph.
    const linked = new Set(org.services.flatMap((s) => (s.dependsOn.length > 0 ? [s.id, ...s.dependsOn] : [])));
    expect(linked.size).toBe(org.services.length);
    expect(org.schedules.length).toBeGreaterThanOrEqual(3);
    expect(org.escalationPolicies.every((p) => p.levels.length === 3)).toBe(true);
    expect(org.priorities.map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(org.botUserEmail).toBe('incident.bot@example.com');
  });
});

describe('seed history', () => {
  it('holds at least 300 incidents over the 90 days before now, busy on weekdays and paging at night too', () => {
    expect(incidents.length).toBeGreaterThanOrEqual(300);
    const created = incidents.map((i) => Date.parse(i.created_at));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(NOW - 91 * DAY);
    expect(Math.min(...created)).toBeLessThan(NOW - 85 * DAY);
    expect(Math.max(...created)).toBeLessThanOrEqual(NOW);
    const night = created.filter((t) => {
      const hour = new Date(t).getUTCHours();
      return hour >= 22 || hour < 7;
    });
    expect(night.length / created.length).toBeGreaterThan(0.1);
    const weekend = created.filter((t) => [0, 6].includes(new Date(t).getUTCDay()));
    expect(weekend.length).toBeGreaterThan(10);
  });

  it('draws on many failure scenarios with varied wording', () => {
    const runbooks = new Set(
      incidents
        .map((i) => i.first_trigger_log_entry?.channel?.details?.runbook_url as string | undefined)
        .filter((u): u is string => u !== undefined)
        .map((u) => u.split('/').pop()),
    );
    expect(runbooks.size).toBeGreaterThanOrEqual(15);
    expect(new Set(incidents.map((i) => i.title)).size).toBeGreaterThan(incidents.length * 0.6);
    expect(new Set(incidents.map((i) => i.service.id)).size).toBe(a.org.services.length);
  });

  it('records who acknowledged, escalated and resolved, with resolution notes that name the fix', () => {
    const types = (type: string) => logEntries.filter((e) => e.type === type);
    expect(types('escalate_log_entry').length).toBeGreaterThanOrEqual(10);
    expect(types('annotate_log_entry').length).toBeGreaterThanOrEqual(200);
    expect(types('priority_change_log_entry').length).toBeGreaterThanOrEqual(50);
    expect(types('status_update_log_entry').length).toBeGreaterThanOrEqual(5);
    expect(types('responder_request_log_entry').length).toBeGreaterThanOrEqual(5);
    expect(types('snooze_log_entry').length).toBeGreaterThanOrEqual(3);
    const resolves = types('resolve_log_entry');
    const withNotes = resolves.filter((e) => typeof e.note === 'string' && e.note.length > 30);
    expect(withNotes.length).toBeGreaterThan(150);
    expect(withNotes.some((e) => /rolled back|reverted|rotated|restarted|failed over|index/i.test(e.note))).toBe(true);
    const resolvers = new Set(resolves.filter((e) => e.agent?.type === 'user_reference').map((e) => e.agent.id));
    expect(resolvers.size).toBeGreaterThanOrEqual(8);
    expect(resolves.some((e) => e.agent?.type === 'service_reference')).toBe(true);
    const merged = incidents.filter((i) => i.resolve_reason?.type === 'merge_resolve_reason');
    expect(merged.length).toBeGreaterThanOrEqual(3);
  });

  it('has realistic response times: acknowledged within minutes, resolved within hours', () => {
    const byIncident = new Map<string, AnyJson[]>();
    for (const e of logEntries) byIncident.set(e.incident.id, [...(byIncident.get(e.incident.id) ?? []), e]);
    const ackMinutes: number[] = [];
    const resolveMinutes: number[] = [];
    for (const incident of incidents) {
      const entries = byIncident.get(incident.id) ?? [];
      const created = Date.parse(incident.created_at);
      const ack = entries.filter((e) => e.type === 'acknowledge_log_entry').map((e) => Date.parse(e.created_at));
      if (ack.length > 0) ackMinutes.push((Math.min(...ack) - created) / 60_000);
      if (incident.status === 'resolved' && !incident.resolve_reason)
        resolveMinutes.push((Date.parse(incident.resolved_at) - created) / 60_000);
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)] as number;
    expect(median(ackMinutes)).toBeGreaterThan(1);
    expect(median(ackMinutes)).toBeLessThan(15);
    expect(median(resolveMinutes)).toBeGreaterThan(15);
    expect(median(resolveMinutes)).toBeLessThan(240);
  });

  it('assigned each page to whoever was on call at that moment', async () => {
    const byPolicy = incidents
      .filter((i) => i.assigned_via === 'escalation_policy' && i.status === 'resolved' && !i.resolve_reason)
      .slice(0, 12);
    expect(byPolicy.length).toBe(12);
    for (const incident of byPolicy) {
      const log = await pd(a, 'GET', `/incidents/${incident.id}/log_entries?limit=100`);
      const firstAssign = log.body.log_entries.filter((e: AnyJson) => e.type === 'assign_log_entry').pop();
      const oncall = await pd(
        a,
        'GET',
        `/oncalls?escalation_policy_ids[]=${incident.escalation_policy.id}&since=${incident.created_at}&until=${incident.created_at}`,
      );
      const level1 = oncall.body.oncalls
        .filter((o: AnyJson) => o.escalation_level === 1)
        .map((o: AnyJson) => o.user.id);
      expect(firstAssign.assignees.map((u: AnyJson) => u.id)).toEqual(level1);
    }
  });

  it('leaves a handful of incidents open: triggered, acknowledged and snoozed', () => {
    const open = incidents.filter((i) => i.status !== 'resolved');
    expect(open.length).toBeGreaterThanOrEqual(4);
    expect(open.filter((i) => i.status === 'triggered').length).toBeGreaterThanOrEqual(2);
    expect(open.filter((i) => i.status === 'acknowledged').length).toBeGreaterThanOrEqual(2);
    expect(open.some((i) => i.pending_actions.some((p: AnyJson) => p.type === 'unacknowledge'))).toBe(true);
    expect(open.every((i) => Date.parse(i.created_at) > NOW - 6 * 3_600_000)).toBe(true);
  });
});
