import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 2, 2, 15, 0, 0); // Monday 2 March 2026, 15:00 UTC
const DAY = 86_400_000;
const clock = createManualClock(NOW);
let sim: PagerDutySimulator;
let maya: string;
let payments: { id: string; escalationPolicyId: string };

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock, seed: 7 });
  maya = sim.org.users.find((u) => u.key === 'maya')?.email as string;
  const service = sim.org.services.find((s) => s.name === 'payments-api');
  payments = { id: service?.id as string, escalationPolicyId: service?.escalationPolicyId as string };
});

afterAll(async () => {
  await sim.close();
});

async function create(title = 'Checkout errors', extra: Record<string, unknown> = {}): Promise<AnyJson> {
  const res = await pd(sim, 'POST', '/incidents', {
    from: maya,
    body: { incident: { type: 'incident', title, service: { id: payments.id, type: 'service_reference' }, ...extra } },
  });
  expect(res.status).toBe(201);
  expect(res.violations).toEqual([]);
  return res.body.incident;
}

async function update(id: string, fields: Record<string, unknown>, from = maya) {
  return pd(sim, 'PUT', `/incidents/${id}`, { from, body: { incident: { type: 'incident_reference', ...fields } } });
}

async function logTypes(id: string): Promise<string[]> {
  const res = await pd(sim, 'GET', `/incidents/${id}/log_entries?limit=100`);
  expect(res.violations).toEqual([]);
  return res.body.log_entries.map((e: AnyJson) => e.type).reverse();
}

async function onCall(policyId: string, level: number): Promise<string[]> {
  const res = await pd(sim, 'GET', `/oncalls?escalation_policy_ids[]=${policyId}`);
  return res.body.oncalls.filter((o: AnyJson) => o.escalation_level === level).map((o: AnyJson) => o.user.id);
}

describe('GET /incidents', () => {
  it('defaults to the last month, oldest first, 25 per page, total null', async () => {
    const res = await pd(sim, 'GET', '/incidents');
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(res.body).toMatchObject({ limit: 25, offset: 0, more: true, total: null });
    const created = res.body.incidents.map((i: AnyJson) => Date.parse(i.created_at));
    expect(created.every((t: number) => t >= NOW - 30 * DAY && t < NOW)).toBe(true);
    expect([...created].sort((a, b) => a - b)).toEqual(created);
  });

  it('counts with total=true, widens with date_range=all and pages through everything exactly once', async () => {
    const month = await pd(sim, 'GET', '/incidents?total=true&limit=1');
    const all = await pd(sim, 'GET', '/incidents?date_range=all&total=true&limit=1');
    expect(all.body.total).toBeGreaterThanOrEqual(300);
    expect(month.body.total).toBeLessThan(all.body.total);
    const seen = new Set<string>();
    for (let offset = 0; ; offset += 100) {
      const page = await pd(sim, 'GET', `/incidents?date_range=all&limit=100&offset=${offset}`);
      expect(page.violations).toEqual([]);
      for (const i of page.body.incidents) seen.add(i.id);
      if (!page.body.more) break;
    }
    expect(seen.size).toBe(all.body.total);
  });

  it('filters by statuses[], urgencies[], service_ids[], team_ids[], user_ids[] and incident_key', async () => {
    const open = await pd(sim, 'GET', '/incidents?statuses[]=triggered&statuses[]=acknowledged');
    expect(open.violations).toEqual([]);
    expect(open.body.incidents.length).toBeGreaterThanOrEqual(4);
    expect(open.body.incidents.every((i: AnyJson) => i.status !== 'resolved')).toBe(true);
    const low = await pd(sim, 'GET', '/incidents?urgencies[]=low&limit=100');
    expect(low.body.incidents.every((i: AnyJson) => i.urgency === 'low')).toBe(true);
    const mine = await pd(sim, 'GET', `/incidents?service_ids[]=${payments.id}&limit=100`);
    expect(mine.body.incidents.length).toBeGreaterThan(0);
    expect(mine.body.incidents.every((i: AnyJson) => i.service.id === payments.id)).toBe(true);
    const team = sim.org.teams.find((t) => t.key === 'platform')?.id as string;
    const byTeam = await pd(sim, 'GET', `/incidents?team_ids[]=${team}&limit=100`);
    expect(byTeam.body.incidents.every((i: AnyJson) => i.teams.some((t: AnyJson) => t.id === team))).toBe(true);
    const someone = open.body.incidents[0].assignments[0].assignee.id;
    const assigned = await pd(sim, 'GET', `/incidents?user_ids[]=${someone}`);
    expect(assigned.body.incidents.length).toBeGreaterThan(0);
    expect(
      assigned.body.incidents.every(
        (i: AnyJson) => i.status !== 'resolved' && i.assignments.some((a: AnyJson) => a.assignee.id === someone),
      ),
    ).toBe(true);
    const key = open.body.incidents[0].incident_key;
    const byKey = await pd(sim, 'GET', `/incidents?incident_key=${encodeURIComponent(key)}`);
    expect(byKey.body.incidents.map((i: AnyJson) => i.id)).toEqual([open.body.incidents[0].id]);
  });

  it('takes since/until, refuses a range over 6 months, unreadable dates and scalar array parameters', async () => {
    const since = new Date(NOW - 10 * DAY).toISOString();
    const until = new Date(NOW - 5 * DAY).toISOString();
    const range = await pd(sim, 'GET', `/incidents?since=${since}&until=${until}&limit=100`);
    expect(range.body.incidents.length).toBeGreaterThan(0);
    expect(
      range.body.incidents.every(
        (i: AnyJson) => i.created_at >= since.slice(0, 19) && i.created_at < until.slice(0, 19),
      ),
    ).toBe(true);
    const tooWide = await pd(sim, 'GET', '/incidents?since=2025-01-01T00:00:00Z&until=2026-03-01T00:00:00Z');
    expect(tooWide.status).toBe(400);
    expect(tooWide.body.error.code).toBe(2005);
    expect(tooWide.violations).toEqual([]);
    const unreadable = await pd(sim, 'GET', '/incidents?since=yesterday');
    expect([unreadable.status, unreadable.body.error.code]).toEqual([400, 2004]);
    const scalar = await pd(sim, 'GET', '/incidents?statuses=triggered', { allowInvalidRequest: true });
    expect(scalar.status).toBe(400);
    expect(scalar.body.error.errors[0]).toContain('statuses[]');
    const badStatus = await pd(sim, 'GET', '/incidents?statuses[]=closed', { allowInvalidRequest: true });
    expect([badStatus.status, badStatus.body.error.code]).toEqual([400, 2001]);
  });

  it('sorts by up to two fields and expands include[]', async () => {
    const desc = await pd(sim, 'GET', '/incidents?sort_by=incident_number:desc&date_range=all&limit=5');
    const numbers = desc.body.incidents.map((i: AnyJson) => i.incident_number);
    expect(numbers).toEqual([...numbers].sort((a: number, b: number) => b - a));
    const bad = await pd(sim, 'GET', '/incidents?sort_by=severity:asc');
    expect(bad.status).toBe(400);
    const expanded = await pd(
      sim,
      'GET',
      '/incidents?statuses[]=acknowledged&include[]=services&include[]=assignees&include[]=priorities',
    );
    expect(expanded.violations).toEqual([]);
    const first = expanded.body.incidents[0];
    expect(first.service).toMatchObject({ type: 'service', name: expect.any(String) });
    expect(first.assignments[0].assignee).toMatchObject({
      type: 'user',
      email: expect.stringMatching(/@example\.com$/),
    });
    const unknown = await pd(sim, 'GET', '/incidents?include[]=everything', { allowInvalidRequest: true });
    expect(unknown.status).toBe(400);
  });

  it('caps limit at 100 and refuses offset + limit above 10,000', async () => {
    const capped = await pd(sim, 'GET', '/incidents?date_range=all&limit=500');
    expect(capped.body.limit).toBe(100);
    expect(capped.body.incidents).toHaveLength(100);
    const far = await pd(sim, 'GET', '/incidents?date_range=all&limit=100&offset=9901');
    expect(far.status).toBe(400);
    expect(far.body.error.errors[0]).toContain('10000');
    expect(far.violations).toEqual([]);
    const edge = await pd(sim, 'GET', '/incidents?date_range=all&limit=100&offset=9900');
    expect(edge.status).toBe(200);
    expect(edge.body.incidents).toEqual([]);
  });

  it('renders timestamps in time_zone and refuses unknown zones', async () => {
    const ny = await pd(sim, 'GET', '/incidents?time_zone=America/New_York&limit=1');
    expect(ny.body.incidents[0].created_at).toMatch(/-0[45]:00$/);
    const bad = await pd(sim, 'GET', '/incidents?time_zone=Nowhere/City', { allowInvalidRequest: true });
    expect(bad.status).toBe(400);
  });
});

describe('GET /incidents/{id}', () => {
  it('returns the incident, or 404 with code 2100', async () => {
    const incident = await create();
    const res = await pd(sim, 'GET', `/incidents/${incident.id}`);
    expect(res.violations).toEqual([]);
    expect(res.body.incident).toMatchObject({
      id: incident.id,
      summary: `[#${incident.incident_number}] Checkout errors`,
    });
    const missing = await pd(sim, 'GET', '/incidents/QNOSUCHINCIDENT');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toMatchObject({ code: 2100, message: 'Not Found' });
    expect(missing.violations).toEqual([]);
  });
});

describe('POST /incidents', () => {
  it('creates a triggered incident assigned to the first level on call, with trigger, assign and notify entries', async () => {
    const before = await create('First');
    const p2 = sim.org.priorities.find((p) => p.name === 'P2')?.id;
    const incident = await create('Second', {
      urgency: 'low',
      priority: { id: p2, type: 'priority_reference' },
      body: { type: 'incident_body', details: 'Seen by support' },
    });
    expect(incident.incident_number).toBe(before.incident_number + 1);
    expect(incident).toMatchObject({ status: 'triggered', urgency: 'low', assigned_via: 'escalation_policy' });
    expect(incident.priority).toMatchObject({ summary: 'P2', type: 'priority_reference' });
    expect(incident.body).toEqual({ type: 'incident_body', details: 'Seen by support' });
    expect(incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual(
      await onCall(payments.escalationPolicyId, 1),
    );
    expect(await logTypes(incident.id)).toEqual(['trigger_log_entry', 'assign_log_entry', 'notify_log_entry']);
    expect(incident.created_at).toBe(new Date(NOW).toISOString().replace('.000Z', 'Z'));
  });

  it('assigns directly when asked, and refuses unknown assignees', async () => {
    const priya = sim.org.users.find((u) => u.key === 'priya')?.id as string;
    const direct = await create('Direct', { assignments: [{ assignee: { id: priya, type: 'user_reference' } }] });
    expect(direct.assigned_via).toBe('direct_assignment');
    expect(direct.assignments.map((a: AnyJson) => a.assignee.id)).toEqual([priya]);
    const res = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: {
        incident: {
          type: 'incident',
          title: 'x',
          service: { id: payments.id, type: 'service_reference' },
          assignments: [{ assignee: { id: 'PNOBODY', type: 'user_reference' } }],
        },
      },
    });
    expect([res.status, res.body.error.code]).toEqual([400, 1007]);
  });

  it('needs a From header naming a user of the account', async () => {
    const body = {
      incident: { type: 'incident', title: 'x', service: { id: payments.id, type: 'service_reference' } },
    };
    const count = async (): Promise<number> => (await pd(sim, 'GET', '/incidents?total=true&limit=1')).body.total;
    const before = await count();
    const missing = await pd(sim, 'POST', '/incidents', { body, allowInvalidRequest: true });
    expect([missing.status, missing.body.error.code]).toEqual([400, 2016]);
    expect(missing.body.error.message).toContain('"From" header');
    const unknown = await pd(sim, 'POST', '/incidents', { body, from: 'ghost@example.com' });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 1008]);
    const malformed = await pd(sim, 'POST', '/incidents', { body, from: 'not-an-email', allowInvalidRequest: true });
    expect([malformed.status, malformed.body.error.code]).toEqual([400, 1028]);
    expect(missing.violations).toEqual([]);
    expect(await count()).toBe(before);
  });

  it('refuses invalid bodies with every problem listed, and changes nothing', async () => {
    const res = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: { incident: { type: 'incident', urgency: 'urgent' } },
      allowInvalidRequest: true,
    });
    expect([res.status, res.body.error.code, res.body.error.message]).toEqual([400, 2001, 'Invalid Input Provided']);
    const errors = res.body.error.errors.join('\n');
    expect(errors).toContain('incident.title');
    expect(errors).toContain('incident.service');
    expect(errors).toContain('incident.urgency');
    const notJson = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: '{"incident":',
      allowInvalidRequest: true,
    });
    expect([notJson.status, notJson.body.error.code]).toEqual([400, 2001]);
    const noService = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: { incident: { type: 'incident', title: 'x', service: { id: 'PNOSERV', type: 'service_reference' } } },
    });
    expect(noService.status).toBe(404);
  });

  it('refuses a second open incident with the same incident_key on the service', async () => {
    await create('Keyed', { incident_key: 'dup-key-1' });
    const again = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: {
        incident: {
          type: 'incident',
          title: 'Keyed again',
          incident_key: 'dup-key-1',
          service: { id: payments.id, type: 'service_reference' },
        },
      },
    });
    expect(again.status).toBe(400);
    expect(again.body.error.errors[0]).toContain('dedup key');
  });
});

describe('PUT /incidents/{id}: the state machine', () => {
  it('acknowledges once, re-triggers, resolves with a resolution note, and refuses a second resolve', async () => {
    const incident = await create('Lifecycle');
    const ack = await update(incident.id, { status: 'acknowledged' });
    expect(ack.violations).toEqual([]);
    expect(ack.body.incident.status).toBe('acknowledged');
    expect(ack.body.incident.acknowledgements.map((a: AnyJson) => a.acknowledger.summary)).toEqual(['Maya Chen']);
    // Maya was not assigned unless on call: the acknowledger takes the incident.
    expect(ack.body.incident.assignments.map((a: AnyJson) => a.assignee.summary)).toEqual(['Maya Chen']);
    const again = await update(incident.id, { status: 'acknowledged' });
    expect(again.status).toBe(200);
    const unack = await update(incident.id, { status: 'triggered' });
    expect(unack.body.incident).toMatchObject({ status: 'triggered', acknowledgements: [] });
    const resolved = await update(incident.id, { status: 'resolved', resolution: 'Rolled back the deploy' });
    expect(resolved.body.incident).toMatchObject({ status: 'resolved', assignments: [], pending_actions: [] });
    expect(resolved.body.incident.resolved_at).toBe(resolved.body.incident.last_status_change_at);
    const twice = await update(incident.id, { status: 'resolved' });
    expect([twice.status, twice.body.error.code, twice.body.error.message]).toEqual([
      400,
      1001,
      'Incident Already Resolved',
    ]);
    expect(twice.violations).toEqual([]);
    const types = await logTypes(incident.id);
    expect(types.filter((t) => t === 'acknowledge_log_entry')).toHaveLength(1);
    expect(types).toContain('unacknowledge_log_entry');
    expect(types[types.length - 1]).toBe('resolve_log_entry');
    const entries = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    expect(entries.body.log_entries[0]).toMatchObject({ type: 'resolve_log_entry', note: 'Rolled back the deploy' });
  });

  it('reopens a resolved incident when set back to triggered, as the spec documents', async () => {
    const incident = await create('Reopen me');
    await update(incident.id, { status: 'resolved' });
    const reopened = await update(incident.id, { status: 'triggered' });
    expect(reopened.status).toBe(200);
    expect(reopened.body.incident).toMatchObject({
      status: 'triggered',
      resolved_at: null,
      assigned_via: 'escalation_policy',
    });
    expect(reopened.body.incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual(
      await onCall(payments.escalationPolicyId, 1),
    );
  });

  it('escalates to a level and assigns that level’s on-call; refuses a level the policy lacks', async () => {
    const incident = await create('Escalate me');
    await update(incident.id, { status: 'acknowledged' });
    const escalated = await update(incident.id, { escalation_level: 2 });
    expect(escalated.violations).toEqual([]);
    expect(escalated.body.incident.status).toBe('triggered');
    expect(escalated.body.incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual(
      await onCall(payments.escalationPolicyId, 2),
    );
    const bad = await update(incident.id, { escalation_level: 9 });
    expect([bad.status, bad.body.error.code]).toEqual([400, 2001]);
    const after = await pd(sim, 'GET', `/incidents/${incident.id}`);
    expect(after.body.incident.assignments).toEqual(escalated.body.incident.assignments);
    expect((await logTypes(incident.id)).filter((t) => t === 'escalate_log_entry')).toHaveLength(1);
  });

  it('reassigns, delegates to another policy, and changes urgency, priority and title with log entries', async () => {
    const incident = await create('Reassign me');
    const lucas = sim.org.users.find((u) => u.key === 'lucas')?.id as string;
    const reassigned = await update(incident.id, {
      assignments: [{ assignee: { id: lucas, type: 'user_reference' } }],
    });
    expect(reassigned.body.incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual([lucas]);
    const platform = sim.org.escalationPolicies.find((p) => p.key === 'platform')?.id as string;
    const delegated = await update(incident.id, {
      escalation_policy: { id: platform, type: 'escalation_policy_reference' },
    });
    expect(delegated.body.incident.escalation_policy.id).toBe(platform);
    expect(delegated.body.incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual(await onCall(platform, 1));
    const p1 = sim.org.priorities.find((p) => p.name === 'P1')?.id as string;
    const changed = await update(incident.id, {
      urgency: 'low',
      priority: { id: p1, type: 'priority_reference' },
      title: 'Renamed',
    });
    expect(changed.body.incident).toMatchObject({ urgency: 'low', title: 'Renamed', priority: { id: p1 } });
    const types = await logTypes(incident.id);
    expect(types).toEqual(
      expect.arrayContaining([
        'assign_log_entry',
        'delegate_log_entry',
        'urgency_change_log_entry',
        'priority_change_log_entry',
      ]),
    );
    const entries = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    expect(entries.violations).toEqual([]);
    const priorityEntry = entries.body.log_entries.find((e: AnyJson) => e.type === 'priority_change_log_entry');
    expect(priorityEntry.summary).toContain('"none" to "P1"');
  });

  it('refuses bad updates without changing anything', async () => {
    const incident = await create('Stay as you are');
    const snapshot = (await pd(sim, 'GET', `/incidents/${incident.id}`)).body.incident;
    const attempts = [
      { assignments: [{ assignee: { id: 'PGHOST', type: 'user_reference' } }] },
      { escalation_level: 2, assignments: [{ assignee: { id: 'PGHOST', type: 'user_reference' } }] },
      { priority: 'P9' },
      { status: 'acknowledged', escalation_policy: { id: 'PNOPE', type: 'escalation_policy_reference' } },
      { urgency: 'high', resolution: 'not resolving' },
    ];
    for (const fields of attempts) {
      const res = await update(incident.id, fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(res.violations).toEqual([]);
    }
    const wrongType = await pd(sim, 'PUT', `/incidents/${incident.id}`, {
      from: maya,
      body: { incident: { type: 'incident_reference', status: 'closed' } },
      allowInvalidRequest: true,
    });
    expect(wrongType.status).toBe(400);
    expect((await pd(sim, 'GET', `/incidents/${incident.id}`)).body.incident).toEqual(snapshot);
  });

  it('escalates on its own when nobody acknowledges within the rule’s delay', async () => {
    const incident = await create('Nobody home');
    clock.advance(16 * 60_000);
    const res = await pd(sim, 'GET', `/incidents/${incident.id}`);
    expect(res.body.incident.assignments.map((a: AnyJson) => a.assignee.id)).toEqual(
      await onCall(payments.escalationPolicyId, 2),
    );
    expect(await logTypes(incident.id)).toContain('escalate_log_entry');
    await update(incident.id, { status: 'resolved' });
  });
});

describe('PUT /incidents (bulk)', () => {
  it('updates many incidents at once, all or nothing', async () => {
    const a = await create('Bulk A');
    const b = await create('Bulk B');
    const ok = await pd(sim, 'PUT', '/incidents', {
      from: maya,
      body: { incidents: [a, b].map((i) => ({ id: i.id, type: 'incident_reference', status: 'acknowledged' })) },
    });
    expect(ok.status).toBe(200);
    expect(ok.violations).toEqual([]);
    expect(ok.body.incidents.map((i: AnyJson) => i.status)).toEqual(['acknowledged', 'acknowledged']);
    await update(b.id, { status: 'resolved' });
    const mixed = await pd(sim, 'PUT', '/incidents', {
      from: maya,
      body: { incidents: [a, b].map((i) => ({ id: i.id, type: 'incident_reference', status: 'resolved' })) },
    });
    expect([mixed.status, mixed.body.error.code]).toEqual([400, 1001]);
    expect((await pd(sim, 'GET', `/incidents/${a.id}`)).body.incident.status).toBe('acknowledged');
  });

  it('answers 413 above 250 incidents', async () => {
    const incidents = Array.from({ length: 251 }, (_, i) => ({
      id: `Q${i}`,
      type: 'incident_reference',
      status: 'resolved',
    }));
    const res = await pd(sim, 'PUT', '/incidents', { from: maya, body: { incidents } });
    expect(res.status).toBe(413);
    expect(res.violations).toEqual([]);
  });
});
