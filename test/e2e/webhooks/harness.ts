/**
 * End-to-end harness for the PagerDuty webhook automation: the real Bolt app (HTTP receiver) serving
 * `POST /pagerduty/webhook` as a custom route, the PagerDuty simulator subscribed to it (real signed v3 webhooks
 * with retries), the Slack workspace emulator, the real store on in-memory PGlite, the heuristic engine behind the
 * catalogue tools, and one job worker running both the Slack jobs and the webhook reactions. Also used by
 * `bench/webhooks.bench.ts`.
 */
import { createHeuristicEngine } from '../../../src/ai/engines/heuristic/engine.js';
import { createPagerDutyClient } from '../../../src/pagerduty/client.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { createLogger, type Logger } from '../../../src/shared/logger.js';
import { createMetrics, type Metrics } from '../../../src/shared/metrics.js';
import { createSlackApp, type SlackApp } from '../../../src/slack/app.js';
import { createJobWorker, type JobHandler, type JobWorker, openStore, type Store } from '../../../src/store/index.js';
import type { Actor, ToolContext } from '../../../src/tools/define-tool.js';
import {
  createPagerDutyWebhookReactions,
  createPagerDutyWebhookReceiver,
  createSlackMessages,
  PAGERDUTY_WEBHOOK_PATH,
  type StormPolicy,
} from '../../../src/webhooks/pagerduty/index.js';
import type { WebhookMetrics } from '../../../src/webhooks/pagerduty/webhook-metrics.js';

export const SIGNING_SECRET = 'webhook-e2e-signing-secret-0123';
export const BOT_TOKEN = 'xoxb-webhook-e2e-token';
export const WEBHOOK_SECRET = 'whsec-e2e-0123456789abcdef';

export interface WebhookHarness {
  pd: PagerDutySimulator;
  slack: SlackEmulator;
  store: Store;
  bot: SlackApp;
  worker: JobWorker;
  /** The webhook reactions by job kind (also registered on the worker). */
  reactions: Record<string, JobHandler>;
  metrics: Metrics;
  webhookMetrics: WebhookMetrics;
  /** The bot's base URL (Slack events and PagerDuty webhooks on one server). */
  botUrl: string;
  /** `#payments-oncall`, where the first seeded service is routed. */
  channel: string;
  /** Slack user ids of the seeded PagerDuty users, by email. */
  usersByEmail: Map<string, string>;
  /** Triggers an incident in PagerDuty on a seeded service (default: the first, routed to `channel`). */
  trigger(
    title: string,
    options?: { urgency?: 'high' | 'low'; service?: number },
  ): { id: string; incident_number: number };
  /** An incident as PagerDuty's REST API shows it, which is also the `data` of its webhooks. */
  incidentData(incidentId: string): Promise<Record<string, unknown>>;
  /** Adds a note in PagerDuty as `email` (as the PagerDuty app would); returns the note id. */
  addNote(incidentId: string, email: string, content: string): Promise<string>;
  /** Waits until PagerDuty delivered every webhook and the worker ran every due job. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Polls `predicate` every 50 ms until it returns a value (not undefined/null/false). */
export async function until<T>(
  predicate: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await predicate();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface WebhookHarnessOptions {
  storm?: StormPolicy;
  summary?: { debounceMs?: number; minIntervalMs?: number };
  /** Slack's per-channel posting limit (default: Slack's ~1/s with a burst of 5). */
  rateLimit?: { perChannelPerSecond: number; burst: number } | false;
  incidentChannelUrgency?: 'high' | 'low' | 'never';
  logger?: Logger;
  concurrency?: number;
  /** Route every service to `#payments-oncall` through `SLACK_DEFAULT_CHANNEL` (default: only the first service, by file). */
  routeAll?: boolean;
  /** Subscribe the bot to the simulator's webhooks (default true; false when a test sends every delivery itself). */
  subscribe?: boolean;
}

export async function startWebhookHarness(options: WebhookHarnessOptions = {}): Promise<WebhookHarness> {
  const logger = options.logger ?? createLogger({ level: 'silent' });
  const metrics = createMetrics();
  const [pd, store] = await Promise.all([
    // PagerDuty retries for 48 h; a shorter but patient policy keeps a loaded test machine from dropping deliveries.
    startPagerDutySimulator({ seed: 11, webhookRetry: { attempts: 8, delaysMs: [250, 1000, 2000, 5000, 10_000] } }),
    openStore({ memory: true, purgeEveryMs: 0 }),
  ]);
  const people = pd.org.users.slice(0, 12);
  const slack = await startSlackEmulator({
    bot: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET },
    users: people.map((u) => ({ name: u.key, realName: u.name, email: u.email })),
    channels: [{ name: 'payments-oncall' }, { name: 'general' }],
    rateLimit: options.rateLimit ?? { perChannelPerSecond: 1, burst: 5 },
  });
  const pagerduty = createPagerDutyClient({ token: pd.token, baseUrl: pd.url, logger });
  const ai = createHeuristicEngine();
  const toolContext = (actor?: Actor, signal?: AbortSignal): ToolContext => ({
    pagerduty,
    ai,
    aiCache: store.aiResults,
    logger,
    clock: systemClock,
    ...(actor ? { actor } : {}),
    ...(signal ? { signal } : {}),
  });
  const channel = slack.channel('payments-oncall')?.id as string;

  const receiver = createPagerDutyWebhookReceiver({ webhookSecrets: [WEBHOOK_SECRET], store, metrics, logger });
  const bot = createSlackApp({
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl, defaultChannel: undefined },
    store,
    toolContext,
    logger,
    clock: systemClock,
    metrics,
    customRoutes: [receiver.route],
    webApi: { timeoutMs: 5000, retries: 1 },
  });
  const reactions = createPagerDutyWebhookReactions({
    defaultChannel: options.routeAll ? channel : undefined,
    incidentChannelUrgency: options.incidentChannelUrgency ?? 'high',
    serviceChannels: new Map([[pd.org.services[0]?.id as string, channel]]),
    store,
    slack: bot.services.incidentSide,
    messages: createSlackMessages(bot.client),
    tools: (signal) => toolContext(undefined, signal),
    metrics,
    logger,
    ...(options.storm ? { storm: options.storm } : {}),
    ...(options.summary ? { summary: options.summary } : {}),
  });
  const { port } = await bot.start(0);
  const botUrl = `http://127.0.0.1:${port}`;
  slack.setRequestUrl(`${botUrl}/slack/events`);
  if (options.subscribe !== false) {
    pd.addWebhookSubscription({ url: `${botUrl}${PAGERDUTY_WEBHOOK_PATH}`, secret: WEBHOOK_SECRET });
  }
  const worker = createJobWorker({
    jobs: store.jobs,
    handlers: { ...bot.jobHandlers, ...reactions },
    pollMs: 50,
    concurrency: options.concurrency ?? 4,
    backoff: { baseMs: 200, maxMs: 2000 },
    logger,
  });
  await worker.start();
  const usersByEmail = new Map<string, string>();
  for (const u of slack.users()) usersByEmail.set(u.email, u.id);

  async function settle(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await pd.webhooksIdle();
      const stats = await store.jobs.stats();
      if (stats.counts.pending + stats.counts.running === 0) {
        await pd.webhooksIdle();
        const again = await store.jobs.stats();
        if (again.counts.pending + again.counts.running === 0) return;
      }
      if (Date.now() > deadline)
        throw new Error(`jobs still queued after ${timeoutMs} ms: ${JSON.stringify(stats.counts)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const rest = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${pd.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Token token=${pd.token}`,
        Accept: 'application/vnd.pagerduty+json;version=2',
        'Content-Type': 'application/json',
        ...(init.headers as Record<string, string> | undefined),
      },
    });

  return {
    trigger(title, o = {}) {
      const service = pd.org.services[o.service ?? 0];
      if (!service) throw new Error('the seed organisation has no such service');
      return pd.triggerIncident({ serviceId: service.id, title, urgency: o.urgency ?? 'low' });
    },
    async incidentData(incidentId) {
      const res = await rest(`/incidents/${incidentId}`);
      if (!res.ok) throw new Error(`GET /incidents/${incidentId}: ${res.status}`);
      return { ...((await res.json()) as { incident: Record<string, unknown> }).incident, type: 'incident' };
    },
    async addNote(incidentId, email, content) {
      const res = await rest(`/incidents/${incidentId}/notes`, {
        method: 'POST',
        headers: { From: email },
        body: JSON.stringify({ note: { content } }),
      });
      if (!res.ok) throw new Error(`POST /incidents/${incidentId}/notes: ${res.status}`);
      return ((await res.json()) as { note: { id: string } }).note.id;
    },
    pd,
    slack,
    store,
    bot,
    worker,
    reactions,
    metrics,
    webhookMetrics: receiver.metrics,
    botUrl,
    channel,
    usersByEmail,
    settle,
    async close() {
      await worker.stop({ timeoutMs: 5000 });
      await pd.close();
      await bot.stop();
      await slack.close();
      await store.close();
    },
  };
}
