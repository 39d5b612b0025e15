/**
 * Webhook benchmark, on the real bot (Bolt HTTP server with the webhook route, job worker, PGlite store, heuristic
 * engine) against the PagerDuty simulator (real signed v3 webhooks) and the Slack workspace emulator:
 * 1. webhook → card posted: an incident is triggered in PagerDuty, one at a time, and timed until its card is in
 *    the channel (PagerDuty delivery, signature, store, job, get_incident, Block Kit, chat.postMessage);
 * 2. webhook ack: signed deliveries POSTed straight to the bot, timed to the 2xx (PagerDuty allows 5 s);
 * 3. a 500-incident alert storm under Slack's real per-channel rate limit and the default storm policy (5 within
 *    2 minutes): what reaches the channel, how many Slack calls it costs, and when the summary is stable.
 */
import { createHmac } from 'node:crypto';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { PAGERDUTY_WEBHOOK_PATH } from '../src/webhooks/pagerduty/index.js';
import { startWebhookHarness, WEBHOOK_SECRET, type WebhookHarness } from '../test/e2e/webhooks/harness.js';
import type { BenchSection } from './run.js';

const LATENCY_SAMPLES = 60;
const ACK_SAMPLES = 300;
const STORM_SIZE = 500;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

const ms = (v: number): string => (Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const s = (v: number): string => (v / 1000).toFixed(1);

async function until<T>(check: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error('benchmark timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Trigger → card visible, one incident at a time (no storm, no Slack rate limit: the bot's own latency). */
async function cardLatency(): Promise<number[]> {
  const h = await startWebhookHarness({
    rateLimit: false,
    storm: { threshold: 1_000_000, windowMs: 120_000 },
    incidentChannelUrgency: 'never',
  });
  try {
    const service = h.pd.org.services[0];
    if (!service) throw new Error('no service');
    const samples: number[] = [];
    for (let i = 0; i < LATENCY_SAMPLES + 5; i++) {
      const title = `Bench incident ${i}: checkout latency above SLO`;
      let seenAt = 0;
      const off = h.slack.on('change', (change) => {
        if (change.type !== 'message' || change.channel !== h.channel || seenAt) return;
        const message = h.slack.message(change.channel, change.ts);
        if (message && !message.thread_ts && message.text.includes(title)) seenAt = performance.now();
      });
      const start = performance.now();
      h.pd.triggerIncident({ serviceId: service.id, title, urgency: 'low' });
      await until(() => seenAt > 0, 30_000);
      off();
      if (i >= 5) samples.push(seenAt - start);
      await h.settle();
    }
    return samples;
  } finally {
    await h.close();
  }
}

/** Signed deliveries POSTed to the bot, timed to the answer (stored as a job). */
async function ackLatency(): Promise<number[]> {
  const h = await startWebhookHarness({ subscribe: false, rateLimit: false });
  try {
    await h.worker.stop();
    const samples: number[] = [];
    for (let i = 0; i < ACK_SAMPLES + 20; i++) {
      const body = Buffer.from(
        JSON.stringify({
          event: {
            id: `01BENCHACK${String(i).padStart(8, '0')}`,
            event_type: 'incident.acknowledged',
            resource_type: 'incident',
            occurred_at: new Date().toISOString(),
            agent: { id: 'PUSER01', type: 'user_reference', summary: 'Bench' },
            client: null,
            data: {
              id: `QBENCH${i}`,
              type: 'incident',
              status: 'acknowledged',
              title: 'Bench',
              urgency: 'low',
              service: { id: 'PSVC001', type: 'service_reference' },
            },
          },
        }),
      );
      const signature = `v1=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
      const start = performance.now();
      const res = await fetch(`${h.botUrl}${PAGERDUTY_WEBHOOK_PATH}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pagerduty-signature': signature,
          'x-webhook-id': `bench-${i}`,
        },
        body: new Uint8Array(body),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`unexpected ${res.status}`);
      if (i >= 20) samples.push(performance.now() - start);
    }
    return samples;
  } finally {
    await h.close();
  }
}

interface StormFigures {
  delivered: number;
  topLevelPosts: number;
  cards: number;
  summaries: number;
  summaryUpdates: number;
  slackCalls: Record<string, number>;
  rateLimited: number;
  pagerdutyRequests: number;
  storedMs: number;
  firstSummaryMs: number;
  allCountedMs: number;
  settledMs: number;
  deadJobs: number;
  acks: number;
  acksWithin5s: number;
  slowestAckBucket: string;
  redelivered: number;
}

/** Reads the ack histogram from the Prometheus text: total, within 5 s, and the highest bucket reached. */
function ackFigures(exposition: string): { acks: number; within5s: number; slowest: string } {
  const bucket = (le: string): number =>
    Number(
      exposition.match(
        new RegExp(`incident_bot_pagerduty_webhook_ack_seconds_bucket\\{le="${le.replace(/[.+]/g, '\\$&')}"\\} (\\d+)`),
      )?.[1] ?? 0,
    );
  const acks = bucket('+Inf');
  const bounds = ['0.001', '0.0025', '0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5'];
  const slowest = bounds.find((le) => bucket(le) === acks);
  return { acks, within5s: bucket('5'), slowest: slowest ? `≤ ${Number(slowest) * 1000} ms` : '> 5 s' };
}

async function storm(): Promise<StormFigures> {
  const h: WebhookHarness = await startWebhookHarness({ routeAll: true });
  try {
    let pagerdutyRequests = 0;
    const offExchange = h.pd.onExchange(() => {
      pagerdutyRequests += 1;
    });
    const start = performance.now();
    h.pd.alertStorm({ count: STORM_SIZE, withinMs: 5 * 60_000 });
    // Every delivery of the storm accepted and stored as a job (the receiver's part, before any Slack work).
    const stored = until(
      () => (h.webhookMetrics.accepted.get({ event_type: 'incident.triggered' }) >= STORM_SIZE ? true : undefined),
      300_000,
    ).then(() => performance.now() - start);
    const text = (ts: string): string => {
      const m = h.slack.message(h.channel, ts);
      return `${m?.text ?? ''}${JSON.stringify(m?.blocks ?? [])}`;
    };
    const summary = await until(
      () => h.slack.messages(h.channel).find((m) => m.text.startsWith('Alert storm')),
      300_000,
    );
    const firstSummaryMs = performance.now() - start;
    await until(() => text(summary.ts).includes(`Alert storm: ${STORM_SIZE} incidents`), 600_000);
    const allCountedMs = performance.now() - start;
    const storedMs = await stored;
    await until(() => text(summary.ts).includes('Settled'), 600_000);
    const settledMs = performance.now() - start;
    await h.settle(600_000);
    offExchange();
    const calls = h.slack.calls();
    const slackCalls: Record<string, number> = {};
    for (const c of calls) slackCalls[c.method] = (slackCalls[c.method] ?? 0) + 1;
    const top = h.slack.messages(h.channel);
    const ack = ackFigures(await h.metrics.render());
    return {
      delivered: h.webhookMetrics.accepted.get({ event_type: 'incident.triggered' }),
      topLevelPosts: top.length,
      cards: top.filter((m) => !m.text.startsWith('Alert storm')).length,
      summaries: top.filter((m) => m.text.startsWith('Alert storm')).length,
      summaryUpdates: calls.filter((c) => c.method === 'chat.update' && c.args.ts === summary.ts && c.ok).length,
      slackCalls,
      rateLimited: calls.filter((c) => c.error === 'ratelimited' || c.status === 429).length,
      pagerdutyRequests,
      storedMs,
      firstSummaryMs,
      allCountedMs,
      settledMs,
      deadJobs: (await h.store.jobs.list({ state: 'dead' })).length,
      acks: ack.acks,
      acksWithin5s: ack.within5s,
      slowestAckBucket: ack.slowest,
      redelivered: h.webhookMetrics.duplicates.get(),
    };
  } finally {
    await h.close();
  }
}

export async function run(): Promise<BenchSection> {
  const load = loadavg()[0]?.toFixed(1) ?? '?';
  process.stderr.write('webhooks: card latency…\n');
  const cards = await cardLatency();
  process.stderr.write('webhooks: ack latency…\n');
  const acks = await ackLatency();
  process.stderr.write(`webhooks: ${STORM_SIZE}-incident storm…\n`);
  const st = await storm();
  const calls = Object.entries(st.slackCalls)
    .sort((a, b) => b[1] - a[1])
    .map(([method, n]) => `${method} ${n}`)
    .join(', ');
  const markdown = [
    `Load average at start: ${load}. Heuristic engine, in-memory PGlite, one job worker (concurrency 4).`,
    '',
    '| measure | samples | p50 | p90 | p99 | max |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    `| PagerDuty trigger → card in the channel (ms) | ${cards.length} | ${ms(percentile(cards, 50))} | ${ms(percentile(cards, 90))} | ${ms(percentile(cards, 99))} | ${ms(Math.max(...cards))} |`,
    `| signed webhook → 202 stored as a job (ms) | ${acks.length} | ${ms(percentile(acks, 50))} | ${ms(percentile(acks, 90))} | ${ms(percentile(acks, 99))} | ${ms(Math.max(...acks))} |`,
    '',
    `**${STORM_SIZE}-incident alert storm** (simulator cascade over related services, all routed to one channel; Slack's`,
    'per-channel limit of about 1 message/s with a burst of 5; default storm policy: 5 incidents within 2 minutes):',
    '',
    '| measure | value |',
    '| --- | ---: |',
    `| incident.triggered webhooks stored | ${st.delivered} |`,
    `| webhook requests answered within PagerDuty's 5 s | ${st.acksWithin5s} of ${st.acks} (all ${st.slowestAckBucket}) |`,
    `| redeliveries recognised as duplicates | ${st.redelivered} |`,
    `| top-level messages in the channel | ${st.topLevelPosts} (${st.cards} incident cards + ${st.summaries} storm summary) |`,
    `| summary updates in place (chat.update) | ${st.summaryUpdates} |`,
    `| Slack Web API calls, all kinds | ${Object.values(st.slackCalls).reduce((a, b) => a + b, 0)} (${calls}) |`,
    `| Slack calls answered 429 | ${st.rateLimited} |`,
    `| PagerDuty API requests by the bot | ${st.pagerdutyRequests} |`,
    `| storm start → all ${STORM_SIZE} deliveries stored as jobs (s) | ${s(st.storedMs)} |`,
    `| storm start → first summary in the channel (s) | ${s(st.firstSummaryMs)} |`,
    `| storm start → summary counts all ${STORM_SIZE} (s) | ${s(st.allCountedMs)} |`,
    `| storm start → summary settled, final (s) | ${s(st.settledMs)} (includes the 30 s quiet gap that ends a storm) |`,
    `| jobs dead-lettered | ${st.deadJobs} |`,
    '',
    'A card reaches the channel in well under a second after PagerDuty reports the incident, and PagerDuty gets its',
    '2xx in milliseconds (its limit is 5 s). During the storm the channel receives the cards of the incidents that',
    'came before the storm was recognised and one summary that is updated in place, instead of one card per incident',
    '(which at ~1 message/s would take over 8 minutes and bury the channel).',
  ].join('\n');
  return { title: 'PagerDuty webhooks', markdown };
}
