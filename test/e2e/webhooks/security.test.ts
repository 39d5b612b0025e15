import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGERDUTY_WEBHOOK_PATH } from '../../../src/webhooks/pagerduty/index.js';
import { startWebhookHarness, until, WEBHOOK_SECRET, type WebhookHarness } from './harness.js';

const sign = (secret: string, body: Buffer): string => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A v3 envelope for an incident as the simulator's REST API shows it (the webhook `data` is the same object). */
async function envelope(h: WebhookHarness, incidentId: string, eventType: string, eventId: string): Promise<Buffer> {
  const data = await h.incidentData(incidentId);
  return Buffer.from(
    JSON.stringify({
      event: {
        id: eventId,
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        agent: null,
        client: null,
        data,
      },
    }),
  );
}

describe('webhook deliveries that must change nothing (end to end, real Bolt server)', () => {
  let h: WebhookHarness;
  let incidentId: string;

  async function deliver(body: Buffer, headers: Record<string, string>): Promise<{ status: number; body: string }> {
    const res = await fetch(`${h.botUrl}${PAGERDUTY_WEBHOOK_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'PagerDuty-Webhook/V3.0', ...headers },
      body: new Uint8Array(body),
    });
    return { status: res.status, body: await res.text() };
  }

  async function footprint(): Promise<{ jobs: number; keys: number; slackCalls: number; messages: number }> {
    const jobs = await h.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM jobs');
    const keys = await h.store.db.query<{ n: number }>('SELECT count(*)::int AS n FROM processed_keys');
    return {
      jobs: jobs.rows[0]?.n ?? -1,
      keys: keys.rows[0]?.n ?? -1,
      slackCalls: h.slack.calls().length,
      messages: h.slack.messages(h.channel).length,
    };
  }

  beforeAll(async () => {
    // Not subscribed: this test sends every delivery itself.
    h = await startWebhookHarness({ subscribe: false, rateLimit: false });
    incidentId = h.trigger('Card service: TLS handshake failures').id;
  });
  afterAll(async () => {
    await h?.close();
  });

  it('refuses forged, missing, wrong-secret, oversized and malformed deliveries with no effect at all', async () => {
    const body = await envelope(h, incidentId, 'incident.triggered', '01SECURITY000000000000001');
    const before = await footprint();
    const cases: Array<[string, Buffer, Record<string, string>, number]> = [
      ['missing signature', body, { 'x-webhook-id': 'sec-1' }, 401],
      ['forged signature', body, { 'x-pagerduty-signature': `v1=${'0'.repeat(64)}`, 'x-webhook-id': 'sec-2' }, 401],
      ['wrong secret', body, { 'x-pagerduty-signature': sign('guessed-secret', body), 'x-webhook-id': 'sec-3' }, 401],
      ['malformed header', body, { 'x-pagerduty-signature': 'v1=not-hex', 'x-webhook-id': 'sec-4' }, 401],
    ];
    const big = Buffer.from(
      body.toString('utf8').replace('"agent":null', `"agent":null,"padding":"${'x'.repeat(256 * 1024)}"`),
    );
    cases.push([
      'oversized (signed)',
      big,
      { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, big), 'x-webhook-id': 'sec-5' },
      413,
    ]);
    const garbage = Buffer.from('{"event": {"id": 1');
    cases.push([
      'malformed JSON (signed)',
      garbage,
      { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, garbage), 'x-webhook-id': 'sec-6' },
      400,
    ]);
    const noIncident = Buffer.from(body.toString('utf8').replace('"type":"incident"', '"type":"incident_reference"'));
    cases.push([
      'invalid data (signed)',
      noIncident,
      { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, noIncident), 'x-webhook-id': 'sec-7' },
      400,
    ]);
    for (const [name, payload, headers, status] of cases) {
      const reply = await deliver(payload, headers);
      expect(reply.status, name).toBe(status);
    }
    await new Promise((r) => setTimeout(r, 300));
    expect(await footprint()).toEqual(before);
    expect(h.webhookMetrics.rejected.get({ reason: 'bad_signature' })).toBe(2);
    expect(h.webhookMetrics.rejected.get({ reason: 'missing_signature' })).toBe(1);
    expect(h.webhookMetrics.rejected.get({ reason: 'malformed_signature' })).toBe(1);
    expect(h.webhookMetrics.rejected.get({ reason: 'too_large' })).toBe(1);
    expect(h.webhookMetrics.rejected.get({ reason: 'malformed_body' })).toBe(2);
  });

  it('acts on a delivery once: replays of its X-Webhook-Id (or of its event) change nothing', async () => {
    const body = await envelope(h, incidentId, 'incident.triggered', '01SECURITY000000000000002');
    const headers = { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, body), 'x-webhook-id': 'sec-original' };
    expect((await deliver(body, headers)).status).toBe(202);
    await h.slack.waitFor(() => h.slack.messages(h.channel).find((m) => m.text.includes('TLS handshake failures')), {
      timeoutMs: 45_000,
    });
    await h.settle();
    const after = await footprint();
    for (let i = 0; i < 3; i++) expect((await deliver(body, headers)).status).toBe(200);
    // The same event relayed by a second subscription (new X-Webhook-Id) is the same event.
    expect((await deliver(body, { ...headers, 'x-webhook-id': 'sec-other-subscription' })).status).toBe(200);
    await h.settle();
    const replayed = await footprint();
    expect(replayed.jobs).toBe(after.jobs);
    expect(replayed.slackCalls).toBe(after.slackCalls);
    expect(replayed.messages).toBe(after.messages);
    expect(h.webhookMetrics.duplicates.get()).toBe(4);
  });

  it('answers pagey.ping and unknown event types 200 without doing anything', async () => {
    const before = await footprint();
    const ping = Buffer.from(
      JSON.stringify({
        event: {
          id: '01PING',
          event_type: 'pagey.ping',
          resource_type: 'pagey',
          occurred_at: new Date().toISOString(),
          agent: null,
          client: null,
          data: { message: 'Hello from your friend Pagey!', type: 'ping' },
        },
      }),
    );
    expect(
      (await deliver(ping, { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, ping), 'x-webhook-id': 'sec-ping' })).status,
    ).toBe(200);
    const unknown = await envelope(h, incidentId, 'incident.sla_breached', '01SECURITY000000000000003');
    expect(
      (
        await deliver(unknown, {
          'x-pagerduty-signature': sign(WEBHOOK_SECRET, unknown),
          'x-webhook-id': 'sec-unknown',
        })
      ).status,
    ).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await footprint()).toEqual(before);
  });

  it('rebuilds the card from PagerDuty, so a late or out-of-order event cannot leave it wrong', async () => {
    // PagerDuty resolves the incident; the bot then receives a stale "acknowledged" event (a retry from earlier).
    const stale = await envelope(h, incidentId, 'incident.acknowledged', '01SECURITY000000000000004');
    h.pd.resolve(incidentId);
    expect(
      (await deliver(stale, { 'x-pagerduty-signature': sign(WEBHOOK_SECRET, stale), 'x-webhook-id': 'sec-late-ack' }))
        .status,
    ).toBe(202);
    await h.settle();
    const card = await until(() => h.slack.messages(h.channel).find((m) => m.text.includes('TLS handshake failures')));
    expect(card.text).toMatch(/Resolved/);
    expect(JSON.stringify(card.blocks)).not.toContain('incident_acknowledge');
  });
});
