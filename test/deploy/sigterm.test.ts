/**
 * SIGTERM during a running job loses nothing. Two replicas (separate OS processes) share one Postgres database, as
 * the Kubernetes Deployment runs them; a PagerDuty webhook starts a job that is slowed down in PagerDuty, and the
 * replica running it is sent SIGTERM:
 * - a job that ends within the shutdown grace is finished by that replica before it exits (exit code 0);
 * - a job that outlasts the grace is released, and the other replica runs it.
 * Either way the incident's card is posted exactly once. Without a Postgres server (no TEST_DATABASE_URL) the same
 * is shown with one replica on PGlite that is restarted on its data directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { type BotProcess, spawnBot } from '../helpers/bot-process.js';

const root = join(import.meta.dirname, '..', '..');
const SIGNING_SECRET = 'sigterm-test-signing-secret';
const BOT_TOKEN = 'xoxb-sigterm-test-token';
const WEBHOOK_SECRET = 'sigterm-test-webhook-secret';
const serverUrl = process.env.TEST_DATABASE_URL;

interface JobRow {
  id: number;
  state: string;
  locked_by: string | null;
  attempts: number;
  last_error: string | null;
  first_started_at: Date | string | null;
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('SIGTERM during a running job', () => {
  let pagerduty: PagerDutySimulator;
  let slack: SlackEmulator;
  let channelId: string;
  let databaseUrl: string | undefined;
  let admin: pg.Client | undefined;
  let dbName: string | undefined;
  const dataDirs: string[] = [];
  const bots: BotProcess[] = [];

  /** Reads the store's job rows through SQL, on whichever backend the replicas share. */
  let jobs: () => Promise<JobRow[]>;

  function startReplica(dataDir: string): BotProcess {
    const bot = spawnBot(['bin/incident-bot.js', 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        SLACK_DEFAULT_CHANNEL: channelId,
        PAGERDUTY_API_KEY: pagerduty.token,
        PAGERDUTY_API_URL: pagerduty.url,
        PAGERDUTY_WEBHOOK_SECRETS: WEBHOOK_SECRET,
        INCIDENT_CHANNEL_URGENCY: 'never',
      },
    });
    bots.push(bot);
    return bot;
  }

  async function ready(bot: BotProcess): Promise<string> {
    const line = await bot.waitForLog((l) => l.mode === 'production' && typeof l.url === 'string', 120_000);
    return String(line.url);
  }

  function topLevelCards(title: string): number {
    return slack.messages(channelId).filter((m) => JSON.stringify(m.blocks ?? []).includes(title)).length;
  }

  async function triggeredJob(): Promise<JobRow> {
    return poll(
      'the webhook job to start',
      async () => (await jobs()).find((j) => j.state === 'running' && j.locked_by !== null),
      60_000,
    );
  }

  beforeAll(async () => {
    pagerduty = await startPagerDutySimulator({ webhookRetry: { attempts: 1, delaysMs: [100] } });
    slack = await startSlackEmulator({
      bot: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET },
      channels: [{ name: 'incidents' }],
      console: false,
      rateLimit: false,
    });
    const incidents = slack.channel('incidents');
    if (!incidents) throw new Error('no #incidents');
    channelId = incidents.id;
    if (serverUrl) {
      admin = new pg.Client({ connectionString: serverUrl });
      await admin.connect();
      dbName = `ib_sigterm_${process.pid}_${Date.now()}`;
      await admin.query(`CREATE DATABASE ${dbName}`);
      const url = new URL(serverUrl);
      url.pathname = `/${dbName}`;
      databaseUrl = url.toString();
      jobs = async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        try {
          return (
            await client.query<JobRow>(
              `SELECT id, state, locked_by, attempts, last_error, first_started_at FROM jobs WHERE kind = 'webhook.incident_triggered' ORDER BY id`,
            )
          ).rows;
        } catch {
          return [];
        } finally {
          await client.end();
        }
      };
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all(bots.map((b) => b.stop('SIGKILL', 5_000)));
    await slack?.close();
    await pagerduty?.close();
    if (admin && dbName) {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
      await admin.end();
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  function tempDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'incident-bot-sigterm-'));
    dataDirs.push(dir);
    return dir;
  }

  async function twoReplicasOnPostgres(): Promise<void> {
    {
      const replicas = [startReplica(tempDir()), startReplica(tempDir())];
      const urls = await Promise.all(replicas.map(ready));
      slack.setRequestUrl(`${urls[0]}/slack/events`);
      pagerduty.addWebhookSubscription({ url: `${urls[0]}/pagerduty/webhook`, secret: WEBHOOK_SECRET });
      const service = pagerduty.org.services[0];
      if (!service) throw new Error('no service');
      const byPid = (job: JobRow): BotProcess => {
        const pid = Number(job.locked_by?.split(':')[1]);
        const bot = replicas.find((r) => r.child.pid === pid);
        if (!bot) throw new Error(`job ${job.id} is held by ${job.locked_by}, not by a replica of this test`);
        return bot;
      };

      // 1. The job ends within the grace: the replica holding it finishes it, then exits 0.
      pagerduty.setFaults({ rules: [{ path: '/incidents/*', methods: ['GET'], latencyMs: 4_000 }] });
      const first = pagerduty.triggerIncident({ serviceId: service.id, title: 'Checkout latency above SLO' });
      const job1 = await triggeredJob();
      const holder1 = byPid(job1);
      expect(await holder1.stop('SIGTERM', 40_000)).toBe(0);
      const done1 = (await jobs()).find((j) => j.id === job1.id);
      expect(done1?.state).toBe('succeeded');
      await poll('the first card', async () => (topLevelCards(first.title) === 1 ? true : undefined), 30_000);

      // 2. The job outlasts the grace: it is released (attempt not counted) and the other replica runs it.
      const survivor = replicas.find((r) => r !== holder1);
      if (!survivor) throw new Error('no surviving replica');
      const replacement = startReplica(tempDir());
      const replacementUrl = await ready(replacement);
      replicas.push(replacement);
      slack.setRequestUrl(`${replacementUrl}/slack/events`);
      pagerduty.addWebhookSubscription({ url: `${replacementUrl}/pagerduty/webhook`, secret: WEBHOOK_SECRET });
      pagerduty.setFaults({ rules: [{ path: '/incidents/*', methods: ['GET'], latencyMs: 60_000 }] });
      const second = pagerduty.triggerIncident({ serviceId: service.id, title: 'Payments API returning 502s' });
      const job2 = await poll(
        'the second job to start',
        async () => (await jobs()).find((j) => j.id !== job1.id && j.state === 'running' && j.locked_by !== null),
        60_000,
      );
      const holder2 = byPid(job2);
      // PagerDuty stays slow past the 15 s grace (each read times out and is retried), so the job cannot finish.
      expect(await holder2.stop('SIGTERM', 40_000)).toBe(0);
      const afterStop = (await jobs()).find((j) => j.id === job2.id);
      expect(afterStop?.state === 'pending' || afterStop?.locked_by !== job2.locked_by).toBe(true);
      pagerduty.setFaults({});
      const finished = await poll(
        'the released job to be run by the other replica',
        async () => {
          const row = (await jobs()).find((j) => j.id === job2.id);
          return row?.state === 'succeeded' ? row : undefined;
        },
        90_000,
      );
      expect(finished.attempts).toBe(1);
      await poll('the second card', async () => (topLevelCards(second.title) === 1 ? true : undefined), 30_000);
      // Nothing twice: one card per incident, whatever happened to the replicas.
      expect(topLevelCards(first.title)).toBe(1);
      expect(topLevelCards(second.title)).toBe(1);
    }
  }

  async function oneReplicaOnPglite(): Promise<void> {
    {
      const dataDir = tempDir();
      const { createDb } = await import('../../src/store/index.js');
      jobs = async () => {
        const db = await createDb({ dataDir });
        try {
          return (
            await db.query<JobRow>(
              `SELECT id, state, locked_by, attempts, last_error, first_started_at FROM jobs WHERE kind = 'webhook.incident_triggered' ORDER BY id`,
            )
          ).rows;
        } finally {
          await db.close();
        }
      };
      const first = startReplica(dataDir);
      const url = await ready(first);
      pagerduty.addWebhookSubscription({ url: `${url}/pagerduty/webhook`, secret: WEBHOOK_SECRET });
      const service = pagerduty.org.services[0];
      if (!service) throw new Error('no service');
      pagerduty.setFaults({ rules: [{ path: '/incidents/*', methods: ['GET'], latencyMs: 60_000 }] });
      const incident = pagerduty.triggerIncident({ serviceId: service.id, title: 'Search index rebuild stuck' });
      await pagerduty.webhooksIdle();
      // The job is claimed at once (same-process wake-up) and then waits on the slowed-down PagerDuty read.
      await new Promise((r) => setTimeout(r, 3_000));
      // PagerDuty stays slow past the 15 s grace (each read times out and is retried), so the job cannot finish.
      expect(await first.stop('SIGTERM', 40_000)).toBe(0);
      pagerduty.setFaults({});
      const released = (await jobs())[0];
      expect(released?.state).toBe('pending');
      expect(released?.first_started_at).not.toBeNull();
      const second = startReplica(dataDir);
      await ready(second);
      await poll(
        'the card after the restart',
        async () => (topLevelCards(incident.title) === 1 ? true : undefined),
        90_000,
      );
      expect(topLevelCards(incident.title)).toBe(1);
    }
  }

  it(
    serverUrl
      ? 'two replicas on Postgres: the job is finished within the grace, or released and run by the other replica'
      : 'one replica on PGlite (no TEST_DATABASE_URL): a job released at shutdown is run after the restart',
    () => (serverUrl ? twoReplicasOnPostgres() : oneReplicaOnPglite()),
    420_000,
  );
});
