/**
 * "Did the person get an answer?" for the fault suite: what a person sees after a slash command or a click —
 * an ephemeral reply, a modal, a card posted or changed, or an AI post finished in a thread — classified as a
 * result or as an error, and an error must say what failed (PagerDuty, Slack, or the time it took).
 */
import type { FaultOptions } from '../../src/sandbox/pagerduty/index.js';
import type { Message } from '../../src/sandbox/slack/index.js';
import type { BotStack } from '../helpers/bot-stack.js';

/** The outage PagerDuty is having (deterministic per seed, path and request count). */
export const OUTAGE: FaultOptions = {
  errorRate: 0.3,
  errorStatus: 500,
  rateLimitRate: 0.04,
  rateLimitBurst: 3,
  latencyMs: { min: 0, max: 500 },
  resetRate: 0.05,
};

export interface Answer {
  kind: 'result' | 'error';
  via: 'ephemeral' | 'modal' | 'message';
  text: string;
}

/** What was visible before the request, so only what it caused counts. */
export interface Baseline {
  user: string;
  ephemerals: number;
  views: Set<string>;
  /** ts of every bot message that existed (top level and replies, every channel). */
  messages: Map<string, string>;
}

/** Not final yet: the AI placeholder, or a failed attempt that will be retried. */
const WORKING = /Working on|Retrying…/;

/** Text of a message as a person would read it (blocks and fallback). */
export function messageText(m: Pick<Message, 'text' | 'blocks'> | undefined): string {
  return `${m?.text ?? ''} ${JSON.stringify(m?.blocks ?? [])}`;
}

function allBotMessages(s: BotStack): Message[] {
  const out: Message[] = [];
  for (const c of s.slack.channels()) {
    for (const m of s.slack.messages(c.id)) {
      if (m.bot_id) out.push(m);
      if (m.reply_count) for (const r of s.slack.replies(c.id, m.ts)) if (r.bot_id) out.push(r);
    }
  }
  return out;
}

export function baseline(s: BotStack, user: string): Baseline {
  const messages = new Map<string, string>();
  for (const m of allBotMessages(s)) messages.set(`${m.channel}:${m.ts}`, messageText(m));
  return {
    user,
    ephemerals: s.slack.ephemerals(user).length,
    views: new Set(s.slack.openViews(user).map((v) => v.id)),
    messages,
  };
}

/** An error a person can act on: it names the failing dependency or the wait, not just "something went wrong". */
export const NAMES_WHAT_FAILED =
  /Couldn't [^:]{3,80}: (?:PagerDuty|Slack|it took too long|the incident data)|Couldn't produce [^:]{3,60}(?: yet)?: [^ ]*(?:PagerDuty|pagerduty)/;

function classify(text: string, via: Answer['via']): Answer {
  return { kind: /Couldn['’]t /.test(text) ? 'error' : 'result', via, text };
}

export interface AnswerOptions {
  /** Only messages whose text matches count (e.g. the incident's title or number). */
  about?: RegExp;
  /** Also count an edit of an existing bot message matching `about` (card refreshes). */
  edits?: boolean;
  /** Only replies in this thread (the card's ts) count as messages. */
  thread?: string;
}

/**
 * The first answer the request produced since `base`, or undefined while there is none. An AI placeholder
 * ("Working on…") is not an answer until it is replaced.
 */
export function answerSince(s: BotStack, base: Baseline, options: AnswerOptions = {}): Answer | undefined {
  const fresh = s.slack.ephemerals(base.user).slice(base.ephemerals);
  const first = fresh[0];
  if (first) return classify(messageText(first), 'ephemeral');
  const view = s.slack.openViews(base.user).find((v) => !base.views.has(v.id));
  if (view) return { kind: 'result', via: 'modal', text: JSON.stringify(view.blocks) };
  for (const m of allBotMessages(s)) {
    const key = `${m.channel}:${m.ts}`;
    const text = messageText(m);
    if (WORKING.test(text)) continue;
    if (options.thread && (m.thread_ts !== options.thread || m.ts === options.thread)) continue;
    if (options.about && !options.about.test(text)) continue;
    const before = base.messages.get(key);
    if (before === undefined) return classify(text, 'message');
    if (options.edits && before !== text) return classify(text, 'message');
  }
  return undefined;
}
