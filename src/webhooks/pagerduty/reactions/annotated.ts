import type { JobContext, JobHandler } from '../../../store/index.js';
import { runTool } from '../../../tools/define-tool.js';
import { listIncidentNotes } from '../../../tools/incidents/list-incident-notes.js';
import { buildNoteMirror } from '../blocks/note-mirror.js';
import { isBotNote } from '../bot-notes.js';
import { observeProcessed, type ReactionDeps } from './deps.js';
import { agentOf, parseJobEvent } from './job-event.js';

/** The note was posted in the thread (a retried job never posts it twice). */
export const noteMirroredKey = (noteId: string): string => `webhook:note-mirrored:${noteId}`;

/**
 * `incident.annotated`: a note written in PagerDuty (or by another tool) is recorded in the incident's timeline
 * and mirrored into the card's thread. Notes the bot wrote itself are recognised (marked via `markBotNote`, or
 * recorded in the timeline from Slack): they are kept in the timeline but not echoed into Slack. A note PagerDuty
 * shortened in the webhook is read in full.
 */
export function createAnnotatedReaction(deps: ReactionDeps): JobHandler {
  return async (raw: unknown, job: JobContext) => {
    const parsed = parseJobEvent(raw);
    if (parsed.kind !== 'note') throw new Error('annotated reaction got an incident event');
    const { note, event, payload } = parsed;
    const incidentId = note.incident.id;
    const log = job.logger.child({ incidentId, noteId: note.id });

    const fromBot = await isBotNote(deps.store.processedKeys, { incidentId, content: note.content, noteId: note.id });

    let content = note.content;
    let trimmed = note.trimmed === true;
    if (trimmed && !fromBot) {
      try {
        const notes = await runTool(listIncidentNotes, { incident_id: incidentId }, deps.tools(job.signal));
        const full = notes.items.find((n) => n.id === note.id);
        if (full) {
          content = full.content;
          trimmed = false;
        }
      } catch (error) {
        log.warn({ err: error }, 'could not read the full note; mirroring the shortened one');
      }
    }

    const agent = agentOf(event);
    const occurredAt = Date.parse(event.occurred_at);
    const recorded = await deps.store.timeline.append({
      incidentId,
      source: 'note',
      ts: note.id,
      text: content,
      occurredAt,
      authorId: agent?.id ?? null,
      authorName: agent?.name ?? null,
    });
    if (fromBot || (!recorded.inserted && recorded.event.channelId !== null)) {
      // Written through the bot (📌, /incident note, the resolve form): Slack already shows it.
      log.debug('note written through the bot; kept in the timeline, not mirrored');
      observeProcessed(deps, 'incident.annotated', payload.receivedAt);
      return;
    }

    const key = noteMirroredKey(note.id);
    if (await deps.store.processedKeys.claimOnce(key)) {
      try {
        await deps.slack.postInThread(
          incidentId,
          buildNoteMirror({ author: agent?.name ?? null, content, occurredAt, trimmed }),
        );
      } catch (error) {
        await deps.store.processedKeys.release(key);
        throw error;
      }
    }
    observeProcessed(deps, 'incident.annotated', payload.receivedAt);
  };
}
