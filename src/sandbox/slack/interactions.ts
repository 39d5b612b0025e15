import { z } from 'zod';
import { InvalidInputError } from '../../shared/errors.js';
import { validateBlocks, validateView } from './blockkit.js';
import type { EventDispatcher } from './events.js';
import type { InboundSender } from './inbound.js';
import {
  actionItem,
  type FoundElement,
  findElement,
  initialState,
  isEmptyState,
  stateValue,
  withGeneratedIds,
} from './payloads.js';
import type { ResponseUrlRegistry } from './response-urls.js';
import type { TriggerRegistry } from './triggers.js';
import type { Channel, InboundResult, Message, SlackEmulator, SlackUser, View } from './types.js';
import { clearStack, closeTop, MAX_VIEW_STACK, pushModal, replaceView, stackOf } from './view-stack.js';
import { messageEvent } from './web-api/chat.js';
import type { MethodContext } from './web-api/context.js';
import { recordJoin } from './web-api/conversations.js';
import { EMOJI_NAME } from './web-api/reactions.js';
import { SLACKBOT_ID, type Workspace, wireMessage, wireView } from './workspace.js';

/** The person-side actions of the emulator: each becomes a signed request to the bot, and its answer is applied. */
export type Interactions = Pick<
  SlackEmulator,
  | 'sendSlashCommand'
  | 'clickButton'
  | 'selectOption'
  | 'submitView'
  | 'closeView'
  | 'postUserMessage'
  | 'addReaction'
  | 'joinChannel'
  | 'verifyRequestUrl'
>;

export interface InteractionDeps {
  ws: Workspace;
  methodCtx: MethodContext;
  sender: InboundSender;
  events: EventDispatcher;
  triggers: TriggerRegistry;
  responseUrls: ResponseUrlRegistry;
}

type Json = Record<string, unknown>;

/** Text Slack's client shows under a required input left empty. */
export const REQUIRED_FIELD_MESSAGE = 'Please complete this required field.';

const slashInput = z.object({
  userId: z.string().min(1),
  channelId: z.string().min(1),
  text: z.string().max(4000),
  command: z
    .string()
    .regex(/^\/[a-z0-9_-]{1,31}$/, 'a slash command: "/" then 1-31 lower-case letters, digits, - or _')
    .optional(),
});
const surfaceInput = {
  userId: z.string().min(1),
  channelId: z.string().min(1).optional(),
  messageTs: z.string().min(1).optional(),
  viewId: z.string().min(1).optional(),
  actionId: z.string().min(1),
  blockId: z.string().min(1).optional(),
};
const clickInput = z.object({ ...surfaceInput, value: z.string().optional(), threadTs: z.string().optional() });
const selectInput = z.object({ ...surfaceInput, value: z.union([z.string(), z.array(z.string())]) });
const submitInput = z.object({
  userId: z.string().min(1),
  viewId: z.string().min(1),
  values: z.record(z.string(), z.record(z.string(), z.unknown())),
});
const closeInput = z.object({ userId: z.string().min(1), viewId: z.string().min(1) });
const messageInput = z.object({
  userId: z.string().min(1),
  channelId: z.string().min(1),
  text: z.string().min(1).max(40_000),
  threadTs: z.string().min(1).optional(),
});
const reactionInput = z.object({
  userId: z.string().min(1),
  channelId: z.string().min(1),
  ts: z.string().min(1),
  name: z.string().regex(EMOJI_NAME, 'an emoji name such as pushpin'),
});
const joinInput = z.object({ userId: z.string().min(1), channelId: z.string().min(1) });

function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.') || '(input)', message: i.message }));
  throw new InvalidInputError(`${what}: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, issues);
}

function invalid(message: string, path: string): InvalidInputError {
  return new InvalidInputError(message, [{ path, message }]);
}

/** A UUID-shaped client_msg_id, as Slack's clients send, from the emulator's seeded generator (deterministic). */
function clientMsgId(ws: Workspace): string {
  const hex = ws.ids.hex(32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

/** Rich-text blocks Slack's composer attaches to a typed message (mentions become user elements). */
export function composerBlocks(text: string, blockId: string): unknown[] {
  const elements: Json[] = [];
  // Rich text holds the characters themselves: the &amp; &lt; &gt; of message text are decoded.
  const plain = (raw: string): string => raw.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');
  const pattern =
    /<@([UW][A-Z0-9]+)(?:\|[^>]*)?>|<#(C[A-Z0-9]+)(?:\|[^>]*)?>|<!(here|channel|everyone)(?:\|[^>]*)?>|<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g;
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) elements.push({ type: 'text', text: plain(text.slice(last, match.index)) });
    if (match[1] !== undefined) elements.push({ type: 'user', user_id: match[1] });
    else if (match[2] !== undefined) elements.push({ type: 'channel', channel_id: match[2] });
    else if (match[3] !== undefined) elements.push({ type: 'broadcast', range: match[3] });
    else if (match[4] !== undefined) {
      elements.push({ type: 'link', url: plain(match[4]), ...(match[5] ? { text: plain(match[5]) } : {}) });
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) elements.push({ type: 'text', text: plain(text.slice(last)) });
  return [{ type: 'rich_text', block_id: blockId, elements: [{ type: 'rich_text_section', elements }] }];
}

export function createInteractions(deps: InteractionDeps): Interactions {
  const { ws, sender, events, triggers, responseUrls, methodCtx } = deps;
  /** Client-side state of inputs inside messages (`state.values` of block_actions), by `channel:ts`. */
  const messageStates = new Map<string, Record<string, Record<string, unknown>>>();

  const user = (id: string): SlackUser => {
    const u = ws.users.get(id);
    if (!u || u.isBot) throw invalid(`no person with id ${id} in the workspace`, 'userId');
    return u;
  };
  const channel = (id: string): Channel => {
    const c = ws.findChannel(id);
    if (!c) throw invalid(`no channel ${id}`, 'channelId');
    return c;
  };
  const member = (u: SlackUser, c: Channel): void => {
    if (!c.members.includes(u.id)) throw invalid(`${u.name} is not a member of #${c.name}`, 'channelId');
  };
  const userObj = (u: SlackUser): Json => ({ id: u.id, username: u.name, name: u.name, team_id: ws.team.id });
  const teamObj = (): Json => ({ id: ws.team.id, domain: ws.team.domain });

  /** Slackbot's "failed with the error" notice, as Slack shows when an app does not answer a command. */
  const slackbotNotice = (c: Channel, u: SlackUser, text: string): void => {
    ws.addEphemeral(c.id, u.id, { user: SLACKBOT_ID, text, team: ws.team.id });
  };

  const postAsBot = (c: Channel, content: { text: string; blocks?: unknown[] }): Message => {
    const message = ws.insertMessage(c.id, {
      user: ws.bot.userId,
      bot_id: ws.bot.botId,
      app_id: ws.bot.appId,
      team: ws.team.id,
      bot_profile: ws.botProfile(),
      text: content.text,
      ...(content.blocks ? { blocks: withGeneratedIds(content.blocks, ws.ids) } : {}),
    });
    events.fromBot(messageEvent(message, c), c.id);
    return message;
  };

  /** Shows a slash command's ack body (`text` / `blocks`, `response_type`) as Slack does. */
  const applyCommandAck = (result: InboundResult, c: Channel, u: SlackUser, command: string, text: string): void => {
    const body = result.body;
    if (body === undefined || body === '') return;
    if (typeof body === 'string') {
      ws.addEphemeral(c.id, u.id, {
        user: ws.bot.userId,
        bot_id: ws.bot.botId,
        app_id: ws.bot.appId,
        team: ws.team.id,
        text: body,
      });
      return;
    }
    if (typeof body !== 'object' || body === null) return;
    const b = body as Json;
    const blocks = Array.isArray(b.blocks) ? b.blocks : undefined;
    const problems = blocks ? validateBlocks(blocks, 'message') : [];
    const messageText = typeof b.text === 'string' ? b.text : '';
    if (problems.length > 0 || (messageText === '' && !blocks?.length)) {
      result.ok = false;
      result.error = 'invalid_response';
      result.detail = problems.length > 0 ? `invalid_blocks: ${problems.join('; ')}` : 'no_text';
      slackbotNotice(c, u, `${command} failed with the error "${problems.length > 0 ? 'invalid_blocks' : 'no_text'}"`);
      return;
    }
    const content = { text: messageText, ...(blocks?.length ? { blocks } : {}) };
    if (b.response_type === 'in_channel') {
      // Slack shows the invocation above an in-channel answer.
      ws.insertMessage(c.id, { user: u.id, text: `${command} ${text}`.trim(), team: ws.team.id });
      postAsBot(c, content);
      return;
    }
    ws.addEphemeral(c.id, u.id, {
      user: ws.bot.userId,
      bot_id: ws.bot.botId,
      app_id: ws.bot.appId,
      team: ws.team.id,
      text: content.text,
      ...(content.blocks ? { blocks: withGeneratedIds(content.blocks, ws.ids) } : {}),
    });
  };

  type Surface =
    | { kind: 'message'; channel: Channel; message: Message; ephemeral: boolean; blocks: unknown[] }
    | { kind: 'view'; view: View; blocks: unknown[] };

  const surfaceOf = (input: z.output<typeof clickInput> | z.output<typeof selectInput>, u: SlackUser): Surface => {
    if (input.viewId !== undefined) {
      const view = ws.views.get(input.viewId);
      if (!view || view.userId !== u.id) throw invalid(`no view ${input.viewId} open for ${u.name}`, 'viewId');
      const visible = view.type === 'home' || stackOf(ws, u.id).at(-1)?.id === view.id;
      if (!visible) throw invalid(`view ${input.viewId} is not the one on top of ${u.name}'s stack`, 'viewId');
      return { kind: 'view', view, blocks: view.blocks };
    }
    if (input.channelId === undefined || input.messageTs === undefined) {
      throw invalid('give channelId and messageTs (a message) or viewId (a modal)', 'messageTs');
    }
    const c = channel(input.channelId);
    const shared = ws.findMessage(c.id, input.messageTs);
    if (shared) {
      member(u, c);
      return { kind: 'message', channel: c, message: shared, ephemeral: false, blocks: shared.blocks ?? [] };
    }
    const ephemeral = ws
      .ephemerals()
      .find((m) => m.channel === c.id && m.ts === input.messageTs && m.visibleTo === u.id);
    if (!ephemeral) throw invalid(`no message ${input.messageTs} in #${c.name} visible to ${u.name}`, 'messageTs');
    return { kind: 'message', channel: c, message: ephemeral, ephemeral: true, blocks: ephemeral.blocks ?? [] };
  };

  /** The modal on top of the user's stack, which is the only one a person can submit or close. */
  const topModal = (u: SlackUser, viewId: string): View => {
    const view = ws.views.get(viewId);
    if (!view || view.userId !== u.id || view.type !== 'modal')
      throw invalid(`no modal ${viewId} open for ${u.name}`, 'viewId');
    if (stackOf(ws, u.id).at(-1)?.id !== view.id) throw invalid(`modal ${viewId} is not on top of the stack`, 'viewId');
    return view;
  };

  const stateKey = (s: Surface & { kind: 'message' }): string => `${s.channel.id}:${s.message.ts}`;

  /** Sends block_actions for an element of a message or a view; `state` is the element's new state, if any. */
  const sendBlockAction = async (
    u: SlackUser,
    surface: Surface,
    found: FoundElement,
    state?: Json,
  ): Promise<InboundResult> => {
    const now = ws.clock.now();
    const triggerId = triggers.issue(u.id);
    const actionId = String(found.element.action_id);
    let values: Record<string, Record<string, unknown>>;
    if (surface.kind === 'view') {
      if (state && found.element.type !== 'overflow' && found.element.type !== 'button') {
        surface.view.state.values[found.blockId] = { ...surface.view.state.values[found.blockId], [actionId]: state };
      }
      values = surface.view.state.values;
    } else {
      const key = stateKey(surface);
      values = messageStates.get(key) ?? {};
      if (state && found.element.type !== 'overflow' && found.element.type !== 'button') {
        values[found.blockId] = { ...values[found.blockId], [actionId]: state };
        messageStates.set(key, values);
      }
    }
    const payload: Json = {
      type: 'block_actions',
      user: userObj(u),
      api_app_id: ws.bot.appId,
      token: ws.bot.verificationToken,
      trigger_id: triggerId,
      team: teamObj(),
      enterprise: null,
      is_enterprise_install: false,
    };
    let responseUrl: string | undefined;
    if (surface.kind === 'view') {
      payload.container = { type: 'view', view_id: surface.view.id };
      payload.view = wireView(surface.view);
    } else {
      const { message, channel: c } = surface;
      const threadTs =
        message.thread_ts !== undefined && message.thread_ts !== message.ts ? message.thread_ts : undefined;
      payload.container = {
        type: 'message',
        message_ts: message.ts,
        channel_id: c.id,
        is_ephemeral: surface.ephemeral,
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      };
      payload.channel = { id: c.id, name: c.isIm ? 'directmessage' : c.name };
      if (!surface.ephemeral) payload.message = wireMessage(message);
      responseUrl = responseUrls.issue({
        kind: 'actions',
        userId: u.id,
        channelId: c.id,
        ...(surface.ephemeral ? { ephemeral: message } : { messageTs: message.ts }),
      });
      payload.response_url = responseUrl;
    }
    payload.state = { values };
    payload.actions = [actionItem(found, state, now)];
    return sender.send({
      kind: 'block_actions',
      payload,
      encoding: 'payload',
      triggerId,
      ...(responseUrl !== undefined ? { responseUrl } : {}),
    });
  };

  /** Applies a view_submission answer: close, errors, update, push or clear. */
  const applySubmissionAck = (result: InboundResult, u: SlackUser, view: View): void => {
    if (!result.ok) return;
    const body = result.body;
    const fail = (detail: string): void => {
      result.ok = false;
      result.error = 'invalid_response';
      result.detail = detail;
    };
    if (
      body === undefined ||
      body === '' ||
      (typeof body === 'object' && body !== null && Object.keys(body).length === 0)
    ) {
      closeTop(ws, u.id);
      return;
    }
    if (typeof body !== 'object' || body === null) {
      fail('a view_submission answer must be empty or JSON with response_action');
      return;
    }
    const b = body as Json;
    switch (b.response_action) {
      case 'errors': {
        const errors = b.errors;
        if (typeof errors !== 'object' || errors === null || Array.isArray(errors)) {
          fail('response_action errors needs an errors object');
          return;
        }
        const inputIds = new Set(
          view.blocks
            .filter((x): x is Json => typeof x === 'object' && x !== null && (x as Json).type === 'input')
            .map((x) => String(x.block_id)),
        );
        const entries = Object.entries(errors as Json);
        const unknown = entries.filter(([blockId]) => !inputIds.has(blockId)).map(([blockId]) => blockId);
        if (unknown.length > 0 || entries.some(([, m]) => typeof m !== 'string')) {
          fail(`errors must map input block_ids to strings; not input blocks of this view: ${unknown.join(', ')}`);
          return;
        }
        view.errors = Object.fromEntries(entries as Array<[string, string]>);
        ws.emit({ type: 'view', userId: u.id, viewId: view.id });
        return;
      }
      case 'update':
      case 'push': {
        const problems = validateView(b.view);
        if (problems.length > 0) {
          fail(`invalid view: ${problems.join('; ')}`);
          return;
        }
        if (b.response_action === 'update') {
          replaceView(ws, view, b.view as Json);
          return;
        }
        if (stackOf(ws, u.id).length >= MAX_VIEW_STACK) {
          fail('push_limit_reached: a modal holds at most 3 views');
          return;
        }
        pushModal(ws, u.id, b.view as Json);
        return;
      }
      case 'clear':
        clearStack(ws, u.id);
        return;
      default:
        fail(`unknown response_action ${String(b.response_action)}`);
    }
  };

  return {
    async sendSlashCommand(raw) {
      const input = parse(slashInput, raw, 'sendSlashCommand');
      const u = user(input.userId);
      const c = channel(input.channelId);
      if (c.isPrivate && !c.isIm) member(u, c);
      const command = input.command ?? '/incident';
      const triggerId = triggers.issue(u.id);
      const responseUrl = responseUrls.issue({ kind: 'commands', userId: u.id, channelId: c.id });
      const payload: Json = {
        token: ws.bot.verificationToken,
        team_id: ws.team.id,
        team_domain: ws.team.domain,
        channel_id: c.id,
        channel_name: c.isIm ? 'directmessage' : c.name,
        user_id: u.id,
        user_name: u.name,
        command,
        text: input.text,
        api_app_id: ws.bot.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl,
        trigger_id: triggerId,
      };
      const result = await sender.send({ kind: 'slash_command', payload, encoding: 'form', triggerId, responseUrl });
      if (result.ok) applyCommandAck(result, c, u, command, input.text);
      else if (result.error !== 'no_request_url') {
        slackbotNotice(
          c,
          u,
          `${command} failed with the error "${result.error === 'operation_timeout' ? 'operation_timeout' : 'dispatch_failed'}"`,
        );
      }
      return result;
    },

    async clickButton(raw) {
      const input = parse(clickInput, raw, 'clickButton');
      const u = user(input.userId);
      const surface = surfaceOf(input, u);
      const found = findElement(surface.blocks, input.actionId, input.blockId);
      const type = found.element.type;
      if (type !== 'button' && type !== 'workflow_button' && type !== 'icon_button') {
        throw invalid(`"${input.actionId}" is a ${String(type)}, not a button: use selectOption`, 'actionId');
      }
      if (input.value !== undefined && found.element.value !== input.value) {
        throw invalid(
          `button "${input.actionId}" has value ${String(found.element.value)}, not ${input.value}`,
          'value',
        );
      }
      return sendBlockAction(u, surface, found);
    },

    async selectOption(raw) {
      const input = parse(selectInput, raw, 'selectOption');
      const u = user(input.userId);
      const surface = surfaceOf(input, u);
      const found = findElement(surface.blocks, input.actionId, input.blockId);
      if (found.element.type === 'button')
        throw invalid(`"${input.actionId}" is a button: use clickButton`, 'actionId');
      const state = stateValue(found.element, input.value);
      for (const id of [state.selected_user, ...(Array.isArray(state.selected_users) ? state.selected_users : [])]) {
        if (typeof id === 'string' && !ws.users.has(id)) throw invalid(`no user ${id}`, 'value');
      }
      for (const id of [state.selected_conversation, state.selected_channel]) {
        if (typeof id === 'string' && !ws.channels.has(id)) throw invalid(`no channel ${id}`, 'value');
      }
      return sendBlockAction(u, surface, found, state);
    },

    async submitView(raw) {
      const input = parse(submitInput, raw, 'submitView');
      const u = user(input.userId);
      const view = topModal(u, input.viewId);
      if (view.submit === undefined) throw invalid('this modal has no submit button', 'viewId');

      const inputs = view.blocks.filter(
        (b): b is Json => typeof b === 'object' && b !== null && (b as Json).type === 'input',
      );
      for (const [blockId, actions] of Object.entries(input.values)) {
        const block = inputs.find((b) => b.block_id === blockId);
        if (!block) throw invalid(`no input block "${blockId}" in the modal`, `values.${blockId}`);
        const element = block.element as Json;
        for (const actionId of Object.keys(actions)) {
          if (element.action_id !== actionId)
            throw invalid(`no element "${actionId}" in block "${blockId}"`, `values.${blockId}.${actionId}`);
        }
      }
      const values: Record<string, Record<string, unknown>> = {};
      const clientErrors: Record<string, string> = {};
      for (const block of inputs) {
        const blockId = String(block.block_id);
        const element = block.element as Json;
        const actionId = String(element.action_id);
        const provided = input.values[blockId]?.[actionId];
        const state =
          provided !== undefined
            ? stateValue(element, provided)
            : ((view.state.values[blockId]?.[actionId] as Json | undefined) ?? initialState(element));
        values[blockId] = { [actionId]: state };
        if (block.optional !== true && isEmptyState(state)) clientErrors[blockId] = REQUIRED_FIELD_MESSAGE;
        const text = typeof state.value === 'string' ? [...state.value].length : undefined;
        if (text !== undefined && typeof element.min_length === 'number' && text > 0 && text < element.min_length) {
          clientErrors[blockId] = `Must be at least ${element.min_length} characters.`;
        }
        if (text !== undefined && typeof element.max_length === 'number' && text > element.max_length) {
          clientErrors[blockId] = `Must be at most ${element.max_length} characters.`;
        }
      }
      view.state = { values };
      if (Object.keys(clientErrors).length > 0) {
        // Slack's client refuses to submit; nothing reaches the app.
        view.errors = clientErrors;
        ws.emit({ type: 'view', userId: u.id, viewId: view.id });
        return {
          kind: 'view_submission',
          delivered: false,
          ok: false,
          status: 0,
          body: undefined,
          ackMs: 0,
          error: 'incomplete_form',
          detail: Object.entries(clientErrors)
            .map(([b, m]) => `${b}: ${m}`)
            .join('; '),
          payload: {},
          requestBody: '',
          sentAt: Date.now(),
        };
      }
      delete view.errors;

      const responseUrlsOut: Json[] = [];
      for (const block of inputs) {
        const element = block.element as Json;
        if (element.response_url_enabled !== true) continue;
        const state = values[String(block.block_id)]?.[String(element.action_id)] as Json | undefined;
        const channelId = (state?.selected_conversation ?? state?.selected_channel) as string | null | undefined;
        if (typeof channelId !== 'string') continue;
        responseUrlsOut.push({
          block_id: block.block_id,
          action_id: element.action_id,
          channel_id: channelId,
          response_url: responseUrls.issue({ kind: 'commands', userId: u.id, channelId }),
        });
      }
      const triggerId = triggers.issue(u.id);
      const payload: Json = {
        type: 'view_submission',
        team: teamObj(),
        user: userObj(u),
        api_app_id: ws.bot.appId,
        token: ws.bot.verificationToken,
        trigger_id: triggerId,
        view: wireView(view),
        response_urls: responseUrlsOut,
        is_enterprise_install: false,
        enterprise: null,
      };
      const result = await sender.send({ kind: 'view_submission', payload, encoding: 'payload', triggerId });
      applySubmissionAck(result, u, view);
      return result;
    },

    async closeView(raw) {
      const input = parse(closeInput, raw, 'closeView');
      const u = user(input.userId);
      const view = topModal(u, input.viewId);
      const closed = closeTop(ws, u.id);
      const payload: Json = {
        type: 'view_closed',
        team: teamObj(),
        user: userObj(u),
        api_app_id: ws.bot.appId,
        token: ws.bot.verificationToken,
        view: wireView(view),
        is_cleared: closed.length > 1,
        is_enterprise_install: false,
        enterprise: null,
      };
      if (!view.notify_on_close) {
        return {
          kind: 'view_closed',
          delivered: false,
          ok: true,
          status: 0,
          body: undefined,
          ackMs: 0,
          detail: 'notify_on_close is off: Slack sends nothing',
          payload,
          requestBody: '',
          sentAt: Date.now(),
        };
      }
      return sender.send({ kind: 'view_closed', payload, encoding: 'payload' });
    },

    async postUserMessage(raw) {
      const input = parse(messageInput, raw, 'postUserMessage');
      const u = user(input.userId);
      const c = channel(input.channelId);
      member(u, c);
      if (c.isArchived) throw invalid(`#${c.name} is archived`, 'channelId');
      let threadTs: string | undefined;
      if (input.threadTs !== undefined) {
        const parent = ws.findMessage(c.id, input.threadTs);
        if (!parent) throw invalid(`no message ${input.threadTs} in #${c.name}`, 'threadTs');
        threadTs = parent.thread_ts ?? parent.ts;
      }
      const message = ws.insertMessage(
        c.id,
        {
          user: u.id,
          text: input.text,
          team: ws.team.id,
          client_msg_id: clientMsgId(ws),
          blocks: composerBlocks(input.text, ws.ids.hex(5)),
        },
        threadTs === undefined ? {} : { threadTs },
      );
      const deliveries: InboundResult[] = [];
      const event = messageEvent(message, c);
      const sent = await events.fromUser(event, c.id);
      if (sent) deliveries.push(sent);
      if (input.text.includes(`<@${ws.bot.userId}>`) && !c.isIm) {
        const { channel_type: _type, ...rest } = event;
        const mention = await events.fromUser({ ...rest, type: 'app_mention' }, c.id);
        if (mention) deliveries.push(mention);
      }
      return { ts: message.ts, deliveries };
    },

    async addReaction(raw) {
      const input = parse(reactionInput, raw, 'addReaction');
      const u = user(input.userId);
      const c = channel(input.channelId);
      member(u, c);
      const message = ws.findMessage(c.id, input.ts);
      if (!message) throw invalid(`no message ${input.ts} in #${c.name}`, 'ts');
      const reactions = message.reactions ?? [];
      const existing = reactions.find((r) => r.name === input.name);
      if (existing?.users.includes(u.id)) throw invalid(`${u.name} already reacted with :${input.name}:`, 'name');
      if (existing) {
        existing.users.push(u.id);
        existing.count += 1;
      } else {
        reactions.push({ name: input.name, users: [u.id], count: 1 });
      }
      message.reactions = reactions;
      ws.emit({ type: 'message', channel: c.id, ts: message.ts });
      const result = await events.fromUser(
        {
          type: 'reaction_added',
          user: u.id,
          reaction: input.name,
          item: { type: 'message', channel: c.id, ts: message.ts },
          ...(message.user !== undefined ? { item_user: message.user } : {}),
          event_ts: ws.ids.ts(ws.clock.now()),
        },
        c.id,
      );
      return result ?? notSubscribed('reaction_added', c);
    },

    async joinChannel(raw) {
      const input = parse(joinInput, raw, 'joinChannel');
      const u = user(input.userId);
      const c = channel(input.channelId);
      if (c.isIm) throw invalid('cannot join a direct message', 'channelId');
      if (c.members.includes(u.id)) throw invalid(`${u.name} is already in #${c.name}`, 'channelId');
      const joined = recordJoin(methodCtx, c, u.id);
      await events.fromUser(joined.message, c.id);
      const result = await events.fromUser(joined.memberJoined, c.id);
      return result ?? notSubscribed('member_joined_channel', c);
    },

    async verifyRequestUrl() {
      const challenge = ws.ids.hex(48);
      const payload = { token: ws.bot.verificationToken, challenge, type: 'url_verification' };
      const result = await sender.send({ kind: 'url_verification', payload, encoding: 'json' });
      if (result.ok) {
        const body = result.body;
        const echoed = typeof body === 'object' && body !== null ? (body as Json).challenge : body;
        if (echoed !== challenge) {
          result.ok = false;
          result.error = 'invalid_response';
          result.detail = 'the answer did not echo the challenge';
        }
      }
      return result;
    },
  };

  function notSubscribed(type: string, c: Channel): InboundResult {
    return {
      kind: 'event_callback',
      delivered: false,
      ok: true,
      status: 0,
      body: undefined,
      ackMs: 0,
      detail: `the bot is not in #${c.name}, so Slack sends no ${type} event`,
      payload: {},
      requestBody: '',
      sentAt: Date.now(),
    };
  }
}
