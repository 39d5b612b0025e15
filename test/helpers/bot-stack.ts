/**
 * The whole bot as production runs it — `startBot` from the composition root, configured from an environment
 * through `loadConfig` — against the three emulators on 127.0.0.1: the PagerDuty simulator (faults on demand,
 * optionally subscribed with signed v3 webhooks), the Slack workspace emulator (people matching PagerDuty's users,
 * plus one person without a PagerDuty account) and, when asked, the scripted Anthropic Messages API. Every log line
 * the bot writes is captured (for the "no secret in the logs" checks), and unhandled rejections are recorded.
 *
 * The returned stack satisfies the e2e `Harness`, so the e2e helpers (`cmd`, `ephemeral`, `card`, `waitAsync`, …)
 * work on it unchanged.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { type Config, loadConfig, secretValues } from '../../src/config/index.js';
import { type RunningBot, startBot } from '../../src/main.js';
import {
  type AnthropicEmulator,
  type AnthropicEmulatorOptions,
  startAnthropicEmulator,
} from '../../src/sandbox/anthropic/index.js';
import { startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { createLogger, type LogLevel } from '../../src/shared/logger.js';
import type { Harness } from '../e2e/slack/harness.js';

/** Secrets of every stack: distinctive, so a leak is found by plain substring search. */
export const STACK_SECRETS = {
  botToken: 'xoxb-stack-4242-bot-token-do-not-log',
  signingSecret: 'stack-signing-secret-5f3a9c1e7b',
  webhookSecret: 'stack-webhook-secret-81d2c4e6a0',
  anthropicKey: 'sk-ant-stack-key-0a1b2c3d4e5f6a7b',
} as const;

export interface BotStackOptions {
  /** PagerDuty simulator seed (default 7). */
  seed?: number;
  /** Slack's chat.postMessage limit (default off). */
  slackRateLimit?: { perChannelPerSecond: number; burst: number } | false;
  /** Restrict resolve/escalate to a user group holding only the first mapped person. */
  responderGroup?: boolean;
  /** Subscribe the bot to the simulator's signed v3 webhooks (default false). */
  webhooks?: boolean;
  /** Start the scripted Anthropic emulator and run the Claude engine against it. */
  anthropic?: Pick<AnthropicEmulatorOptions, 'mode' | 'handler' | 'responses'> & { timeoutMs?: number };
  /** Captured log level (default debug). */
  logLevel?: LogLevel;
  /** Extra environment (e.g. INCIDENT_CHANNEL_URGENCY). */
  env?: Record<string, string>;
}

export interface BotStack extends Harness {
  running: RunningBot;
  config: Readonly<Config>;
  /** The bot's base URL (`POST /slack/events`, `POST /pagerduty/webhook`, `GET /healthz`, `GET /metrics`). */
  url: string;
  anthropic: AnthropicEmulator | null;
  /** Every log line the bot wrote, as written (after redaction). */
  logs: string[];
  /** Every secret the bot was configured with (plus the simulator token). */
  secrets: string[];
  /** Every request the simulator answered: method, path, status. */
  exchanges: Array<{ method: string; path: string; status: number }>;
}

function manifestScopes(): string[] {
  const manifest = parse(readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  return manifest.oauth_config.scopes.bot;
}

/** Starts the emulators and the bot (through `startBot`), wired as the sandbox wires them. */
export async function startBotStack(options: BotStackOptions = {}): Promise<BotStack> {
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const pd = await startPagerDutySimulator({
      seed: options.seed ?? 7,
      webhookRetry: { attempts: 4, delaysMs: [250, 1000, 2000] },
    });
    started.push(pd);
    const exchanges: BotStack['exchanges'] = [];
    pd.onExchange((x) => {
      exchanges.push({ method: x.method, path: x.path, status: x.status });
    });
    const people = pd.org.users.slice(0, 12);
    const slack = await startSlackEmulator({
      bot: { token: STACK_SECRETS.botToken, signingSecret: STACK_SECRETS.signingSecret, scopes: manifestScopes() },
      users: [
        ...people.map((u) => ({ name: u.key, realName: u.name, email: u.email })),
        { name: 'visitor', realName: 'Vera Visitor', email: 'vera@elsewhere.example' },
      ],
      channels: [{ name: 'ops' }, { name: 'general' }],
      usergroups: options.responderGroup
        ? [{ id: 'S0RESPOND', handle: 'responders', name: 'Responders', users: [people[0]?.key ?? ''] }]
        : [],
      rateLimit: options.slackRateLimit ?? false,
      console: false,
    });
    started.push(slack);
    let anthropic: AnthropicEmulator | null = null;
    if (options.anthropic) {
      const { timeoutMs: _t, ...emulatorOptions } = options.anthropic;
      anthropic = await startAnthropicEmulator({ ...emulatorOptions, apiKey: STACK_SECRETS.anthropicKey });
      started.push(anthropic);
    }
    const channel = slack.channel('ops')?.id as string;
    const env: Record<string, string> = {
      SLACK_BOT_TOKEN: STACK_SECRETS.botToken,
      SLACK_SIGNING_SECRET: STACK_SECRETS.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_DEFAULT_CHANNEL: channel,
      PAGERDUTY_API_KEY: pd.token,
      PAGERDUTY_API_URL: pd.url,
      PAGERDUTY_WEBHOOK_SECRETS: STACK_SECRETS.webhookSecret,
      LOG_LEVEL: options.logLevel ?? 'debug',
      INCIDENT_CHANNEL_URGENCY: 'never',
      ...(options.responderGroup ? { SLACK_RESPONDER_GROUP: 'S0RESPOND' } : {}),
      ...(anthropic
        ? {
            ANTHROPIC_API_KEY: STACK_SECRETS.anthropicKey,
            ANTHROPIC_BASE_URL: anthropic.url,
            ANTHROPIC_TIMEOUT_MS: String(options.anthropic?.timeoutMs ?? 5000),
          }
        : {}),
      ...options.env,
    };
    const config = loadConfig(env);
    const secrets = [...secretValues(config), pd.token];
    const logs: string[] = [];
    const logger = createLogger({
      level: config.logLevel,
      secrets: secretValues(config),
      destination: {
        write(line: string) {
          logs.push(line);
        },
      },
    });
    // The e2e harness records several timelines; this stack records PagerDuty requests, the rest stay empty lists.
    const timeline = new Proxy({ pd: [] } as unknown as Harness['timeline'], {
      get(target, key) {
        const lists = target as unknown as Record<string | symbol, unknown>;
        if (typeof key === 'string' && lists[key] === undefined) lists[key] = [];
        return lists[key];
      },
    });
    const recordingFetch: typeof fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.startsWith(pd.url)) timeline.pd.push({ at: performance.now(), method: init?.method ?? 'GET', url });
      return fetch(input, init);
    };
    const running = await startBot({ config, logger, port: 0, fetch: recordingFetch, store: { memory: true } });
    started.push({ close: () => running.close({ timeoutMs: 5000 }) });
    const url = running.url as string;
    slack.setRequestUrl(`${url}/slack/events`);
    if (options.webhooks)
      pd.addWebhookSubscription({ url: `${url}/pagerduty/webhook`, secret: STACK_SECRETS.webhookSecret });

    const byEmail = new Map<string, string>();
    for (const u of slack.users()) byEmail.set(u.email, u.id);
    const mapped = people.map((u) => byEmail.get(u.email) as string);
    const unmapped = byEmail.get('vera@elsewhere.example') as string;
    let closed: Promise<void> | undefined;
    return {
      pd,
      slack,
      store: running.store,
      bot: running.slack,
      worker: running.worker,
      metrics: running.metrics,
      users: { mapped, unmapped, byEmail },
      channel,
      timeline,
      running,
      config,
      url,
      anthropic,
      logs,
      secrets,
      exchanges,
      close() {
        closed ??= (async () => {
          // The bot first (stops taking requests, finishes or releases jobs), then the emulators.
          await running.close({ timeoutMs: 5000 });
          await Promise.allSettled([slack.close(), pd.close(), anthropic?.close()]);
        })();
        return closed;
      },
    };
  } catch (error) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    throw error;
  }
}

/** Records unhandled promise rejections and uncaught exceptions while a suite runs. */
export function trackProcessFaults(): { faults: unknown[]; stop(): void } {
  const faults: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    faults.push(reason);
  };
  const onException = (error: unknown): void => {
    faults.push(error);
  };
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtExceptionMonitor', onException);
  return {
    faults,
    stop() {
      process.off('unhandledRejection', onRejection);
      process.off('uncaughtExceptionMonitor', onException);
    },
  };
}

/** Token shapes no log line may contain (besides the configured secret values themselves). */
export const TOKEN_SHAPES: readonly RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{6,}/,
  /xapp-[A-Za-z0-9-]{6,}/,
  /sk-ant-[A-Za-z0-9_-]{6,}/,
  /Token token=(?!\[redacted\])[^\s"',]+/,
  /Bearer (?!\[redacted\])[A-Za-z0-9._~+/=-]{8,}/,
  /v0=[0-9a-f]{64}/,
  /v1=[0-9a-f]{64}/,
];

/** Lines of `logs` that carry a secret value or a token shape (empty when clean). */
export function leakedLines(logs: readonly string[], secrets: readonly string[]): string[] {
  return logs.filter(
    (line) => secrets.some((s) => s.length >= 6 && line.includes(s)) || TOKEN_SHAPES.some((re) => re.test(line)),
  );
}

/** The `/healthz` answer. */
export async function healthOf(
  url: string,
): Promise<{ status: number; body: { status: string; checks: Record<string, { ok: boolean; error?: string }> } }> {
  const res = await fetch(`${url}/healthz`);
  return { status: res.status, body: (await res.json()) as never };
}

/** One value of the Prometheus text exposition (`name{labels}`), summed over series matching every given label. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const body = m[3] ?? '';
    if (Object.entries(labels).every(([k, v]) => body.includes(`${k}="${v}"`))) total += Number(m[4]);
  }
  return total;
}

/** Non-GET requests the simulator answered with 2xx (PagerDuty writes that happened). */
export function pdWrites(stack: Pick<BotStack, 'exchanges'>): Array<{ method: string; path: string; status: number }> {
  return stack.exchanges.filter((x) => x.method !== 'GET' && x.status >= 200 && x.status < 300);
}
