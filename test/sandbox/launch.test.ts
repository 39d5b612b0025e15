import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config/index.js';
import { planSandboxState, type Sandbox, startSandbox } from '../../src/sandbox/launch.js';
import { readSandboxState, SANDBOX_STATE_FILE, writeSandboxState } from '../../src/sandbox/state-file.js';
import { AppError, ErrorCode } from '../../src/shared/errors.js';
import { createLogger, type Logger } from '../../src/shared/logger.js';
import { ActionId } from '../../src/slack/ids.js';

const WAIT = { timeoutMs: 60_000 };

/** A real logger whose JSON lines the test reads back. */
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

function configFor(dataDir: string): Readonly<Config> {
  return loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' });
}

async function consoleApi(sandbox: Pick<Sandbox, 'consoleUrl'>, route: string, body: unknown): Promise<Response> {
  return fetch(`${sandbox.consoleUrl}console/api/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function serviceId(sandbox: Sandbox, name: string): string {
  const found = sandbox.pagerduty.org.services.find((s) => s.name === name);
  if (!found) throw new Error(`no service ${name}`);
  return found.id;
}

describe('planSandboxState: the state file and the store come back as a pair or not at all', () => {
  let dir: string;
  let saved: Awaited<ReturnType<typeof readSandboxState>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'h10-plan-'));
    // A real state file, from a real (in-memory) sandbox of emulators is too slow to make here; the file format is
    // covered by state-file.test.ts. This table only needs a usable one, so write one from real emulators.
    const { startPagerDutySimulator } = await import('../../src/sandbox/pagerduty/index.js');
    const { startSlackEmulator } = await import('../../src/sandbox/slack/index.js');
    const pagerduty = await startPagerDutySimulator({ org: 'empty' });
    const slack = await startSlackEmulator({ bot: { token: 'xoxb-plan', signingSecret: 'plan' }, console: false });
    await writeSandboxState(
      join(dir, 'good.json'),
      { pagerduty: pagerduty.snapshot(), slack: slack.snapshot() },
      new Date(Date.UTC(2026, 0, 2)),
    );
    await Promise.all([pagerduty.close(), slack.close()]);
    saved = await readSandboxState(join(dir, 'good.json'));
    writeFileSync(join(dir, 'bad.json'), 'garbage\n');
    mkdirSync(join(dir, 'store'));
    writeFileSync(join(dir, 'store', 'PG_VERSION'), '17\n');
  }, 60_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('restores when both are there', async () => {
    const plan = await planSandboxState(join(dir, 'good.json'), join(dir, 'store'));
    expect(saved.kind).toBe('ok');
    expect(plan).toMatchObject({ report: { outcome: 'restored' }, resetStore: false, discardFile: false });
    expect(plan.restore).toEqual(saved.kind === 'ok' ? saved.state : undefined);
    expect(plan.report.detail).toBe('restored the sandbox as it was at 2026-01-02T00:00:00.000Z');
  });

  it('starts fresh and resets the store when the state cannot be used or is missing', async () => {
    const unusable = await planSandboxState(join(dir, 'bad.json'), join(dir, 'store'));
    expect(unusable).toMatchObject({ restore: undefined, report: { outcome: 'reset' }, resetStore: true });
    expect(unusable.report.detail).toMatch(/^the saved sandbox state cannot be used \(the header is not JSON\)/);
    const missing = await planSandboxState(join(dir, 'none.json'), join(dir, 'store'));
    expect(missing).toMatchObject({ restore: undefined, report: { outcome: 'reset' }, resetStore: true });
    expect(missing.report.detail).toMatch(/store without saved emulator state/);
  });

  it('sets a state aside whose store is gone, and starts fresh when there is nothing', async () => {
    const orphan = await planSandboxState(join(dir, 'good.json'), join(dir, 'no-store'));
    expect(orphan).toMatchObject({ restore: undefined, report: { outcome: 'reset' }, discardFile: true });
    const nothing = await planSandboxState(join(dir, 'none.json'), join(dir, 'no-store'));
    expect(nothing).toMatchObject({ restore: undefined, report: { outcome: 'fresh' }, resetStore: false });
  });
});

describe('startSandbox before the bot starts', () => {
  it('names a console port already in use and closes what it had started', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const dataDir = mkdtempSync(join(tmpdir(), 'h10-port-'));
    try {
      const { logger } = capturingLogger();
      const error = await startSandbox({ config: configFor(dataDir), logger, consolePort: port }).catch((e) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.ConfigInvalid);
      expect((error as AppError).message).toBe(
        `port ${port} on 127.0.0.1 is already in use: stop what uses it, or set SANDBOX_PORT to another port (0 picks a free one)`,
      );
      // The DATA_DIR lock was released: another sandbox may start there now (and is stopped at once).
      const controller = new AbortController();
      const again = await startSandbox({
        config: configFor(dataDir),
        logger,
        consolePort: 0,
        signal: controller.signal,
        onConsole: () => controller.abort(),
      }).catch((e) => e);
      expect((again as AppError).code).toBe(ErrorCode.Cancelled);
      expect(existsSync(join(dataDir, SANDBOX_STATE_FILE))).toBe(false);
      expect(existsSync(join(dataDir, 'sandbox'))).toBe(false);
    } finally {
      blocker.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('startSandbox: the real bot against the emulators, kept in DATA_DIR across restarts', () => {
  let dataDir: string;
  let sandbox: Sandbox | undefined;
  const incident = { id: '', title: 'Card authorisations failing in eu-west-1', channel: '', ts: '' };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'h10-launch-'));
  });

  afterAll(async () => {
    await sandbox?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the console first, refuses changes until the bot is ready, then reaches Slack from PagerDuty', async () => {
    const { logger, lines } = capturingLogger();
    const early: { notice?: unknown; refused?: { status: number; error: string }; initialises?: boolean } = {};
    let consoleAt = 0;
    sandbox = await startSandbox({
      config: configFor(dataDir),
      logger,
      consolePort: 0,
      saveEveryMs: 100,
      onConsole: (info) => {
        consoleAt = lines.length;
        early.initialises = info.initialisesStore;
        expect(info.state.outcome).toBe('fresh');
        // Checked while the bot is still starting (fire and forget: start-up does not wait for the callback).
        void (async () => {
          const state = await fetch(`${info.consoleUrl}console/api/state`).then((r) => r.json());
          early.notice = state.notice;
          const res = await consoleApi({ consoleUrl: info.consoleUrl }, 'pagerduty/trigger', {
            serviceId: state.sidePanel.services[0].id,
            title: 'too early',
            urgency: 'high',
          });
          early.refused = { status: res.status, error: (await res.json()).error };
        })();
      },
    });
    expect(sandbox.state.outcome).toBe('fresh');
    expect(early.initialises).toBe(true);
    expect(consoleAt).toBeGreaterThan(0);
    await expect.poll(() => early.refused, { timeout: 30_000 }).toBeDefined();
    expect(early.notice).toMatchObject({ level: 'info', text: expect.stringMatching(/^incident-bot is starting/) });
    expect(early.refused).toEqual({
      status: 400,
      error: 'incident-bot is still starting: nothing was changed; try again in a few seconds',
    });
    expect(sandbox.pagerduty.listIncidents({ limit: 500 }).some((i) => i.title === 'too early')).toBe(false);
    expect(sandbox.slack.notice()).toBeUndefined();
    const ready = lines.find((l) => String(l.msg).startsWith('incident-bot sandbox ready'));
    expect(ready).toMatchObject({ mode: 'sandbox', console: sandbox.consoleUrl, bot: sandbox.bot.url, state: 'fresh' });

    // A change made in PagerDuty (the side panel) reaches Slack: a card in the service's channel.
    const res = await consoleApi(sandbox, 'pagerduty/trigger', {
      serviceId: serviceId(sandbox, 'payments-api'),
      title: incident.title,
      urgency: 'high',
    });
    expect(res.status).toBe(200);
    const channel = sandbox.slack.channel('payments-oncall')?.id as string;
    const card = await sandbox.slack.waitFor(
      () => sandbox?.slack.messages(channel).find((m) => m.text.includes(incident.title)),
      WAIT,
    );
    Object.assign(incident, {
      id: sandbox.pagerduty.listIncidents({ limit: 1 })[0]?.id as string,
      channel,
      ts: card.ts,
    });
    // The bot links the card once Slack has answered its post.
    await expect
      .poll(async () => (await sandbox?.bot.store.incidentLinks.get(incident.id))?.messageTs, { timeout: 30_000 })
      .toBe(card.ts);

    // Saved while running (a crash loses little): the state file already holds the card and the incident.
    await expect
      .poll(
        async () => {
          const saved = await readSandboxState(join(dataDir, SANDBOX_STATE_FILE));
          return saved.kind === 'ok' && saved.state.slack.content.messages.some((m) => m.ts === card.ts);
        },
        { timeout: 30_000 },
      )
      .toBe(true);

    // A second sandbox on the same DATA_DIR is refused before it touches anything.
    const second = await startSandbox({ config: configFor(dataDir), logger, consolePort: 0 }).catch((e) => e);
    expect(second).toBeInstanceOf(AppError);
    expect(String((second as Error).message)).toMatch(/in use|locked|another/i);

    await sandbox.close();
    sandbox = undefined;
    expect(existsSync(join(dataDir, 'incident-bot.lock'))).toBe(false);
  }, 240_000);

  it('starts again where it was: the card, its incident and the link between them, and they still work', async () => {
    await sandbox?.close();
    const { logger, lines } = capturingLogger();
    sandbox = await startSandbox({ config: configFor(dataDir), logger, consolePort: 0 });
    expect(sandbox.state.outcome).toBe('restored');
    expect(lines.some((l) => String(l.msg).startsWith('sandbox: restored the sandbox as it was at'))).toBe(true);
    const card = sandbox.slack.message(incident.channel, incident.ts);
    expect(card?.text).toContain(incident.title);
    expect(sandbox.pagerduty.listIncidents({ limit: 5 }).map((i) => i.id)).toContain(incident.id);
    expect((await sandbox.bot.store.incidentLinks.get(incident.id))?.messageTs).toBe(incident.ts);

    // Acknowledge on the card posted before the restart: PagerDuty changes and the same card updates in place.
    const person = sandbox.slack.users().find((u) => !u.isBot && u.email !== '') ?? sandbox.slack.users()[0];
    const clicked = await sandbox.slack.clickButton({
      userId: person?.id as string,
      channelId: incident.channel,
      messageTs: incident.ts,
      actionId: ActionId.acknowledge,
    });
    expect(clicked.ok).toBe(true);
    await sandbox.slack.waitFor(
      () => sandbox?.slack.message(incident.channel, incident.ts)?.text.includes('Acknowledged'),
      WAIT,
    );
    expect(sandbox.pagerduty.listIncidents({ limit: 5 }).find((i) => i.id === incident.id)?.status).toBe(
      'acknowledged',
    );

    // Something new after the restart gets its own card (no id or webhook id repeated from before).
    const res = await consoleApi(sandbox, 'pagerduty/trigger', {
      serviceId: serviceId(sandbox, 'payments-api'),
      title: 'Refund queue backing up',
      urgency: 'high',
    });
    expect(res.status).toBe(200);
    await sandbox.slack.waitFor(
      () => sandbox?.slack.messages(incident.channel).find((m) => m.text.includes('Refund queue backing up')),
      WAIT,
    );
    const [newest, previous] = sandbox.pagerduty.listIncidents({ limit: 2 });
    expect(newest?.id).not.toBe(incident.id);
    expect(newest?.incident_number).toBe((previous?.incident_number ?? 0) + 1);
    await sandbox.close();
    sandbox = undefined;
  }, 240_000);

  it('starts fresh and resets its store, saying so, when the saved state cannot be used', async () => {
    await sandbox?.close();
    const file = join(dataDir, SANDBOX_STATE_FILE);
    const raw = readFileSync(file, 'utf8');
    writeFileSync(file, raw.replace(/"version":\d+/, '"version":999'));
    const { logger, lines } = capturingLogger();
    sandbox = await startSandbox({ config: configFor(dataDir), logger, consolePort: 0 });
    expect(sandbox.state).toMatchObject({ outcome: 'reset' });
    expect(sandbox.state.detail).toMatch(/cannot be used \(it was saved in format version 999/);
    const warning = lines.find((l) => l.level === 40 && String(l.msg).includes('cannot be used'));
    expect(warning).toMatchObject({ component: 'sandbox', state: 'reset' });
    expect(existsSync(`${file}.discarded`)).toBe(true);
    // Neither the old incident's link nor its message survive: nothing points at what no longer exists.
    expect(await sandbox.bot.store.incidentLinks.get(incident.id)).toBeUndefined();
    expect(sandbox.slack.message(incident.channel, incident.ts)).toBeUndefined();
    expect(sandbox.slack.messages(incident.channel)).toEqual([]);
    await sandbox.close();
    sandbox = undefined;
    expect((await readSandboxState(file)).kind).toBe('ok');
  }, 240_000);
});
