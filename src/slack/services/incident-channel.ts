/**
 * Opens an incident channel: `#inc-<number>-<slug>`, on-call responders and the requester invited, the card posted
 * and pinned, the topic set, the channel linked (so its messages become the timeline) and the primary card
 * refreshed to point at it. Idempotent: a second call returns the existing channel.
 */
import type { WebClient } from '@slack/web-api';
import { AppError, ErrorCode } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import { incidentLabel } from '../blocks/incident-card.js';
import { buildNotice } from '../blocks/notice.js';
import type { SlackStore } from '../deps.js';
import { INCIDENT_CHANNEL_PREFIX } from '../ids.js';
import { fetchIncident, OnCallListShape } from '../incident-view.js';
import { channelMention, userMention } from '../text.js';
import type { ToolRunner } from '../tool-runner.js';
import { asSlackError, slackErrorCode } from '../web-client.js';
import type { CardService } from './cards.js';
import type { PeopleDirectory } from './people.js';
import type { Poster } from './poster.js';

const MAX_NAME = 80;

/** `inc-<number>-<slug>`: lowercase letters, digits and dashes, at most 80 characters. */
export function incidentChannelName(number: number | null, id: string, title: string, suffix = ''): string {
  const base = `${INCIDENT_CHANNEL_PREFIX}${number ?? id.toLowerCase()}`;
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const room = MAX_NAME - base.length - suffix.length - 1;
  const cut = slug.slice(0, Math.max(0, room)).replace(/-+$/g, '');
  return `${base}${cut ? `-${cut}` : ''}${suffix}`;
}

export interface IncidentChannelService {
  /** Opens the channel (or returns the existing one). `requestedBy` is invited and credited. */
  open(incidentId: string, options?: { requestedBy?: string | null }): Promise<{ channelId: string; created: boolean }>;
}

export function createIncidentChannelService(deps: {
  client: WebClient;
  runner: ToolRunner;
  store: Pick<SlackStore, 'incidentLinks' | 'processedKeys'>;
  cards: CardService;
  poster: Poster;
  people: PeopleDirectory;
  logger: Logger;
}): IncidentChannelService {
  async function create(name: (suffix: string) => string): Promise<string> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const suffix = attempt === 0 ? '' : `-${attempt + 1}`;
      try {
        const res = (await deps.client.conversations.create({ name: name(suffix), is_private: false })) as {
          channel?: { id?: string };
        };
        if (res.channel?.id) return res.channel.id;
      } catch (error) {
        if (slackErrorCode(error) === 'name_taken') continue;
        throw asSlackError('conversations.create', error);
      }
    }
    throw new AppError(ErrorCode.SlackApi, 'Could not find a free channel name for the incident channel');
  }

  async function responders(incident: Awaited<ReturnType<typeof fetchIncident>>): Promise<string[]> {
    const people: Array<{ name: string; email?: string | null }> = incident.assignees.map((a) => ({ ...a }));
    if (incident.escalation_policy) {
      try {
        const oncalls = OnCallListShape.parse(
          await deps.runner.read('list_oncalls', { escalation_policy_ids: [incident.escalation_policy.id], limit: 50 }),
        );
        const level = incident.escalation_level ?? 1;
        for (const o of oncalls.items) if (o.escalation_level <= level) people.push({ ...o.user });
      } catch (error) {
        deps.logger.warn({ err: error }, 'could not list on-call responders for the incident channel');
      }
    }
    return deps.people.slackIdsFor(people);
  }

  return {
    async open(incidentId, options = {}) {
      const existing = await deps.store.incidentLinks.get(incidentId);
      if (existing?.incidentChannelId) return { channelId: existing.incidentChannelId, created: false };
      const key = `slack:incident-channel:${incidentId}`;
      if (!(await deps.store.processedKeys.claimOnce(key))) {
        const again = await deps.store.incidentLinks.get(incidentId);
        if (again?.incidentChannelId) return { channelId: again.incidentChannelId, created: false };
        throw new AppError(
          ErrorCode.InvalidInput,
          'The incident channel is being opened already; it will appear in a moment.',
        );
      }
      try {
        const incident = await fetchIncident(deps.runner, incidentId);
        const channelId = await create((suffix) =>
          incidentChannelName(incident.number, incident.id, incident.title, suffix),
        );
        await deps.store.incidentLinks.upsert(incident.id, { incidentChannelId: channelId });
        const invitees = new Set(await responders(incident));
        if (options.requestedBy) invitees.add(options.requestedBy);
        if (invitees.size > 0) {
          await deps.client.conversations
            .invite({ channel: channelId, users: [...invitees].join(',') })
            .catch((error: unknown) =>
              deps.logger.warn({ err: asSlackError('conversations.invite', error) }, 'some invitations failed'),
            );
        }
        const posted = await deps.cards.post(incident.id, channelId, { primary: false });
        if (posted.ts) {
          await deps.client.pins
            .add({ channel: channelId, timestamp: posted.ts })
            .catch((error: unknown) => deps.logger.warn({ err: asSlackError('pins.add', error) }, 'card not pinned'));
          await deps.cards.recordChannelCard(incident.id, channelId, posted.ts);
        }
        if (!(await deps.store.incidentLinks.get(incident.id))?.messageTs && posted.ts) {
          await deps.store.incidentLinks.upsert(incident.id, { channelId, messageTs: posted.ts, threadTs: posted.ts });
        }
        await deps.cards.refresh(incident.id, { force: true });
        const where = await deps.cards.threadFor(incident.id);
        if (where && where.channel !== channelId) {
          const by = options.requestedBy ? ` by ${userMention(options.requestedBy)}` : '';
          await deps.poster.post(
            where.channel,
            buildNotice(
              'info',
              `Incident channel ${channelMention(channelId)} opened for ${incidentLabel(incident)}${by}.`,
            ),
            { threadTs: where.ts },
          );
        }
        return { channelId, created: true };
      } catch (error) {
        await deps.store.processedKeys.release(key).catch(() => undefined);
        throw error;
      }
    },
  };
}
