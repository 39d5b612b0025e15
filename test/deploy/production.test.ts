/**
 * The production build, as the container runs it: `npm run build` compiles to dist/, a directory holding only what
 * the Dockerfile copies (dist, bin, package files, manifest) gets production dependencies with
 * `npm ci --omit=dev`, and `node dist/main.js` starts the real bot against the emulators, answers /healthz and
 * stops cleanly on SIGTERM.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import { spawnBot } from '../helpers/bot-process.js';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const SIGNING_SECRET = 'production-build-signing-secret';
const BOT_TOKEN = 'xoxb-production-build-token';

describe('production build', () => {
  let app: string;
  let pagerduty: PagerDutySimulator;
  let slack: SlackEmulator;

  beforeAll(async () => {
    await run('npm', ['run', 'build', '--silent'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    app = mkdtempSync(join(tmpdir(), 'incident-bot-prod-'));
    for (const entry of ['dist', 'bin', 'package.json', 'package-lock.json', 'manifest.yml']) {
      cpSync(join(root, entry), join(app, entry), { recursive: true });
    }
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: app,
      maxBuffer: 16 * 1024 * 1024,
    });
    pagerduty = await startPagerDutySimulator();
    slack = await startSlackEmulator({ bot: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET }, console: false });
  }, 600_000);

  afterAll(async () => {
    await slack?.close();
    await pagerduty?.close();
    if (app) rmSync(app, { recursive: true, force: true });
  });

  it('installs without development dependencies', () => {
    for (const dev of ['typescript', 'vitest', 'tsx', '@biomejs/biome', 'playwright-core']) {
      expect(existsSync(join(app, 'node_modules', dev)), `${dev} must not be installed`).toBe(false);
    }
    expect(existsSync(join(app, 'node_modules', '@slack', 'bolt'))).toBe(true);
    expect(existsSync(join(app, 'dist', 'store', 'migrations', '001_init.sql'))).toBe(true);
  });

  it('runs the CLI from dist/ through the bin', async () => {
    const { stdout } = await run('node', ['bin/incident-bot.js', 'tools'], {
      cwd: app,
      env: { PATH: process.env.PATH },
    });
    expect(stdout).toContain('list_incidents');
    expect(stdout).toContain('escalate_incident');
  });

  it('starts from dist/main.js, answers /healthz and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'incident-bot-prod-data-'));
    const bot = spawnBot(['dist/main.js'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: '0',
        DATA_DIR: dataDir,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PAGERDUTY_API_KEY: pagerduty.token,
        PAGERDUTY_API_URL: pagerduty.url,
        PAGERDUTY_WEBHOOK_SECRETS: 'production-build-webhook-secret',
      },
    });
    try {
      const ready = await bot.waitForLog((l) => l.mode === 'production' && typeof l.url === 'string', 120_000);
      expect(ready.engine).toBe('heuristic');
      const health = await fetch(`${String(ready.url)}/healthz`);
      expect(health.status).toBe(200);
      const report = (await health.json()) as { status: string; checks: Record<string, { ok: boolean }> };
      expect(report.status).toBe('ok');
      expect(report.checks.store?.ok).toBe(true);
      expect(report.checks.pagerduty?.ok).toBe(true);
      const metrics = await (await fetch(`${String(ready.url)}/metrics`)).text();
      expect(metrics).toContain('incident_bot_upstream_requests_total{method="GET",route="/priorities"');
      expect(await bot.stop('SIGTERM', 30_000)).toBe(0);
    } finally {
      await bot.stop('SIGKILL', 5_000);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
