/**
 * Matches every request the load generator sent to the answer the person would see in Slack, from what the Slack
 * workspace emulator recorded (Web API calls and the messages as they are now) and from the response_url
 * collector. Each command is sent by a (person, channel) pair used once in the whole run, so an ephemeral reply
 * (chat.postEphemeral) belongs to exactly one command; AI answers replace a "Working on …" placeholder that names
 * the incident; a click's answer is its card (one card per click) updated to Acknowledged, or an ephemeral reply.
 */
import type { ApiCall, SlackEmulator } from '../src/sandbox/slack/index.js';

export type LoadKind = 'list' | 'oncall' | 'show' | 'triage' | 'ack' | 'click';

export interface TrackedRequest {
  id: number;
  step: number;
  kind: LoadKind;
  userId: string;
  channelId: string;
  /** The incident the request names (show, triage, ack, click). */
  incidentId?: string;
  /** Its number: a triage placeholder names the incident by number (or by id when PagerDuty did not answer). */
  incidentNumber?: number;
  /** The card clicked (clicks only). */
  cardTs?: string;
  /** Wall clock when it was sent (set from the sender's report). */
  sentAt: number;
}

export interface Answer {
  /** 'ok': the result; 'failure': a message naming what failed (still an answer). */
  outcome: 'ok' | 'failure';
  /** Wall clock of the Web API call (or response_url POST) that delivered it. */
  at: number;
  via: 'ephemeral' | 'ai post' | 'card update' | 'response_url';
}

/** A reply that names a failure ("Couldn't …", "Nothing was changed") rather than a result. */
const FAILURE = /Couldn't|Nothing was changed|not allowed|no PagerDuty account/;
const ACK_ACTION = 'incident_acknowledge';

const textOf = (call: ApiCall): string => (typeof call.args.text === 'string' ? call.args.text : '');

/** Answers by request id (requests without one are missing). */
export function matchAnswers(
  requests: readonly TrackedRequest[],
  slack: SlackEmulator,
  responseUrlPosts: ReadonlyMap<number, number[]>,
): Map<number, Answer> {
  const calls = slack.calls();
  const ephemerals = new Map<string, ApiCall[]>();
  const placeholders = new Map<string, Array<{ ts: string; channel: string }>>();
  const updates = new Map<string, ApiCall[]>();
  for (const call of calls) {
    if (!call.ok) continue;
    const channel = typeof call.args.channel === 'string' ? call.args.channel : '';
    if (call.method === 'chat.postEphemeral') {
      const key = `${String(call.args.user)}|${channel}`;
      ephemerals.set(key, [...(ephemerals.get(key) ?? []), call]);
    } else if (call.method === 'chat.postMessage') {
      const m = /^Working on AI triage for (#\d+|[A-Z0-9]+)…/.exec(textOf(call));
      const ts = typeof call.response.ts === 'string' ? call.response.ts : null;
      if (m && ts && call.args.thread_ts === undefined) {
        const key = `${channel}|${m[1]}`;
        placeholders.set(key, [...(placeholders.get(key) ?? []), { ts, channel }]);
      }
    } else if (call.method === 'chat.update') {
      const key = `${channel}|${String(call.args.ts)}`;
      updates.set(key, [...(updates.get(key) ?? []), call]);
    }
  }

  const answers = new Map<number, Answer>();
  const usedPlaceholders = new Set<string>();
  const fromEphemeral = (r: TrackedRequest): Answer | undefined => {
    const call = ephemerals.get(`${r.userId}|${r.channelId}`)?.[0];
    if (!call) return undefined;
    return { outcome: FAILURE.test(textOf(call)) ? 'failure' : 'ok', at: call.at, via: 'ephemeral' };
  };
  for (const r of [...requests].sort((a, b) => a.sentAt - b.sentAt)) {
    const posted = responseUrlPosts.get(r.id)?.[0];
    let answer: Answer | undefined =
      posted !== undefined ? { outcome: 'ok', at: posted, via: 'response_url' } : fromEphemeral(r);
    if (!answer && r.kind === 'triage') {
      const candidates = [
        ...(placeholders.get(`${r.channelId}|#${r.incidentNumber}`) ?? []),
        ...(placeholders.get(`${r.channelId}|${r.incidentId}`) ?? []),
      ];
      for (const p of candidates) {
        const key = `${p.channel}|${p.ts}`;
        if (usedPlaceholders.has(key)) continue;
        const now = slack.message(p.channel, p.ts)?.text ?? '';
        const final = now.startsWith('AI triage for') || (now.startsWith("Couldn't") && !now.includes('Retrying'));
        if (!final) continue;
        usedPlaceholders.add(key);
        const last = updates.get(key)?.at(-1);
        answer = { outcome: now.startsWith("Couldn't") ? 'failure' : 'ok', at: last?.at ?? 0, via: 'ai post' };
        break;
      }
    }
    if (!answer && r.kind === 'click' && r.cardTs !== undefined) {
      const card = slack.message(r.channelId, r.cardTs);
      const acknowledged =
        card?.text.includes('Acknowledged') === true && !JSON.stringify(card.blocks ?? []).includes(`"${ACK_ACTION}"`);
      if (acknowledged) {
        const update = updates
          .get(`${r.channelId}|${r.cardTs}`)
          ?.find((c) => c.at >= r.sentAt - 1000 && textOf(c).includes('Acknowledged'));
        answer = { outcome: 'ok', at: update?.at ?? 0, via: 'card update' };
      }
    }
    if (answer) answers.set(r.id, answer);
  }
  return answers;
}
