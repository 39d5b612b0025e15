/**
 * A PagerDuty note mirrored into the incident card's thread, so people in Slack see what was written in the
 * PagerDuty app or by another tool. Long notes are split across sections (never cut silently).
 */
import { context, LIMITS, section } from '../../../slack/blocks/kit.js';
import type { Block, MessagePayload } from '../../../slack/blocks/model.js';
import { fallbackText, mrkdwn, slackDate, splitText } from '../../../slack/text.js';

export interface NoteMirrorInput {
  author: string | null;
  content: string;
  occurredAt: number;
  /** PagerDuty said the webhook carried a shortened note and the full text could not be read. */
  trimmed: boolean;
}

/** Sections of at most 3,000 characters each (blocks per message stay far below 50: PagerDuty notes are short). */
const MAX_SECTIONS = 20;

export function buildNoteMirror(input: NoteMirrorInput): MessagePayload {
  const author = input.author ? `*${mrkdwn(input.author, 100)}*` : 'Someone';
  const escaped = mrkdwn(input.content.trim() === '' ? '(empty note)' : input.content, 60_000);
  const chunks = splitText(escaped, LIMITS.sectionText - 10).slice(0, MAX_SECTIONS);
  const blocks: Block[] = [
    context([`📝 ${author} added a note in PagerDuty · ${slackDate(input.occurredAt, '{time}')}`]),
  ];
  for (const chunk of chunks) blocks.push(section(chunk));
  if (input.trimmed)
    blocks.push(context(['PagerDuty shortened this note; open the incident in PagerDuty for the rest.']));
  return { text: fallbackText(`Note from ${input.author ?? 'someone'}: ${input.content}`, 300), blocks };
}
