/**
 * Nobody but Slack and PagerDuty gets in: requests to the running bot (`startBot`, real HTTP) whose signature is
 * forged, stale (older than 5 minutes), missing, of an unknown version or computed over other bytes are refused
 * with 401 and change nothing — no PagerDuty request, no Slack call, no job, no dedupe key, no audit row. PagerDuty
 * webhooks are checked against the published signature vectors too; since PagerDuty signs nothing time-based,
 * a replayed authentic delivery is refused by its `X-Webhook-Id` and an authentic but old event is ignored.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/sandbox/pagerduty/index.js';
import { signSlackRequest } from '../../src/sandbox/slack/index.js';
import { ActionId } from '../../src/slack/ids.js';
import { cmd, ephemeral, pdIncident } from '../e2e/slack/harness.js';
import { type BotStack, STACK_SECRETS, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';

const SPECS = new URL('file:///work/shared/specs/');

interface PdVector {
  file: string;
  secret: string;
  x_pagerduty_signature: string;
  expect: string;
}
const pdVectors = (
  JSON.parse(readFileSync(new URL('pagerduty-webhooks/signature-test-vectors.json', SPECS), 'utf8')) as {
    vectors: PdVector[];
  }
).vectors;

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;

beforeAll(async () => {
  tracker = trackProcessFaults();
  // The published vectors' secrets are accepted too, as during a secret rotation.
  const vectorSecrets = [...new Set(pdVectors.map((v) => v.secret))];
  s = await startBotStack({
    seed: 83,
    env: { PAGERDUTY_WEBHOOK_SECRETS: [STACK_SECRETS.webhookSecret, ...vectorSecrets].join(',') },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

/** Everything a request could have changed. */
async function footprint(): Promise<Record<string, number>> {
  const count = async (table: string): Promise<number> =>
    Number((await s.store.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n ?? 0);
  return {
    pagerdutyRequests: s.exchanges.length,
    slackCalls: s.slack.calls().length,
    jobs: await count('jobs'),
    processedKeys: await count('processed_keys'),
    audit: await count('audit_log'),
    timeline: await count('timeline_events'),
  };
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

async function postSlack(
  body: string,
  headers: Record<string, string>,
  contentType = 'application/x-www-form-urlencoded',
) {
  const res = await fetch(`${s.url}/slack/events`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
  return { status: res.status, text: await res.text() };
}

/** The same request with one thing changed (another user, another event id). */
function tamper(body: string): string {
  const changed = body.startsWith('{') ? body.replace('"EvFORGED1"', '"EvFORGED2"') : `${body}&user_id=U0TAMPERED`;
  if (changed === body) throw new Error('tampering changed nothing');
  return changed;
}

const signed = (body: string, timestamp = nowSeconds(), secret: string = STACK_SECRETS.signingSecret) => ({
  'x-slack-request-timestamp': String(timestamp),
  'x-slack-signature': signSlackRequest({ signingSecret: secret, timestamp, body }),
});

describe('Slack request signatures', () => {
  it('refuses forged, stale, missing, unknown-version and tampered requests without any effect', async () => {
    const alice = s.users.mapped[0] as string;
    const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Forgery target' });
    const team = s.slack.team.id;
    const command = (text: string): string =>
      new URLSearchParams({
        token: 'x',
        team_id: team,
        channel_id: s.channel,
        user_id: alice,
        command: '/incident',
        text,
        trigger_id: '1.2.3',
        response_url: `${s.slack.url}hooks/forged`,
      }).toString();
    const ackCommand = command(`ack ${incident.id}`);
    const action = new URLSearchParams({
      payload: JSON.stringify({
        type: 'block_actions',
        user: { id: alice },
        team: { id: team },
        channel: { id: s.channel },
        container: { type: 'message', channel_id: s.channel, message_ts: '1700000000.000100' },
        actions: [
          {
            action_id: ActionId.acknowledge,
            block_id: 'incident_card_actions',
            type: 'button',
            value: `${incident.id}|triggered|1|0`,
          },
        ],
      }),
    }).toString();
    const event = JSON.stringify({
      type: 'event_callback',
      team_id: team,
      event_id: 'EvFORGED1',
      event: {
        type: 'reaction_added',
        user: alice,
        reaction: 'pushpin',
        item: { type: 'message', channel: s.channel, ts: '1700000000.000100' },
      },
    });

    const before = await footprint();
    const attempts: Array<[string, () => Promise<{ status: number }>]> = [];
    for (const [name, body, type] of [
      ['slash command', ackCommand, 'application/x-www-form-urlencoded'],
      ['block action', action, 'application/x-www-form-urlencoded'],
      ['event', event, 'application/json'],
    ] as const) {
      attempts.push(
        [
          `${name}: signed with another secret`,
          () => postSlack(body, signed(body, nowSeconds(), 'not-the-signing-secret'), type),
        ],
        [`${name}: stale (5 min 10 s old)`, () => postSlack(body, signed(body, nowSeconds() - 310), type)],
        [`${name}: stale by an hour`, () => postSlack(body, signed(body, nowSeconds() - 3600), type)],
        [`${name}: no signature`, () => postSlack(body, { 'x-slack-request-timestamp': String(nowSeconds()) }, type)],
        [
          `${name}: no timestamp`,
          () => postSlack(body, { 'x-slack-signature': signed(body)['x-slack-signature'] }, type),
        ],
        [`${name}: no headers`, () => postSlack(body, {}, type)],
        [
          `${name}: unknown signature version`,
          () => {
            const h = signed(body);
            return postSlack(body, { ...h, 'x-slack-signature': h['x-slack-signature'].replace(/^v0=/, 'v1=') }, type);
          },
        ],
        [
          `${name}: old signature with a fresh timestamp`,
          () =>
            postSlack(
              body,
              { ...signed(body, nowSeconds() - 400), 'x-slack-request-timestamp': String(nowSeconds()) },
              type,
            ),
        ],
        [`${name}: body changed after signing`, () => postSlack(tamper(body), signed(body), type)],
      );
    }
    attempts.push([
      "Slack's published example (valid signature, 2018 timestamp)",
      () => {
        const v = JSON.parse(readFileSync(new URL('slack-signing/test-vectors.json', SPECS), 'utf8')) as {
          vectors: Array<{ file: string; x_slack_request_timestamp: string; x_slack_signature: string }>;
        };
        const vector = v.vectors[0];
        if (!vector) throw new Error('no vector');
        const body = readFileSync(new URL(vector.file, SPECS), 'utf8');
        return postSlack(body, {
          'x-slack-request-timestamp': vector.x_slack_request_timestamp,
          'x-slack-signature': vector.x_slack_signature,
        });
      },
    ]);
    // Bolt answers ssl_check=1 bodies without verification, and without reading any other field.
    attempts.push(['unsigned ssl_check carrying a command', () => postSlack(`ssl_check=1&${ackCommand}`, {})]);

    for (const [name, attempt] of attempts) {
      const res = await attempt();
      if (name.startsWith('unsigned ssl_check')) expect(res.status, name).toBe(200);
      else expect(res.status, name).toBe(401);
    }
    // A genuine request afterwards is served, and is the only thing that changed anything.
    const edge = command('help');
    expect((await postSlack(edge, signed(edge, nowSeconds() - 290))).status).toBe(200);
    expect(await footprint()).toEqual(before);
    expect((await pdIncident(s, incident.id)).status).toBe('triggered');
    await cmd(s, alice, `ack ${incident.id}`);
    await ephemeral(s, alice, /Acknowledged/);
    expect((await pdIncident(s, incident.id)).status).toBe('acknowledged');
  }, 120_000);
});

describe('PagerDuty webhook signatures', () => {
  const post = async (body: string | Buffer, headers: Record<string, string>) => {
    const res = await fetch(`${s.url}/pagerduty/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    return { status: res.status, body: await res.text() };
  };

  it('judges the published vectors as PagerDuty does, and acts on none of them (the events are from 2025)', async () => {
    const before = await footprint();
    for (const v of pdVectors) {
      const body = readFileSync(new URL(`pagerduty-webhooks/${v.file}`, SPECS));
      const res = await post(body, {
        'x-pagerduty-signature': v.x_pagerduty_signature,
        'x-webhook-id': `vector-${v.x_pagerduty_signature.slice(3, 15)}`,
      });
      if (v.expect === 'valid') {
        expect(res.status, `${v.file}: ${res.body}`).toBe(200);
        expect(res.body).toMatch(/ignored/);
      } else {
        expect(res.status, v.file).toBe(401);
      }
    }
    expect(await footprint()).toEqual(before);
  });

  it('refuses forged, missing, malformed and tampered signatures; a replay and an old event change nothing', async () => {
    const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Webhook forgery' });
    const capture = JSON.parse(
      readFileSync(new URL('pagerduty-webhooks/signed-captures/incident.triggered.body.json', SPECS), 'utf8'),
    ) as { event: Record<string, unknown> & { data: Record<string, unknown> } };
    const event = (id: string, occurredAt: string) =>
      JSON.stringify({
        event: {
          ...capture.event,
          id,
          occurred_at: occurredAt,
          data: {
            ...capture.event.data,
            id: incident.id,
            title: incident.title,
            service: { id: s.pd.org.services[0]?.id, type: 'service_reference' },
          },
        },
      });
    const fresh = event('FORGERY-1', new Date().toISOString());
    const good = signWebhookBody(STACK_SECRETS.webhookSecret, fresh);
    const hmac = (secret: string, body: string) => `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const before = await footprint();
    const refused: Array<[string, string | Buffer, Record<string, string>]> = [
      ['another secret', fresh, { 'x-pagerduty-signature': hmac('guessed-secret', fresh) }],
      ['no signature', fresh, {}],
      ['empty signature', fresh, { 'x-pagerduty-signature': '' }],
      ['malformed', fresh, { 'x-pagerduty-signature': 'v1=zzzz' }],
      ['unknown version only', fresh, { 'x-pagerduty-signature': good.replace('v1=', 'v2=') }],
      [
        'body changed after signing',
        fresh.replace('Webhook forgery', 'Webhook forgerx'),
        { 'x-pagerduty-signature': good },
      ],
      [
        'signature of whitespace-reformatted JSON',
        JSON.stringify(JSON.parse(fresh), null, 2),
        { 'x-pagerduty-signature': good },
      ],
      ['truncated signature', fresh, { 'x-pagerduty-signature': good.slice(0, 40) }],
    ];
    for (const [name, body, headers] of refused) {
      const res = await post(body, { 'x-webhook-id': `forged-${name}`, ...headers });
      expect(res.status, name).toBe(401);
    }
    expect(await footprint()).toEqual(before);

    // An authentic old event (captured a week ago and replayed) is acknowledged and ignored.
    const old = event('FORGERY-OLD', new Date(Date.now() - 7 * 86_400_000).toISOString());
    const oldRes = await post(old, {
      'x-pagerduty-signature': signWebhookBody(STACK_SECRETS.webhookSecret, old),
      'x-webhook-id': 'old-1',
    });
    expect(oldRes.status).toBe(200);
    expect(oldRes.body).toMatch(/stale/);
    expect(await footprint()).toEqual(before);

    // The authentic delivery is accepted once; replaying it (same X-Webhook-Id) is not acted on again.
    expect((await post(fresh, { 'x-pagerduty-signature': good, 'x-webhook-id': 'genuine-1' })).status).toBe(202);
    const after = await footprint();
    expect(after.jobs).toBe((before.jobs ?? 0) + 1);
    const replay = await post(fresh, { 'x-pagerduty-signature': good, 'x-webhook-id': 'genuine-1' });
    expect(replay.status).toBe(200);
    expect(replay.body).toMatch(/duplicate/);
    expect((await footprint()).jobs).toBe(after.jobs);
    expect(tracker.faults).toEqual([]);
  }, 120_000);
});
