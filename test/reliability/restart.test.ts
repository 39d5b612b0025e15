/**
 * A bot process killed (SIGKILL, no goodbye) in the middle of a job loses nothing: the real entry point
 * (`node src/main.ts`, configured by its environment) runs with a PGlite store in a data directory; an AI triage
 * job is held mid-call (the Anthropic API does not answer), the process is killed, a new process starts on the same
 * data directory, recovers the job once its lease expires, and the person's "working…" placeholder becomes the
 * triage post — once. Then SIGTERM stops it cleanly and the job's record tells the story.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AnthropicEmulator,
  createAutoResponder,
  type RecordedRequest,
  type ScriptedResponse,
  startAnthropicEmulator,
} from '../../src/sandbox/anthropic/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { openStore } from '../../src/store/index.js';
import { STACK_SECRETS } from '../helpers/bot-stack.js';
import { messageText } from './answers.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

interface BotProcess {
  child: ChildProcess;
  url: string;
  output: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let pd: PagerDutySimulator;
let slack: SlackEmulator;
let anthropic: AnthropicEmulator;
let dataDir: string;
let answer: (req: RecordedRequest) => ScriptedResponse = () => ({ kind: 'hang' });
const processes: BotProcess[] = [];

/** Starts `node src/main.ts` with the production environment and waits for its "ready" line. */
async function startBotProcess(): Promise<BotProcess> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    SLACK_BOT_TOKEN: STACK_SECRETS.botToken,
    SLACK_SIGNING_SECRET: STACK_SECRETS.signingSecret,
    SLACK_API_URL: slack.apiUrl,
    SLACK_DEFAULT_CHANNEL: slack.channel('ops')?.id as string,
    PAGERDUTY_API_KEY: pd.token,
    PAGERDUTY_API_URL: pd.url,
    PAGERDUTY_WEBHOOK_SECRETS: STACK_SECRETS.webhookSecret,
    ANTHROPIC_API_KEY: STACK_SECRETS.anthropicKey,
    ANTHROPIC_BASE_URL: anthropic.url,
    ANTHROPIC_TIMEOUT_MS: '120000',
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'info',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  let buffered = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line in 120 s:\n${output.join('')}`)), 120_000);
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        output.push(`${line}\n`);
        try {
          const entry = JSON.parse(line) as { url?: unknown; mode?: unknown };
          if (entry.mode === 'production' && typeof entry.url === 'string') {
            clearTimeout(timer);
            resolve(entry.url);
          }
        } catch {
          // not a JSON log line
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bot exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  const started = { child, url, output, exited };
  processes.push(started);
  slack.setRequestUrl(`${url}/slack/events`);
  return started;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ib-restart-'));
  pd = await startPagerDutySimulator({ seed: 71 });
  slack = await startSlackEmulator({
    bot: { token: STACK_SECRETS.botToken, signingSecret: STACK_SECRETS.signingSecret },
    users: pd.org.users.slice(0, 4).map((u) => ({ name: u.key, realName: u.name, email: u.email })),
    channels: [{ name: 'ops' }],
    rateLimit: false,
    console: false,
  });
  anthropic = await startAnthropicEmulator({ apiKey: STACK_SECRETS.anthropicKey, handler: (req) => answer(req) });
}, 120_000);

afterAll(async () => {
  for (const p of processes) {
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill('SIGKILL');
      await p.exited;
    }
  }
  await Promise.allSettled([slack?.close(), pd?.close(), anthropic?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the bot process killed mid-job', () => {
  it('finishes the job after a restart on the same data directory, once', async () => {
    const first = await startBotProcess();
    const alice = slack.user(pd.org.users[0]?.email as string)?.id as string;
    const ops = slack.channel('ops')?.id as string;
    const incident = pd.triggerIncident({ serviceId: pd.org.services[0]?.id as string, title: 'Killed mid-job' });
    const shown = await slack.sendSlashCommand({ userId: alice, channelId: ops, text: `show ${incident.id}` });
    expect(shown.ok).toBe(true);
    const cardMessage = await slack.waitFor(
      () => slack.messages(ops).find((m) => messageText(m).includes('Killed mid-job')),
      { timeoutMs: 60_000 },
    );
    const triage = await slack.sendSlashCommand({ userId: alice, channelId: ops, text: `triage ${incident.id}` });
    expect(triage.ok).toBe(true);
    const placeholder = await slack.waitFor(
      () => slack.replies(ops, cardMessage.ts).find((m) => /Working on AI triage/.test(messageText(m))),
      { timeoutMs: 60_000 },
    );
    // The job is running once Claude has been asked (and Claude does not answer): kill the process now.
    await slack.waitFor(() => anthropic.messageRequests().length > 0, { timeoutMs: 60_000 });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(/Working on AI triage/.test(messageText(slack.message(ops, placeholder.ts)))).toBe(true);

    answer = createAutoResponder();
    const killedAt = Date.now();
    const second = await startBotProcess();
    const done = await slack.waitFor(
      () => {
        const m = slack.message(ops, placeholder.ts);
        return m && !/Working on/.test(messageText(m)) ? m : undefined;
      },
      { timeoutMs: 120_000 },
    );
    const recoveredAfterMs = Date.now() - killedAt;
    expect(messageText(done)).toMatch(/AI triage/);
    expect(messageText(done)).toMatch(/Suggested by Claude/);
    const triagePosts = slack
      .replies(ops, cardMessage.ts)
      .filter((m) => /AI triage/.test(messageText(m)) && !/Working on/.test(messageText(m)));
    expect(triagePosts).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    const store = await openStore({ dataDir, purgeEveryMs: 0 });
    try {
      const jobs = (await store.jobs.list({ limit: 50 })).filter((j) => j.kind === 'slack.ai_post');
      expect(jobs).toHaveLength(1);
      expect(jobs[0]?.state).toBe('succeeded');
      expect(jobs[0]?.attempts).toBe(2);
      expect(jobs[0]?.lastError ?? '').toMatch(/lease expired/);
    } finally {
      await store.close();
    }
    console.info(`restart: the killed job finished ${recoveredAfterMs} ms after the kill (lease 30 s)`);
  }, 300_000);
});
