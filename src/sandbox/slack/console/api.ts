/// <reference lib="dom" />
/** The console's JSON API client (`/console/api/…`) and its live-update stream. */

export interface ConsoleUser {
  id: string;
  name: string;
  realName: string;
  isBot: boolean;
}

export interface ConsoleChannel {
  id: string;
  name: string;
  isPrivate: boolean;
  isIm: boolean;
  isArchived: boolean;
  isMember: boolean;
  memberCount: number;
}

export interface ConsoleMessage {
  channel: string;
  ts: string;
  text: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  thread_ts?: string;
  reply_count?: number;
  edited?: { user: string; ts: string };
  reactions?: Array<{ name: string; users: string[]; count: number }>;
  pinned_to?: string[];
  replies?: ConsoleMessage[];
}

export interface ConsoleView {
  id: string;
  type: 'modal' | 'home';
  title?: { text: string };
  submit?: { text: string };
  close?: { text: string };
  blocks: unknown[];
  hash: string;
  errors: Record<string, string>;
}

export interface ConsoleIncident {
  id: string;
  number: number;
  title: string;
  status: string;
  urgency: string;
  service: string;
  assignees: string[];
  createdAt: string;
}

export interface ConsoleState {
  team: { id: string; name: string; domain: string };
  bot: { userId: string; name: string };
  users: ConsoleUser[];
  channels: ConsoleChannel[];
  channel: {
    id: string;
    name: string;
    isIm: boolean;
    topic: string;
    purpose: string;
    bookmarks: Array<{ title: string; link: string }>;
    pins: string[];
    isMember: boolean;
  } | null;
  messages: ConsoleMessage[];
  /** How many older messages the console does not show. */
  olderMessages: number;
  ephemerals: ConsoleMessage[];
  views: ConsoleView[];
  failures: Array<{ kind: string; error?: string; detail?: string; status: number; sentAt: number }>;
  /** A banner from whoever runs the sandbox (e.g. "incident-bot is starting"). */
  notice: { level: 'info' | 'warning'; text: string } | null;
  sidePanel: {
    services: Array<{ id: string; name: string }>;
    incidents: ConsoleIncident[];
    oncall: Array<{ schedule: string; level: number; user: string }>;
  } | null;
}

/** What an action answered: `ok` false carries Slack's error (dispatch_failed, operation_timeout…). */
export interface ActionResult {
  ok: boolean;
  error?: string;
  detail?: string;
}

export async function getState(user: string, channel: string): Promise<ConsoleState> {
  const params = new URLSearchParams({ user, channel });
  const res = await fetch(`/console/api/state?${params.toString()}`);
  if (!res.ok) throw new Error(`state: HTTP ${res.status}`);
  return (await res.json()) as ConsoleState;
}

export async function post(path: string, body: unknown): Promise<ActionResult> {
  const res = await fetch(`/console/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({ ok: false, error: `HTTP ${res.status}` }))) as ActionResult;
  if (!res.ok) return { ok: false, error: json.error ?? `HTTP ${res.status}` };
  return json;
}

/** Calls `onChange` whenever the workspace changes (Server-Sent Events); returns a stop function. */
export function subscribe(onChange: () => void, onStatus: (live: boolean) => void): () => void {
  const source = new EventSource('/console/api/events');
  source.addEventListener('change', () => onChange());
  source.addEventListener('open', () => onStatus(true));
  source.addEventListener('error', () => onStatus(false));
  return () => source.close();
}
