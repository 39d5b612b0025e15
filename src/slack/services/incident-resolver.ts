/**
 * Which incident a command means: a PagerDuty id as given, a `#number` (looked up among open incidents first,
 * then the last 30 and 180 days; numbers never change, so answers are cached), or the incident implied by the
 * incident channel or card thread the command came from.
 */
import type { Clock } from '../../shared/clock.js';
import { AppError, ErrorCode } from '../../shared/errors.js';
import type { IncidentRef } from '../command-parser.js';
import type { SlackStore } from '../deps.js';
import { IncidentListShape } from '../incident-view.js';
import type { ToolRunner } from '../tool-runner.js';

export interface IncidentResolver {
  /** The incident id, or a clear `not_found` / `invalid_input` error. */
  resolve(ref: IncidentRef, where: { channelId: string | null; threadTs?: string | null }): Promise<string>;
  /** Remembers a number → id pair seen elsewhere (cards, lists). */
  remember(number: number | null, id: string): void;
  /** The incident a channel (incident channel) or a card thread belongs to, if any. */
  implied(where: { channelId: string | null; threadTs?: string | null }): Promise<string | null>;
}

const DAY_MS = 86_400_000;

export function createIncidentResolver(deps: {
  runner: ToolRunner;
  store: Pick<SlackStore, 'incidentLinks'>;
  clock: Clock;
}): IncidentResolver {
  const byNumber = new Map<number, string>();

  async function findNumber(number: number): Promise<string | null> {
    const now = deps.clock.now();
    const attempts: Array<Record<string, unknown>> = [
      { statuses: ['triggered', 'acknowledged'], sort_by: 'incident_number:desc', limit: 100 },
      {
        statuses: ['triggered', 'acknowledged', 'resolved'],
        since: new Date(now - 30 * DAY_MS).toISOString(),
        until: new Date(now + DAY_MS).toISOString(),
        sort_by: 'incident_number:desc',
        limit: 1000,
      },
      {
        statuses: ['triggered', 'acknowledged', 'resolved'],
        since: new Date(now - 180 * DAY_MS).toISOString(),
        until: new Date(now - 30 * DAY_MS).toISOString(),
        sort_by: 'incident_number:desc',
        limit: 1000,
      },
    ];
    for (const input of attempts) {
      const out = IncidentListShape.parse(await deps.runner.read('list_incidents', input));
      for (const i of out.items) if (i.number !== null) byNumber.set(i.number, i.id);
      const hit = out.items.find((i) => i.number === number);
      if (hit) return hit.id;
    }
    return null;
  }

  const resolver: IncidentResolver = {
    remember(number, id) {
      if (number !== null) byNumber.set(number, id);
    },

    async implied(where) {
      if (!where.channelId) return null;
      if (where.threadTs) {
        const card = await deps.store.incidentLinks.findByMessage(where.channelId, where.threadTs);
        if (card) return card.incidentId;
      }
      const channel = await deps.store.incidentLinks.findByIncidentChannel(where.channelId);
      return channel?.incidentId ?? null;
    },

    async resolve(ref, where) {
      if (ref.kind === 'id') return ref.id;
      if (ref.kind === 'number') {
        const known = byNumber.get(ref.number);
        if (known) return known;
        const found = await findNumber(ref.number);
        if (!found) {
          throw new AppError(
            ErrorCode.NotFound,
            `I couldn't find incident #${ref.number} in PagerDuty (last 180 days).`,
            {
              details: { number: ref.number },
            },
          );
        }
        return found;
      }
      const implied = await resolver.implied(where);
      if (implied) return implied;
      throw new AppError(
        ErrorCode.InvalidInput,
        'Which incident? This is not an incident channel, so name it: a PagerDuty id (`PABC123`) or `#number`.',
      );
    },
  };
  return resolver;
}
