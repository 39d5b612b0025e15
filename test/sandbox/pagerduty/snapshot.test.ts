import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PAGERDUTY_SNAPSHOT_VERSION,
  type PagerDutySimulator,
  type PagerDutySnapshot,
  parsePagerDutySnapshot,
  startPagerDutySimulator,
} from '../../../src/sandbox/pagerduty/index.js';
import { idsInState, stateFromSnapshot } from '../../../src/sandbox/pagerduty/snapshot.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { ErrorCode, InvalidInputError } from '../../../src/shared/errors.js';
import { type AnyJson, eventually, pd } from './http.js';

const NOW = Date.UTC(2026, 4, 12, 14, 5, 0);
const clock = createManualClock(NOW);

/** A webhook receiver that records X-Webhook-Id and the event id of everything delivered. */
interface Receiver {
  url: string;
  deliveries: Array<{ webhookId: string; eventId: string; type: string; incidentId: string }>;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const deliveries: Receiver['deliveries'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const { event } = JSON.parse(raw);
      deliveries.push({
        webhookId: String(req.headers['x-webhook-id']),
        eventId: event.id,
        type: event.event_type,
        incidentId: event.data.incident?.id ?? event.data.id,
      });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    deliveries,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A REST body with the simulator's own base URL taken out (a restarted simulator listens on another port). */
function portless(sim: PagerDutySimulator, body: unknown): unknown {
  return JSON.parse(JSON.stringify(body).replaceAll(sim.url, 'http://simulator'));
}

describe('PagerDuty simulator snapshot: stop, start again where it was', () => {
  let first: PagerDutySimulator;
  let receiver: Receiver;
  let snapshot: PagerDutySnapshot;
  let incidentId: string;
  let before: { incident: AnyJson; notes: AnyJson; log: AnyJson; count: number };
  let idsBefore: Set<string>;
  const responder = { email: '' };

  beforeAll(async () => {
    receiver = await startReceiver();
    first = await startPagerDutySimulator({ clock, seed: 21 });
    first.addWebhookSubscription({ url: receiver.url, secret: 'snapshot' });
    const service = first.org.services[0]?.id as string;
    responder.email = first.org.users[1]?.email as string;

    const revision0 = first.revision();
    const created = first.triggerIncident({ serviceId: service, title: 'Card payments declined', body: 'PSP 503s' });
    incidentId = created.id;
    expect(first.revision()).toBeGreaterThan(revision0);
    const read = first.revision();
    await pd(first, 'GET', `/incidents/${incidentId}`);
    expect(first.revision()).toBe(read);
    const noted = await pd(first, 'POST', `/incidents/${incidentId}/notes`, {
      from: responder.email,
      body: { note: { content: 'Rolling back the PSP client' } },
    });
    expect([noted.status, noted.violations]).toEqual([200, []]);
    expect(first.revision()).toBeGreaterThan(read);
    const acked = await pd(first, 'PUT', `/incidents/${incidentId}`, {
      from: responder.email,
      body: { incident: { type: 'incident_reference', status: 'acknowledged' } },
    });
    expect(acked.status).toBe(200);
    await eventually(
      () => receiver.deliveries.filter((d) => d.incidentId === incidentId).map((d) => d.type),
      (types) => types.includes('incident.acknowledged') && types.includes('incident.annotated'),
    );

    const [incident, notes, log, list] = await Promise.all([
      pd(first, 'GET', `/incidents/${incidentId}`),
      pd(first, 'GET', `/incidents/${incidentId}/notes`),
      pd(first, 'GET', `/incidents/${incidentId}/log_entries?limit=100`),
      pd(first, 'GET', '/incidents?total=true&limit=1&date_range=all'),
    ]);
    before = {
      incident: portless(first, incident.body),
      notes: portless(first, notes.body),
      log: portless(first, log.body),
      count: list.body.total,
    };
    // Through JSON, as the sandbox writes it to disk.
    snapshot = parsePagerDutySnapshot(JSON.parse(JSON.stringify(first.snapshot())));
    idsBefore = idsInState(stateFromSnapshot(snapshot));
    await first.webhooksIdle();
    await first.close();
  }, 60_000);

  afterAll(async () => {
    await first?.close();
    await receiver?.close();
  });

  it('carries its version, seed and generation', () => {
    expect(snapshot).toMatchObject({ kind: 'pagerduty-simulator', version: PAGERDUTY_SNAPSHOT_VERSION, seed: 21 });
    expect(snapshot.generation).toBe(0);
  });

  it('serves the same incidents, notes, log entries and organisation after a restart', async () => {
    const second = await startPagerDutySimulator({ clock, snapshot });
    try {
      expect(second.org).toEqual(first.org);
      const [incident, notes, log, list] = await Promise.all([
        pd(second, 'GET', `/incidents/${incidentId}`),
        pd(second, 'GET', `/incidents/${incidentId}/notes`),
        pd(second, 'GET', `/incidents/${incidentId}/log_entries?limit=100`),
        pd(second, 'GET', '/incidents?total=true&limit=1&date_range=all'),
      ]);
      expect(incident.violations).toEqual([]);
      expect(portless(second, incident.body)).toEqual(before.incident);
      expect(portless(second, notes.body)).toEqual(before.notes);
      expect(portless(second, log.body)).toEqual(before.log);
      expect(list.body.total).toBe(before.count);
      expect(before.incident.incident.status).toBe('acknowledged');
      expect(before.notes.notes.map((n: AnyJson) => n.content)).toEqual(['Rolling back the PSP client']);
    } finally {
      await second.close();
    }
  });

  it('never repeats an id after a restart: incidents, log entries, notes, events and X-Webhook-Ids', async () => {
    const seenWebhookIds = new Set(receiver.deliveries.map((d) => d.webhookId));
    const seenEventIds = new Set(receiver.deliveries.map((d) => d.eventId));
    // Two restarts from the same snapshot (a crash before the next save) must not repeat each other either.
    const made: string[][] = [];
    for (let run = 0; run < 2; run++) {
      const sim = await startPagerDutySimulator({ clock, snapshot });
      sim.addWebhookSubscription({ url: receiver.url, secret: 'snapshot' });
      const delivered = receiver.deliveries.length;
      try {
        const service = sim.org.services[1]?.id as string;
        const incident = sim.triggerIncident({ serviceId: service, title: `After restart ${run}` });
        expect(incident.incident_number).toBe(snapshot.state.nextIncidentNumber);
        const note = await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
          from: responder.email,
          body: { note: { content: 'still here' } },
        });
        const log = await pd(sim, 'GET', `/incidents/${incident.id}/log_entries`);
        await eventually(
          () => receiver.deliveries.length - delivered,
          (n) => n >= 2,
        );
        const fresh = receiver.deliveries.slice(delivered);
        const ids = [
          incident.id,
          note.body.note.id,
          ...log.body.log_entries.map((e: AnyJson) => e.id),
          ...fresh.map((d) => d.webhookId),
          ...fresh.map((d) => d.eventId),
        ];
        for (const id of ids) expect(idsBefore.has(id)).toBe(false);
        for (const d of fresh) {
          expect(seenWebhookIds.has(d.webhookId)).toBe(false);
          expect(seenEventIds.has(d.eventId)).toBe(false);
        }
        made.push(ids);
        await sim.webhooksIdle();
      } finally {
        await sim.close();
      }
    }
    const [a = [], b = []] = made;
    expect(a.filter((id) => b.includes(id))).toEqual([]);
  });

  it('counts generations across restarts', async () => {
    const second = await startPagerDutySimulator({ clock, snapshot });
    try {
      expect(second.snapshot().generation).toBe(1);
    } finally {
      await second.close();
    }
  });

  it('refuses a snapshot of another version, naming it', () => {
    const other = { ...JSON.parse(JSON.stringify(snapshot)), version: PAGERDUTY_SNAPSHOT_VERSION + 1 };
    expect(() => parsePagerDutySnapshot(other)).toThrow(InvalidInputError);
    expect(() => parsePagerDutySnapshot(other)).toThrow(/version: is 2; this simulator reads 1/);
  });

  it('refuses a snapshot whose records or references are broken, listing the problems', () => {
    const broken = JSON.parse(JSON.stringify(snapshot)) as PagerDutySnapshot;
    const [, incident] = broken.state.incidents.find(([id]) => id === incidentId) as [string, AnyJson];
    incident.serviceId = 'PNOSUCH';
    broken.state.incidentOrder.pop();
    try {
      parsePagerDutySnapshot(broken);
      expect.unreachable('a broken snapshot must be refused');
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError);
      const issues = (error as InvalidInputError).issues.map((i) => `${i.path}: ${i.message}`);
      expect(issues).toContain(`state.incidents.${incidentId}.serviceId: no service PNOSUCH`);
      expect(issues).toContain('state.incidentOrder: does not list exactly the incidents');
      expect((error as InvalidInputError).code).toBe(ErrorCode.InvalidInput);
    }
    const shapeless = JSON.parse(JSON.stringify(snapshot));
    shapeless.state.incidents[0][1].status = 'exploded';
    expect(() => parsePagerDutySnapshot(shapeless)).toThrow(/state\.incidents\.0\.1\.status/);
    expect(() => parsePagerDutySnapshot(null)).toThrow(/version: is undefined/);
  });
});
