import type { App, BlockAction, ButtonAction, SlackViewAction, StaticSelectAction } from '@slack/bolt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_FIELD_MESSAGE, startSlackEmulator } from '../../../src/sandbox/slack/index.js';
import type { SlackEmulator } from '../../../src/sandbox/slack/types.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { SIGNING_SECRET, sample, shapeMismatches, startBoltApp, type TestBoltApp, TOKEN, USERS } from './helpers.js';

const plain = (text: string) => ({ type: 'plain_text' as const, text });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The incident card the test bot posts: buttons (one with a confirm dialog), an overflow, selects. */
function card(incidentId: string) {
  return [
    { type: 'header', block_id: 'title', text: plain(`[${incidentId}] Checkout is down`) },
    {
      type: 'section',
      block_id: 'summary',
      text: { type: 'mrkdwn', text: '*Status:* triggered' },
      accessory: {
        type: 'overflow',
        action_id: 'incident_more',
        options: [
          { text: plain('Add note'), value: 'note' },
          { text: plain('Snooze'), value: 'snooze' },
        ],
      },
    },
    {
      type: 'actions',
      block_id: 'buttons',
      elements: [
        { type: 'button', action_id: 'incident_ack', text: plain('Acknowledge'), style: 'primary', value: incidentId },
        {
          type: 'button',
          action_id: 'incident_resolve',
          text: plain('Resolve'),
          style: 'danger',
          value: incidentId,
          confirm: {
            title: plain('Resolve?'),
            text: plain('Really?'),
            confirm: plain('Resolve'),
            deny: plain('Cancel'),
          },
        },
        {
          type: 'static_select',
          action_id: 'incident_priority',
          placeholder: plain('Priority'),
          options: [
            { text: plain('P1'), value: 'P1' },
            { text: plain('P2'), value: 'P2' },
          ],
        },
        { type: 'users_select', action_id: 'incident_reassign', placeholder: plain('Reassign') },
      ],
    },
  ];
}

const declareModal = {
  type: 'modal' as const,
  callback_id: 'declare',
  private_metadata: '{"channel":"x"}',
  notify_on_close: true,
  title: plain('Declare incident'),
  submit: plain('Declare'),
  close: plain('Cancel'),
  blocks: [
    {
      type: 'input',
      block_id: 'title',
      label: plain('Title'),
      element: { type: 'plain_text_input', action_id: 'value', min_length: 5 },
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
        initial_option: { text: plain('High'), value: 'high' },
      },
    },
    {
      type: 'input',
      block_id: 'responders',
      optional: true,
      label: plain('Responders'),
      element: { type: 'multi_users_select', action_id: 'value' },
    },
    {
      type: 'input',
      block_id: 'notify',
      optional: true,
      label: plain('Notify'),
      element: { type: 'conversations_select', action_id: 'value', response_url_enabled: true },
    },
  ],
};

describe('inbound requests to a real Bolt 5.1 app (HTTPReceiver, signature verification on)', () => {
  const clock = createManualClock(Date.UTC(2026, 3, 1, 2, 0, 0));
  let emu: SlackEmulator;
  let bot: TestBoltApp;
  let alice: string;
  let bob: string;
  let incidents: string;
  const seen: { commands: unknown[]; actions: unknown[]; views: unknown[] } = { commands: [], actions: [], views: [] };
  const behaviour: { commandDelayMs: number; clockJumpBeforeOpen: number; openTwice: boolean } = {
    commandDelayMs: 0,
    clockJumpBeforeOpen: 0,
    openTwice: false,
  };
  const openErrors: string[] = [];
  const pushErrors: string[] = [];

  function register(app: App): void {
    app.command('/incident', async ({ command, ack, respond, client, say }) => {
      seen.commands.push(command);
      const [verb, ...rest] = command.text.split(' ');
      if (behaviour.commandDelayMs > 0) await sleep(behaviour.commandDelayMs);
      switch (verb) {
        case 'help':
          await ack('Usage: /incident declare | list | card');
          return;
        case 'list':
          await ack({
            response_type: 'in_channel',
            text: 'No open incidents',
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*No open incidents*' } }],
          });
          return;
        case 'later':
          await ack();
          await respond({ response_type: 'in_channel', text: `Later: ${rest.join(' ')}` });
          await respond({ text: 'only for you, later' });
          return;
        case 'card':
          await ack();
          await say({ text: 'Incident P123', blocks: card('P123') });
          return;
        case 'bad':
          // Deliberately invalid: a header's text must be plain_text.
          await ack({ text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'not plain' } }] as never });
          return;
        case 'declare':
          await ack();
          clock.advance(behaviour.clockJumpBeforeOpen);
          try {
            await client.views.open({ trigger_id: command.trigger_id, view: declareModal });
            if (behaviour.openTwice) await client.views.open({ trigger_id: command.trigger_id, view: declareModal });
          } catch (error) {
            openErrors.push((error as { data?: { error?: string } }).data?.error ?? String(error));
          }
          return;
        default:
          await ack(`Unknown: ${verb}`);
      }
    });
    app.action<BlockAction<ButtonAction>>('incident_ack', async ({ ack, body, action, respond }) => {
      await ack();
      seen.actions.push(body);
      await respond({ replace_original: true, text: `Acknowledged ${action.value} by <@${body.user.id}>` });
    });
    app.action<BlockAction<ButtonAction>>('incident_resolve', async ({ ack, body, action, client }) => {
      await ack();
      seen.actions.push(body);
      const container = body.container as { channel_id: string; message_ts: string; is_ephemeral: boolean };
      // Ephemeral messages cannot be edited with chat.update (the test answers those through the response_url).
      if (container.is_ephemeral) return;
      await client.chat.update({
        channel: container.channel_id,
        ts: container.message_ts,
        text: `Resolved ${action.value}`,
        blocks: [],
      });
    });
    app.action<BlockAction<StaticSelectAction>>('incident_priority', async ({ ack, body }) => {
      await ack();
      seen.actions.push(body);
    });
    app.action('incident_reassign', async ({ ack, body }) => {
      await ack();
      seen.actions.push(body);
    });
    app.action('incident_more', async ({ ack, body, client }) => {
      await ack();
      seen.actions.push(body);
      await client.views.open({
        trigger_id: (body as BlockAction).trigger_id,
        view: {
          type: 'modal',
          title: plain('Add note'),
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: 'note' } },
            {
              type: 'actions',
              block_id: 'kind',
              elements: [
                { type: 'button', action_id: 'push_more', text: plain('More') },
                {
                  type: 'static_select',
                  action_id: 'note_kind',
                  options: [
                    { text: plain('Update'), value: 'update' },
                    { text: plain('Finding'), value: 'finding' },
                  ],
                },
              ],
            },
          ],
        },
      });
    });
    app.action('push_more', async ({ ack, body, client }) => {
      await ack();
      try {
        await client.views.push({
          trigger_id: (body as BlockAction).trigger_id,
          view: {
            type: 'modal',
            title: plain('Deeper'),
            blocks: [
              {
                type: 'actions',
                block_id: 'kind',
                elements: [{ type: 'button', action_id: 'push_more', text: plain('More') }],
              },
            ],
          },
        });
      } catch (error) {
        pushErrors.push((error as { data?: { error?: string } }).data?.error ?? String(error));
      }
    });
    app.action('note_kind', async ({ ack, body, client }) => {
      await ack();
      seen.actions.push(body);
      const view = (body as BlockAction).view;
      if (!view) return;
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: {
          type: 'modal',
          title: plain('Add a finding'),
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Finding it is' } }],
        },
      });
    });
    app.view('declare', async ({ ack, view, body }) => {
      seen.views.push(body);
      const title = view.state.values.title?.value?.value ?? '';
      if (title.includes('forbidden')) {
        await ack({ response_action: 'errors', errors: { title: 'No forbidden words, please' } });
        return;
      }
      if (title.includes('wrongblock')) {
        await ack({ response_action: 'errors', errors: { not_a_block: 'x' } });
        return;
      }
      if (title.includes('push')) {
        await ack({
          response_action: 'push',
          view: {
            type: 'modal',
            title: plain('Confirm'),
            blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'sure?' } }],
          },
        });
        return;
      }
      if (title.includes('update')) {
        await ack({ response_action: 'update', view: { ...declareModal, title: plain('Declared!') } });
        return;
      }
      await ack();
    });
    app.view({ type: 'view_closed', callback_id: 'declare' }, async ({ ack, body }) => {
      await ack();
      seen.views.push(body);
    });
  }

  beforeAll(async () => {
    emu = await startSlackEmulator({
      bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
      users: USERS,
      channels: [{ name: 'incidents' }, { name: 'quiet', members: ['alice'] }],
      clock,
      console: false,
      rateLimit: false,
    });
    bot = await startBoltApp(emu.apiUrl, register);
    emu.setRequestUrl(bot.requestUrl);
    alice = emu.user('alice')?.id ?? '';
    bob = emu.user('bob')?.id ?? '';
    incidents = emu.channel('incidents')?.id ?? '';
  });
  afterAll(async () => {
    await bot.stop();
    await emu.close();
  });
  afterEach(() => {
    behaviour.commandDelayMs = 0;
    behaviour.clockJumpBeforeOpen = 0;
    behaviour.openTwice = false;
  });

  async function postCard(): Promise<string> {
    const before = emu.messages(incidents).length;
    const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'card' });
    expect(result.ok).toBe(true);
    const posted = await emu.waitFor(() =>
      emu
        .messages(incidents)
        .slice(before)
        .find((m) => m.text === 'Incident P123'),
    );
    return posted.ts;
  }

  describe('slash commands', () => {
    it('sends Slack’s form fields, signed; an ack text is shown only to the user', async () => {
      const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'help' });
      expect(result).toMatchObject({
        kind: 'slash_command',
        delivered: true,
        ok: true,
        status: 200,
        body: 'Usage: /incident declare | list | card',
      });
      expect(result.ackMs).toBeGreaterThan(0);
      expect(result.requestBody).toContain('command=%2Fincident');
      expect(result.payload).toMatchObject({
        command: '/incident',
        text: 'help',
        user_id: alice,
        channel_id: incidents,
        team_id: emu.team.id,
      });
      // Form fields are all strings on the wire; the catalog types them, so compare the field names.
      const catalog = sample('app-backend/SlashCommandPayload');
      expect(Object.keys(result.payload).filter((k) => !(k in catalog))).toEqual([]);
      expect(Object.values(result.payload).every((v) => typeof v === 'string')).toBe(true);
      expect(seen.commands.at(-1)).toMatchObject({
        user_name: 'alice',
        channel_name: 'incidents',
        api_app_id: emu.bot.appId,
      });
      expect(emu.ephemerals(alice, incidents).at(-1)?.text).toBe('Usage: /incident declare | list | card');
      expect(emu.ephemerals(bob, incidents).map((m) => m.text)).not.toContain('Usage: /incident declare | list | card');
    });

    it('an in_channel ack is posted in the channel under the invocation', async () => {
      const result = await emu.sendSlashCommand({ userId: bob, channelId: incidents, text: 'list' });
      expect(result.ok).toBe(true);
      const timeline = emu.messages(incidents).slice(-2);
      expect(timeline.map((m) => [m.user, m.text])).toEqual([
        [bob, '/incident list'],
        [emu.bot.userId, 'No open incidents'],
      ]);
      expect(timeline[1]?.bot_id).toBe(emu.bot.botId);
    });

    it('respond() through the response_url: in_channel posts, default is ephemeral', async () => {
      const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'later all good' });
      expect(result.responseUrl).toMatch(new RegExp(`^${emu.url}hooks/commands/`));
      await emu.waitFor(() => emu.ephemerals(alice, incidents).find((m) => m.text === 'only for you, later'));
      expect(emu.messages(incidents).at(-1)?.text).toBe('Later: all good');
    });

    it('response_urls take 5 uses within 30 minutes', async () => {
      const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'help' });
      const url = result.responseUrl ?? '';
      const post = (text: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
      for (let i = 0; i < 5; i++) expect((await post(`use ${i}`)).status).toBe(200);
      const sixth = await post('sixth');
      expect(sixth.status).toBe(404);
      expect(await sixth.text()).toBe('used_url');
      const fresh =
        (await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'help' })).responseUrl ?? '';
      const invalid = await fetch(fresh, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ blocks: [{ type: 'nope' }] }),
      });
      expect([invalid.status, await invalid.text()]).toEqual([400, 'invalid_blocks']);
      clock.advance(30 * 60 * 1000 + 1);
      const late = await fetch(fresh, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'late' }),
      });
      expect([late.status, await late.text()]).toEqual([404, 'expired_url']);
    });

    it('an ack with invalid blocks is refused as Slack does ("failed with the error")', async () => {
      const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'bad' });
      expect(result).toMatchObject({ ok: false, status: 200, error: 'invalid_response' });
      expect(result.detail).toContain('invalid_blocks');
      expect(emu.ephemerals(alice, incidents).at(-1)).toMatchObject({
        user: 'USLACKBOT',
        text: '/incident failed with the error "invalid_blocks"',
      });
    });

    it('a non-2xx answer is dispatch_failed, shown by Slackbot', async () => {
      emu.setRequestUrl(bot.requestUrl.replace('/slack/events', '/wrong-path'));
      try {
        const result = await emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'help' });
        expect(result).toMatchObject({ delivered: true, ok: false, status: 404, error: 'dispatch_failed' });
        expect(emu.ephemerals(alice, incidents).at(-1)?.text).toBe('/incident failed with the error "dispatch_failed"');
      } finally {
        emu.setRequestUrl(bot.requestUrl);
      }
    });

    it('invalid input to the emulator is refused with a clear message and sends nothing', async () => {
      const before = emu.inbound().length;
      await expect(emu.sendSlashCommand({ userId: 'U0NOBODY00', channelId: incidents, text: 'x' })).rejects.toThrow(
        /no person/,
      );
      await expect(
        emu.sendSlashCommand({ userId: alice, channelId: incidents, text: 'x', command: 'incident' }),
      ).rejects.toThrow(/command/);
      await expect(emu.sendSlashCommand({ userId: alice, channelId: 'C0NOPE', text: 'x' })).rejects.toThrow(
        /no channel/,
      );
      expect(emu.inbound()).toHaveLength(before);
    });
  });

  describe('buttons and menus', () => {
    it('a button click sends block_actions with message, container, state, trigger_id and response_url', async () => {
      const ts = await postCard();
      const result = await emu.clickButton({
        userId: bob,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_ack',
      });
      expect(result).toMatchObject({ kind: 'block_actions', ok: true, status: 200 });
      const body = seen.actions.at(-1) as BlockAction<ButtonAction>;
      expect(body).toMatchObject({
        type: 'block_actions',
        user: { id: bob, username: 'bob', team_id: emu.team.id },
        api_app_id: emu.bot.appId,
        container: { type: 'message', message_ts: ts, channel_id: incidents, is_ephemeral: false },
        channel: { id: incidents, name: 'incidents' },
        team: { id: emu.team.id, domain: emu.team.domain },
        actions: [
          {
            type: 'button',
            action_id: 'incident_ack',
            block_id: 'buttons',
            value: 'P123',
            style: 'primary',
            text: plain('Acknowledge'),
          },
        ],
      });
      expect(body.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
      expect(body.message?.ts).toBe(ts);
      expect(
        shapeMismatches(result.payload, sample('app-backend/BlockActionPayload'), [
          'message.blocks',
          'state.values',
          'message.bot_profile',
        ]),
      ).toEqual([]);
      // respond({ replace_original }) replaced the card in place.
      await emu.waitFor(() => emu.message(incidents, ts)?.text.startsWith('Acknowledged P123'));
      expect(emu.message(incidents, ts)?.blocks).toBeUndefined();
    });

    it('response_url from a click: delete_original removes the card; on an ephemeral, replace_original replaces it', async () => {
      const ts = await postCard();
      const click = await emu.clickButton({
        userId: bob,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_ack',
      });
      await emu.waitFor(() => emu.message(incidents, ts)?.text.startsWith('Acknowledged'));
      const post = (url: string, body: unknown) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const deleted = await post(click.responseUrl ?? '', { delete_original: true });
      expect([deleted.status, await deleted.text()]).toEqual([200, 'ok']);
      expect(emu.message(incidents, ts)).toBeUndefined();
      const again = await post(click.responseUrl ?? '', { delete_original: true });
      expect([again.status, await again.text()]).toEqual([404, 'message_not_found']);

      const { message_ts } = await bot.app.client.chat.postEphemeral({
        channel: incidents,
        user: alice,
        text: 'Only you',
        blocks: card('P777'),
      });
      const onEphemeral = await emu.clickButton({
        userId: alice,
        channelId: incidents,
        messageTs: message_ts ?? '',
        actionId: 'incident_resolve',
      });
      expect(onEphemeral.payload.container).toMatchObject({ type: 'message', message_ts, is_ephemeral: true });
      expect(onEphemeral.payload).not.toHaveProperty('message');
      const replaced = await post(onEphemeral.responseUrl ?? '', {
        replace_original: true,
        text: 'Resolved (only you see this)',
      });
      expect(replaced.status).toBe(200);
      const mine = emu.ephemerals(alice, incidents).find((m) => m.ts === message_ts);
      expect(mine?.text).toBe('Resolved (only you see this)');
      expect(mine?.blocks).toBeUndefined();
      await expect(
        emu.clickButton({ userId: bob, channelId: incidents, messageTs: message_ts ?? '', actionId: 'incident_ack' }),
      ).rejects.toThrow(/no message .* visible to bob/);
    });

    it('a second button updates the card through chat.update', async () => {
      const ts = await postCard();
      const result = await emu.clickButton({
        userId: alice,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_resolve',
        value: 'P123',
      });
      expect(result.ok).toBe(true);
      await emu.waitFor(() => emu.message(incidents, ts)?.text === 'Resolved P123');
      await expect(
        emu.clickButton({ userId: alice, channelId: incidents, messageTs: ts, actionId: 'incident_ack' }),
      ).rejects.toThrow(/no element with action_id "incident_ack"/);
    });

    it('clicking checks that the element exists, is a button and holds that value', async () => {
      const ts = await postCard();
      await expect(
        emu.clickButton({ userId: alice, channelId: incidents, messageTs: ts, actionId: 'incident_priority' }),
      ).rejects.toThrow(/not a button/);
      await expect(
        emu.clickButton({
          userId: alice,
          channelId: incidents,
          messageTs: ts,
          actionId: 'incident_ack',
          value: 'P999',
        }),
      ).rejects.toThrow(/value/);
      await expect(
        emu.clickButton({
          userId: alice,
          channelId: incidents,
          messageTs: '1000000000.000001',
          actionId: 'incident_ack',
        }),
      ).rejects.toThrow(/no message/);
    });

    it('selects send selected_option / selected_user and keep the message’s state', async () => {
      const ts = await postCard();
      await emu.selectOption({
        userId: alice,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_priority',
        value: 'P2',
      });
      const select = seen.actions.at(-1) as BlockAction<StaticSelectAction>;
      expect(select.actions[0]).toMatchObject({
        type: 'static_select',
        action_id: 'incident_priority',
        selected_option: { value: 'P2', text: plain('P2') },
      });
      await emu.selectOption({
        userId: alice,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_reassign',
        value: bob,
      });
      const users = seen.actions.at(-1) as BlockAction;
      expect(users.actions[0]).toMatchObject({ type: 'users_select', selected_user: bob });
      expect(users.state?.values.buttons).toMatchObject({
        incident_priority: { type: 'static_select', selected_option: { value: 'P2' } },
        incident_reassign: { type: 'users_select', selected_user: bob },
      });
      await expect(
        emu.selectOption({
          userId: alice,
          channelId: incidents,
          messageTs: ts,
          actionId: 'incident_priority',
          value: 'P9',
        }),
      ).rejects.toThrow(/no option "P9"/);
      await expect(
        emu.selectOption({
          userId: alice,
          channelId: incidents,
          messageTs: ts,
          actionId: 'incident_reassign',
          value: 'U0NOBODY00',
        }),
      ).rejects.toThrow(/no user/);
    });

    it('an overflow choice opens a modal with the action’s trigger_id', async () => {
      const ts = await postCard();
      const result = await emu.selectOption({
        userId: bob,
        channelId: incidents,
        messageTs: ts,
        actionId: 'incident_more',
        value: 'note',
      });
      expect(result.ok).toBe(true);
      expect((seen.actions.at(-1) as BlockAction).actions[0]).toMatchObject({
        type: 'overflow',
        selected_option: { value: 'note' },
      });
      const view = await emu.waitFor(() => emu.openViews(bob).at(-1));
      expect(view.title).toEqual(plain('Add note'));
      // views.push from buttons inside the modal: three views deep at most.
      for (let depth = 1; depth <= 3; depth++) {
        const top = emu.openViews(bob).at(-1);
        await emu.clickButton({ userId: bob, viewId: top?.id ?? '', actionId: 'push_more' });
        if (depth < 3) await emu.waitFor(() => emu.openViews(bob).length === depth + 1);
      }
      await emu.waitFor(() => pushErrors.includes('push_limit_reached'));
      expect(emu.openViews(bob).map((v) => (v.title as { text: string }).text)).toEqual([
        'Add note',
        'Deeper',
        'Deeper',
      ]);
      await emu.closeView({ userId: bob, viewId: emu.openViews(bob).at(-1)?.id ?? '' });
      await emu.closeView({ userId: bob, viewId: emu.openViews(bob).at(-1)?.id ?? '' });
      expect(emu.openViews(bob).map((v) => v.id)).toEqual([view.id]);
      // A select inside the modal: block_actions with the view as container, then views.update with its hash.
      const inModal = await emu.selectOption({ userId: bob, viewId: view.id, actionId: 'note_kind', value: 'finding' });
      expect(inModal.ok).toBe(true);
      const body = seen.actions.at(-1) as BlockAction;
      expect(body.container).toEqual({ type: 'view', view_id: view.id });
      expect(body).not.toHaveProperty('response_url');
      expect(body.view?.state.values).toEqual({
        kind: { note_kind: { type: 'static_select', selected_option: { text: plain('Finding'), value: 'finding' } } },
      });
      await emu.waitFor(() => (emu.view(view.id)?.title as { text?: string } | undefined)?.text === 'Add a finding');
      await emu.closeView({ userId: bob, viewId: view.id });
      expect(emu.openViews(bob)).toEqual([]);
    });
  });

  describe('modals', () => {
    async function openDeclare(userId: string): Promise<string> {
      const result = await emu.sendSlashCommand({ userId, channelId: incidents, text: 'declare' });
      expect(result.ok).toBe(true);
      const view = await emu.waitFor(() => emu.openViews(userId).at(-1));
      return view.id;
    }

    it('views.open with the command’s trigger_id; submit: required fields, bot errors, then success', async () => {
      const viewId = await openDeclare(alice);
      const view = emu.view(viewId);
      expect(view).toMatchObject({
        type: 'modal',
        callback_id: 'declare',
        private_metadata: '{"channel":"x"}',
        root_view_id: viewId,
      });
      expect(viewId).toMatch(/^V[A-Z0-9]{10}$/);

      // Slack's client refuses a required field left empty: nothing is sent.
      const sentBefore = emu.inbound('view_submission').length;
      const empty = await emu.submitView({ userId: alice, viewId, values: {} });
      expect(empty).toMatchObject({ delivered: false, ok: false, error: 'incomplete_form' });
      expect(emu.view(viewId)?.errors).toEqual({ title: REQUIRED_FIELD_MESSAGE });
      const short = await emu.submitView({ userId: alice, viewId, values: { title: { value: 'abc' } } });
      expect(short.error).toBe('incomplete_form');
      expect(emu.inbound('view_submission')).toHaveLength(sentBefore);

      // The bot answers response_action errors: the modal stays open with the error attached.
      const rejected = await emu.submitView({
        userId: alice,
        viewId,
        values: { title: { value: 'a forbidden title' } },
      });
      expect(rejected).toMatchObject({
        ok: true,
        body: { response_action: 'errors', errors: { title: 'No forbidden words, please' } },
      });
      expect(emu.view(viewId)?.errors).toEqual({ title: 'No forbidden words, please' });
      expect(emu.openViews(alice)).toHaveLength(1);

      const notify = emu.channel('quiet')?.id ?? '';
      const accepted = await emu.submitView({
        userId: alice,
        viewId,
        values: {
          title: { value: 'Checkout is down' },
          responders: { value: [alice, bob] },
          notify: { value: notify },
        },
      });
      expect(accepted).toMatchObject({ ok: true, status: 200 });
      expect(emu.openViews(alice)).toEqual([]);
      const body = seen.views.at(-1) as SlackViewAction;
      expect(body.type).toBe('view_submission');
      expect(body.view.state.values).toEqual({
        title: { value: { type: 'plain_text_input', value: 'Checkout is down' } },
        urgency: { value: { type: 'static_select', selected_option: { text: plain('High'), value: 'high' } } },
        responders: { value: { type: 'multi_users_select', selected_users: [alice, bob] } },
        notify: { value: { type: 'conversations_select', selected_conversation: notify } },
      });
      expect((body as unknown as { response_urls: unknown[] }).response_urls).toEqual([
        expect.objectContaining({
          block_id: 'notify',
          action_id: 'value',
          channel_id: notify,
          response_url: expect.stringContaining('/hooks/'),
        }),
      ]);
      expect(
        shapeMismatches(accepted.payload, sample('app-backend/ViewSubmissionPayload'), [
          'view.blocks',
          'view.state.values',
          'response_urls',
        ]),
      ).toEqual([]);
    });

    it('an errors answer naming a block that is not an input is a failed response', async () => {
      const viewId = await openDeclare(bob);
      const result = await emu.submitView({ userId: bob, viewId, values: { title: { value: 'wrongblock here' } } });
      expect(result).toMatchObject({ ok: false, error: 'invalid_response' });
      expect(result.detail).toContain('not_a_block');
      expect(emu.openViews(bob)).toHaveLength(1);
      await emu.closeView({ userId: bob, viewId });
    });

    it('response_action push and update act on the stack; closing sends view_closed (notify_on_close)', async () => {
      const viewId = await openDeclare(alice);
      await emu.submitView({ userId: alice, viewId, values: { title: { value: 'please push' } } });
      const stack = emu.openViews(alice);
      expect(stack.map((v) => v.title)).toEqual([plain('Declare incident'), plain('Confirm')]);
      expect(stack[1]).toMatchObject({ root_view_id: viewId, previous_view_id: viewId });
      await emu.closeView({ userId: alice, viewId: stack[1]?.id ?? '' });
      expect(emu.openViews(alice).map((v) => v.id)).toEqual([viewId]);
      await emu.submitView({ userId: alice, viewId, values: { title: { value: 'please update' } } });
      expect(emu.view(viewId)?.title).toEqual(plain('Declared!'));
      const closed = await emu.closeView({ userId: alice, viewId });
      expect(closed).toMatchObject({ kind: 'view_closed', delivered: true, ok: true });
      expect(seen.views.at(-1)).toMatchObject({
        type: 'view_closed',
        is_cleared: false,
        view: { id: viewId, callback_id: 'declare' },
      });
      expect(
        shapeMismatches(closed.payload, sample('app-backend/ViewClosedPayload'), ['view.blocks', 'view.state.values']),
      ).toEqual([]);
      expect(emu.openViews(alice)).toEqual([]);
    });

    it('trigger_ids expire after 3 s and work once', async () => {
      behaviour.clockJumpBeforeOpen = 3001;
      await emu.sendSlashCommand({ userId: bob, channelId: incidents, text: 'declare' });
      await emu.waitFor(() => openErrors.length >= 1);
      expect(openErrors.at(-1)).toBe('expired_trigger_id');
      expect(emu.openViews(bob)).toEqual([]);
      behaviour.clockJumpBeforeOpen = 0;
      behaviour.openTwice = true;
      await emu.sendSlashCommand({ userId: bob, channelId: incidents, text: 'declare' });
      await emu.waitFor(() => openErrors.length >= 2);
      expect(openErrors.at(-1)).toBe('exchanged_trigger_id');
      expect(emu.openViews(bob)).toHaveLength(1);
      await emu.closeView({ userId: bob, viewId: emu.openViews(bob)[0]?.id ?? '' });
    });
  });

  describe('ack deadline', () => {
    it('an ack later than the deadline counts as operation_timeout', async () => {
      const slow = await startSlackEmulator({
        bot: { token: TOKEN, signingSecret: SIGNING_SECRET, requestUrl: bot.requestUrl },
        users: USERS,
        channels: [{ name: 'incidents' }],
        console: false,
        ackTimeoutMs: 300,
      });
      try {
        behaviour.commandDelayMs = 1000;
        const aliceHere = slow.user('alice')?.id ?? '';
        const channel = slow.channel('incidents')?.id ?? '';
        const result = await slow.sendSlashCommand({ userId: aliceHere, channelId: channel, text: 'help' });
        expect(result).toMatchObject({ delivered: true, ok: false, status: 0, error: 'operation_timeout' });
        expect(result.ackMs).toBeGreaterThanOrEqual(290);
        expect(slow.ephemerals(aliceHere, channel).at(-1)?.text).toBe(
          '/incident failed with the error "operation_timeout"',
        );
      } finally {
        await slow.close();
      }
    });
  });

  describe('the bot’s Web API calls from listeners', () => {
    it('surface invalid_blocks and HTTP 429 + Retry-After to Bolt’s client', async () => {
      const errors: Array<{ code?: string; error?: string; retryAfter?: number }> = [];
      const limited = await startSlackEmulator({
        bot: { token: TOKEN, signingSecret: SIGNING_SECRET },
        users: USERS,
        channels: [{ name: 'incidents' }],
        console: false,
        rateLimit: { perChannelPerSecond: 1, burst: 2 },
        clock: createManualClock(Date.UTC(2026, 3, 1)),
      });
      const spammer = await startBoltApp(
        limited.apiUrl,
        (app) => {
          app.command('/incident', async ({ ack, say }) => {
            await ack();
            for (const blocks of [[{ type: 'bogus' }], undefined, undefined, undefined]) {
              try {
                await say(blocks ? { text: 'x', blocks } : { text: 'update' });
              } catch (error) {
                const e = error as { code?: string; data?: { error?: string }; retryAfter?: number };
                errors.push({
                  ...(e.code ? { code: e.code } : {}),
                  ...(e.data?.error ? { error: e.data.error } : {}),
                  ...(e.retryAfter ? { retryAfter: e.retryAfter } : {}),
                });
              }
            }
          });
        },
        { rejectRateLimitedCalls: true },
      );
      try {
        limited.setRequestUrl(spammer.requestUrl);
        const channel = limited.channel('incidents')?.id ?? '';
        await limited.sendSlashCommand({ userId: limited.user('alice')?.id ?? '', channelId: channel, text: 'go' });
        await limited.waitFor(() => errors.length >= 2);
        expect(errors).toEqual([
          { code: 'slack_webapi_platform_error', error: 'invalid_blocks' },
          { code: 'slack_webapi_rate_limited_error', retryAfter: 1 },
        ]);
        expect(limited.messages(channel).map((m) => m.text)).toEqual(['update', 'update']);
      } finally {
        await spammer.stop();
        await limited.close();
      }
    });
  });
});
