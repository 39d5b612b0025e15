import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { eventually } from './http.js';

const LATENCY_MS = 400;

describe('webhook latency: PagerDuty sends webhooks after the API call has answered', () => {
  let sim: PagerDutySimulator;
  let server: Server;
  const arrivals: Array<{ type: string; incidentId: string; at: number }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (chunk) => {
        raw += chunk;
      });
      req.on('end', () => {
        const { event } = JSON.parse(raw);
        arrivals.push({ type: event.event_type, incidentId: event.data.incident?.id ?? event.data.id, at: Date.now() });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sim = await startPagerDutySimulator({ org: 'empty', webhookLatencyMs: LATENCY_MS });
    sim.addWebhookSubscription({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      secret: 'latency',
    });
  });

  afterAll(async () => {
    await sim.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('delivers no earlier than the latency after the change, in order, each event once', async () => {
    const service = sim.org.services[0]?.id as string;
    const changedAt = Date.now();
    const incident = sim.triggerIncident({ serviceId: service, title: 'Latency check' });
    sim.acknowledge(incident.id);
    sim.resolve(incident.id);
    expect(arrivals).toEqual([]);
    const mine = await eventually(
      () => arrivals.filter((a) => a.incidentId === incident.id),
      (list) => list.length >= 3,
    );
    expect(mine.map((a) => a.type)).toEqual(['incident.triggered', 'incident.acknowledged', 'incident.resolved']);
    for (const arrival of mine) expect(arrival.at - changedAt).toBeGreaterThanOrEqual(LATENCY_MS - 5);
    await sim.webhooksIdle();
    expect(arrivals.filter((a) => a.incidentId === incident.id)).toHaveLength(3);
  });

  it('closing cuts a pending delivery short instead of waiting for it', async () => {
    const other = await startPagerDutySimulator({ org: 'empty', seed: 99, webhookLatencyMs: 60_000 });
    other.addWebhookSubscription({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      secret: 'latency',
    });
    const incident = other.triggerIncident({ serviceId: other.org.services[0]?.id as string, title: 'Never sent' });
    await other.close();
    expect(arrivals.some((a) => a.incidentId === incident.id)).toBe(false);
  });
});
