import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { api } from '@pagerduty/pdjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { AppError, ErrorCode } from '../../../src/shared/errors.js';
import { type AnyJson, eventually, pd } from './http.js';

const NOW = Date.UTC(2026, 2, 18, 2, 30, 0);
const clock = createManualClock(NOW);
let sim: PagerDutySimulator;
let receiver: Server;
const events: Array<{ type: string; id: string }> = [];

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock, seed: 13, org: 'empty' });
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => {
      raw += c;
    });
    req.on('end', () => {
      const { event } = JSON.parse(raw);
      events.push({ type: event.event_type, id: event.data.id ?? event.data.incident?.id });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  sim.addWebhookSubscription({
    url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
    secret: 'console',
  });
});

afterAll(async () => {
  await sim.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

const service = (name: string) => sim.org.services.find((s) => s.name === name) as { id: string; dependsOn: string[] };

describe('console operations', () => {
  it('triggers an alert-driven incident that the REST API and webhooks see', async () => {
    const incident = sim.triggerIncident({
      serviceId: service('notifications').id,
      title: 'SMS delivery delayed',
      urgency: 'low',
      body: 'Twilio queue at 12k',
    });
    expect(incident).toMatchObject({ title: 'SMS delivery delayed', status: 'triggered', urgency: 'low' });
    const res = await pd(sim, 'GET', `/incidents/${incident.id}`);
    expect(res.violations).toEqual([]);
    expect(res.body.incident.alert_counts.all).toBe(1);
    expect(res.body.incident.body).toEqual({ type: 'incident_body', details: 'Twilio queue at 12k' });
    await eventually(
      () => events.filter((e) => e.id === incident.id).map((e) => e.type),
      (types) => types.includes('incident.triggered'),
    );
  });

  it('acknowledges and resolves as a person, through the same state machine', async () => {
    const incident = sim.triggerIncident({ serviceId: service('search').id, title: 'Search indexing stalled' });
    const assignee = incident.assignments as AnyJson[];
    const acked = sim.acknowledge(incident.id);
    expect(acked.status).toBe('acknowledged');
    expect((acked.acknowledgements as AnyJson[])[0].acknowledger.id).toBe(assignee[0].assignee.id);
    const grace = sim.org.users.find((u) => u.key === 'grace') as { id: string; email: string };
    const resolved = sim.resolve(incident.id, grace.email);
    expect(resolved.status).toBe('resolved');
    expect(resolved.last_status_change_by).toMatchObject({ id: grace.id });
    const log = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    expect(log.body.log_entries[0]).toMatchObject({ type: 'resolve_log_entry', channel: { type: 'website' } });
    expect(() => sim.resolve(incident.id)).toThrow(AppError);
    expect(() => sim.acknowledge(incident.id)).toThrow(/Already Resolved/);
    expect(() => sim.acknowledge('QNOPE')).toThrow(expect.objectContaining({ code: ErrorCode.NotFound }));
    expect(() => sim.acknowledge(incident.id, 'nobody@example.com')).toThrow(AppError);
    await eventually(
      () => events.filter((e) => e.id === incident.id).map((e) => e.type),
      (types) => types.join() === 'incident.triggered,incident.acknowledged,incident.resolved',
    );
  });

  it('raises an alert storm that cascades along the dependency graph within the window', () => {
    const root = service('orders-db');
    const storm = sim.alertStorm({
      count: 12,
      serviceIds: undefined,
      withinMs: 120_000,
      scenario: 'connection-pool-exhaustion',
    });
    expect(storm).toHaveLength(12);
    const created = storm.map((i) => Date.parse(i.created_at as string));
    expect(Math.min(...created)).toBeGreaterThanOrEqual(NOW - 120_000);
    expect(Math.max(...created)).toBeLessThanOrEqual(NOW);
    // Services are hit in cascade order: each one after the first depends on a service hit before it.
    const order = [...new Set(storm.map((i) => (i.service as AnyJson).id as string))];
    expect(order.length).toBeGreaterThan(1);
    const dependsOn = (id: string) => sim.org.services.find((s) => s.id === id)?.dependsOn ?? [];
    for (let k = 1; k < order.length; k++) {
      expect(dependsOn(order[k] as string).some((d) => order.slice(0, k).includes(d))).toBe(true);
    }
    const pinned = sim.alertStorm({ count: 6, serviceIds: [root.id], withinMs: 0 });
    expect(pinned.every((i) => (i.service as AnyJson).id === root.id)).toBe(true);
    expect(() => sim.alertStorm({ count: 0 })).toThrow(/count/);
    expect(() => sim.alertStorm({ count: 3, scenario: 'meteor-strike' })).toThrow(/Unknown scenario/);
  });

  it('lists incidents most recent first, with filters', () => {
    const open = sim.listIncidents({ statuses: ['triggered'], limit: 5 });
    expect(open.length).toBeGreaterThan(0);
    expect(open.length).toBeLessThanOrEqual(5);
    expect(open.every((i) => i.status === 'triggered')).toBe(true);
    const numbers = open.map((i) => i.incident_number);
    expect(numbers).toEqual([...numbers].sort((x, y) => y - x));
    const search = sim.listIncidents({ serviceIds: [service('search').id] });
    expect(search.map((i) => i.title)).toEqual(['Search indexing stalled']);
  });

  it('says who is on call now, matching GET /oncalls', async () => {
    const now = sim.oncallNow();
    const res = await pd(sim, 'GET', '/oncalls?limit=100');
    expect(now.map((o) => `${o.escalationPolicyId}:${o.level}:${o.user.id}`).sort()).toEqual(
      res.body.oncalls.map((o: AnyJson) => `${o.escalation_policy.id}:${o.escalation_level}:${o.user.id}`).sort(),
    );
    expect(now.find((o) => o.scheduleId === null)).toMatchObject({ start: null, end: null, scheduleName: null });
    expect(now.filter((o) => o.scheduleId).every((o) => o.user.email.endsWith('@example.com') && o.scheduleName)).toBe(
      true,
    );
  });

  it('closes cleanly and only once', async () => {
    const extra = await startPagerDutySimulator({ org: 'empty' });
    await extra.close();
    await extra.close();
    await expect(fetch(`${extra.url}/priorities`)).rejects.toThrow();
  });
});

describe('PagerDuty’s own client (pdjs 2.2.4)', () => {
  it('reads, pages and writes against the simulator unchanged', async () => {
    const pdApi = api({ token: sim.token });
    const list = await pdApi.get('/incidents', {
      url: `${sim.url}/incidents`,
      data: { 'statuses[]': ['triggered', 'acknowledged'], limit: 2, total: true },
    });
    expect(list.response.status).toBe(200);
    expect(list.data.incidents).toHaveLength(2);
    expect(list.data.total).toBeGreaterThan(2);
    const second = await list.next?.();
    expect(second?.data.offset).toBe(2);
    const from = sim.org.users.find((u) => u.key === 'liam')?.email as string;
    const created = await pdApi.post('/incidents', {
      url: `${sim.url}/incidents`,
      headers: { From: from },
      data: {
        incident: {
          type: 'incident',
          title: 'Created by pdjs',
          service: { id: service('search').id, type: 'service_reference' },
        },
      },
    });
    expect(created.response.status).toBe(201);
    const id = created.data.incident.id as string;
    const acked = await pdApi.put(`/incidents/${id}`, {
      url: `${sim.url}/incidents/${id}`,
      headers: { From: from },
      data: { incident: { type: 'incident_reference', status: 'acknowledged' } },
    });
    expect([acked.response.status, acked.data.incident.status]).toEqual([200, 'acknowledged']);
    const missingFrom = await pdApi.put(`/incidents/${id}`, {
      url: `${sim.url}/incidents/${id}`,
      data: { incident: { type: 'incident_reference', status: 'resolved' } },
    });
    expect(missingFrom.response.status).toBe(400);
    expect(missingFrom.data.error.code).toBe(2016);
  });
});
