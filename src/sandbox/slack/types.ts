import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { SlackWorkspaceSnapshot } from './snapshot.js';

/** A user to seed; `id` is generated (U…) when absent. */
export interface SlackUserSeed {
  id?: string;
  name: string;
  realName: string;
  email: string;
  tz?: string;
  isBot?: boolean;
}

/** A channel to seed; `id` is generated when absent (C…, for private channels too, as Slack does today). */
export interface SlackChannelSeed {
  id?: string;
  name: string;
  isPrivate?: boolean;
  /** User ids or names; all seeded human users when absent. */
  members?: string[];
  /** Whether the bot is in the channel (default true). */
  botMember?: boolean;
  topic?: string;
  purpose?: string;
}

export interface SlackUsergroupSeed {
  id: string;
  handle: string;
  name: string;
  users: string[];
}

export interface SlackBotOptions {
  /** The bot token (xoxb-…) the Web API accepts. */
  token: string;
  /** Signs every inbound request (X-Slack-Signature v0). */
  signingSecret: string;
  /** The bot's `POST /slack/events` URL. */
  requestUrl?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  name?: string;
  /** OAuth scopes granted; methods needing another answer `missing_scope`. Default: every scope the methods need except `chat:write.public`. */
  scopes?: string[];
}

/** What the browser console's side panel shows and drives (the PagerDuty simulator, injected). */
export interface SidePanelAdapter {
  services(): Array<{ id: string; name: string }>;
  incidents(): Array<{
    id: string;
    number: number;
    title: string;
    status: string;
    urgency: string;
    service: string;
    assignees: string[];
    createdAt: string;
  }>;
  oncallNow(): Array<{ schedule: string; level: number; user: string }>;
  triggerIncident(input: { serviceId: string; title: string; urgency: 'high' | 'low' }): Promise<void> | void;
  alertStorm(input: { count: number }): Promise<void> | void;
  acknowledge(incidentId: string): Promise<void> | void;
  resolve(incidentId: string): Promise<void> | void;
}

export interface SlackEmulatorOptions {
  /** 0 (default) = ephemeral port; always bound to 127.0.0.1. */
  port?: number;
  team?: { id: string; name: string; domain: string };
  users?: SlackUserSeed[];
  /** Channels to create; `#general` is added when no seeded channel is named `general`. */
  channels?: SlackChannelSeed[];
  usergroups?: SlackUsergroupSeed[];
  bot: SlackBotOptions;
  /** Drives ts values, event_time, trigger_id expiry (3 s), response_url expiry (30 min) and rate limits. */
  clock?: Clock;
  /**
   * Clock for `X-Slack-Request-Timestamp`. Defaults to the system clock, because Bolt verifies it against real time
   * (requests older than 5 minutes are rejected) whatever clock the tests inject elsewhere.
   */
  signingClock?: Clock;
  /** chat.postMessage per-channel token bucket (Slack: ~1 message/s per channel with short bursts). Default 1/s, burst 5. */
  rateLimit?: { perChannelPerSecond: number; burst: number } | false;
  /** Serve the browser console at `/` (default true). */
  console?: boolean | { sidePanel?: SidePanelAdapter };
  logger?: Logger;
  /** Transport for inbound requests to the bot (default globalThis.fetch). */
  fetch?: typeof fetch;
  /** Slack's ack deadline; slower answers count as failed (default 3000 ms, real time). */
  ackTimeoutMs?: number;
  /**
   * Deliver the bot's own posts back to it as `message` events (with `bot_id`; `message_changed` / `message_deleted`
   * for edits and deletions), as Slack does for apps subscribed to `message.channels`. Default true.
   */
  echoBotMessages?: boolean;
  /** Seed of the id generator (ids are deterministic per seed). */
  seed?: number;
  /**
   * Start from this workspace (from `snapshot()`, checked with `parseSlackSnapshot`): team, people, channels,
   * messages, pins and Home tabs as they were; `team`, `users`, `channels`, `usergroups` and `seed` are then ignored,
   * and new ids come from a freshly forked stream (not reproducible) so none repeats one made before. The bot's
   * token and secret stay `bot`'s.
   */
  restore?: SlackWorkspaceSnapshot;
}

/** A banner the console shows above the messages (e.g. "the app is starting"). */
export interface ConsoleNotice {
  level: 'info' | 'warning';
  text: string;
}

export interface SlackUser {
  id: string;
  teamId: string;
  name: string;
  realName: string;
  email: string;
  tz: string;
  isBot: boolean;
  botId?: string;
  deleted: boolean;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isArchived: boolean;
  isGeneral: boolean;
  /** Unix seconds. */
  created: number;
  creator: string;
  members: string[];
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
  bookmarks: Bookmark[];
  /** For DMs: the other user. */
  imUser?: string;
}

export interface Bookmark {
  id: string;
  channel_id: string;
  title: string;
  link: string;
  emoji: string;
  icon_url: string | null;
  type: string;
  entity_id: string | null;
  date_created: number;
  date_updated: number;
  rank: string;
  last_updated_by_user_id: string;
  last_updated_by_team_id: string;
  shortcut_id: string | null;
  app_id: string | null;
}

export interface Reaction {
  name: string;
  users: string[];
  count: number;
}

/**
 * A message as Slack sends it (conversations.history shape), plus `channel`. Ephemeral messages carry `visibleTo`
 * (emulator field, never sent on the wire).
 */
export interface Message {
  channel: string;
  type: 'message';
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  subtype?: string;
  username?: string;
  team?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  reactions?: Reaction[];
  pinned_to?: string[];
  client_msg_id?: string;
  /** System messages: who invited the joiner (channel_join), the new topic / purpose. */
  inviter?: string;
  topic?: string;
  purpose?: string;
  bot_profile?: {
    id: string;
    app_id: string;
    name: string;
    deleted: boolean;
    updated: number;
    team_id: string;
    icons: { image_36: string; image_48: string; image_72: string };
  };
  metadata?: unknown;
  mrkdwn?: boolean;
  /** Emulator only: the user who sees this ephemeral message. */
  visibleTo?: string;
}

/** A view (modal or Home tab) as Slack returns it, plus the owner and any submission errors (emulator fields). */
export interface View {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, unknown>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  submit_disabled: boolean;
  root_view_id: string;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
  /** Emulator only. */
  userId: string;
  /** Emulator only: `response_action: 'errors'` of the last submission, by block_id. */
  errors?: Record<string, string>;
}

/** One Web API call as the emulator saw it. */
export interface ApiCall {
  method: string;
  /** Arguments with JSON-encoded fields (`blocks`, `attachments`, `view`, …) decoded; the token is not kept. */
  args: Record<string, unknown>;
  status: number;
  response: Record<string, unknown>;
  ok: boolean;
  error?: string;
  /** Clock time (ms). */
  at: number;
}

export type InboundKind =
  | 'slash_command'
  | 'block_actions'
  | 'view_submission'
  | 'view_closed'
  | 'event_callback'
  | 'url_verification';

/** Why Slack would show the user an error for an inbound request. */
export type InboundError =
  | 'no_request_url'
  | 'dispatch_failed'
  | 'operation_timeout'
  | 'connection_failed'
  | 'invalid_response'
  | 'incomplete_form';

/** What happened when the emulator (playing Slack) sent one signed request to the bot. */
export interface InboundResult {
  kind: InboundKind;
  /** A request was sent (false e.g. for closeView without notify_on_close). */
  delivered: boolean;
  /** 2xx within the ack deadline, and an answer Slack accepts. */
  ok: boolean;
  /** HTTP status; 0 when there was no answer (timeout, connection failure). */
  status: number;
  /** The answer: parsed JSON, text, or undefined when empty. */
  body: unknown;
  /** Time to the bot's answer (real time, ms). */
  ackMs: number;
  error?: InboundError;
  /** Human-readable detail for `error`. */
  detail?: string;
  /** What was sent, parsed (the slash-command fields, the interactivity payload, or the event envelope). */
  payload: Record<string, unknown>;
  /** The exact signed body. */
  requestBody: string;
  eventId?: string;
  triggerId?: string;
  responseUrl?: string;
  /** Real time (ms since epoch) the request was sent. */
  sentAt: number;
}

export type SlackEmulatorChange =
  | { type: 'message'; channel: string; ts: string }
  | { type: 'ephemeral'; channel: string; userId: string; ts: string }
  | { type: 'channel'; channel: string }
  | { type: 'view'; userId: string; viewId: string }
  | { type: 'inbound'; kind: InboundKind; ok: boolean }
  | { type: 'api'; method: string };

export interface SlashCommandInput {
  userId: string;
  channelId: string;
  text: string;
  /** Default `/incident`. */
  command?: string;
}

export interface ClickButtonInput {
  userId: string;
  /** The message's channel (omit for a button inside a modal: give viewId). */
  channelId?: string;
  messageTs?: string;
  viewId?: string;
  actionId: string;
  blockId?: string;
  /** Checked against the button's own value when given. */
  value?: string;
  threadTs?: string;
}

export interface SelectOptionInput {
  userId: string;
  channelId?: string;
  messageTs?: string;
  viewId?: string;
  actionId: string;
  blockId?: string;
  /** Option value (overflow, static_select, radio_buttons), user id, conversation id, date, or a list for multi selects and checkboxes. */
  value: string | string[];
}

export interface SubmitViewInput {
  userId: string;
  viewId: string;
  /** block_id → action_id → a plain value (string / string[]) or a full Slack state object (`{ type, value }`, …). */
  values: Record<string, Record<string, unknown>>;
}

export interface SlackEmulator {
  /** http://127.0.0.1:PORT/ — the console at '/', the Web API at `${url}api/`. */
  url: string;
  /** `${url}api/`: pass as `slackApiUrl`. */
  apiUrl: string;
  team: { id: string; name: string; domain: string };
  bot: { userId: string; botId: string; appId: string; name: string; token: string };
  setRequestUrl(url: string): void;
  /** Sends Slack's `url_verification` challenge to the request URL; ok when the bot echoes the challenge. */
  verifyRequestUrl(): Promise<InboundResult>;

  sendSlashCommand(input: SlashCommandInput): Promise<InboundResult>;
  clickButton(input: ClickButtonInput): Promise<InboundResult>;
  selectOption(input: SelectOptionInput): Promise<InboundResult>;
  submitView(input: SubmitViewInput): Promise<InboundResult>;
  closeView(input: { userId: string; viewId: string }): Promise<InboundResult>;
  postUserMessage(input: {
    userId: string;
    channelId: string;
    text: string;
    threadTs?: string;
  }): Promise<{ ts: string; deliveries: InboundResult[] }>;
  addReaction(input: { userId: string; channelId: string; ts: string; name: string }): Promise<InboundResult>;
  joinChannel(input: { userId: string; channelId: string }): Promise<InboundResult>;
  /** Re-sends the last event a person caused (same event_id) with X-Slack-Retry-Num / X-Slack-Retry-Reason. */
  redeliverLastEvent(options?: { retryNum: number; retryReason?: string }): Promise<InboundResult>;

  user(idOrNameOrEmail: string): SlackUser | undefined;
  users(): SlackUser[];
  channel(nameOrId: string): Channel | undefined;
  channels(): Channel[];
  /** Top-level messages (and thread broadcasts) of a channel, oldest first. */
  messages(channelId: string): Message[];
  /** Replies of a thread, oldest first, without the parent. */
  replies(channelId: string, threadTs: string): Message[];
  message(channelId: string, ts: string): Message | undefined;
  ephemerals(userId: string, channelId?: string): Message[];
  /** The user's modal stack, bottom first. */
  openViews(userId: string): View[];
  view(viewId: string): View | undefined;
  homeView(userId: string): View | undefined;
  pins(channelId: string): string[];
  calls(method?: string): ApiCall[];
  /** Every inbound request sent so far, oldest first. */
  inbound(kind?: InboundKind): InboundResult[];
  /** Polls (and wakes on every change) until the predicate returns something other than undefined/null/false. */
  waitFor<T>(predicate: () => T | undefined | null | false, options?: { timeoutMs?: number }): Promise<T>;
  on(event: 'change', listener: (change: SlackEmulatorChange) => void): () => void;
  /** The workspace as plain JSON for a later `startSlackEmulator({ restore })` (modals and ephemerals excluded). */
  snapshot(): SlackWorkspaceSnapshot;
  /** Shows (or, with undefined, removes) a banner in the console, e.g. while the app behind it starts. */
  setNotice(notice: ConsoleNotice | undefined): void;
  notice(): ConsoleNotice | undefined;
  close(): Promise<void>;
}
