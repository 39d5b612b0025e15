import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../../src/shared/clock.js';
import { type AnyJson, pd } from '../http.js';

const NOW = Date.UTC(2026, 4, 20, 9, 30, 0);
const clock = createManualClock(NOW);
let sim: PagerDutySimulator;
let maya: string;
let serviceId: string;
let routingKey: string;

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock, seed: 3, tokens: ['t-1', 't-2', 't-3'] });
  maya = sim.org.users.find((u) => u.key === 'maya')?.email as string;
  const service = sim.org.services.find((s) => s.name === 'checkout-web');
  serviceId = service?.id as string;
  routingKey = service?.integrationKey as string;
});

afterAll(async () => {
  await sim.close();
});

async function create(title: string): Promise<AnyJson> {
  const res = await pd(sim, 'POST', '/incidents', {
    from: maya,
    body: { incident: { type: 'incident', title, service: { id: serviceId, type: 'service_reference' } } },
  });
  expect(res.status).toBe(201);
  return res.body.incident;
}

/** An incident with an alert, opened through the Events API as monitoring would. */
async function alerting(summary: string): Promise<AnyJson> {
  const res = await fetch(`${sim.eventsUrl}/v2/enqueue`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      routing_key: routingKey,
      event_action: 'trigger',
      payload: { summary, source: 'web-1', severity: 'critical' },
    }),
  });
  expect(res.status).toBe(202);
  const { dedup_key } = (await res.json()) as { dedup_key: string };
  const found = await pd(sim, 'GET', `/incidents?incident_key=${encodeURIComponent(dedup_key)}`);
  return found.body.incidents[0];
}

const put = (id: string, fields: Record<string, unknown>) =>
  pd(sim, 'PUT', `/incidents/${id}`, { from: maya, body: { incident: { type: 'incident_reference', ...fields } } });

describe('incident notes', () => {
  it('creates and lists notes, with an annotate log entry, and refuses empty ones', async () => {
    const incident = await create('Notes');
    const created = await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
      from: maya,
      body: { note: { content: 'Rolled back 26.19.3' } },
    });
    expect(created.status).toBe(200);
    expect(created.violations).toEqual([]);
    expect(created.body.note).toMatchObject({ content: 'Rolled back 26.19.3', user: { summary: 'Maya Chen' } });
    const listed = await pd(sim, 'GET', `/incidents/${incident.id}/notes`);
    expect(listed.violations).toEqual([]);
    expect(listed.body.notes.map((n: AnyJson) => n.content)).toEqual(['Rolled back 26.19.3']);
    const empty = await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
      from: maya,
      body: { note: { content: '  ' } },
    });
    expect([empty.status, empty.body.error.code]).toEqual([400, 2001]);
    const noFrom = await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
      body: { note: { content: 'x' } },
      allowInvalidRequest: true,
    });
    expect(noFrom.status).toBe(400);
    const entries = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    expect(entries.body.log_entries[0]).toMatchObject({ type: 'annotate_log_entry', note: 'Rolled back 26.19.3' });
    const missing = await pd(sim, 'GET', '/incidents/QMISSING/notes');
    expect(missing.status).toBe(404);
  });

  it('allows at most 2000 notes per incident', { timeout: 180_000 }, async () => {
    const incident = await create('Chatty');
    const tokens = ['t-1', 't-2', 't-3'];
    for (let i = 0; i < 2000; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) =>
        pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
          from: maya,
          token: tokens[(i + j) % 3],
          body: { note: { content: `note ${i + j}` } },
        }),
      );
      const results = await Promise.all(batch);
      expect(results.every((r) => r.status === 200)).toBe(true);
    }
    const over = await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
      from: maya,
      token: 't-1',
      body: { note: { content: 'one too many' } },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.errors[0]).toContain('2000');
    const listed = await pd(sim, 'GET', `/incidents/${incident.id}/notes`, { token: 't-2' });
    expect(listed.body.notes).toHaveLength(2000);
  });
});

describe('incident log entries', () => {
  it('lists newest first, with overview and time filters and includes', async () => {
    const incident = await create('Timeline');
    await put(incident.id, { status: 'acknowledged' });
    clock.advance(60_000);
    await put(incident.id, { status: 'resolved', resolution: 'Restarted the pods' });
    const all = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries?include[]=channels&include[]=teams`);
    expect(all.violations).toEqual([]);
    const types = all.body.log_entries.map((e: AnyJson) => e.type);
    expect(types[0]).toBe('resolve_log_entry');
    expect(types[types.length - 1]).toBe('trigger_log_entry');
    expect(types).toContain('notify_log_entry');
    const times = all.body.log_entries.map((e: AnyJson) => Date.parse(e.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const overview = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries?is_overview=true`);
    expect(overview.body.log_entries.map((e: AnyJson) => e.type)).not.toContain('notify_log_entry');
    const since = new Date(NOW + 30_000).toISOString();
    const late = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries?since=${since}`);
    expect(late.body.log_entries.map((e: AnyJson) => e.type)).toEqual(['resolve_log_entry']);
    const one = await pd(sim, 'GET', `/log_entries/${all.body.log_entries[0].id}?include[]=incidents`);
    expect(one.violations).toEqual([]);
    expect(one.body.log_entry).toMatchObject({
      type: 'resolve_log_entry',
      note: 'Restarted the pods',
      incident: { type: 'incident', id: incident.id },
    });
    expect((await pd(sim, 'GET', '/log_entries/RNOSUCHENTRY')).status).toBe(404);
  });
});

describe('incident alerts', () => {
  it('lists and gets alerts, filtered by status and alert_key', async () => {
    const incident = await alerting('Checkout p99 above 2s');
    const alerts = await pd(sim, 'GET', `/incidents/${incident.id}/alerts?include[]=services`);
    expect(alerts.violations).toEqual([]);
    expect(alerts.body.alerts).toHaveLength(1);
    const alert = alerts.body.alerts[0];
    expect(alert).toMatchObject({
      type: 'alert',
      status: 'triggered',
      severity: 'critical',
      summary: 'Checkout p99 above 2s',
      alert_key: incident.incident_key,
    });
    expect(alert.service.type).toBe('service');
    expect((await pd(sim, 'GET', `/incidents/${incident.id}/alerts?statuses[]=resolved`)).body.alerts).toEqual([]);
    expect((await pd(sim, 'GET', `/incidents/${incident.id}/alerts?alert_key=nope`)).body.alerts).toEqual([]);
    const one = await pd(sim, 'GET', `/incidents/${incident.id}/alerts/${alert.id}`);
    expect(one.violations).toEqual([]);
    expect(one.body.alert.id).toBe(alert.id);
    expect((await pd(sim, 'GET', `/incidents/${incident.id}/alerts/QNOPE`)).status).toBe(404);
  });
});

describe('merge', () => {
  it('moves the sources’ alerts to the target and resolves the sources', async () => {
    const target = await alerting('Root cause: orders-db failover');
    const a = await alerting('checkout-web 5xx');
    const manual = await create('Customers report checkout failing');
    const res = await pd(sim, 'PUT', `/incidents/${target.id}/merge`, {
      from: maya,
      body: { source_incidents: [a, manual].map((i) => ({ id: i.id, type: 'incident_reference' })) },
    });
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
    expect(res.body.incident).toMatchObject({ id: target.id, type: 'incident_reference' });
    const after = await pd(sim, 'GET', `/incidents/${target.id}`);
    expect(after.body.incident.alert_counts).toEqual({ all: 3, triggered: 3, resolved: 0 });
    for (const source of [a, manual]) {
      const s = (await pd(sim, 'GET', `/incidents/${source.id}`)).body.incident;
      expect(s.status).toBe('resolved');
      expect(s.resolve_reason).toMatchObject({ type: 'merge_resolve_reason', incident: { id: target.id } });
      expect(s.alert_counts.all).toBe(0);
    }
    const again = await pd(sim, 'PUT', `/incidents/${target.id}/merge`, {
      from: maya,
      body: { source_incidents: [{ id: a.id, type: 'incident_reference' }] },
    });
    expect([again.status, again.body.error.code]).toEqual([400, 1019]);
  });

  it('refuses to merge into a resolved incident or into itself, changing nothing', async () => {
    const target = await create('Resolved target');
    const source = await create('Open source');
    await put(target.id, { status: 'resolved' });
    const res = await pd(sim, 'PUT', `/incidents/${target.id}/merge`, {
      from: maya,
      body: { source_incidents: [{ id: source.id, type: 'incident_reference' }] },
    });
    expect(res.status).toBe(400);
    const self = await pd(sim, 'PUT', `/incidents/${source.id}/merge`, {
      from: maya,
      body: { source_incidents: [{ id: source.id, type: 'incident_reference' }] },
    });
    expect(self.status).toBe(400);
    expect((await pd(sim, 'GET', `/incidents/${source.id}`)).body.incident.status).toBe('triggered');
  });
});

describe('snooze', () => {
  it('snoozes only acknowledged incidents, within 1 s to 7 days, and re-triggers when the snooze ends', async () => {
    const incident = await create('Snooze me');
    const early = await pd(sim, 'POST', `/incidents/${incident.id}/snooze`, { from: maya, body: { duration: 600 } });
    expect([early.status, early.body.error.code]).toEqual([400, 1012]);
    await put(incident.id, { status: 'acknowledged' });
    for (const duration of [0, 604_801]) {
      const bad = await pd(sim, 'POST', `/incidents/${incident.id}/snooze`, {
        from: maya,
        body: { duration },
        allowInvalidRequest: true,
      });
      expect([bad.status, bad.body.error.code]).toEqual([400, 1013]);
    }
    const ok = await pd(sim, 'POST', `/incidents/${incident.id}/snooze`, { from: maya, body: { duration: 600 } });
    expect(ok.status).toBe(201);
    expect(ok.violations).toEqual([]);
    expect(ok.body.incident.pending_actions).toEqual([
      { type: 'unacknowledge', at: new Date(clock.now() + 600_000).toISOString().replace('.000Z', 'Z') },
    ]);
    clock.advance(599_000);
    expect((await pd(sim, 'GET', `/incidents/${incident.id}`)).body.incident.status).toBe('acknowledged');
    clock.advance(2_000);
    const woke = (await pd(sim, 'GET', `/incidents/${incident.id}`)).body.incident;
    expect(woke.status).toBe('triggered');
    expect(woke.acknowledgements).toEqual([]);
    const types = (await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`)).body.log_entries.map(
      (e: AnyJson) => e.type,
    );
    expect(types.indexOf('unacknowledge_log_entry')).toBeLessThan(types.indexOf('snooze_log_entry'));
    await put(incident.id, { status: 'resolved' });
  });
});

describe('status updates and responder requests', () => {
  it('publishes a status update with a log entry', async () => {
    const incident = await create('Status');
    const res = await pd(sim, 'POST', `/incidents/${incident.id}/status_updates`, {
      from: maya,
      body: { message: 'Payments are recovering', subject: 'P2 update' },
    });
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
    expect(res.body.status_update).toMatchObject({
      message: 'Payments are recovering',
      subject: 'P2 update',
      sender: { summary: 'Maya Chen' },
    });
    const entries = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    expect(entries.body.log_entries[0].type).toBe('status_update_log_entry');
    const empty = await pd(sim, 'POST', `/incidents/${incident.id}/status_updates`, {
      from: maya,
      body: { message: '' },
    });
    expect(empty.status).toBe(400);
  });

  it('requests responders (a user and the on-call of a policy) and lists them on the incident', async () => {
    const incident = await create('Need help');
    const grace = sim.org.users.find((u) => u.key === 'grace')?.id as string;
    const requester = sim.org.users.find((u) => u.key === 'maya')?.id as string;
    const platform = sim.org.escalationPolicies.find((p) => p.key === 'platform')?.id as string;
    const res = await pd(sim, 'POST', `/incidents/${incident.id}/responder_requests`, {
      from: maya,
      body: {
        requester_id: requester,
        message: 'Please join the bridge',
        responder_request_targets: [
          { responder_request_target: { id: grace, type: 'user_reference' } },
          { responder_request_target: { id: platform, type: 'escalation_policy_reference' } },
        ],
      },
    });
    expect(res.status).toBe(200);
    expect(res.violations).toEqual([]);
    expect(res.body.responder_request.responder_request_targets).toHaveLength(2);
    const after = (await pd(sim, 'GET', `/incidents/${incident.id}`)).body.incident;
    expect(after.incidents_responders.map((r: AnyJson) => r.state)).toEqual(
      after.incidents_responders.map(() => 'pending'),
    );
    expect(after.incidents_responders.map((r: AnyJson) => r.user.id)).toContain(grace);
    const entries = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries?is_overview=true`);
    expect(entries.body.log_entries[0].type).toBe('responder_request_log_entry');
    const unknown = await pd(sim, 'POST', `/incidents/${incident.id}/responder_requests`, {
      from: maya,
      body: {
        requester_id: 'PNOBODY',
        message: 'x',
        responder_request_targets: [{ responder_request_target: { id: grace, type: 'user_reference' } }],
      },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([400, 1008]);
  });
});
