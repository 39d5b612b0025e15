/**
 * `timeline_events`: what happened in an incident as seen from Slack (channel messages, pins, notes, the bot's
 * own posts), kept in time order for postmortems. Appending is idempotent on (incident, source, ts), so a
 * redelivered Slack event never doubles a line.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { Instant, PagerDutyId, SlackId, SlackTs, slackTsToDate } from './ids.js';
import { cleanText, parseInput, toMillis } from './validate.js';

export const TIMELINE_SOURCES = ['message', 'pin', 'note', 'bot_post'] as const;
export type TimelineSource = (typeof TIMELINE_SOURCES)[number];

/** Longest text kept per event (Slack's own message limit). */
export const TIMELINE_TEXT_MAX = 40_000;

export interface TimelineEvent {
  id: string;
  incidentId: string;
  source: TimelineSource;
  /** Slack message ts (message, pin, bot_post) or the note's id (note). */
  ts: string;
  occurredAt: Date;
  channelId: string | null;
  /** Slack user / bot id or PagerDuty user id. */
  authorId: string | null;
  authorName: string | null;
  text: string;
  /** True once the text was replaced by `edit`. */
  edited: boolean;
  createdAt: Date;
}

export interface TimelineEventInput {
  incidentId: string;
  source: TimelineSource;
  ts: string;
  text: string;
  /** Defaults to the time the Slack ts stands for, or now for notes. */
  occurredAt?: Date | number | undefined;
  channelId?: string | null | undefined;
  authorId?: string | null | undefined;
  authorName?: string | null | undefined;
}

export interface Timeline {
  /** Records an event once; a repeat of (incident, source, ts) changes nothing and returns the stored event. */
  append(event: TimelineEventInput): Promise<{ inserted: boolean; event: TimelineEvent }>;
  /** Replaces the text of a recorded event (Slack `message_changed`); false if there is none. */
  edit(incidentId: string, source: TimelineSource, ts: string, text: string): Promise<boolean>;
  /** Forgets an event (Slack `message_deleted`); false if there was none. */
  remove(incidentId: string, source: TimelineSource, ts: string): Promise<boolean>;
  /** Events of an incident, oldest first (`limit` default 1,000, at most 10,000). */
  list(incidentId: string, options?: { limit?: number; since?: Date | number }): Promise<TimelineEvent[]>;
}

const Text = z
  .string()
  .transform(cleanText)
  .pipe(z.string().max(TIMELINE_TEXT_MAX, `must be at most ${TIMELINE_TEXT_MAX} characters`));
const AuthorId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'expected a Slack or PagerDuty id');
const NoteId = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'expected a note id (letters, digits, . _ : -)');

const InputSchema = z
  .strictObject({
    incidentId: PagerDutyId,
    source: z.enum(TIMELINE_SOURCES),
    ts: z.string(),
    text: Text,
    occurredAt: Instant.optional(),
    channelId: SlackId.nullable().optional(),
    authorId: AuthorId.nullable().optional(),
    authorName: z.string().transform(cleanText).pipe(z.string().max(256)).nullable().optional(),
  })
  .superRefine((v, ctx) => {
    const schema = v.source === 'note' ? NoteId : SlackTs;
    const result = schema.safeParse(v.ts);
    if (!result.success) {
      ctx.addIssue({ code: 'custom', path: ['ts'], message: result.error.issues[0]?.message ?? 'invalid ts' });
    }
  });

const KeySchema = z
  .object({ incidentId: PagerDutyId, source: z.enum(TIMELINE_SOURCES), ts: z.string().trim().min(1).max(128) })
  .strict();

const ListOptions = z.strictObject({
  limit: z.number().int().min(1).max(10_000).optional(),
  since: Instant.optional(),
});

interface Row {
  id: number | string;
  incident_id: string;
  source: TimelineSource;
  ts: string;
  occurred_at: Date;
  channel_id: string | null;
  author_id: string | null;
  author_name: string | null;
  text: string;
  edited: boolean;
  created_at: Date;
}

function fromRow(r: Row): TimelineEvent {
  return {
    id: String(r.id),
    incidentId: r.incident_id,
    source: r.source,
    ts: r.ts,
    occurredAt: new Date(toMillis(r.occurred_at)),
    channelId: r.channel_id,
    authorId: r.author_id,
    authorName: r.author_name,
    text: r.text,
    edited: r.edited,
    createdAt: new Date(toMillis(r.created_at)),
  };
}

/** The `timeline_events` repository over `db`. */
export function createTimeline(db: Db, deps: { clock: Clock }): Timeline {
  return {
    async append(event) {
      const e = parseInput(InputSchema, event, 'timeline event');
      const ts = e.ts.trim();
      const occurredAt = e.occurredAt ?? (e.source === 'note' ? new Date(deps.clock.now()) : slackTsToDate(ts));
      const inserted = await db.query<Row>(
        `INSERT INTO timeline_events
           (incident_id, source, ts, occurred_at, channel_id, author_id, author_name, text, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (incident_id, source, ts) DO NOTHING
         RETURNING *`,
        [
          e.incidentId,
          e.source,
          ts,
          occurredAt,
          e.channelId ?? null,
          e.authorId ?? null,
          e.authorName ?? null,
          e.text,
          new Date(deps.clock.now()),
        ],
      );
      if (inserted.rows[0]) return { inserted: true, event: fromRow(inserted.rows[0]) };
      const existing = await db.query<Row>(
        'SELECT * FROM timeline_events WHERE incident_id = $1 AND source = $2 AND ts = $3',
        [e.incidentId, e.source, ts],
      );
      return { inserted: false, event: fromRow(existing.rows[0] as Row) };
    },

    async edit(incidentId, source, ts, text) {
      const key = parseInput(KeySchema, { incidentId, source, ts }, 'timeline key');
      const body = parseInput(Text, text, 'timeline text');
      const { rowCount } = await db.query(
        `UPDATE timeline_events SET text = $4, edited = true
         WHERE incident_id = $1 AND source = $2 AND ts = $3`,
        [key.incidentId, key.source, key.ts, body],
      );
      return rowCount > 0;
    },

    async remove(incidentId, source, ts) {
      const key = parseInput(KeySchema, { incidentId, source, ts }, 'timeline key');
      const { rowCount } = await db.query(
        'DELETE FROM timeline_events WHERE incident_id = $1 AND source = $2 AND ts = $3',
        [key.incidentId, key.source, key.ts],
      );
      return rowCount > 0;
    },

    async list(incidentId, options = {}) {
      const incident = parseInput(PagerDutyId, incidentId, 'incident id');
      const opts = parseInput(ListOptions, options, 'timeline list options');
      const { rows } = await db.query<Row>(
        `SELECT * FROM timeline_events
         WHERE incident_id = $1 AND ($2::timestamptz IS NULL OR occurred_at >= $2)
         ORDER BY occurred_at, id
         LIMIT $3`,
        [incident, opts.since ?? null, opts.limit ?? 1000],
      );
      return rows.map(fromRow);
    },
  };
}
