/**
 * `GET /healthz` and `GET /metrics` of the running bot (`startBot` against the emulators). Health: PagerDuty down
 * leaves the replica in service but `degraded`, naming the check; the store gone takes it out (503). Metrics: after
 * a slash command, a webhook and an AI triage, the exposition carries what an operator pages on — acks, the job
 * queue's depth and age, PagerDuty, Slack and Claude calls with latencies and errors, AI tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAutoResponder } from '../../src/sandbox/anthropic/index.js';
import { card, cmd } from '../e2e/slack/harness.js';
import { type BotStack, healthOf, metricValue, startBotStack } from '../helpers/bot-stack.js';

let s: BotStack;

beforeAll(async () => {
  s = await startBotStack({
    seed: 83,
    webhooks: true,
    anthropic: { mode: 'scripted', handler: createAutoResponder(), timeoutMs: 5000 },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
});

/** Polls `check` until it returns a value (async checks, unlike the emulator's `waitFor`). */
async function poll<T>(check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

async function metricsText(): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${s.url}/metrics`);
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

describe('GET /metrics', () => {
  it('counts acks, jobs, PagerDuty, Slack and Claude calls with latencies, errors and tokens', async () => {
    const alice = s.users.mapped[0] as string;
    const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Metrics drill' });
    await cmd(s, alice, `show ${incident.id}`);
    await card(s, incident.id, 60_000);
    await cmd(s, alice, `triage ${incident.id}`);
    await poll(
      async () =>
        metricValue((await metricsText()).text, 'incident_bot_ai_requests_total', { engine: 'claude' }) > 0 ||
        undefined,
      60_000,
    );
    // A PagerDuty read answered 404 is counted by status.
    await cmd(s, alice, 'show PZZZZZ9');
    await poll(
      async () =>
        metricValue((await metricsText()).text, 'incident_bot_upstream_requests_total', { status: '404' }) > 0 ||
        undefined,
      30_000,
    );

    const { status, type, text } = await metricsText();
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/plain; version=0\.0\.4/);
    // Every sample line is valid Prometheus text: name{labels} value.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? -?[0-9.e+-]+$|^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? (\+Inf|NaN)$/,
      );
    }
    // Slack: acknowledgements with their latency, and the Web API calls the bot made.
    expect(metricValue(text, 'incident_bot_slack_acks_total')).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'incident_bot_slack_ack_seconds_count')).toBeGreaterThanOrEqual(3);
    expect(metricValue(text, 'incident_bot_slack_api_calls_total', { method: 'chat.postMessage' })).toBeGreaterThan(0);
    expect(metricValue(text, 'incident_bot_slack_api_request_seconds_count')).toBeGreaterThan(0);
    // PagerDuty: requests by method and route, their latency, and the 404 of the ack above.
    expect(metricValue(text, 'incident_bot_upstream_requests_total', { method: 'GET' })).toBeGreaterThan(0);
    expect(metricValue(text, 'incident_bot_upstream_request_seconds_count')).toBeGreaterThan(0);
    expect(
      metricValue(text, 'incident_bot_upstream_requests_total', { upstream: 'pagerduty', status: '404' }),
    ).toBeGreaterThan(0);
    // Claude: requests by outcome and tokens both ways.
    expect(metricValue(text, 'incident_bot_ai_requests_total', { engine: 'claude', outcome: 'ok' })).toBeGreaterThan(0);
    expect(metricValue(text, 'incident_bot_ai_tokens_total', { direction: 'input' })).toBeGreaterThan(0);
    expect(metricValue(text, 'incident_bot_ai_tokens_total', { direction: 'output' })).toBeGreaterThan(0);
    // The job queue: depth by state, ready and scheduled, age of the oldest ready job, outcomes and durations.
    expect(text).toMatch(/^incident_bot_jobs\{state="pending"\} \d+$/m);
    expect(text).toMatch(/^incident_bot_jobs_ready \d+$/m);
    expect(text).toMatch(/^incident_bot_jobs_oldest_ready_age_seconds \S+$/m);
    expect(metricValue(text, 'incident_bot_jobs_processed_total', { outcome: 'succeeded' })).toBeGreaterThan(0);
    expect(metricValue(text, 'incident_bot_job_duration_seconds_count')).toBeGreaterThan(0);
  }, 120_000);
});

describe('GET /healthz', () => {
  it('is ok, then degraded (200) while PagerDuty fails, then down (503) without the store', async () => {
    const ok = await healthOf(s.url);
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('ok');
    expect(ok.body.checks.store?.ok).toBe(true);

    // The PagerDuty check's result is reused for 15 s: wait for a fresh one while every request fails.
    s.pd.setFaults({ errorRate: 1 });
    const degraded = await poll(
      async () => {
        const h = await healthOf(s.url);
        return h.body.status === 'degraded' ? h : undefined;
      },
      40_000,
      500,
    );
    expect(degraded.status).toBe(200);
    expect(degraded.body.checks.pagerduty?.ok).toBe(false);
    expect(degraded.body.checks.pagerduty?.error).toMatch(/PagerDuty|500|server/i);
    expect(degraded.body.checks.store?.ok).toBe(true);
    s.pd.setFaults({});

    // Without its store the replica cannot keep anything it accepts: out of the load balancer.
    await s.running.store.close();
    const down = await poll(async () => {
      const h = await healthOf(s.url);
      return h.status === 503 ? h : undefined;
    }, 20_000);
    expect(down.body.status).toBe('down');
    expect(down.body.checks.store?.ok).toBe(false);
  }, 120_000);
});
