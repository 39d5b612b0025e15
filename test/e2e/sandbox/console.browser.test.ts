/**
 * The sandbox as a newcomer sees it: the REAL sandbox (real bot, PagerDuty simulator, Slack emulator, Anthropic
 * emulator) driven through its browser console by Debian's chromium. Declare through the modal, work the card
 * (Acknowledge, Escalate, Resolve), read the postmortem in the thread; trigger from the PagerDuty side panel and
 * watch the card arrive and follow PagerDuty. Saves the screenshots the README shows.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { type Sandbox, startSandbox } from '../../../src/sandbox/launch.js';
import type { Clock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = 'docs/screenshots';
/** Generous: a loaded 2-core machine runs the bot, three emulators and a browser here. */
const WAIT = { timeout: 60_000 };

/**
 * Real time, shifted to a fixed morning: jobs and timers run as usual while the times on screen (and so the
 * screenshots) stay the same from run to run.
 */
function morningClock(): Clock {
  const base = Date.UTC(2026, 2, 10, 9, 41, 0);
  const started = Date.now();
  return { now: () => base + (Date.now() - started) };
}

function cardIn(page: Page, title: string): Locator {
  return page.locator('[data-testid^="message-"]').filter({ hasText: title }).first();
}

describe('the sandbox in a browser: what a newcomer sees', () => {
  let sandbox: Sandbox;
  let browser: Browser;
  let page: Page;
  let dataDir: string;
  const errors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package with "apt-get install -y chromium" (.ci/run does this); never "npx playwright install".`,
      );
    }
    dataDir = mkdtempSync(join(tmpdir(), 'h10-browser-'));
    sandbox = await startSandbox({
      config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'warn' }),
      logger: createLogger({ level: 'warn' }),
      clock: morningClock(),
      consolePort: 0,
      memoryStore: true,
    });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 940 } });
    page.setDefaultTimeout(WAIT.timeout);
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await sandbox?.close();
    // In memory: nothing was written to DATA_DIR.
    if (dataDir) {
      expect(readdirSync(dataDir)).toEqual([]);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('declare through the modal, then Acknowledge, Escalate and Resolve on the card, and read the postmortem', async () => {
    const me = sandbox.slack.users().find((u) => !u.isBot && u.email !== '');
    if (!me) throw new Error('the sandbox workspace has no people');
    await page.goto(sandbox.consoleUrl);
    await page.getByTestId('workspace-name').filter({ hasText: 'Sandbox Inc.' }).waitFor();
    await page.getByTestId('user-picker').selectOption({ label: `${me.realName} (@${me.name})` });
    await page.getByTestId('channel-link-incidents').click();
    await page.getByTestId('channel-name').filter({ hasText: '# incidents' }).waitFor();
    expect(await page.getByTestId('status-banner').isHidden()).toBe(true);

    await page.getByTestId('composer-input').fill('/incident declare');
    await page.getByTestId('composer-input').press('Enter');
    await page.getByTestId('modal-title').filter({ hasText: 'Declare incident' }).waitFor();
    const title = 'Checkout returns 502 for EU customers';
    await page.getByTestId('input-title-title').fill(title);
    await page.getByTestId('input-service-service').selectOption({ label: 'checkout-web' });
    await page
      .getByTestId('input-description-description')
      .fill('Since 09:30 UTC about 30% of EU checkouts fail with 502 at the edge.');
    await page.getByTestId('modal-submit').click();
    await page.getByTestId('modal').waitFor({ state: 'detached' });

    // The card, in the channel where it was declared.
    const card = cardIn(page, title);
    await card.filter({ hasText: 'Triggered' }).waitFor();
    const header = (await card.locator('.block-header').first().textContent()) ?? '';
    const number = Number(/#(\d+)/.exec(header)?.[1]);
    expect(header).toBe(`🔴 #${number} ${title}`);
    const incident = sandbox.pagerduty.listIncidents({ limit: 5 }).find((i) => i.incident_number === number);
    expect(incident).toMatchObject({ title, status: 'triggered' });
    const id = incident?.id as string;

    await card.getByTestId('action-incident_acknowledge').click();
    await card.filter({ hasText: 'Acknowledged' }).waitFor();
    await card.filter({ hasText: `Acknowledged by @${me.name}` }).waitFor();
    expect(await card.getByTestId('action-incident_acknowledge').count()).toBe(0);
    expect(sandbox.pagerduty.listIncidents({ limit: 5 }).find((i) => i.id === id)?.status).toBe('acknowledged');

    // Escalate to the policy's top level, through the confirm dialog Slack shows.
    const escalate = card.getByTestId('select-incident_escalate');
    const levels = (await escalate.locator('option').allTextContents()).filter((o) => /^Level \d+$/.test(o));
    const target = levels.at(-1) as string;
    expect(target).toMatch(/^Level [2-9]$/);
    await escalate.selectOption({ label: target });
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-yes').click();
    await card.filter({ hasText: `${target} ·` }).waitFor();
    const log = await fetch(`${sandbox.pagerduty.url}/incidents/${id}/log_entries`, {
      headers: { Authorization: `Token token=${sandbox.pagerduty.token}` },
    }).then((r) => r.json() as Promise<{ log_entries: Array<{ type: string }> }>);
    expect(log.log_entries.map((e) => e.type)).toContain('escalate_log_entry');

    // Resolve through its modal, with a note.
    await card.getByTestId('action-incident_resolve').click();
    await page
      .getByTestId('modal-title')
      .filter({ hasText: `Resolve #${number}` })
      .waitFor();
    await page.getByTestId('input-resolution-resolution').fill('Rolled back the edge config (change 4411).');
    await page.getByTestId('modal-submit').click();
    await page.getByTestId('modal').waitFor({ state: 'detached' });
    await card.filter({ hasText: '✅ Resolved' }).waitFor();
    expect(await card.getByTestId('select-incident_escalate').count()).toBe(0);
    expect(await card.getByTestId('action-incident_resolve').count()).toBe(0);
    expect(sandbox.pagerduty.listIncidents({ limit: 5 }).find((i) => i.id === id)?.status).toBe('resolved');
    await page.screenshot({ path: `${SHOTS}/sandbox-card.png` });

    // The postmortem draft arrives in the card's thread.
    await card.locator('[data-testid^="open-thread-"]').click();
    const thread = page.getByTestId('thread-pane');
    const draft = thread.locator('[data-testid^="message-"]').filter({ hasText: 'Postmortem draft: #' });
    await draft.waitFor();
    expect(await draft.textContent()).toContain(title);
    expect(await draft.getByTestId('action-postmortem_regenerate').count()).toBe(1);
    // One card per incident: the webhook PagerDuty sent about the declared incident updated it, posted no other.
    const cards = sandbox.slack
      .channels()
      .flatMap((c) => sandbox.slack.messages(c.id))
      .filter((m) => m.text.includes(`#${number} `) && m.text.includes(title) && m.bot_id !== undefined);
    expect(cards.filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts)).toHaveLength(1);
    // The draft's first lines at the top of the thread pane, under its header.
    await draft.evaluate((el) => {
      const pane = el.closest('[data-testid="thread-pane"]') as HTMLElement;
      const header = pane.querySelector('.thread-header') as HTMLElement;
      pane.scrollTop += el.getBoundingClientRect().top - pane.getBoundingClientRect().top - header.offsetHeight;
    });
    await page.screenshot({ path: `${SHOTS}/sandbox-postmortem.png` });
    expect(errors).toEqual([]);
  }, 300_000);

  it('triggering in PagerDuty (the side panel) reaches Slack: the card arrives, then follows PagerDuty', async () => {
    if (await page.getByTestId('thread-close').isVisible()) await page.getByTestId('thread-close').click();
    await page.getByTestId('channel-link-payments-oncall').click();
    await page.getByTestId('channel-name').filter({ hasText: '# payments-oncall' }).waitFor();
    const title = 'Card authorisations failing for Visa in eu-west-1';
    await page.getByTestId('pd-service').selectOption({ label: 'payments-api' });
    await page.getByTestId('pd-title').fill(title);
    await page.getByTestId('pd-trigger').click();

    const card = cardIn(page, title);
    await card.filter({ hasText: 'Triggered' }).waitFor();
    const incident = sandbox.pagerduty.listIncidents({ limit: 1 })[0];
    expect(incident?.title).toBe(title);
    // The AI triage follows in the card's thread.
    await card.locator('[data-testid^="open-thread-"]').waitFor();
    await card.locator('[data-testid^="open-thread-"]').click();
    await page.getByTestId('thread-pane').filter({ hasText: 'AI triage' }).waitFor();

    // Acknowledged in PagerDuty, outside Slack: the card follows.
    await page.getByTestId(`pd-ack-${incident?.id}`).click();
    await card.filter({ hasText: 'Acknowledged' }).waitFor();
    await page.screenshot({ path: `${SHOTS}/sandbox.png` });
    expect(errors).toEqual([]);
  }, 300_000);
});
