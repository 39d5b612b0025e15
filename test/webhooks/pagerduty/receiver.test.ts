import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../src/shared/clock.js';
import { createMetrics } from '../../../src/shared/metrics.js';
import { openStore, type Store } from '../../../src/store/index.js';
import {
  createStoreWebhookIntake,
  incidentOrderingKey,
  WebhookJobKind,
  WebhookJobPayloadSchema,
} from '../../../src/webhooks/pagerduty/intake.js';
import { createPagerDutyWebhookHandler, MAX_WEBHOOK_BODY_BYTES } from '../../../src/webhooks/pagerduty/receiver.js';
import { createWebhookMetrics } from '../../../src/webhooks/pagerduty/webhook-metrics.js';
import { CAPTURE_SECRET, capture, captureLogger, incidentEnvelope, listen, sign } from '../helpers.js';

interface Reply {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function post(url: string, body: Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/pagerduty/webhook`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }),
      );
    });
    // The server may close the connection after refusing an oversized body; that is not a test failure.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
    );
    req.end(body);
  });
}

function signed(
  body: Buffer,
  secret = CAPTURE_SECRET,
  webhookId = `wh-${Math.random().toString(36).slice(2)}`,
): Record<string, string> {
  return {
    'x-pagerduty-signature': sign(secret, body),
    'x-webhook-id': webhookId,
    'user-agent': 'PagerDuty-Webhook/V3.0',
  };
}

describe('POST /pagerduty/webhook receiver', () => {
  let store: Store;
  let server: Awaited<ReturnType<typeof listen>>;
  const metrics = createMetrics('t_');
  const webhookMetrics = createWebhookMetrics(metrics);
  const log = captureLogger();
  // The captures were sent on 2025-04-07; the receiver refuses events older than 6 days.
  const CAPTURE_DAY = Date.parse('2025-04-07T04:00:00Z');
  const clock = createManualClock(CAPTURE_DAY);

  async function counts(): Promise<{ jobs: number; keys: number }> {
    const jobs = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    const keys = await store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_keys');
    return { jobs: jobs.rows[0]?.n ?? -1, keys: keys.rows[0]?.n ?? -1 };
  }

  beforeAll(async () => {
    store = await openStore({ memory: true, purgeEveryMs: 0 });
    const handler = createPagerDutyWebhookHandler({
      secrets: ['a-newer-secret', CAPTURE_SECRET],
      intake: createStoreWebhookIntake(store),
      logger: log.logger,
      metrics: webhookMetrics,
      clock,
    });
    server = await listen((req, res) => void handler(req, res));
  });
  afterAll(async () => {
    await server.close();
    await store.close();
  });
  beforeEach(async () => {
    clock.set(CAPTURE_DAY);
    await store.db.query('DELETE FROM jobs');
    await store.db.query('DELETE FROM processed_keys');
  });

  it('stores a signed incident.triggered capture as one ordered job and answers 202', async () => {
    const body = capture('incident.triggered');
    const reply = await post(server.url, body, signed(body, CAPTURE_SECRET, 'wh-triggered-1'));
    expect(reply.status).toBe(202);
    expect(JSON.parse(reply.body)).toEqual({ status: 'accepted' });
    const jobs = await store.jobs.list();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({
      kind: WebhookJobKind.triggered,
      orderingKey: incidentOrderingKey('Q2CKYRLH85UNN4'),
      state: 'pending',
    });
    const payload = WebhookJobPayloadSchema.parse(jobs[0]?.payload);
    expect(payload.webhookId).toBe('wh-triggered-1');
    expect(payload.event).toEqual(JSON.parse(body.toString('utf8')).event);
    expect(await store.processedKeys.has('pagerduty:webhook:wh-triggered-1')).toBe(true);
    expect(webhookMetrics.accepted.get({ event_type: 'incident.triggered' })).toBeGreaterThanOrEqual(1);
  });

  it('routes every signed capture to its reaction, annotated by its note’s incident', async () => {
    const expected: Array<[string, string]> = [
      ['incident.acknowledged', WebhookJobKind.cardUpdate],
      ['incident.resolved', WebhookJobKind.resolved],
      ['incident.annotated', WebhookJobKind.annotated],
    ];
    for (const [name, kind] of expected) {
      const body = capture(name);
      expect((await post(server.url, body, signed(body))).status).toBe(202);
      const [job] = await store.jobs.list({ kind });
      expect(job?.orderingKey).toBe(incidentOrderingKey('Q2CKYRLH85UNN4'));
    }
    const priority = capture('go-pagerduty-incident.priority_updated');
    const goSecret = 'lDQHScfUeXUKaQRNF+8XIiDKZ7XX3itBAYzwU0TARw8lJqRnkKl2iB1anSb0Z+IK';
    const handler = createPagerDutyWebhookHandler({
      secrets: [goSecret],
      intake: createStoreWebhookIntake(store),
      logger: log.logger,
      metrics: webhookMetrics,
      clock: createManualClock(Date.parse('2021-04-26T18:00:00Z')),
    });
    const other = await listen((req, res) => void handler(req, res));
    try {
      // The exact header from go-pagerduty's test, not one we computed.
      const reply = await post(other.url, priority, {
        'x-pagerduty-signature': 'v1=0c0b9495b893a39e70d1fea2fe11fbe0a825f88b9f67846f6cc07dd2bc5476cd',
        'x-webhook-id': 'wh-go-1',
      });
      expect(reply.status).toBe(202);
    } finally {
      await other.close();
    }
    expect((await store.jobs.list({ kind: WebhookJobKind.cardUpdate })).map((j) => j.orderingKey)).toContain(
      incidentOrderingKey('PGR0VU2'),
    );
  });

  it('answers a replayed X-Webhook-Id (and the same event from another subscription) 200 with no effect', async () => {
    const body = capture('incident.triggered');
    const headers = signed(body, CAPTURE_SECRET, 'wh-replay');
    expect((await post(server.url, body, headers)).status).toBe(202);
    const before = await counts();
    const duplicatesBefore = webhookMetrics.duplicates.get();
    const replay = await post(server.url, body, headers);
    expect(replay.status).toBe(200);
    expect(JSON.parse(replay.body)).toEqual({ status: 'duplicate' });
    const otherSubscription = await post(server.url, body, signed(body, CAPTURE_SECRET, 'wh-other-subscription'));
    expect(otherSubscription.status).toBe(200);
    expect((await counts()).jobs).toBe(before.jobs);
    expect(webhookMetrics.duplicates.get()).toBe(duplicatesBefore + 2);
  });

  it('refuses forged, missing, malformed and wrong-secret signatures with 401 and changes nothing', async () => {
    const body = capture('incident.triggered');
    const cases: Array<[string, Record<string, string>, string]> = [
      ['missing', { 'x-webhook-id': 'wh-f1' }, 'missing_signature'],
      ['malformed', { 'x-pagerduty-signature': 'sha256=deadbeef', 'x-webhook-id': 'wh-f2' }, 'malformed_signature'],
      ['forged', { 'x-pagerduty-signature': `v1=${'ab'.repeat(32)}`, 'x-webhook-id': 'wh-f3' }, 'bad_signature'],
      ['wrong secret', signed(body, 'not-our-secret', 'wh-f4'), 'bad_signature'],
      [
        'published invalid vector',
        {
          'x-pagerduty-signature': 'v1=0e83584cbab86f98c51517cf96a70c90e910532d3d2f067d58c753cc8980a05c',
          'x-webhook-id': 'wh-f5',
        },
        'bad_signature',
      ],
      [
        'valid signature of another body',
        { 'x-pagerduty-signature': sign(CAPTURE_SECRET, capture('incident.resolved')), 'x-webhook-id': 'wh-f6' },
        'bad_signature',
      ],
    ];
    for (const [name, headers, reason] of cases) {
      const rejected = webhookMetrics.rejected.get({ reason });
      const reply = await post(server.url, body, headers);
      expect(reply.status, name).toBe(401);
      expect(JSON.parse(reply.body), name).toEqual({ error: 'invalid signature' });
      expect(webhookMetrics.rejected.get({ reason }), name).toBe(rejected + 1);
    }
    expect(await counts()).toEqual({ jobs: 0, keys: 0 });
  });

  it('refuses bodies over 256 KB with 413 (declared or streamed) and accepts exactly 256 KB', async () => {
    const pad = (size: number): Buffer => {
      const base = incidentEnvelope({ eventId: `01PAD${size}`, event: { padding: '' } });
      return Buffer.from(
        base.toString('utf8').replace('"padding":""', `"padding":"${'x'.repeat(size - base.length)}"`),
      );
    };
    const exact = pad(MAX_WEBHOOK_BODY_BYTES);
    expect(exact.length).toBe(MAX_WEBHOOK_BODY_BYTES);
    const over = pad(MAX_WEBHOOK_BODY_BYTES + 1);
    const tooBig = await post(server.url, over, signed(over));
    expect(tooBig.status).toBe(413);
    const streamed = await post(server.url, over, { ...signed(over), 'transfer-encoding': 'chunked' });
    expect(streamed.status).toBe(413);
    expect(await counts()).toEqual({ jobs: 0, keys: 0 });
    expect((await post(server.url, exact, signed(exact))).status).toBe(202);
  });

  it('refuses authentic but malformed bodies with 400 naming the problem, and stores nothing', async () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.from('{"event": '), /not valid JSON/],
      [Buffer.alloc(0), /empty/],
      [incidentEnvelope({ incident: { status: 'exploded' } }), /event\.data\.status/],
      [incidentEnvelope({ eventType: 'incident.annotated' }), /event\.data/],
      [incidentEnvelope({ event: { occurred_at: 'last tuesday' } }), /occurred_at/],
    ];
    for (const [body, message] of cases) {
      const reply = await post(server.url, body, signed(body));
      expect(reply.status).toBe(400);
      expect((JSON.parse(reply.body) as { error: string }).error).toMatch(message);
    }
    const weirdId = incidentEnvelope();
    expect((await post(server.url, weirdId, { ...signed(weirdId), 'x-webhook-id': 'x'.repeat(201) })).status).toBe(400);
    expect(await counts()).toEqual({ jobs: 0, keys: 0 });
  });

  it('answers pagey.ping and events we do not use 200 with no effect, logging unknown types', async () => {
    const ping = capture('pagey.ping');
    expect(JSON.parse((await post(server.url, ping, signed(ping))).body)).toEqual({
      status: 'ignored',
      event_type: 'pagey.ping',
    });
    const service = Buffer.from(
      JSON.stringify({
        event: {
          id: '01SVC',
          event_type: 'service.updated',
          resource_type: 'service',
          occurred_at: '2026-01-01T00:00:00Z',
          agent: null,
          client: null,
          data: { id: 'PSVC', type: 'service' },
        },
      }),
    );
    expect((await post(server.url, service, signed(service))).status).toBe(200);
    const unknown = incidentEnvelope({ eventType: 'incident.teleported', incident: { status: 'beamed' } });
    expect((await post(server.url, unknown, signed(unknown))).status).toBe(200);
    expect(await counts()).toEqual({ jobs: 0, keys: 0 });
    expect(log.lines.some((l) => l.eventType === 'incident.teleported' && /no reaction configured/.test(l.msg))).toBe(
      true,
    );
    expect(webhookMetrics.ignored.get({ event_type: 'unknown' })).toBeGreaterThanOrEqual(1);
  });

  it('drops authentic events older than the replay window (200, no effect)', async () => {
    const body = capture('incident.triggered');
    clock.set(CAPTURE_DAY + 6 * 24 * 3_600_000 + 60_000);
    const reply = await post(server.url, body, signed(body, CAPTURE_SECRET, 'wh-stale'));
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({ status: 'ignored', reason: 'stale' });
    expect(await counts()).toEqual({ jobs: 0, keys: 0 });
    expect(webhookMetrics.ignored.get({ event_type: 'stale' })).toBe(1);
  });

  it('answers 405 to other methods', async () => {
    const reply = await post(server.url, Buffer.alloc(0), {}, 'GET');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
  });

  it('records metrics in Prometheus text', async () => {
    const body = capture('incident.triggered');
    await post(server.url, body, signed(body));
    const text = await metrics.render();
    expect(text).toMatch(/t_pagerduty_webhooks_accepted_total\{event_type="incident.triggered"\} \d+/);
    expect(text).toMatch(/t_pagerduty_webhook_ack_seconds_count \d+/);
  });

  it('refuses every delivery with 401 and warns once at start when no secret is configured', async () => {
    const quiet = captureLogger();
    const m = createWebhookMetrics(createMetrics('t_'));
    const handler = createPagerDutyWebhookHandler({
      secrets: [],
      intake: createStoreWebhookIntake(store),
      logger: quiet.logger,
      metrics: m,
    });
    expect(
      quiet.lines.filter((l) => l.level === 40 && /PAGERDUTY_WEBHOOK_SECRETS is not set/.test(l.msg)),
    ).toHaveLength(1);
    const bare = await listen((req, res) => void handler(req, res));
    try {
      const body = capture('incident.triggered');
      const reply = await post(bare.url, body, signed(body));
      expect(reply.status).toBe(401);
      expect(m.rejected.get({ reason: 'no_secrets' })).toBe(1);
      expect(await counts()).toEqual({ jobs: 0, keys: 0 });
    } finally {
      await bare.close();
    }
  });

  // Last: closes the shared store.
  it('answers 503 (PagerDuty retries) when the store cannot take the event', async () => {
    await store.close();
    const body = capture('incident.triggered');
    const rejected = webhookMetrics.rejected.get({ reason: 'store_unavailable' });
    const reply = await post(server.url, body, signed(body));
    expect(reply.status).toBe(503);
    expect(reply.headers['retry-after']).toBe('5');
    expect(webhookMetrics.rejected.get({ reason: 'store_unavailable' })).toBe(rejected + 1);
  });
});
