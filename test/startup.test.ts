import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveMode } from '../src/config/index.js';
import { createLogger, type Logger } from '../src/shared/logger.js';
import { consoleBanner, installShutdown, modeLine, prepareRun, readyBanner } from '../src/startup.js';

function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  });
  return { logger, lines };
}

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-123-456-abc', SLACK_SIGNING_SECRET: 'signing-secret-value' };
const PAGERDUTY = { PAGERDUTY_API_KEY: 'u+pagerdutykeyvalue' };

describe('prepareRun: the first log line says which mode, engines and where', () => {
  it('picks the sandbox without credentials and says so before anything starts', () => {
    const { logger, lines } = capturingLogger();
    const run = prepareRun({ DATA_DIR: '/tmp/x', SANDBOX_PORT: '3999' }, { logger });
    expect(run.mode).toEqual({ kind: 'sandbox' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      component: 'main',
      mode: 'sandbox',
      consolePort: 3999,
      dataDir: '/tmp/x',
      msg: 'incident-bot starting in sandbox mode (no Slack or PagerDuty credentials are set): emulated Slack, PagerDuty and Claude on 127.0.0.1, console on port 3999, state in /tmp/x',
    });
  });

  it('runs the sandbox on request even with credentials, and says why', () => {
    const { logger, lines } = capturingLogger();
    const run = prepareRun({ ...SLACK, ...PAGERDUTY }, { logger, forceSandbox: true });
    expect(run.mode.kind).toBe('sandbox');
    expect(String(lines[0]?.msg)).toMatch(/^incident-bot starting in sandbox mode \(incident-bot sandbox\)/);
  });

  it('picks production over HTTP with the heuristic engine, never logging a secret or the database URL', () => {
    const { logger, lines } = capturingLogger();
    const env = { ...SLACK, ...PAGERDUTY, DATABASE_URL: 'postgres://bot:hunter2@db:5432/bot', PORT: '8080' };
    const run = prepareRun(env, { logger });
    expect(run.mode).toEqual({ kind: 'production', transport: 'http', engine: 'heuristic' });
    expect(lines[0]).toMatchObject({
      mode: 'production',
      transport: 'http',
      engine: 'heuristic',
      port: 8080,
      store: 'postgres (DATABASE_URL)',
      pagerduty: 'https://api.pagerduty.com',
      msg: 'incident-bot starting in production mode: Slack over HTTP on port 8080, PagerDuty at https://api.pagerduty.com, heuristic AI engine (no ANTHROPIC_API_KEY), store postgres (DATABASE_URL)',
    });
    const text = JSON.stringify(lines);
    for (const secret of ['hunter2', 'xoxb-123-456-abc', 'signing-secret-value', 'u+pagerdutykeyvalue']) {
      expect(text).not.toContain(secret);
    }
  });

  it('names Socket Mode and the Claude model when those are configured', () => {
    const config = loadConfig({
      ...PAGERDUTY,
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1-abc',
      ANTHROPIC_API_KEY: 'sk-ant-xyz',
      ANTHROPIC_MODEL: 'claude-test-1',
    });
    const line = modeLine(config, resolveMode(config));
    expect(line.fields).toEqual({
      mode: 'production',
      transport: 'socket',
      engine: 'claude',
      model: 'claude-test-1',
      pagerduty: 'https://api.pagerduty.com',
      store: 'pglite (./data)',
    });
    expect(line.message).toBe(
      'incident-bot starting in production mode: Slack over Socket Mode, PagerDuty at https://api.pagerduty.com, Claude AI engine (claude-test-1), store pglite (./data)',
    );
  });

  it('refuses half-configured credentials, listing every missing variable and logging nothing', () => {
    const { logger, lines } = capturingLogger();
    try {
      prepareRun({ SLACK_BOT_TOKEN: 'xoxb-1' }, { logger });
      expect.unreachable('half a configuration must not start');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.map((p) => p.variable)).toEqual([
        'SLACK_SIGNING_SECRET',
        'PAGERDUTY_API_KEY',
      ]);
    }
    expect(lines).toEqual([]);
  });
});

/** A stand-in for `process` as a signal source, and a recorder for the exit code. */
function harness(options: { forceAfterMs?: number } = {}) {
  const signals = new EventEmitter();
  const exits: number[] = [];
  const { logger, lines } = capturingLogger();
  const shutdown = installShutdown(logger, {
    signals: signals as unknown as Pick<NodeJS.Process, 'on' | 'off'>,
    exit: (code) => exits.push(code),
    ...options,
  });
  const messages = (): string[] => lines.map((l) => String(l.msg));
  return { signals, exits, shutdown, messages };
}

describe('installShutdown: Ctrl-C and SIGTERM from the first moment', () => {
  it('stops gracefully on SIGINT, then exits 0 and stops listening', async () => {
    const { signals, exits, shutdown, messages } = harness();
    const calls: Array<{ timeoutMs?: number } | undefined> = [];
    shutdown.setStop(async (options) => {
      calls.push(options);
    });
    signals.emit('SIGINT', 'SIGINT');
    await expect.poll(() => exits).toEqual([0]);
    expect(calls).toEqual([{ timeoutMs: 15_000 }]);
    expect(shutdown.signal.aborted).toBe(true);
    expect(messages()).toEqual([
      'stop requested',
      'shutting down: no new requests, finishing or releasing claimed jobs',
      'stopped cleanly',
    ]);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('a signal during start-up aborts it, and stopping begins once start-up hands over', async () => {
    const { signals, exits, shutdown, messages } = harness();
    signals.emit('SIGTERM', 'SIGTERM');
    expect(shutdown.signal.aborted).toBe(true);
    expect(exits).toEqual([]);
    let stopped = false;
    shutdown.setStop(async () => {
      stopped = true;
    });
    await expect.poll(() => exits).toEqual([0]);
    expect(stopped).toBe(true);
    expect(messages()[0]).toBe('stop requested during start-up: stopping what has started');
  });

  it('a second signal exits at once with 1', () => {
    const { signals, exits, shutdown } = harness();
    shutdown.setStop(() => new Promise<void>(() => undefined));
    signals.emit('SIGINT', 'SIGINT');
    signals.emit('SIGINT', 'SIGINT');
    expect(exits).toEqual([1]);
  });

  it('exits 1 when the stop fails or outlasts its bound', async () => {
    const failing = harness();
    failing.shutdown.setStop(async () => {
      throw new Error('store would not close');
    });
    failing.signals.emit('SIGTERM', 'SIGTERM');
    await expect.poll(() => failing.exits).toEqual([1]);
    expect(failing.messages()).toContain('shutdown failed');

    const slow = harness({ forceAfterMs: 50 });
    slow.shutdown.setStop(() => new Promise<void>(() => undefined));
    slow.signals.emit('SIGTERM', 'SIGTERM');
    await expect.poll(() => slow.exits).toEqual([1]);
    expect(slow.messages()).toContain('shutdown took longer than 50 ms: exiting');
  });

  it('finish() ends a start-up that had nothing to stop', async () => {
    const { signals, exits, shutdown } = harness();
    shutdown.finish(0);
    await expect.poll(() => exits).toEqual([0]);
    shutdown.finish(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exits).toEqual([0]);
    expect(signals.listenerCount('SIGINT')).toBe(0);
  });
});

describe('the banners for the person at the terminal', () => {
  it('says where the console is, what happened to the saved state, and how to stop', () => {
    const text = consoleBanner({
      consoleUrl: 'http://127.0.0.1:3000/',
      dataDir: './data',
      stateDetail: 'First start: a fresh sandbox',
      initialisesStore: true,
    });
    expect(text).toContain('➜  Open http://127.0.0.1:3000/ in your browser');
    expect(text).toContain('First start: a fresh sandbox (./data)');
    expect(text).toContain('the first start creates its database');
    expect(text).toContain('Ctrl-C stops everything; the sandbox is kept in ./data for the next start.');
    expect(readyBanner('http://127.0.0.1:3000/')).toMatch(
      /^ {2}✔ {2}Ready at http:\/\/127\.0\.0\.1:3000\/: type \/incident declare/,
    );
    const inMemory = consoleBanner({
      consoleUrl: 'http://127.0.0.1:1/',
      dataDir: undefined,
      stateDetail: 'In memory',
      initialisesStore: false,
    });
    expect(inMemory).not.toContain('kept in');
    expect(inMemory).not.toContain('creates its database');
  });
});
