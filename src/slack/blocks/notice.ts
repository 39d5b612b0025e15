/**
 * Short ephemeral notices (errors, confirmations) and the "working…" placeholder that AI posts replace.
 */
import { fallbackText } from '../text.js';
import { context, section } from './kit.js';
import type { MessagePayload } from './model.js';

export type NoticeKind = 'error' | 'info' | 'success' | 'warning';

const ICON: Record<NoticeKind, string> = { error: '❌', info: 'ℹ️', success: '✅', warning: '⚠️' };

/** A one-section notice. `mrkdwnText` must be trusted or escaped already. */
export function buildNotice(kind: NoticeKind, mrkdwnText: string): MessagePayload {
  const readable = mrkdwnText
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  return { text: fallbackText(readable), blocks: [section(`${ICON[kind]} ${mrkdwnText}`)] };
}

/** The placeholder posted at once while an AI job runs. `what` is trusted text such as "AI triage for #42". */
export function buildWorking(what: string): MessagePayload {
  return { text: `Working on ${what}…`, blocks: [context([`⏳ Working on ${what}…`])] };
}
