/**
 * `incident_links`: which Slack card, thread and incident channel belong to a PagerDuty incident, who holds the
 * incident roles, and the hash of the last card rendered (so unchanged cards are not re-sent to Slack).
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import { InvalidInputError } from '../shared/errors.js';
import { type Db, sqlStateOf } from './db.js';
import { PagerDutyId, SlackId, SlackTs } from './ids.js';
import { parseInput, toMillis } from './validate.js';

export interface IncidentLink {
  incidentId: string;
  teamId: string | null;
  /** Channel holding the incident card. */
  channelId: string | null;
  /** The card message's ts. */
  messageTs: string | null;
  /** Thread for triage, updates and the postmortem draft (usually the card's ts). */
  threadTs: string | null;
  /** The dedicated incident channel, if one was created. */
  incidentChannelId: string | null;
  commanderUserId: string | null;
  commsUserId: string | null;
  scribeUserId: string | null;
  /** Hash of the last card sent to Slack. */
  cardHash: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Fields to set; absent fields keep their value, `null` clears one. */
export type IncidentLinkPatch = Partial<Omit<IncidentLink, 'incidentId' | 'createdAt' | 'updatedAt'>>;

export interface IncidentLinks {
  /** The link for an incident, or undefined. */
  get(incidentId: string): Promise<IncidentLink | undefined>;
  /**
   * Creates the link or updates only the fields given. Throws `invalid_input` for malformed ids and when the
   * incident channel already belongs to another incident.
   */
  upsert(incidentId: string, patch: IncidentLinkPatch): Promise<IncidentLink>;
  /** The incident whose card is the message `messageTs` in `channelId`. */
  findByMessage(channelId: string, messageTs: string): Promise<IncidentLink | undefined>;
  /** The incident that owns a dedicated incident channel (for capturing its messages). */
  findByIncidentChannel(channelId: string): Promise<IncidentLink | undefined>;
  /** True when `cardHash` differs from the last one recorded (or nothing is recorded): the card needs an update. */
  cardChanged(incidentId: string, cardHash: string): Promise<boolean>;
  /** Deletes the link; true if one existed. */
  remove(incidentId: string): Promise<boolean>;
}

const nullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

const PatchSchema = z.strictObject({
  teamId: nullable(SlackId),
  channelId: nullable(SlackId),
  messageTs: nullable(SlackTs),
  threadTs: nullable(SlackTs),
  incidentChannelId: nullable(SlackId),
  commanderUserId: nullable(SlackId),
  commsUserId: nullable(SlackId),
  scribeUserId: nullable(SlackId),
  cardHash: nullable(z.string().min(1).max(128)),
});

const COLUMNS: Record<keyof z.infer<typeof PatchSchema>, string> = {
  teamId: 'team_id',
  channelId: 'channel_id',
  messageTs: 'message_ts',
  threadTs: 'thread_ts',
  incidentChannelId: 'incident_channel_id',
  commanderUserId: 'commander_user_id',
  commsUserId: 'comms_user_id',
  scribeUserId: 'scribe_user_id',
  cardHash: 'card_hash',
};

interface Row {
  incident_id: string;
  team_id: string | null;
  channel_id: string | null;
  message_ts: string | null;
  thread_ts: string | null;
  incident_channel_id: string | null;
  commander_user_id: string | null;
  comms_user_id: string | null;
  scribe_user_id: string | null;
  card_hash: string | null;
  created_at: Date;
  updated_at: Date;
}

function fromRow(r: Row): IncidentLink {
  return {
    incidentId: r.incident_id,
    teamId: r.team_id,
    channelId: r.channel_id,
    messageTs: r.message_ts,
    threadTs: r.thread_ts,
    incidentChannelId: r.incident_channel_id,
    commanderUserId: r.commander_user_id,
    commsUserId: r.comms_user_id,
    scribeUserId: r.scribe_user_id,
    cardHash: r.card_hash,
    createdAt: new Date(toMillis(r.created_at)),
    updatedAt: new Date(toMillis(r.updated_at)),
  };
}

/** The `incident_links` repository over `db`. */
export function createIncidentLinks(db: Db, deps: { clock: Clock }): IncidentLinks {
  const id = (v: unknown): string => parseInput(PagerDutyId, v, 'incident id');

  return {
    async get(incidentId) {
      const { rows } = await db.query<Row>('SELECT * FROM incident_links WHERE incident_id = $1', [id(incidentId)]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async upsert(incidentId, patch) {
      const incident = id(incidentId);
      const fields = parseInput(PatchSchema, patch, 'incident link');
      const keys = (Object.keys(COLUMNS) as Array<keyof typeof COLUMNS>).filter((k) => fields[k] !== undefined);
      const now = new Date(deps.clock.now());
      const params: unknown[] = [incident, now];
      const cols = keys.map((k) => {
        params.push(fields[k]);
        return COLUMNS[k];
      });
      const insertCols = ['incident_id', 'created_at', 'updated_at', ...cols];
      const insertVals = ['$1', '$2', '$2', ...cols.map((_, i) => `$${i + 3}`)];
      const updates = ['updated_at = EXCLUDED.updated_at', ...cols.map((c) => `${c} = EXCLUDED.${c}`)];
      try {
        const { rows } = await db.query<Row>(
          `INSERT INTO incident_links (${insertCols.join(', ')}) VALUES (${insertVals.join(', ')})
           ON CONFLICT (incident_id) DO UPDATE SET ${updates.join(', ')}
           RETURNING *`,
          params,
        );
        return fromRow(rows[0] as Row);
      } catch (error) {
        if (sqlStateOf(error) === '23505' && fields.incidentChannelId) {
          const owner = await db.query<{ incident_id: string }>(
            'SELECT incident_id FROM incident_links WHERE incident_channel_id = $1',
            [fields.incidentChannelId],
          );
          throw new InvalidInputError(
            `Channel ${fields.incidentChannelId} is already the incident channel of ${owner.rows[0]?.incident_id ?? 'another incident'}`,
            [{ path: 'incidentChannelId', message: 'already linked to another incident' }],
          );
        }
        throw error;
      }
    },

    async findByMessage(channelId, messageTs) {
      const channel = parseInput(SlackId, channelId, 'channel id');
      const ts = parseInput(SlackTs, messageTs, 'message ts');
      const { rows } = await db.query<Row>(
        'SELECT * FROM incident_links WHERE channel_id = $1 AND message_ts = $2 ORDER BY updated_at DESC LIMIT 1',
        [channel, ts],
      );
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async findByIncidentChannel(channelId) {
      const channel = parseInput(SlackId, channelId, 'channel id');
      const { rows } = await db.query<Row>('SELECT * FROM incident_links WHERE incident_channel_id = $1', [channel]);
      return rows[0] ? fromRow(rows[0]) : undefined;
    },

    async cardChanged(incidentId, cardHash) {
      const hash = parseInput(z.string().min(1).max(128), cardHash, 'card hash');
      const { rows } = await db.query<{ card_hash: string | null }>(
        'SELECT card_hash FROM incident_links WHERE incident_id = $1',
        [id(incidentId)],
      );
      return rows[0]?.card_hash !== hash;
    },

    async remove(incidentId) {
      const { rowCount } = await db.query('DELETE FROM incident_links WHERE incident_id = $1', [id(incidentId)]);
      return rowCount > 0;
    },
  };
}
