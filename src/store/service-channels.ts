/**
 * `service_channels`: which Slack channels receive a PagerDuty service's incidents (`/incident subscribe`,
 * `/incident unsubscribe`, list). A service may post to several channels and a channel may follow several services.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { PagerDutyId, SlackId } from './ids.js';
import { parseInput, toMillis } from './validate.js';

export interface ServiceChannel {
  serviceId: string;
  channelId: string;
  teamId: string | null;
  /** Slack user who subscribed the channel. */
  createdBy: string | null;
  createdAt: Date;
}

export interface ServiceChannelInput {
  serviceId: string;
  channelId: string;
  teamId?: string | null | undefined;
  createdBy?: string | null | undefined;
}

export interface ServiceChannels {
  /** Routes the service's incidents to the channel; `created` is false if it already was. */
  subscribe(input: ServiceChannelInput): Promise<{ created: boolean; subscription: ServiceChannel }>;
  /** Stops routing; false if the channel was not subscribed. */
  unsubscribe(serviceId: string, channelId: string): Promise<boolean>;
  /** Channels that receive this service's incidents, oldest subscription first. */
  channelsFor(serviceId: string): Promise<ServiceChannel[]>;
  /** Every subscription, or those of one channel. */
  list(options?: { channelId?: string }): Promise<ServiceChannel[]>;
}

const InputSchema = z.strictObject({
  serviceId: PagerDutyId,
  channelId: SlackId,
  teamId: SlackId.nullable().optional(),
  createdBy: SlackId.nullable().optional(),
});

interface Row {
  service_id: string;
  channel_id: string;
  team_id: string | null;
  created_by: string | null;
  created_at: Date;
  inserted?: boolean;
}

function fromRow(r: Row): ServiceChannel {
  return {
    serviceId: r.service_id,
    channelId: r.channel_id,
    teamId: r.team_id,
    createdBy: r.created_by,
    createdAt: new Date(toMillis(r.created_at)),
  };
}

/** The `service_channels` repository over `db`. */
export function createServiceChannels(db: Db, deps: { clock: Clock }): ServiceChannels {
  return {
    async subscribe(input) {
      const s = parseInput(InputSchema, input, 'service subscription');
      const inserted = await db.query<Row>(
        `INSERT INTO service_channels (service_id, channel_id, team_id, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (service_id, channel_id) DO NOTHING
         RETURNING *`,
        [s.serviceId, s.channelId, s.teamId ?? null, s.createdBy ?? null, new Date(deps.clock.now())],
      );
      if (inserted.rows[0]) return { created: true, subscription: fromRow(inserted.rows[0]) };
      const existing = await db.query<Row>('SELECT * FROM service_channels WHERE service_id = $1 AND channel_id = $2', [
        s.serviceId,
        s.channelId,
      ]);
      return { created: false, subscription: fromRow(existing.rows[0] as Row) };
    },

    async unsubscribe(serviceId, channelId) {
      const service = parseInput(PagerDutyId, serviceId, 'service id');
      const channel = parseInput(SlackId, channelId, 'channel id');
      const { rowCount } = await db.query('DELETE FROM service_channels WHERE service_id = $1 AND channel_id = $2', [
        service,
        channel,
      ]);
      return rowCount > 0;
    },

    async channelsFor(serviceId) {
      const service = parseInput(PagerDutyId, serviceId, 'service id');
      const { rows } = await db.query<Row>(
        'SELECT * FROM service_channels WHERE service_id = $1 ORDER BY created_at, channel_id',
        [service],
      );
      return rows.map(fromRow);
    },

    async list(options = {}) {
      const o = parseInput(z.strictObject({ channelId: SlackId.optional() }), options, 'subscription list options');
      const { rows } = await db.query<Row>(
        `SELECT * FROM service_channels WHERE ($1::text IS NULL OR channel_id = $1)
         ORDER BY service_id, created_at, channel_id`,
        [o.channelId ?? null],
      );
      return rows.map(fromRow);
    },
  };
}
