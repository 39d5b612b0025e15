/**
 * `storm_windows`: shared state for the alert-storm summary. While incidents keep arriving in a channel less
 * than `windowMs` apart they join one window, and the channel gets one summary message (its ts kept here) that
 * is updated in place. `record` is serialised per channel with an advisory lock, so two replicas handling two
 * webhooks at once agree on the window. Post or update the summary from a job enqueued with
 * `orderingKey: 'storm:' + channelId`, so one summary job per channel runs at a time, in order: the first posts
 * and calls `setMessageTs`, later ones find the ts and update that message.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { Instant, PagerDutyId, SlackId, SlackTs } from './ids.js';
import { parseInput, toMillis } from './validate.js';

/** Default gap that closes a window. */
export const STORM_WINDOW_MS = 5 * 60 * 1000;

export interface StormWindow {
  id: string;
  channelId: string;
  openedAt: Date;
  /** When the latest incident joined. */
  lastAt: Date;
  /** Incident ids in arrival order, each once. */
  incidentIds: string[];
  /** The summary message, once posted. */
  messageTs: string | null;
}

export interface StormWindows {
  /**
   * Adds the incident to the channel's open window, or opens a new one when the last incident arrived more than
   * `windowMs` ago. `opened`: a new window began; `added`: the incident was not in the window yet.
   */
  record(
    channelId: string,
    incidentId: string,
    options?: { windowMs?: number; at?: Date | number },
  ): Promise<{ window: StormWindow; opened: boolean; added: boolean }>;
  /** Records the summary message's ts if none is recorded yet; false if one already was (nothing changes). */
  setMessageTs(windowId: string, messageTs: string): Promise<boolean>;
  get(windowId: string): Promise<StormWindow | undefined>;
  /** Deletes windows idle for longer than `olderThanMs` (default one day); returns how many. */
  purge(olderThanMs?: number): Promise<number>;
}

const WindowId = z.string().regex(/^\d{1,18}$/, 'expected a storm window id');
const RecordOptions = z.strictObject({
  windowMs: z.number().int().min(1).max(86_400_000).optional(),
  at: Instant.optional(),
});

interface Row {
  id: number | string;
  channel_id: string;
  opened_at: Date;
  last_at: Date;
  incident_ids: string[];
  message_ts: string | null;
}

function fromRow(r: Row): StormWindow {
  return {
    id: String(r.id),
    channelId: r.channel_id,
    openedAt: new Date(toMillis(r.opened_at)),
    lastAt: new Date(toMillis(r.last_at)),
    incidentIds: [...r.incident_ids],
    messageTs: r.message_ts,
  };
}

/** The `storm_windows` repository over `db`. */
export function createStormWindows(db: Db, deps: { clock: Clock }): StormWindows {
  return {
    async record(channelId, incidentId, options = {}) {
      const channel = parseInput(SlackId, channelId, 'channel id');
      const incident = parseInput(PagerDutyId, incidentId, 'incident id');
      const o = parseInput(RecordOptions, options, 'storm window options');
      const at = o.at ?? new Date(deps.clock.now());
      const windowMs = o.windowMs ?? STORM_WINDOW_MS;
      return db.transaction(async (tx) => {
        await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`incident_bot:storm:${db.namespace}:${channel}`]);
        const latest = await tx.query<Row>(
          'SELECT * FROM storm_windows WHERE channel_id = $1 ORDER BY id DESC LIMIT 1',
          [channel],
        );
        const open = latest.rows[0];
        if (open && toMillis(open.last_at) >= at.getTime() - windowMs) {
          if (open.incident_ids.includes(incident)) return { window: fromRow(open), opened: false, added: false };
          const updated = await tx.query<Row>(
            `UPDATE storm_windows
             SET incident_ids = incident_ids || jsonb_build_array($2::text), last_at = greatest(last_at, $3)
             WHERE id = $1 RETURNING *`,
            [open.id, incident, at],
          );
          return { window: fromRow(updated.rows[0] as Row), opened: false, added: true };
        }
        const inserted = await tx.query<Row>(
          `INSERT INTO storm_windows (channel_id, opened_at, last_at, incident_ids)
           VALUES ($1, $2, $2, jsonb_build_array($3::text)) RETURNING *`,
          [channel, at, incident],
        );
        return { window: fromRow(inserted.rows[0] as Row), opened: true, added: true };
      });
    },

    async setMessageTs(windowId, messageTs) {
      const id = parseInput(WindowId, windowId, 'storm window id');
      const ts = parseInput(SlackTs, messageTs, 'message ts');
      const { rowCount } = await db.query(
        'UPDATE storm_windows SET message_ts = $2 WHERE id = $1 AND message_ts IS NULL',
        [id, ts],
      );
      return rowCount > 0;
    },

    async get(windowId) {
      const id = parseInput(WindowId, windowId, 'storm window id');
      const { rows } = await db.query<Row>('SELECT * FROM storm_windows WHERE id = $1', [id]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async purge(olderThanMs = 86_400_000) {
      const { rowCount } = await db.query('DELETE FROM storm_windows WHERE last_at < $1', [
        new Date(deps.clock.now() - olderThanMs),
      ]);
      return rowCount;
    },
  };
}
