/**
 * End-to-end harness for the Slack bot: the real Bolt app over loopback HTTP, driven by the Slack workspace
 * emulator (signed inbound requests, real Web API), talking to the PagerDuty simulator through the real PagerDuty
 * client and catalogue tools, with the real store on in-memory PGlite, the heuristic AI engine and a job worker.
 * Slack users are seeded from the simulator's PagerDuty users (same emails), plus one person with no PagerDuty
 * account. The PagerDuty transport records when each request started, for the ack-ordering test.
 */

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { createHeuristicEngine } from '../../../src/ai/engines/heuristic/engine.js';
import { createPagerDutyClient } from '../../../src/pagerduty/client.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import { systemClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { createMetrics, type Metrics } from '../../../src/shared/metrics.js';
import { createSlackApp, type SlackApp } from '../../../src/slack/app.js';
import { createJobWorker, type JobWorker, openStore, type Store } from '../../../src/store/index.js';
import type { Actor, ToolContext } from '../../../src/tools/define-tool.js';

export const SIGNING_SECRET = 'e2e-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-e2e-0000-token';

export interface Harness {
  pd: PagerDutySimulator;
  slack: SlackEmulator;
  store: Store;
  bot: SlackApp;
  worker: JobWorker;
  metrics: Metrics;
  /** Slack user ids by PagerDuty user key/name, and the unmapped person. */
  users: { mapped: string[]; unmapped: string; byEmail: Map<string, string> };
  channel: string;
  /** Performance timestamps: each PagerDuty request start, and each ack. */
  timeline: {
    pd: Array<{ at: number; method: string; url: string }>;
    acks: Array<{ at: number; kind: string }>;
    /** When each request's listeners finished. */
    handled: Array<{ at: number; kind: string }>;
    tools: Array<{ at: number; name: string }>;
  };
  close(): Promise<void>;
}

function manifestScopes(): string[] {
  const manifest = parse(readFileSync(new URL('../../../manifest.yml', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  return manifest.oauth_config.scopes.bot;
}

export interface HarnessOptions {
  responderGroup?: boolean;
  /** Slack rate limit (default off, so tests are not slowed by it). */
  rateLimit?: { perChannelPerSecond: number; burst: number } | false;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const logger = createLogger({ level: 'silent' });
  const metrics = createMetrics();
  const timeline: Harness['timeline'] = { pd: [], acks: [], handled: [], tools: [] };
  const pd = await startPagerDutySimulator({ seed: 7 });
  const users = pd.org.users.slice(0, 12);
  const slack = await startSlackEmulator({
    bot: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET, scopes: manifestScopes() },
    users: [
      ...users.map((u) => ({ name: u.key, realName: u.name, email: u.email })),
      { name: 'visitor', realName: 'Vera Visitor', email: 'vera@elsewhere.example' },
    ],
    channels: [{ name: 'ops' }, { name: 'general' }],
    usergroups: options.responderGroup
      ? [{ id: 'S0RESPOND', handle: 'responders', name: 'Responders', users: [users[0]?.key ?? ''] }]
      : [],
    rateLimit: options.rateLimit ?? false,
  });
  const store = await openStore({ memory: true, purgeEveryMs: 0 });
  const recordingFetch: typeof fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    timeline.pd.push({ at: performance.now(), method: init?.method ?? 'GET', url });
    return fetch(input, init);
  };
  const pagerduty = createPagerDutyClient({
    token: pd.token,
    baseUrl: pd.url,
    fetch: recordingFetch,
    logger,
    maxRetries: 1,
    retryBudgetMs: 15_000,
    timeoutMs: 10_000,
  });
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
  const channel = slack.channel('ops')?.id as string;
  const bot = createSlackApp({
    slack: {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      apiUrl: slack.apiUrl,
      defaultChannel: channel,
      responderGroup: options.responderGroup ? 'S0RESPOND' : undefined,
    },
    store,
    toolContext,
    logger,
    clock: systemClock,
    metrics,
    observe: {
      onAck: (kind, at) => timeline.acks.push({ at, kind }),
      onHandled: (kind, at) => timeline.handled.push({ at, kind }),
      onToolStart: (name, at) => timeline.tools.push({ at, name }),
    },
    webApi: { timeoutMs: 5000, retries: 1 },
  });
  const { port } = await bot.start(0);
  slack.setRequestUrl(`http://127.0.0.1:${port}/slack/events`);
  const worker = createJobWorker({ jobs: store.jobs, handlers: bot.jobHandlers, pollMs: 50, logger });
  await worker.start();
  const byEmail = new Map<string, string>();
  for (const u of slack.users()) byEmail.set(u.email, u.id);
  const mapped = users.map((u) => byEmail.get(u.email) as string);
  const unmapped = byEmail.get('vera@elsewhere.example') as string;
  return {
    pd,
    slack,
    store,
    bot,
    worker,
    metrics,
    users: { mapped, unmapped, byEmail },
    channel,
    timeline,
    async close() {
      await worker.stop({ timeoutMs: 5000 });
      await bot.stop();
      await slack.close();
      await pd.close();
      await store.close();
    },
  };
}

// ---- helpers ----------------------------------------------------------------------------------------------------

/** A fresh triggered incident on the first service (as monitoring would open it). */
export function trigger(h: Harness, title = 'Checkout API returning 500s', urgency: 'high' | 'low' = 'high') {
  const service = h.pd.org.services[0];
  if (!service) throw new Error('the simulator has no services');
  return h.pd.triggerIncident({ serviceId: service.id, title, urgency });
}

/** PagerDuty's view of an incident (REST, as any client sees it). */
export async function pdIncident(h: Harness, id: string): Promise<Record<string, unknown> & { status: string }> {
  const res = await fetch(`${h.pd.url}/incidents/${id}`, {
    headers: { Authorization: `Token token=${h.pd.token}`, Accept: 'application/vnd.pagerduty+json;version=2' },
  });
  const body = (await res.json()) as { incident: Record<string, unknown> & { status: string } };
  return body.incident;
}

export async function pdNotes(
  h: Harness,
  id: string,
): Promise<Array<{ content: string; user?: { summary?: string } }>> {
  const res = await fetch(`${h.pd.url}/incidents/${id}/notes`, {
    headers: { Authorization: `Token token=${h.pd.token}`, Accept: 'application/vnd.pagerduty+json;version=2' },
  });
  return ((await res.json()) as { notes: Array<{ content: string; user?: { summary?: string } }> }).notes;
}

export async function pdLogEntries(h: Harness, id: string): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${h.pd.url}/incidents/${id}/log_entries?limit=100`, {
    headers: { Authorization: `Token token=${h.pd.token}`, Accept: 'application/vnd.pagerduty+json;version=2' },
  });
  return ((await res.json()) as { log_entries: Array<Record<string, unknown>> }).log_entries;
}

/** Sends `/incident <text>` and checks Slack accepted the answer within its deadline. */
export async function cmd(h: Harness, user: string, text: string, channelId = h.channel) {
  const r = await h.slack.sendSlashCommand({ userId: user, channelId, text });
  if (!r.ok) throw new Error(`/incident ${text} was not acknowledged: ${r.error} ${r.detail ?? ''}`);
  return r;
}

/** Waits for an ephemeral message to `user` matching `pattern` (text or blocks). */
export function ephemeral(h: Harness, user: string, pattern: RegExp, timeoutMs = 20_000) {
  return h.slack.waitFor(
    () => h.slack.ephemerals(user).find((m) => pattern.test(m.text) || pattern.test(JSON.stringify(m.blocks ?? []))),
    { timeoutMs },
  );
}

/** The incident's card as the emulator holds it (waits for it to exist). */
export async function card(h: Harness, incidentId: string, timeoutMs = 20_000) {
  const found = await waitAsync(async () => {
    const l = await h.store.incidentLinks.get(incidentId);
    if (!l?.channelId || !l.messageTs) return undefined;
    return h.slack.message(l.channelId, l.messageTs) ? l : undefined;
  }, timeoutMs);
  const message = h.slack.message(found.channelId as string, found.messageTs as string);
  if (!message) throw new Error('card vanished');
  return { link: found, message, json: JSON.stringify(message.blocks ?? []) };
}

/** Polls an async predicate (the store is async, the emulator's waitFor is not). */
export async function waitAsync<T>(fn: () => Promise<T | undefined | null | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Replies in the card's thread (text + blocks as JSON). */
export function threadOf(h: Harness, channel: string, ts: string): Array<{ text: string; json: string; ts: string }> {
  return h.slack.replies(channel, ts).map((m) => ({ text: m.text, json: JSON.stringify(m.blocks ?? []), ts: m.ts }));
}
