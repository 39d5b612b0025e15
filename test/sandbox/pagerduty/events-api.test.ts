import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { type AnyJson, pd } from './http.js';

const clock = createManualClock(Date.UTC(2026, 6, 1, 3, 0, 0));
let sim: PagerDutySimulator;
let key: string;
let otherKey: string;
let serviceId: string;

beforeAll(async () => {
  sim = await startPagerDutySimulator({ clock, seed: 21, org: 'empty' });
  const search = sim.org.services.find((s) => s.name === 'search');
  key = search?.integrationKey as string;
  serviceId = search?.id as string;
  otherKey = sim.org.services.find((s) => s.name === 'cdn-edge')?.integrationKey as string;
});

afterAll(async () => {
  await sim.close();
});

async function send(event: unknown): Promise<{ status: number; type: string | null; body: AnyJson }> {
  const res = await fetch(`${sim.eventsUrl}/v2/enqueue`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof event === 'string' ? event : JSON.stringify(event),
  });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

const trigger = (dedup: string | undefined, summary = 'Search p99 above 2s', routing = key) => ({
  routing_key: routing,
  event_action: 'trigger',
  ...(dedup ? { dedup_key: dedup } : {}),
  payload: {
    summary,
    source: 'os-data-1',
    severity: 'error',
    component: 'opensearch',
    class: 'latency',
    custom_details: { p99_ms: 2450 },
  },
  links: [{ href: 'https://runbooks.example.com/search/latency', text: 'Runbook' }],
});

async function incidentsFor(dedup: string): Promise<AnyJson[]> {
  const res = await pd(sim, 'GET', `/incidents?incident_key=${encodeURIComponent(dedup)}&date_range=all`);
  expect(res.violations).toEqual([]);
  return res.body.incidents;
}

describe('Events API v2', () => {
  it('opens an incident with an alert on the integration’s service and answers 202 with the dedup key', async () => {
    const res = await send(trigger('search/latency/1'));
    expect(res.status).toBe(202);
    expect(res.type).toBe('application/json; charset=utf-8');
    expect(res.body).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'search/latency/1' });
    const [incident] = await incidentsFor('search/latency/1');
    expect(incident).toMatchObject({ title: 'Search p99 above 2s', status: 'triggered', service: { id: serviceId } });
    const alerts = await pd(sim, 'GET', `/incidents/${incident.id}/alerts`);
    expect(alerts.violations).toEqual([]);
    expect(alerts.body.alerts[0]).toMatchObject({
      alert_key: 'search/latency/1',
      severity: 'error',
      body: { details: { p99_ms: 2450 } },
    });
    expect(alerts.body.alerts[0].body.contexts).toEqual([
      { type: 'link', href: 'https://runbooks.example.com/search/latency', text: 'Runbook' },
    ]);
    const log = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
    const first = log.body.log_entries[log.body.log_entries.length - 1];
    expect(first).toMatchObject({
      type: 'trigger_log_entry',
      agent: { type: 'service_reference', id: serviceId },
      channel: { type: 'api' },
    });
  });

  it('deduplicates repeated triggers into the open alert, then acknowledges and resolves by dedup key', async () => {
    await send(trigger('search/latency/2'));
    const again = await send(trigger('search/latency/2', 'Search p99 above 2s (still)'));
    expect(again.status).toBe(202);
    let [incident] = await incidentsFor('search/latency/2');
    expect((await incidentsFor('search/latency/2')).length).toBe(1);
    expect(incident.alert_counts).toEqual({ all: 1, triggered: 1, resolved: 0 });
    expect((await send({ routing_key: key, event_action: 'acknowledge', dedup_key: 'search/latency/2' })).status).toBe(
      202,
    );
    [incident] = await incidentsFor('search/latency/2');
    expect(incident.status).toBe('acknowledged');
    expect((await send({ routing_key: key, event_action: 'resolve', dedup_key: 'search/latency/2' })).status).toBe(202);
    [incident] = await incidentsFor('search/latency/2');
    expect(incident.status).toBe('resolved');
    expect(incident.alert_counts).toEqual({ all: 1, triggered: 0, resolved: 1 });
    // After the alert is resolved, the same key opens a new alert and incident.
    await send(trigger('search/latency/2'));
    const both = await incidentsFor('search/latency/2');
    expect(both.map((i) => i.status)).toEqual(['resolved', 'triggered']);
  });

  it('correlates only on the same routing key, and drops acknowledge/resolve without an open alert', async () => {
    await send(trigger('shared-key'));
    await send(trigger('shared-key', 'Edge errors', otherKey));
    expect((await incidentsFor('shared-key')).length).toBe(2);
    const before = (await pd(sim, 'GET', '/incidents?date_range=all&total=true&limit=1')).body.total;
    const dropped = await send({ routing_key: key, event_action: 'resolve', dedup_key: 'never-triggered' });
    expect(dropped).toMatchObject({ status: 202, body: { status: 'success', dedup_key: 'never-triggered' } });
    expect((await pd(sim, 'GET', '/incidents?date_range=all&total=true&limit=1')).body.total).toBe(before);
  });

  it('generates a dedup key when the trigger has none', async () => {
    const res = await send(trigger(undefined, 'No key'));
    expect(res.body.dedup_key).toMatch(/^[0-9a-f]{32}$/);
    expect((await incidentsFor(res.body.dedup_key)).map((i) => i.title)).toEqual(['No key']);
  });

  it('refuses invalid events with 400 and the reasons, creating nothing', async () => {
    const total = async () => (await pd(sim, 'GET', '/incidents?date_range=all&total=true&limit=1')).body.total;
    const before = await total();
    const cases: Array<[unknown, string]> = [
      [{ event_action: 'trigger', payload: { summary: 's', source: 's', severity: 'info' } }, 'routing_key'],
      [{ ...trigger('x'), routing_key: 'short' }, "Length of 'routing_key' is incorrect"],
      [{ ...trigger('x'), routing_key: 'f'.repeat(32) }, 'Invalid routing key'],
      [{ ...trigger('x'), event_action: 'explode' }, 'event_action'],
      [{ routing_key: key, event_action: 'trigger' }, 'payload'],
      [{ ...trigger('x'), payload: { summary: 's', source: 's', severity: 'fatal' } }, 'severity'],
      [{ ...trigger('x'), payload: { summary: 'x'.repeat(1025), source: 's', severity: 'info' } }, '1024'],
      [{ ...trigger('x'), dedup_key: 'k'.repeat(256) }, '255'],
      [{ routing_key: key, event_action: 'resolve' }, 'dedup_key'],
    ];
    for (const [event, reason] of cases) {
      const res = await send(event);
      expect(res.status, reason).toBe(400);
      expect(res.body).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
      expect(res.body.errors.join(' '), reason).toContain(reason);
    }
    const garbage = await send('{"routing_key":');
    expect(garbage).toMatchObject({
      status: 400,
      body: { status: 'Unrecognized object', errors: ['JSON parse error'] },
    });
    expect(await total()).toBe(before);
  });
});
