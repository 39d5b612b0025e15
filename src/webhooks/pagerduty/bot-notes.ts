/**
 * Notes the bot itself wrote to PagerDuty (📌 on a Slack message, `/incident note`, the resolve modal) come back
 * as `incident.annotated` webhooks. They must not be mirrored into Slack again. Whoever writes a note through the
 * bot marks it *before* calling PagerDuty (so the webhook can never outrun the mark), by content, and after the
 * write by note id; the webhook reaction checks both marks. Marks live in the store's `processed_keys` (7 days),
 * shared by every replica.
 */
import { createHash } from 'node:crypto';
import type { ProcessedKeys } from '../../store/index.js';

/** Whitespace-insensitive, Unicode-normalised content, as PagerDuty may trim what it stores. */
export function normaliseNoteContent(content: string): string {
  return content.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Key marking a note by incident and content hash. */
export function botNoteContentKey(incidentId: string, content: string): string {
  const hash = createHash('sha256').update(normaliseNoteContent(content)).digest('hex').slice(0, 32);
  return `pagerduty:bot-note:${incidentId}:${hash}`;
}

/** Key marking a note by its PagerDuty id. */
export function botNoteIdKey(noteId: string): string {
  return `pagerduty:bot-note-id:${noteId}`;
}

/**
 * Marks a note as written by the bot. Call with `{ incidentId, content }` before `add_incident_note`, and again
 * with the returned `noteId` after it. Idempotent.
 */
export async function markBotNote(
  keys: Pick<ProcessedKeys, 'claimOnce'>,
  note: { incidentId: string; content: string; noteId?: string | undefined },
): Promise<void> {
  await keys.claimOnce(botNoteContentKey(note.incidentId, note.content));
  if (note.noteId) await keys.claimOnce(botNoteIdKey(note.noteId));
}

/** True when the note was marked by `markBotNote` (by id or by content). */
export async function isBotNote(
  keys: Pick<ProcessedKeys, 'has'>,
  note: { incidentId: string; content: string; noteId: string },
): Promise<boolean> {
  if (await keys.has(botNoteIdKey(note.noteId))) return true;
  return keys.has(botNoteContentKey(note.incidentId, note.content));
}
