/**
 * What happens around the bot when the process starts and stops: read the configuration once, pick the mode and say
 * so on the first log line, take over SIGINT/SIGTERM before anything slow starts, run the sandbox (console first,
 * bot behind it) and say "ready" with the URLs, and stop cleanly within a bound.
 *
 * This module imports nothing heavy (no Slack, PagerDuty, store or AI code), so the first log line comes at once;
 * the sandbox launcher and the bot are loaded after it.
 */
import { type Config, loadConfig, type Mode, resolveMode, secretValues } from './config/index.js';
import { ErrorCode, isAppError } from './shared/errors.js';
import { componentLogger, createLogger, type Logger } from './shared/logger.js';

/** A process about to run: its configuration, the mode it implies, and its root logger. */
export interface PreparedRun {
  config: Readonly<Config>;
  mode: Mode;
  logger: Logger;
}

/** Something that can be written to (process.stderr, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * Reads the environment once, decides the mode (`sandbox` forces the sandbox), creates the root logger and logs the
 * first line: which mode, which engines, where. Throws `ConfigError` listing every problem (nothing has started).
 */
export function prepareRun(
  env: Record<string, string | undefined>,
  options: { forceSandbox?: boolean; logger?: Logger } = {},
): PreparedRun {
  const config = loadConfig(env);
  const mode: Mode = options.forceSandbox ? { kind: 'sandbox' } : resolveMode(config);
  const logger = options.logger ?? createLogger({ level: config.logLevel, secrets: secretValues(config) });
  const line = modeLine(config, mode, options.forceSandbox ? 'command' : 'environment');
  componentLogger(logger, 'main').info(line.fields, line.message);
  return { config, mode, logger };
}

/** The first log line: the mode, the engines and where things are (never a secret, nor the database URL). */
export function modeLine(
  config: Readonly<Config>,
  mode: Mode,
  why: 'environment' | 'command' = 'environment',
): { fields: Record<string, unknown>; message: string } {
  if (mode.kind === 'sandbox') {
    const reason = why === 'command' ? 'incident-bot sandbox' : 'no Slack or PagerDuty credentials are set';
    return {
      fields: {
        mode: 'sandbox',
        engine: 'claude (emulated Anthropic API)',
        consolePort: config.http.sandboxPort,
        dataDir: config.store.dataDir,
      },
      message: `incident-bot starting in sandbox mode (${reason}): emulated Slack, PagerDuty and Claude on 127.0.0.1, console on port ${config.http.sandboxPort}, state in ${config.store.dataDir}`,
    };
  }
  const store = config.store.databaseUrl ? 'postgres (DATABASE_URL)' : `pglite (${config.store.dataDir})`;
  const slack = mode.transport === 'socket' ? 'Slack over Socket Mode' : `Slack over HTTP on port ${config.http.port}`;
  const engine =
    mode.engine === 'claude'
      ? `Claude AI engine (${config.anthropic.model})`
      : 'heuristic AI engine (no ANTHROPIC_API_KEY)';
  return {
    fields: {
      mode: 'production',
      transport: mode.transport,
      engine: mode.engine,
      ...(mode.engine === 'claude' ? { model: config.anthropic.model } : {}),
      pagerduty: config.pagerduty.apiUrl,
      store,
      ...(mode.transport === 'http' ? { port: config.http.port } : {}),
    },
    message: `incident-bot starting in production mode: ${slack}, PagerDuty at ${config.pagerduty.apiUrl}, ${engine}, store ${store}`,
  };
}

export type StopFunction = (options?: { timeoutMs?: number }) => Promise<void>;

export interface Shutdown {
  /** Aborted at the first SIGINT/SIGTERM (start-up checks it between steps). */
  signal: AbortSignal;
  /** What stops the running service; if a signal came during start-up, stopping begins now. */
  setStop(stop: StopFunction): void;
  /** Start-up ended without anything to stop (stopped early, or failed): exit with this code. */
  finish(code: number): void;
}

export interface ShutdownOptions {
  /** Where the signals come from (default: the process). */
  signals?: Pick<NodeJS.Process, 'on' | 'off'>;
  /** How the process ends (default `process.exit`). */
  exit?: (code: number) => void;
  /** Bound on a graceful stop before exiting anyway (default 25 s; the stop itself is given 15 s for jobs). */
  forceAfterMs?: number;
}

/**
 * SIGTERM/SIGINT → graceful stop (no new requests, claimed jobs finished or released, state saved) then exit 0;
 * past the bound, exit 1; a second signal exits at once. A signal during start-up aborts `signal`, and stopping
 * begins as soon as start-up hands over what to stop.
 */
export function installShutdown(log: Logger, options: ShutdownOptions = {}): Shutdown {
  const signals = options.signals ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const forceAfterMs = options.forceAfterMs ?? 25_000;
  const controller = new AbortController();
  let stop: StopFunction | undefined;
  let stopping = false;
  let ended = false;

  const end = (code: number): void => {
    if (ended) return;
    ended = true;
    signals.off('SIGTERM', onSignal);
    signals.off('SIGINT', onSignal);
    // Let pending log lines reach their stream first.
    setImmediate(() => exit(code));
  };
  const runStop = (current: StopFunction): void => {
    log.info('shutting down: no new requests, finishing or releasing claimed jobs');
    const force = setTimeout(() => {
      const bound = forceAfterMs >= 1000 ? `${Math.round(forceAfterMs / 1000)} s` : `${forceAfterMs} ms`;
      log.error(`shutdown took longer than ${bound}: exiting`);
      end(1);
    }, forceAfterMs);
    force.unref();
    current({ timeoutMs: Math.min(15_000, forceAfterMs) }).then(
      () => {
        clearTimeout(force);
        log.info('stopped cleanly');
        end(0);
      },
      (error: unknown) => {
        clearTimeout(force);
        log.error({ err: error }, 'shutdown failed');
        end(1);
      },
    );
  };
  function onSignal(signal: NodeJS.Signals): void {
    if (stopping) {
      log.warn({ signal }, 'second signal: exiting now');
      ended = true;
      exit(1);
      return;
    }
    stopping = true;
    log.info({ signal }, stop ? 'stop requested' : 'stop requested during start-up: stopping what has started');
    controller.abort();
    if (stop) runStop(stop);
  }
  signals.on('SIGTERM', onSignal);
  signals.on('SIGINT', onSignal);

  return {
    signal: controller.signal,
    setStop(next) {
      stop = next;
      if (stopping) runStop(next);
    },
    finish(code) {
      end(code);
    },
  };
}

/** The human banner on stderr once the console serves (logs are JSON lines; this is for the person at the terminal). */
export function consoleBanner(info: {
  consoleUrl: string;
  dataDir: string | undefined;
  stateDetail: string;
  initialisesStore: boolean;
}): string {
  const lines = [
    '',
    '  incident-bot sandbox: a Slack workspace, a PagerDuty account and Claude, emulated on 127.0.0.1',
    '',
    `  ➜  Open ${info.consoleUrl} in your browser`,
    '',
    `     ${info.stateDetail}${info.dataDir ? ` (${info.dataDir})` : ''}`,
    `     The bot is starting${info.initialisesStore ? ' (the first start creates its database: this can take half a minute)' : ''}…`,
    `     Ctrl-C stops everything${info.dataDir ? `; the sandbox is kept in ${info.dataDir} for the next start` : ''}.`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}

/** The stderr line once the bot answers. */
export function readyBanner(consoleUrl: string): string {
  return `  ✔  Ready at ${consoleUrl}: type /incident declare in #incidents, or trigger an incident from the PagerDuty panel.\n\n`;
}

/**
 * Runs the sandbox until SIGINT/SIGTERM: console first (banner on `stderr`), then the bot, then "ready". Resolves
 * once it is ready (the servers keep the process alive); rejects when start-up fails.
 */
export async function runSandboxProcess(run: PreparedRun, stderr: TextSink = process.stderr): Promise<void> {
  const log = componentLogger(run.logger, 'main');
  const shutdown = installShutdown(log);
  try {
    const { startSandbox } = await import('./sandbox/launch.js');
    const sandbox = await startSandbox({
      config: run.config,
      logger: run.logger,
      signal: shutdown.signal,
      onConsole: (info) =>
        stderr.write(
          consoleBanner({
            consoleUrl: info.consoleUrl,
            dataDir: info.state.file === undefined ? undefined : run.config.store.dataDir,
            stateDetail: `${info.state.detail.charAt(0).toUpperCase()}${info.state.detail.slice(1)}`,
            initialisesStore: info.initialisesStore,
          }),
        ),
    });
    stderr.write(readyBanner(sandbox.consoleUrl));
    shutdown.setStop((options) => sandbox.close(options));
  } catch (error) {
    if (isAppError(error) && error.code === ErrorCode.Cancelled) {
      log.info('stopped before the sandbox was ready; everything that had started is closed');
      shutdown.finish(0);
      return;
    }
    shutdown.finish(1);
    throw error;
  }
}
