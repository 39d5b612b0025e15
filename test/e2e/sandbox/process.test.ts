/**
 * `npm start` as a person runs it: the real command in a child process with no credentials and a temporary
 * DATA_DIR. It must say which mode first, serve the console, answer, stop cleanly on Ctrl-C (SIGINT) leaving no
 * process and no listening port behind, and come back on the same DATA_DIR with everything still there.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../bin/incident-bot.js', import.meta.url));
const READY_WITHIN_MS = 180_000;
/** The bound on a clean stop after SIGINT (the process itself gives up after 25 s). */
const STOP_WITHIN_MS = 30_000;

interface Run {
  child: ChildProcess;
  startedAt: number;
  lines: Array<Record<string, unknown>>;
  stderr: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function startProcess(dataDir: string): Run {
  const child = spawn(process.execPath, [BIN, 'start'], {
    // A person's environment without any Slack, PagerDuty or Anthropic credentials.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dataDir, SANDBOX_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so the test can tell whether anything it started outlives it.
    detached: true,
  });
  const run: Run = {
    child,
    startedAt: Date.now(),
    lines: [],
    stderr: '',
    exit: new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() }))),
  };
  let buffered = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') run.lines.push(JSON.parse(line));
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  return run;
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function line(run: Run, prefix: string): Record<string, unknown> | undefined {
  return run.lines.find((l) => String(l.msg).startsWith(prefix));
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(5_000) });
    return false;
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return cause?.code === 'ECONNREFUSED';
  }
}

/**
 * Whether any process of the group still exists. Helpers such as esbuild's transform service end on their own when
 * their parent exits (they watch its pipe), so the group gets a short bound to empty rather than none.
 */
async function groupGone(pid: number, withinMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (groupAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

interface ConsoleState {
  channels: Array<{ id: string; name: string }>;
  messages: Array<{ ts: string; text: string }>;
  sidePanel: { services: Array<{ id: string; name: string }>; incidents: Array<{ id: string; title: string }> };
}

async function consoleState(consoleUrl: string, channelName?: string): Promise<ConsoleState> {
  const base = (await (await fetch(`${consoleUrl}console/api/state`)).json()) as ConsoleState;
  if (!channelName) return base;
  const channel = base.channels.find((c) => c.name === channelName)?.id ?? '';
  return (await (await fetch(`${consoleUrl}console/api/state?channel=${channel}`)).json()) as ConsoleState;
}

describe('npm start with no credentials: a real process, Ctrl-C, and a restart on the same DATA_DIR', () => {
  let dataDir: string;
  const runs: Run[] = [];
  const title = 'Payments API returning 503 to the mobile app';
  let first: { consoleUrl: string; urls: string[]; cardTs: string; incidentId: string };

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'h10-process-'));
  });

  afterAll(async () => {
    // Only if a test failed half-way: end the process groups this file started, by their id.
    for (const run of runs) {
      if (run.child.pid !== undefined && groupAlive(run.child.pid)) process.kill(-run.child.pid, 'SIGKILL');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says the mode first, serves the console, then the bot; SIGINT stops it all cleanly', async () => {
    const run = startProcess(dataDir);
    runs.push(run);
    const consoleLine = await waitFor(
      'the console line',
      () => line(run, 'sandbox: console ready at'),
      READY_WITHIN_MS,
    );
    const consoleUrl = String(consoleLine.console);
    const page = await fetch(consoleUrl);
    const consoleServedMs = Date.now() - run.startedAt;
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>incident-bot sandbox · Slack</title>');
    const ready = await waitFor('the ready line', () => line(run, 'incident-bot sandbox ready'), READY_WITHIN_MS);
    const readyMs = Date.now() - run.startedAt;
    console.info(`[process test] console served after ${consoleServedMs} ms, bot ready after ${readyMs} ms`);

    // The first line names the mode, before the store or anything slow.
    expect(run.lines[0]).toMatchObject({ component: 'main', mode: 'sandbox' });
    expect(String(run.lines[0]?.msg)).toMatch(/^incident-bot starting in sandbox mode \(no Slack or PagerDuty/);
    const index = (prefix: string): number => run.lines.findIndex((l) => String(l.msg).startsWith(prefix));
    expect(index('sandbox: console ready at')).toBeLessThan(index('store: PGlite open'));
    expect(ready).toMatchObject({ mode: 'sandbox', console: consoleUrl, state: 'fresh', engine: 'claude' });
    // The person at the terminal gets a banner with the URL, then "Ready".
    expect(run.stderr).toContain(`➜  Open ${consoleUrl} in your browser`);
    expect(run.stderr).toContain(`✔  Ready at ${consoleUrl}`);

    // Something to keep: an incident triggered in PagerDuty, its card in Slack.
    const state = await consoleState(consoleUrl);
    const service = state.sidePanel.services.find((s) => s.name === 'payments-api');
    const triggered = await fetch(`${consoleUrl}console/api/pagerduty/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId: service?.id, title, urgency: 'high' }),
    });
    expect(triggered.status).toBe(200);
    const card = await waitFor(
      'the card in #payments-oncall',
      async () => (await consoleState(consoleUrl, 'payments-oncall')).messages.find((m) => m.text.includes(title)),
      60_000,
    );
    const incidentId = (await consoleState(consoleUrl)).sidePanel.incidents.find((i) => i.title === title)?.id ?? '';
    const urls = [consoleUrl, String(ready.bot), String(ready.pagerduty), String(ready.anthropic)];
    first = { consoleUrl, urls, cardTs: card.ts, incidentId };

    // Ctrl-C.
    const signalledAt = Date.now();
    process.kill(run.child.pid as number, 'SIGINT');
    const exit = await Promise.race([
      run.exit,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no exit within the bound')), STOP_WITHIN_MS).unref(),
      ),
    ]);
    console.info(`[process test] stopped ${exit.at - signalledAt} ms after SIGINT`);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(line(run, 'stopped cleanly')).toBeDefined();
    expect(run.lines.some((l) => (l.level as number) >= 50)).toBe(false);
    // Nothing left behind: no process in its group, no port still listening.
    expect(await groupGone(run.child.pid as number)).toBe(true);
    for (const url of urls) expect(await refused(url)).toBe(true);
  }, 300_000);

  it('starts again on the same DATA_DIR with the card and the incident still there, and stops on SIGTERM', async () => {
    const run = startProcess(dataDir);
    runs.push(run);
    const ready = await waitFor('the ready line', () => line(run, 'incident-bot sandbox ready'), READY_WITHIN_MS);
    expect(ready).toMatchObject({ state: 'restored' });
    expect(run.stderr).toMatch(/Restored the sandbox as it was at \d{4}-\d\d-\d\dT/);
    const consoleUrl = String(ready.console);
    const channel = await consoleState(consoleUrl, 'payments-oncall');
    expect(channel.messages.find((m) => m.ts === first.cardTs)?.text).toContain(title);
    expect(channel.sidePanel.incidents.find((i) => i.id === first.incidentId)?.title).toBe(title);

    process.kill(run.child.pid as number, 'SIGTERM');
    const exit = await Promise.race([
      run.exit,
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('no exit within the bound')), STOP_WITHIN_MS).unref(),
      ),
    ]);
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(await groupGone(run.child.pid as number)).toBe(true);
  }, 300_000);
});
