import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type PagerDutySimulator,
  signWebhookBody,
  startPagerDutySimulator,
} from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { type AnyJson, eventually, pd } from './http.js';

const SPECS = '/work/shared/specs/pagerduty-webhooks';

interface Received {
  headers: IncomingHttpHeaders;
  raw: Buffer;
  body: AnyJson;
}

/** A loopback webhook receiver that answers from a script (default 200), or holds the response. */
async function startReceiver(): Promise<{
  url: string;
  received: Received[];
  script: Array<number | 'hang'>;
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const script: Array<number | 'hang'> = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      received.push({ headers: req.headers, raw, body: JSON.parse(raw.toString('utf8')) });
      const next = script.shift() ?? 202;
      if (next === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(next, { 'Content-Type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/pagerduty/webhook`,
    received,
    script,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function verify(secret: string, raw: Buffer, header: string | string[] | undefined): boolean {
  const expected = createHmac('sha256', secret).update(raw).digest();
  return String(header)
    .split(',')
    .some((entry) => {
      const [version, hex] = entry.trim().split('=');
      if (version !== 'v1' || !hex || hex.length !== 64) return false;
      return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
    });
}

describe('webhook signatures', () => {
  it('signs exactly like PagerDuty: every published vector verifies, and the tampered ones do not', () => {
    const vectors = JSON.parse(readFileSync(`${SPECS}/signature-test-vectors.json`, 'utf8')).vectors as Array<{
      file: string;
      secret: string;
      x_pagerduty_signature: string;
      expect: string;
    }>;
    expect(vectors.length).toBe(8);
    for (const v of vectors) {
      const body = readFileSync(`${SPECS}/${v.file}`);
      const ours = signWebhookBody(v.secret, body);
      expect(ours === v.x_pagerduty_signature, v.file).toBe(v.expect === 'valid');
      expect(verify(v.secret, body, ours)).toBe(true);
    }
  });
});

describe('webhook delivery', () => {
  const clock = createManualClock(Date.UTC(2026, 8, 1, 10, 0, 0));
  let sim: PagerDutySimulator;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let maya: string;
  let serviceId: string;
  const secret = 'whsec-sandbox-0123456789';

  beforeAll(async () => {
    sim = await startPagerDutySimulator({
      clock,
      seed: 9,
      org: 'empty',
      webhookRetry: { attempts: 4, delaysMs: [50, 100, 200] },
    });
    maya = sim.org.users.find((u) => u.key === 'maya')?.email as string;
    serviceId = sim.org.services.find((s) => s.name === 'payments-api')?.id as string;
  });

  afterAll(async () => {
    await sim.close();
  });

  afterEach(async () => {
    await sim.webhooksIdle();
    await receiver?.close();
  });

  async function subscribe(options: { events?: string[]; serviceIds?: string[] } = {}) {
    receiver = await startReceiver();
    return sim.addWebhookSubscription({ url: receiver.url, secret, ...options });
  }

  async function create(title: string): Promise<AnyJson> {
    const res = await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: { incident: { type: 'incident', title, service: { id: serviceId, type: 'service_reference' } } },
    });
    return res.body.incident;
  }

  const update = (id: string, fields: Record<string, unknown>) =>
    pd(sim, 'PUT', `/incidents/${id}`, { from: maya, body: { incident: { type: 'incident_reference', ...fields } } });

  it('posts signed v3 events shaped like PagerDuty’s, in order per incident', async () => {
    const sub = await subscribe();
    const incident = await create('Card payments failing');
    await update(incident.id, { status: 'acknowledged' });
    await pd(sim, 'POST', `/incidents/${incident.id}/notes`, {
      from: maya,
      body: { note: { content: 'Looking at the processor' } },
    });
    await update(incident.id, { priority: 'P1' });
    await update(incident.id, { status: 'resolved' });
    const got = await eventually(
      () => receiver.received,
      (r) => r.length >= 5,
    );
    expect(got.map((r) => r.body.event.event_type)).toEqual([
      'incident.triggered',
      'incident.acknowledged',
      'incident.annotated',
      'incident.priority_updated',
      'incident.resolved',
    ]);
    const capture = JSON.parse(readFileSync(`${SPECS}/signed-captures/incident.triggered.body.json`, 'utf8'));
    for (const r of got) {
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.headers['user-agent']).toBe('PagerDuty-Webhook/V3.0');
      expect(r.headers['x-webhook-subscription']).toBe(sub.id);
      expect(r.headers['x-webhook-id']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(verify(secret, r.raw, r.headers['x-pagerduty-signature'])).toBe(true);
      expect(verify('another-secret', r.raw, r.headers['x-pagerduty-signature'])).toBe(false);
      expect(Object.keys(r.body.event)).toEqual(Object.keys(capture.event));
      expect(r.body.event.resource_type).toBe('incident');
      expect(r.body.event.occurred_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(r.body.event.agent).toMatchObject({ type: 'user_reference', summary: 'Maya Chen' });
    }
    const triggered = got[0]?.body.event.data;
    expect(Object.keys(triggered)).toEqual(Object.keys(capture.event.data));
    expect(triggered).toMatchObject({
      id: incident.id,
      number: incident.incident_number,
      status: 'triggered',
      title: 'Card payments failing',
    });
    expect(got[4]?.body.event.data).toMatchObject({ status: 'resolved', assignees: [] });
    expect(got[3]?.body.event.data.priority).toMatchObject({ summary: 'P1', type: 'priority_reference' });
    const annotated = JSON.parse(readFileSync(`${SPECS}/signed-captures/incident.annotated.body.json`, 'utf8'));
    expect(Object.keys(got[2]?.body.event.data).sort()).toEqual(Object.keys(annotated.event.data).sort());
    expect(got[2]?.body.event.data).toMatchObject({
      type: 'incident_note',
      content: 'Looking at the processor',
      incident: { id: incident.id },
    });
    expect(new Set(got.map((r) => r.headers['x-webhook-id'])).size).toBe(5);
  });

  it('retries on 5xx and 429 with the same X-Webhook-Id and body, holding later events for the incident', async () => {
    await subscribe();
    receiver.script.push(500, 429);
    const incident = await create('Retry me');
    await update(incident.id, { status: 'acknowledged' });
    const got = await eventually(
      () => receiver.received,
      (r) => r.length >= 4,
    );
    expect(got.map((r) => r.body.event.event_type)).toEqual([
      'incident.triggered',
      'incident.triggered',
      'incident.triggered',
      'incident.acknowledged',
    ]);
    expect(new Set(got.slice(0, 3).map((r) => r.headers['x-webhook-id'])).size).toBe(1);
    expect(new Set(got.slice(0, 3).map((r) => r.raw.toString('utf8'))).size).toBe(1);
    expect(got[3]?.headers['x-webhook-id']).not.toBe(got[0]?.headers['x-webhook-id']);
  });

  it('drops a webhook answered with another 4xx, without retrying', async () => {
    await subscribe();
    receiver.script.push(400);
    const incident = await create('Bad receiver');
    await update(incident.id, { status: 'acknowledged' });
    await sim.webhooksIdle();
    expect(receiver.received.map((r) => r.body.event.event_type)).toEqual([
      'incident.triggered',
      'incident.acknowledged',
    ]);
  });

  it('retries after the 5-second timeout', { timeout: 60_000 }, async () => {
    await subscribe();
    receiver.script.push('hang');
    await create('Slow receiver');
    const got = await eventually(
      () => receiver.received,
      (r) => r.length >= 2,
      30_000,
    );
    expect(got[1]?.headers['x-webhook-id']).toBe(got[0]?.headers['x-webhook-id']);
  });

  it('filters by event type and service', async () => {
    const other = sim.org.services.find((s) => s.name === 'search')?.id as string;
    await subscribe({ events: ['incident.resolved'], serviceIds: [serviceId] });
    const incident = await create('Filtered');
    await update(incident.id, { status: 'resolved' });
    await pd(sim, 'POST', '/incidents', {
      from: maya,
      body: { incident: { type: 'incident', title: 'Elsewhere', service: { id: other, type: 'service_reference' } } },
    });
    await sim.webhooksIdle();
    expect(receiver.received.map((r) => [r.body.event.event_type, r.body.event.data.id])).toEqual([
      ['incident.resolved', incident.id],
    ]);
  });

  it('disables a subscription for 24 hours after 3 dropped webhooks', async () => {
    // Only triggers: a day later the open incidents have escalated, which would page this receiver too.
    await subscribe({ events: ['incident.triggered'] });
    receiver.script.push(404, 404, 404);
    for (const title of ['One', 'Two', 'Three']) await create(title);
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    await create('Four');
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(3);
    clock.advance(24 * 3_600_000 + 1);
    await create('Five');
    await eventually(
      () => receiver.received.length,
      (n) => n === 4,
    );
    expect(receiver.received[3]?.body.event.data.title).toBe('Five');
  });

  it('refuses subscriptions without an http(s) URL or a secret', () => {
    expect(() => sim.addWebhookSubscription({ url: 'ftp://x', secret })).toThrow(/http/);
    expect(() => sim.addWebhookSubscription({ url: 'http://127.0.0.1:1/x', secret: '' })).toThrow(/secret/);
  });
});

describe('closing with webhooks pending', () => {
  it('cancels queued retries promptly', async () => {
    const sim = await startPagerDutySimulator({ org: 'empty', webhookRetry: { attempts: 5, delaysMs: [600_000] } });
    const receiver = await startReceiver();
    receiver.script.push(503);
    sim.addWebhookSubscription({ url: receiver.url, secret: 's3cret' });
    sim.triggerIncident({ serviceId: sim.org.services[0]?.id as string, title: 'Pending retry' });
    await eventually(
      () => receiver.received.length,
      (n) => n === 1,
    );
    await sim.close();
    await sim.webhooksIdle();
    expect(receiver.received).toHaveLength(1);
    await receiver.close();
  });
});
