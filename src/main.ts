/**
 * Composition root: config → logger → clients → store → catalogue → fronts. The only module that wires factories
 * together (the sandbox launcher reuses `startBot` with emulator URLs). Run directly (`node dist/main.js`) it
 * reads the environment, picks the mode and serves until SIGTERM/SIGINT.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAiEngine } from './ai/create-engine.js';
import { type Config, secretValues } from './config/index.js';
import { createHealth, observabilityRoutes } from './observability/health.js';
import { instrumentFetch, recordUpstream } from './observability/instrument-fetch.js';
import { createPagerDutyClient } from './pagerduty/index.js';
import { type Clock, systemClock } from './shared/clock.js';
import { AppError, ErrorCode } from './shared/errors.js';
import { componentLogger, type Logger } from './shared/logger.js';
import { createMetrics, type Metrics } from './shared/metrics.js';
import { createSlackApp, type SlackApp } from './slack/index.js';
import { installShutdown, type PreparedRun, prepareRun, runSandboxProcess, type TextSink } from './startup.js';
import { createJobWorker, type JobWorker, openStore, registerJobMetrics, type Store } from './store/index.js';
import { getTool, tools } from './tools/catalogue.js';
import { type Actor, runTool, type ToolContext } from './tools/define-tool.js';
import {
  createPagerDutyWebhookReactions,
  createPagerDutyWebhookReceiver,
  createSlackMessages,
  loadServiceChannelsFile,
} from './webhooks/pagerduty/index.js';

export interface StartBotOptions {
  config: Readonly<Config>;
  /** Root logger; each boundary gets a child. */
  logger: Logger;
  clock?: Clock;
  metrics?: Metrics;
  /** HTTP port (default `config.http.port`; 0 = ephemeral). Ignored in Socket Mode except for custom routes. */
  port?: number;
  /** Transport for PagerDuty and Anthropic (default: @pagerduty/pdjs for PagerDuty, global fetch for Anthropic). */
  fetch?: typeof fetch;
  /** Job worker concurrency (default 8: most jobs wait on PagerDuty, Slack or Claude). */
  workerConcurrency?: number;
  /** Store options beyond the config (tests: in-memory PGlite). */
  store?: { memory?: boolean };
}

export interface RunningBot {
  /** The HTTP port (`POST /slack/events`, `POST /pagerduty/webhook`, `GET /healthz`, `GET /metrics`). */
  port: number | null;
  url: string | null;
  store: Store;
  metrics: Metrics;
  slack: SlackApp;
  worker: JobWorker;
  engine: string;
  /** Graceful shutdown: stop taking requests, finish or release claimed jobs, close the store. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Starts the bot against whatever the config points at (real Slack and PagerDuty, or the emulators). */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics();
  const root = options.logger;
  const botToken = config.slack.botToken;
  const apiKey = config.pagerduty.apiKey;
  if (!botToken || !apiKey) {
    throw new AppError(ErrorCode.ConfigInvalid, 'startBot needs SLACK_BOT_TOKEN and PAGERDUTY_API_KEY');
  }
  const baseFetch = options.fetch ?? globalThis.fetch;

  const store = await openStore({
    ...(config.store.databaseUrl ? { databaseUrl: config.store.databaseUrl } : { dataDir: config.store.dataDir }),
    ...(options.store?.memory ? { memory: true } : {}),
    logger: componentLogger(root, 'store'),
    clock,
  });
  try {
    const pagerduty = createPagerDutyClient({
      token: apiKey,
      baseUrl: config.pagerduty.apiUrl,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      onRequest: (e) =>
        recordUpstream(metrics, {
          upstream: 'pagerduty',
          method: e.method,
          route: e.endpoint,
          status: e.status,
          seconds: e.durationMs / 1000,
        }),
      logger: componentLogger(root, 'pagerduty'),
      clock,
      userAgent: 'incident-bot/0.1 (+https://github.com/incident-bot)',
    });
    const ai = createAiEngine(config, {
      tools,
      logger: componentLogger(root, 'ai'),
      metrics,
      clock,
      fetch: instrumentFetch(baseFetch, metrics, 'anthropic'),
      secrets: secretValues(config),
    });
    const toolLogger = componentLogger(root, 'slack');
    const toolContext = (actor?: Actor, signal?: AbortSignal): ToolContext => ({
      pagerduty,
      ai,
      aiCache: store.aiResults,
      logger: toolLogger,
      clock,
      ...(actor ? { actor } : {}),
      ...(signal ? { signal } : {}),
    });

    const listPriorities = getTool('list_priorities');
    if (!listPriorities) throw new AppError(ErrorCode.UnknownTool, 'the catalogue has no list_priorities tool');
    const health = createHealth(
      [
        {
          name: 'store',
          critical: true,
          cacheMs: 2000,
          run: async () => {
            await store.db.query('SELECT 1');
          },
        },
        {
          name: 'pagerduty',
          critical: false,
          cacheMs: 15_000,
          run: async (signal) => {
            await runTool(listPriorities, {}, toolContext(undefined, signal));
          },
        },
      ],
      clock,
    );

    const webhooks = createPagerDutyWebhookReceiver({
      webhookSecrets: config.pagerduty.webhookSecrets,
      store,
      metrics,
      logger: root,
      clock,
    });
    const slack = createSlackApp({
      slack: {
        botToken,
        signingSecret: config.slack.signingSecret,
        appToken: config.slack.appToken,
        apiUrl: config.slack.apiUrl,
        defaultChannel: config.slack.defaultChannel,
        responderGroup: config.slack.responderGroup,
      },
      store,
      toolContext,
      logger: root,
      clock,
      metrics,
      customRoutes: [webhooks.route, ...observabilityRoutes(health, metrics)],
    });
    const reactions = createPagerDutyWebhookReactions({
      defaultChannel: config.slack.defaultChannel,
      incidentChannelUrgency: config.automation.incidentChannelUrgency,
      serviceChannels: await loadServiceChannelsFile(config.automation.serviceChannelsFile),
      store,
      slack: slack.services.incidentSide,
      messages: createSlackMessages(slack.client),
      tools: (signal) => toolContext(undefined, signal),
      metrics,
      logger: root,
      clock,
    });
    registerJobMetrics(metrics, store.jobs);
    const worker = createJobWorker({
      jobs: store.jobs,
      handlers: { ...slack.jobHandlers, ...reactions },
      concurrency: options.workerConcurrency ?? 8,
      logger: componentLogger(root, 'jobs'),
      metrics,
      clock,
    });

    const { port } = await slack.start(options.port ?? config.http.port);
    worker.start();
    let closing: Promise<void> | undefined;
    return {
      port,
      url: port === null ? null : `http://127.0.0.1:${port}`,
      store,
      metrics,
      slack,
      worker,
      engine: ai.name,
      close(closeOptions = {}) {
        closing ??= (async () => {
          const timeoutMs = closeOptions.timeoutMs ?? 20_000;
          await slack.stop().catch((error: unknown) => root.warn({ err: error }, 'stopping the Slack app failed'));
          await worker.stop({ timeoutMs });
          await store.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Runs until SIGTERM/SIGINT. Reads the environment once and says which mode on the first log line; with no Slack and
 * no PagerDuty credentials it starts the sandbox (emulated Slack workspace, PagerDuty account and Anthropic API on
 * 127.0.0.1, console first), otherwise the production bot. Half-configured credentials throw `ConfigError`.
 */
export async function runMain(
  env: Record<string, string | undefined> = process.env,
  stderr: TextSink = process.stderr,
): Promise<void> {
  const run = prepareRun(env);
  if (run.mode.kind === 'sandbox') return runSandboxProcess(run, stderr);
  return runProduction(run);
}

/** The sandbox, whatever credentials the environment holds (`incident-bot sandbox`). */
export async function runSandbox(
  env: Record<string, string | undefined> = process.env,
  stderr: TextSink = process.stderr,
): Promise<void> {
  return runSandboxProcess(prepareRun(env, { forceSandbox: true }), stderr);
}

/** The production bot until SIGTERM/SIGINT, after `prepareRun` has logged the mode; logs "ready" with its URL. */
export async function runProduction(run: PreparedRun): Promise<void> {
  const { config, mode, logger } = run;
  if (mode.kind !== 'production') throw new AppError(ErrorCode.ConfigInvalid, 'runProduction needs production mode');
  const log = componentLogger(logger, 'main');
  const shutdown = installShutdown(log);
  let bot: RunningBot;
  try {
    bot = await startBot({ config, logger });
  } catch (error) {
    shutdown.finish(1);
    throw error;
  }
  log.info(
    {
      mode: 'production',
      transport: mode.transport,
      engine: bot.engine,
      model: mode.engine === 'claude' ? config.anthropic.model : undefined,
      store: bot.store.db.kind,
      url: bot.url,
    },
    `incident-bot ready (${mode.transport === 'socket' ? 'Socket Mode' : `HTTP on ${bot.url}: POST /slack/events, POST /pagerduty/webhook, GET /healthz`}, ${bot.engine} AI engine, ${bot.store.db.kind} store)`,
  );
  shutdown.setStop((options) => bot.close(options));
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  runMain().catch((error: unknown) => {
    process.stderr.write(`incident-bot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
