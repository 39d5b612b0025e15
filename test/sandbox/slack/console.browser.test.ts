import { existsSync, mkdirSync } from 'node:fs';
import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import type { SidePanelAdapter, SlackEmulator } from '../../../src/sandbox/slack/types.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { SIGNING_SECRET, startBoltApp, type TestBoltApp, TOKEN, USERS } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = 'docs/screenshots/console.png';
const WAIT = { timeout: 20_000 };
const plain = (text: string) => ({ type: 'plain_text' as const, text });

/** The side panel's adapter, as the sandbox launcher would wire it to the PagerDuty simulator. */
function fakePagerDuty(): SidePanelAdapter & { incidentsList: ReturnType<SidePanelAdapter['incidents']> } {
  const incidentsList: ReturnType<SidePanelAdapter['incidents']> = [];
  let number = 100;
  return {
    incidentsList,
    services: () => [
      { id: 'PSVC001', name: 'Checkout API' },
      { id: 'PSVC002', name: 'Payments' },
    ],
    incidents: () => [...incidentsList],
    oncallNow: () => [{ schedule: 'Checkout primary', level: 1, user: 'Alice Ops' }],
    triggerIncident({ serviceId, title, urgency }) {
      number += 1;
      incidentsList.unshift({
        id: `PINC${number}`,
        number,
        title,
        status: 'triggered',
        urgency,
        service: serviceId === 'PSVC001' ? 'Checkout API' : 'Payments',
        assignees: ['Alice Ops'],
        createdAt: new Date(Date.UTC(2026, 0, 1)).toISOString(),
      });
    },
    alertStorm({ count }) {
      for (let i = 0; i < count; i++)
        this.triggerIncident({ serviceId: 'PSVC002', title: `Storm alert ${i + 1}`, urgency: 'high' });
    },
    acknowledge(id) {
      const incident = incidentsList.find((i) => i.id === id);
      if (incident) incident.status = 'acknowledged';
    },
    resolve(id) {
      const incident = incidentsList.find((i) => i.id === id);
      if (incident) incident.status = 'resolved';
    },
  };
}

function card(title: string, status: string, by?: string) {
  return [
    { type: 'header', block_id: 'title', text: plain(`🔥 ${title}`) },
    {
      type: 'section',
      block_id: 'summary',
      text: {
        type: 'mrkdwn',
        text: `*Status:* ${status}${by ? ` by <@${by}>` : ''}\nAlert body: &lt;script&gt;alert(1)&lt;/script&gt; · <https://pd.test/incidents/PX|Open in PagerDuty> · <javascript:alert(2)|sneaky>`,
      },
      accessory: {
        type: 'overflow',
        action_id: 'incident_more',
        options: [
          { text: plain('Add note'), value: 'note' },
          { text: plain('Snooze 1h'), value: 'snooze' },
        ],
      },
    },
    {
      type: 'section',
      block_id: 'fields',
      fields: [
        { type: 'mrkdwn', text: '*Urgency*\nhigh' },
        { type: 'mrkdwn', text: '*Service*\nCheckout API' },
      ],
    },
    { type: 'context', block_id: 'ctx', elements: [{ type: 'mrkdwn', text: 'Opened by the _sandbox_ · ~old~ `P1`' }] },
    { type: 'divider' },
    status === 'resolved'
      ? { type: 'context', block_id: 'done', elements: [{ type: 'mrkdwn', text: ':white_check_mark: Resolved' }] }
      : {
          type: 'actions',
          block_id: 'buttons',
          elements: [
            { type: 'button', action_id: 'incident_ack', text: plain('Acknowledge'), style: 'primary', value: 'PX' },
            {
              type: 'button',
              action_id: 'incident_resolve',
              text: plain('Resolve'),
              style: 'danger',
              value: 'PX',
              confirm: {
                title: plain('Resolve the incident?'),
                text: plain('PagerDuty will mark it resolved.'),
                confirm: plain('Resolve'),
                deny: plain('Cancel'),
                style: 'danger',
              },
            },
          ],
        },
  ];
}

const declareView = {
  type: 'modal' as const,
  callback_id: 'declare',
  title: plain('Declare incident'),
  submit: plain('Declare'),
  close: plain('Cancel'),
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: plain('What is broken?'),
      element: { type: 'plain_text_input', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'urgency',
      label: plain('Urgency'),
      element: {
        type: 'static_select',
        action_id: 'value',
        options: [
          { text: plain('High'), value: 'high' },
          { text: plain('Low'), value: 'low' },
        ],
      },
    },
  ],
};

describe('browser console (playwright-core + Debian chromium)', () => {
  let emu: SlackEmulator;
  let bot: TestBoltApp;
  let browser: Browser;
  let page: Page;
  let incidents: string;
  const pagerduty = fakePagerDuty();
  const titles = new Map<string, string>();

  function register(app: App): void {
    app.command('/incident', async ({ command, ack, client }) => {
      if (command.text.trim() === 'declare') {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: { ...declareView, private_metadata: command.channel_id },
        });
        return;
      }
      await ack({ text: 'Try `/incident declare`' });
    });
    app.view('declare', async ({ ack, view, body, client }) => {
      const title = view.state.values.title?.value?.value ?? '';
      if (title.split(' ').length < 2) {
        await ack({ response_action: 'errors', errors: { title: 'Say what is broken in a few words' } });
        return;
      }
      await ack();
      const posted = await client.chat.postMessage({
        channel: view.private_metadata,
        text: title,
        blocks: card(title, 'triggered'),
      });
      titles.set(posted.ts ?? '', title);
      void body;
    });
    app.action<BlockAction<ButtonAction>>('incident_ack', async ({ ack, body, client }) => {
      await ack();
      const c = body.container as { channel_id: string; message_ts: string };
      const title = titles.get(c.message_ts) ?? '';
      await client.chat.update({
        channel: c.channel_id,
        ts: c.message_ts,
        text: title,
        blocks: card(title, 'acknowledged', body.user.id),
      });
    });
    app.action<BlockAction<ButtonAction>>('incident_resolve', async ({ ack, body, client }) => {
      await ack();
      const c = body.container as { channel_id: string; message_ts: string };
      const title = titles.get(c.message_ts) ?? '';
      await client.chat.update({
        channel: c.channel_id,
        ts: c.message_ts,
        text: title,
        blocks: card(title, 'resolved', body.user.id),
      });
    });
    app.action('incident_more', async ({ ack, body, client }) => {
      await ack();
      const b = body as BlockAction;
      await client.chat.postEphemeral({
        channel: b.channel?.id ?? '',
        user: b.user.id,
        text: 'Notes are added from the incident channel. _Only you can see this._',
      });
    });
    app.event('app_mention', async ({ event, client }) => {
      await client.chat.postMessage({
        channel: event.channel,
        thread_ts: event.ts,
        text: `You asked: ${event.text.replace(/<@[A-Z0-9]+>\s*/, '')}`,
      });
    });
    app.event('reaction_added', async ({ event, client }) => {
      if (event.reaction !== 'pushpin' || event.item.type !== 'message') return;
      await client.chat.postMessage({
        channel: event.item.channel,
        thread_ts: event.item.ts,
        text: ':pushpin: Added to the incident timeline as a PagerDuty note.',
      });
    });
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is missing at ${CHROMIUM}: install Debian's package with "apt-get install -y chromium" (.ci/run does this); never "npx playwright install".`,
      );
    }
    emu = await startSlackEmulator({
      team: { id: 'T0SANDBOX1', name: 'Acme SRE', domain: 'acme-sre' },
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET, name: 'incident-bot' },
      users: USERS,
      channels: [{ name: 'incidents', topic: 'PagerDuty incidents land here · /incident help' }, { name: 'ops-chat' }],
      console: { sidePanel: pagerduty },
      // A fixed clock makes ids, timestamps and so the screenshot reproducible (no rate limit: the clock never refills it).
      clock: createManualClock(Date.UTC(2026, 0, 15, 9, 41, 0)),
      rateLimit: false,
    });
    bot = await startBoltApp(emu.apiUrl, register);
    emu.setRequestUrl(bot.requestUrl);
    incidents = emu.channel('incidents')?.id ?? '';
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    page.setDefaultTimeout(WAIT.timeout);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await bot?.stop();
    await emu?.close();
  });

  it('runs the whole flow: command, modal with an error, card, buttons, confirm, live updates, 📌, side panel', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await page.goto(emu.url);
    await page.getByTestId('workspace-name').filter({ hasText: 'Acme SRE' }).waitFor();
    await page.getByTestId('user-picker').selectOption({ label: 'Alice Ops (@alice)' });
    await page.getByTestId('channel-link-incidents').click();
    await page.getByTestId('channel-name').filter({ hasText: '# incidents' }).waitFor();
    expect(await page.getByTestId('channel-topic').textContent()).toContain('PagerDuty incidents land here');

    // A slash command from the composer opens the bot's modal.
    await page.getByTestId('composer-input').fill('/incident declare');
    await page.getByTestId('composer-input').press('Enter');
    const modal = page.getByTestId('modal');
    await modal.waitFor();
    expect(await page.getByTestId('modal-title').textContent()).toBe('Declare incident');

    // Empty required field: Slack's client-side error, nothing sent to the bot.
    const submissionsBefore = emu.inbound('view_submission').length;
    await page.getByTestId('modal-submit').click();
    await page.getByTestId('input-error-title').filter({ hasText: 'Please complete this required field.' }).waitFor();
    expect(emu.inbound('view_submission')).toHaveLength(submissionsBefore);

    // The bot's own validation error comes back as response_action errors.
    await page.getByTestId('input-title-value').fill('Broken');
    await page.getByTestId('input-urgency-value').selectOption('high');
    await page.getByTestId('modal-submit').click();
    await page.getByTestId('input-error-title').filter({ hasText: 'Say what is broken in a few words' }).waitFor();

    await page.getByTestId('input-title-value').fill('Checkout is down');
    await page.getByTestId('modal-submit').click();
    await modal.waitFor({ state: 'detached' });

    // The card renders live, from Block Kit.
    const cardMessage = page.locator('[data-testid^="message-"]').filter({ hasText: '🔥 Checkout is down' });
    await cardMessage.waitFor();
    const ts = (await cardMessage.getAttribute('data-ts')) ?? '';
    expect(ts).toMatch(/^\d{10}\.\d{6}$/);
    await expect.poll(() => cardMessage.locator('b').first().textContent(), WAIT).toBe('Status:');
    // Escaped text stays text; unsafe links are not links; safe links open outside.
    expect(await cardMessage.textContent()).toContain('Alert body: <script>alert(1)</script>');
    expect(await page.locator('script').count()).toBe(1);
    expect(await cardMessage.getByRole('link', { name: 'Open in PagerDuty' }).getAttribute('href')).toBe(
      'https://pd.test/incidents/PX',
    );
    expect(await cardMessage.getByRole('link', { name: 'sneaky' }).count()).toBe(0);
    expect(await cardMessage.locator('s').textContent()).toBe('old');
    expect(await cardMessage.locator('code').textContent()).toBe('P1');
    expect(await cardMessage.locator('.section-fields .field').count()).toBe(2);

    // Button → block_actions → chat.update, shown live.
    await cardMessage.getByTestId('action-incident_ack').click();
    await cardMessage.filter({ hasText: 'Status: acknowledged by @alice' }).waitFor();
    expect(emu.inbound('block_actions').at(-1)).toMatchObject({
      ok: true,
      payload: { actions: [{ action_id: 'incident_ack' }] },
    });

    // A confirm dialog guards Resolve: Cancel sends nothing, Resolve sends the action.
    const actionsBefore = emu.inbound('block_actions').length;
    await cardMessage.getByTestId('action-incident_resolve').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.getByTestId('confirm-no').click();
    expect(emu.inbound('block_actions')).toHaveLength(actionsBefore);
    await cardMessage.getByTestId('action-incident_resolve').click();
    await page.getByTestId('confirm-yes').click();
    await cardMessage.filter({ hasText: 'Resolved' }).waitFor();
    expect(await cardMessage.getByTestId('action-incident_ack').count()).toBe(0);

    // Overflow menu → the bot answers with an ephemeral message only Alice sees.
    await cardMessage.getByTestId('overflow-incident_more').click();
    await cardMessage.getByTestId('option-note').click();
    const ephemeral = page
      .locator('[data-testid^="ephemeral-"]')
      .filter({ hasText: 'Notes are added from the incident channel.' });
    await ephemeral.waitFor();
    expect(await ephemeral.getByTestId('ephemeral-label').textContent()).toContain('Only visible to you');

    // 📌 from the hover toolbar → reaction_added → the bot answers in the thread, live.
    await cardMessage.hover();
    await page.getByTestId(`react-pushpin-${ts}`).click();
    await page.getByTestId(`reaction-${ts}-pushpin`).filter({ hasText: '1' }).waitFor();
    await page.getByTestId(`open-thread-${ts}`).filter({ hasText: '1 reply' }).waitFor();
    await page.getByTestId(`open-thread-${ts}`).click();
    await page
      .getByTestId('thread-pane')
      .filter({ hasText: 'Added to the incident timeline as a PagerDuty note.' })
      .waitFor();

    // A reply from the thread composer reaches the bot as a message event in the thread.
    await page.getByTestId('thread-composer-input').fill('Rolling back deploy 1234');
    await page.getByTestId('thread-composer-send').click();
    await page.getByTestId('thread-pane').filter({ hasText: 'Rolling back deploy 1234' }).waitFor();
    expect(emu.replies(incidents, ts).map((m) => m.text)).toContain('Rolling back deploy 1234');

    // Live update of something the bot posts on its own (no reload).
    await bot.app.client.chat.postMessage({
      channel: incidents,
      text: `:rotating_light: *Live:* triage ready for <@${emu.user('alice')?.id ?? ''}>`,
    });
    await page.locator('[data-testid^="message-"]').filter({ hasText: '🚨 Live: triage ready for @alice' }).waitFor();

    // Typing @incident-bot mentions the app (app_mention), escaped like Slack's composer; it answers in a thread.
    await page.getByTestId('composer-input').fill('@incident-bot is p99 > 2s?');
    await page.getByTestId('composer-send').click();
    const question = page.locator('[data-testid^="message-"]').filter({ hasText: '@incident-bot is p99 > 2s?' });
    await question.locator('.mention').filter({ hasText: '@incident-bot' }).waitFor();
    await question.locator('[data-testid^="open-thread-"]').filter({ hasText: '1 reply' }).waitFor();
    const asked = emu.messages(incidents).find((m) => m.text.endsWith('is p99 &gt; 2s?'));
    expect(asked?.text).toBe(`<@${emu.bot.userId}> is p99 &gt; 2s?`);
    expect(emu.replies(incidents, asked?.ts ?? '')[0]?.text).toBe('You asked: is p99 &gt; 2s?');

    // The side panel drives the PagerDuty simulator through the injected adapter.
    await page.getByTestId('side-panel').waitFor();
    expect(await page.getByTestId('pd-oncall').textContent()).toContain('Alice Ops');
    await page.getByTestId('pd-title').fill('Payments 5xx spike');
    await page.getByTestId('pd-service').selectOption('PSVC002');
    await page.getByTestId('pd-trigger').click();
    const row = page.getByTestId('pd-incident-PINC101');
    await row.filter({ hasText: 'Payments 5xx spike' }).waitFor();
    expect(await row.textContent()).toContain('triggered · Payments');
    await row.getByTestId('pd-ack-PINC101').click();
    await row.filter({ hasText: 'acknowledged' }).waitFor();
    await page.getByTestId('pd-storm-count').fill('3');
    await page.getByTestId('pd-storm').click();
    await page.getByTestId('pd-incidents').locator('li').nth(3).waitFor();
    expect(pagerduty.incidentsList).toHaveLength(4);
    await page.getByTestId('pd-resolve-PINC101').click();
    await expect.poll(() => pagerduty.incidentsList.find((i) => i.id === 'PINC101')?.status, WAIT).toBe('resolved');

    await page.getByTestId('pd-incident-PINC101').filter({ hasText: 'resolved' }).waitFor();

    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(errors).toEqual([]);
  }, 180_000);

  it('shows a failed delivery the way Slack does (dispatch_failed) and keeps working', async () => {
    emu.setRequestUrl(bot.requestUrl.replace('/slack/events', '/gone'));
    try {
      await page.getByTestId('composer-input').fill('/incident help');
      await page.getByTestId('composer-send').click();
      await page
        .locator('[data-testid^="ephemeral-"]')
        .filter({ hasText: '/incident failed with the error "dispatch_failed"' })
        .waitFor();
      await page.getByTestId('notice').filter({ hasText: 'dispatch_failed' }).first().waitFor();
    } finally {
      emu.setRequestUrl(bot.requestUrl);
    }
    await page.getByTestId('composer-input').fill('/incident help');
    await page.getByTestId('composer-send').click();
    await page.locator('[data-testid^="ephemeral-"]').filter({ hasText: 'Try /incident declare' }).waitFor();
  }, 60_000);

  it('serves the console with a strict Content-Security-Policy and refuses bad console input', async () => {
    const res = await fetch(emu.url);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const bad = await fetch(`${emu.url}console/api/compose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 'x', channelId: incidents, text: '   ' }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('type a message');
    const unknown = await fetch(`${emu.url}console/api/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        userId: emu.user('alice')?.id,
        channelId: incidents,
        messageTs: '1000000000.000001',
        actionId: 'x',
      }),
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: string }).error).toContain('no message');
  });
});
