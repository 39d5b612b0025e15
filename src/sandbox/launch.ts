/**
 * The sandbox: the real bot, unchanged, against emulators of PagerDuty (seed organisation), Slack (a workspace
 * whose people match PagerDuty's users, with a browser console) and the Anthropic Messages API (auto mode), all
 * on 127.0.0.1. `npm start` with no credentials lands here.
 *
 * Start-up serves the console first (the emulators start in well under a second) and brings the bot up behind
 * it: the first start initialises the embedded database, which takes a while on a small machine.
 *
 * Persistence: under DATA_DIR the bot's store lives in `sandbox/` and the emulators' state in
 * `sandbox-state.json`, saved shortly after every change and on close, and restored on start. The two are a pair:
 * a state file that cannot be used (another version, damaged) or a store without a state file means the store's
 * incident ↔ message links would point at nothing, so the sandbox starts fresh and resets its store, saying so.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import type { RunningBot } from '../main.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import { componentLogger, type Logger } from '../shared/logger.js';
import { acquireDataDirLock, type DataDirLock } from '../store/data-dir-lock.js';
import { type AnthropicEmulator, startAnthropicEmulator } from './anthropic/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from './pagerduty/index.js';
import { type SidePanelAdapter, type SlackEmulator, startSlackEmulator } from './slack/index.js';
import { readSandboxState, SANDBOX_STATE_FILE, type SandboxState, writeSandboxState } from './state-file.js';

export interface StartSandboxOptions {
  config: Readonly<Config>;
  logger: Logger;
  clock?: Clock;
  /** Console port (default `config.http.sandboxPort`, 3000; 0 = ephemeral). */
  consolePort?: number;
  /** Everything in memory (store and emulators), nothing read from or written to DATA_DIR (tests). */
  memoryStore?: boolean;
  /** Called once the console serves, before the bot starts (the CLI prints its banner here). */
  onConsole?(info: SandboxConsoleInfo): void;
  /** Stops start-up early (Ctrl-C): what has started is closed and the promise rejects with `cancelled`. */
  signal?: AbortSignal;
  /** How soon a change to the emulators is saved to DATA_DIR (default 2 s). */
  saveEveryMs?: number;
}

/** What start-up did with the saved state. */
export interface SandboxStateReport {
  /** `restored`: as it was; `fresh`: first start; `reset`: saved state unusable, started over; `memory`: not saved. */
  outcome: 'restored' | 'fresh' | 'reset' | 'memory';
  /** One sentence for a person. */
  detail: string;
  /** The state file (absent in memory). */
  file?: string;
  /** The bot's store directory (absent in memory). */
  storeDir?: string;
}

export interface SandboxConsoleInfo {
  consoleUrl: string;
  state: SandboxStateReport;
  /** True when the bot's store does not exist yet (its first start initialises a database: slower). */
  initialisesStore: boolean;
}

export interface Sandbox {
  consoleUrl: string;
  bot: RunningBot;
  pagerduty: PagerDutySimulator;
  slack: SlackEmulator;
  anthropic: AnthropicEmulator;
  state: SandboxStateReport;
  /** Saves the emulators' state to DATA_DIR now; false in memory mode or when nothing changed since the last save. */
  saveState(): Promise<boolean>;
  /** Stops the bot (jobs finished or released), saves the emulators' state, then stops the emulators. */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Channels of the sandbox workspace: where incidents land, by PagerDuty service name. */
const SERVICE_CHANNELS: Record<string, string> = {
  'payments-api': 'payments-oncall',
  'checkout-web': 'checkout-oncall',
};
const DEFAULT_SAVE_EVERY_MS = 2_000;
/**
 * PagerDuty queues webhooks and sends them after the API call that caused them has answered, typically seconds
 * later; the simulator would otherwise send them at once, faster than any real account (and faster than a Slack
 * flow that writes to PagerDuty can record what it did).
 */
export const SANDBOX_WEBHOOK_LATENCY_MS = 2_000;
/** How long close() lets queued PagerDuty webhooks reach the bot before stopping it. */
const WEBHOOK_DRAIN_MS = 3_000;
const STORE_DIR = 'sandbox';

/** The fields of a simulator incident the console side panel shows. */
const Reference = z.object({ id: z.string(), summary: z.string().optional() });
const ConsoleIncident = z.object({
  id: z.string(),
  incident_number: z.number(),
  title: z.string(),
  status: z.string(),
  urgency: z.string(),
  created_at: z.string(),
  service: Reference,
  assignments: z.array(z.object({ assignee: Reference })),
});

function secret(): string {
  return randomBytes(16).toString('hex');
}

function cancelled(): AppError {
  return new AppError(ErrorCode.Cancelled, 'sandbox start-up was stopped before the bot was ready');
}

function sidePanel(pd: PagerDutySimulator, isReady: () => boolean): SidePanelAdapter {
  const nameOf = (email: string | undefined): string =>
    pd.org.users.find((u) => u.email === email)?.name ?? email ?? 'unknown';
  // Until the bot listens there is no webhook subscription, so a change made now would never reach Slack.
  const whenReady = (): void => {
    if (!isReady()) {
      throw new InvalidInputError('incident-bot is still starting: nothing was changed; try again in a few seconds', [
        { path: '(sandbox)', message: 'the bot is not ready yet' },
      ]);
    }
  };
  return {
    services: () => pd.org.services.map((s) => ({ id: s.id, name: s.name })),
    incidents: () =>
      pd.listIncidents({ limit: 50 }).map((raw) => {
        const i = ConsoleIncident.parse(raw);
        return {
          id: i.id,
          number: i.incident_number,
          title: i.title,
          status: i.status,
          urgency: i.urgency,
          service: i.service.summary ?? i.service.id,
          assignees: i.assignments.map((a) => a.assignee.summary ?? a.assignee.id),
          createdAt: i.created_at,
        };
      }),
    oncallNow: () =>
      pd.oncallNow().map((o) => ({ schedule: o.scheduleName ?? '', level: o.level, user: nameOf(o.user.email) })),
    triggerIncident: (input) => {
      whenReady();
      pd.triggerIncident(input);
    },
    alertStorm: (input) => {
      whenReady();
      pd.alertStorm({ count: input.count });
    },
    acknowledge: (id) => {
      whenReady();
      pd.acknowledge(id);
    },
    resolve: (id) => {
      whenReady();
      pd.resolve(id);
    },
  };
}

/** A directory this launcher may delete: absent, empty, or a PGlite data directory the store made. */
function isOwnStoreDir(dir: string): boolean {
  if (!existsSync(dir)) return true;
  const entries = readdirSync(dir);
  return entries.length === 0 || entries.includes('PG_VERSION') || entries.includes('incident-bot.lock');
}

/** What to do with the saved state and the store at start-up (see `planSandboxState`). */
export interface SandboxStatePlan {
  restore: SandboxState | undefined;
  report: SandboxStateReport;
  /** Delete the store directory before the bot opens it. */
  resetStore: boolean;
  /** Move the unusable state file aside (kept for a look, never read again). */
  discardFile: boolean;
}

/**
 * Decides, from what is on disk, whether to restore the pair (state file + store) or to start over:
 * state ✓ + store ✓ → restore; state ✓ + no store → fresh (state set aside); state unusable → fresh, store reset;
 * no state + store → fresh, store reset (its links would point at nothing); neither → fresh.
 */
export async function planSandboxState(stateFile: string, storeDir: string): Promise<SandboxStatePlan> {
  const saved = await readSandboxState(stateFile);
  const hasStore = existsSync(join(storeDir, 'PG_VERSION'));
  const where = { file: stateFile, storeDir };
  if (saved.kind === 'ok' && hasStore) {
    return {
      restore: saved.state,
      report: { outcome: 'restored', detail: `restored the sandbox as it was at ${saved.savedAt}`, ...where },
      resetStore: false,
      discardFile: false,
    };
  }
  if (saved.kind === 'ok') {
    return {
      restore: undefined,
      report: {
        outcome: 'reset',
        detail: 'the bot store was removed, so the saved emulator state was set aside and the sandbox starts fresh',
        ...where,
      },
      resetStore: false,
      discardFile: true,
    };
  }
  if (saved.kind === 'unusable') {
    return {
      restore: undefined,
      report: {
        outcome: 'reset',
        detail: `the saved sandbox state cannot be used (${saved.reason}): started fresh and reset the sandbox store`,
        ...where,
      },
      resetStore: true,
      discardFile: true,
    };
  }
  if (hasStore) {
    return {
      restore: undefined,
      report: {
        outcome: 'reset',
        detail:
          'found a sandbox store without saved emulator state (an older version, or a stop before the first save): started fresh and reset the sandbox store',
        ...where,
      },
      resetStore: true,
      discardFile: false,
    };
  }
  return {
    restore: undefined,
    report: { outcome: 'fresh', detail: 'first start: a fresh sandbox', ...where },
    resetStore: existsSync(storeDir),
    discardFile: false,
  };
}

function portInUse(error: unknown, port: number): AppError | undefined {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return undefined;
  return new AppError(
    ErrorCode.ConfigInvalid,
    `port ${port} on 127.0.0.1 is already in use: stop what uses it, or set SANDBOX_PORT to another port (0 picks a free one)`,
    { cause: error },
  );
}

/**
 * Starts the emulators and the console (restoring their saved state), then the real bot pointed at them, and
 * wires webhooks, the request URL and the service channels. Resolves once the bot answers.
 */
export async function startSandbox(options: StartSandboxOptions): Promise<Sandbox> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = componentLogger(options.logger, 'sandbox');
  const persist = options.memoryStore !== true;
  const dataDir = resolve(config.store.dataDir);
  const storeDir = join(dataDir, STORE_DIR);
  const stateFile = join(dataDir, SANDBOX_STATE_FILE);
  const botToken = `xoxb-sandbox-${secret()}`;
  const signingSecret = secret();
  const webhookSecret = secret();
  const anthropicKey = `sk-ant-sandbox-${secret()}`;
  const started: Array<{ close(): Promise<void> }> = [];
  let lock: DataDirLock | undefined;
  let ready = false;
  const checkSignal = (): void => {
    if (options.signal?.aborted) throw cancelled();
  };

  try {
    checkSignal();
    let decided: SandboxStatePlan = {
      restore: undefined,
      report: { outcome: 'memory', detail: 'in memory: nothing is saved' },
      resetStore: false,
      discardFile: false,
    };
    if (persist) {
      mkdirSync(dataDir, { recursive: true });
      // One sandbox per DATA_DIR: a second one would overwrite the state file and fight over the store.
      lock = acquireDataDirLock(dataDir);
      decided = await planSandboxState(stateFile, storeDir);
      if (decided.resetStore) {
        if (!isOwnStoreDir(storeDir)) {
          throw new AppError(
            ErrorCode.ConfigInvalid,
            `${storeDir} holds files that are not the sandbox's database; move them away or choose another DATA_DIR`,
          );
        }
        await rm(storeDir, { recursive: true, force: true });
      }
      if (decided.discardFile) await rename(stateFile, `${stateFile}.discarded`);
      const level = decided.report.outcome === 'reset' ? 'warn' : 'info';
      log[level]({ state: decided.report.outcome, file: stateFile, storeDir }, `sandbox: ${decided.report.detail}`);
    }
    const restore = decided.restore;

    const pagerduty = await startPagerDutySimulator({
      clock,
      logger: log,
      webhookLatencyMs: SANDBOX_WEBHOOK_LATENCY_MS,
      ...(restore ? { snapshot: restore.pagerduty } : {}),
    });
    started.push(pagerduty);
    const anthropic = await startAnthropicEmulator({ mode: 'auto', apiKey: anthropicKey, logger: log });
    started.push(anthropic);
    const channelNames = ['incidents', ...Object.values(SERVICE_CHANNELS), 'general'];
    const consolePort = options.consolePort ?? config.http.sandboxPort;
    let slack: SlackEmulator;
    try {
      slack = await startSlackEmulator({
        port: consolePort,
        team: { id: 'T0SANDBOX', name: 'Sandbox Inc.', domain: 'sandbox' },
        users: pagerduty.org.users.map((u) => ({
          name: u.email.split('@')[0] ?? u.key,
          realName: u.name,
          email: u.email,
          tz: u.timeZone,
        })),
        channels: channelNames.map((name) => ({ name, topic: name === 'incidents' ? 'Where new incidents land' : '' })),
        bot: { token: botToken, signingSecret, name: 'incident-bot' },
        clock,
        console: { sidePanel: sidePanel(pagerduty, () => ready) },
        logger: log,
        ...(restore ? { restore: restore.slack } : {}),
      });
    } catch (error) {
      throw portInUse(error, consolePort) ?? error;
    }
    started.push(slack);
    const incidents = slack.channel('incidents');
    if (!incidents) throw new AppError(ErrorCode.NotFound, 'the sandbox workspace has no #incidents channel');
    const initialisesStore = persist && !existsSync(join(storeDir, 'PG_VERSION'));
    slack.setNotice({
      level: 'info',
      text: `incident-bot is starting${initialisesStore ? ' (its first start creates its database: this can take half a minute)' : ''}… Commands and buttons answer once it is ready.`,
    });
    log.info(
      { console: slack.url, state: decided.report.outcome },
      `sandbox: console ready at ${slack.url}; starting the bot`,
    );
    options.onConsole?.({ consoleUrl: slack.url, state: decided.report, initialisesStore });
    checkSignal();

    const botConfig: Config = {
      ...config,
      slack: {
        ...config.slack,
        botToken,
        signingSecret,
        appToken: undefined,
        apiUrl: slack.apiUrl,
        defaultChannel: incidents.id,
        responderGroup: undefined,
      },
      pagerduty: {
        ...config.pagerduty,
        apiKey: pagerduty.token,
        apiUrl: pagerduty.url,
        fromEmail: pagerduty.org.botUserEmail,
        webhookSecrets: [webhookSecret],
      },
      anthropic: { ...config.anthropic, apiKey: anthropicKey, baseUrl: anthropic.url },
      store: { databaseUrl: undefined, dataDir: storeDir },
    };
    // Loaded here, not at the top: the console is already serving while the bot's modules load.
    const { startBot } = await import('../main.js');
    const bot = await startBot({
      config: botConfig,
      logger: options.logger,
      clock,
      port: 0,
      ...(persist ? {} : { store: { memory: true } }),
    });
    started.push({ close: () => bot.close() });
    checkSignal();
    slack.setRequestUrl(`${bot.url}/slack/events`);
    pagerduty.addWebhookSubscription({ url: `${bot.url}/pagerduty/webhook`, secret: webhookSecret });
    for (const [serviceName, channelName] of Object.entries(SERVICE_CHANNELS)) {
      const service = pagerduty.org.services.find((s) => s.name === serviceName);
      const channel = slack.channel(channelName);
      if (service && channel) {
        await bot.store.serviceChannels.subscribe({
          serviceId: service.id,
          channelId: channel.id,
          createdBy: slack.bot.userId,
        });
      }
    }

    // Saving: shortly after a change, never two writes at once, and once more on close.
    let slackChanges = 0;
    const unsubscribe = slack.on('change', (change) => {
      if (change.type === 'message' || change.type === 'channel' || change.type === 'view') slackChanges += 1;
    });
    let savedMarks = '';
    let saving: Promise<boolean> | undefined;
    const saveState = async (): Promise<boolean> => {
      if (!persist) return false;
      while (saving) await saving.catch(() => false);
      const marks = `${pagerduty.revision()}/${slackChanges}`;
      if (marks === savedMarks) return false;
      saving = (async () => {
        const bytes = await writeSandboxState(
          stateFile,
          { pagerduty: pagerduty.snapshot(), slack: slack.snapshot() },
          new Date(clock.now()),
        );
        savedMarks = marks;
        log.debug({ file: stateFile, bytes }, 'sandbox: state saved');
        return true;
      })();
      try {
        return await saving;
      } finally {
        saving = undefined;
      }
    };
    if (persist) await saveState();
    const saveTimer = persist
      ? setInterval(() => {
          saveState().catch((error: unknown) =>
            log.warn({ err: error, file: stateFile }, 'sandbox: saving state failed'),
          );
        }, options.saveEveryMs ?? DEFAULT_SAVE_EVERY_MS)
      : undefined;
    saveTimer?.unref();

    ready = true;
    slack.setNotice(undefined);
    log.info(
      {
        mode: 'sandbox',
        console: slack.url,
        bot: bot.url,
        pagerduty: pagerduty.url,
        anthropic: anthropic.url,
        engine: bot.engine,
        store: `${bot.store.db.kind} (${persist ? storeDir : 'in memory'})`,
        state: decided.report.outcome,
      },
      `incident-bot sandbox ready: open ${slack.url} (emulated Slack, PagerDuty and Claude on 127.0.0.1; ${bot.engine} engine)`,
    );

    let closing: Promise<void> | undefined;
    return {
      consoleUrl: slack.url,
      bot,
      pagerduty,
      slack,
      anthropic,
      state: decided.report,
      saveState,
      close(closeOptions = {}) {
        closing ??= (async () => {
          ready = false;
          if (saveTimer) clearInterval(saveTimer);
          slack.setNotice({ level: 'warning', text: 'incident-bot is stopping.' });
          // Let changes already made in PagerDuty reach the bot, then stop it (jobs finished or released), then
          // save what the emulators hold, so the store and the emulators are saved as a pair.
          let drainTimer: NodeJS.Timeout | undefined;
          await Promise.race([
            pagerduty.webhooksIdle(),
            new Promise<void>((done) => {
              drainTimer = setTimeout(done, WEBHOOK_DRAIN_MS);
            }),
          ]);
          clearTimeout(drainTimer);
          await bot.close(closeOptions);
          unsubscribe();
          await saveState().catch((error: unknown) =>
            log.error({ err: error, file: stateFile }, 'sandbox: saving state on close failed'),
          );
          await Promise.allSettled([slack.close(), pagerduty.close(), anthropic.close()]);
          lock?.release();
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    lock?.release();
    throw error;
  }
}
