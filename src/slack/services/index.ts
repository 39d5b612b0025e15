/**
 * The Slack front's services, transport-free: built from a WebClient, the store, a `ToolContext` factory, a clock
 * and a logger. The listeners use them, the job handlers run them, and the PagerDuty webhook automation binds
 * its `IncidentSlackSide` / `SlackMessages` ports to them (see `incidentSide` and `messages`).
 */

import { AppError, ErrorCode } from '../../shared/errors.js';
import type { MessagePayload } from '../blocks/model.js';
import type { SlackRuntime } from '../deps.js';
import { createIdentity, type Identity } from '../identity.js';
import { createToolRunner, type ToolRunner } from '../tool-runner.js';
import { type AiPostService, createAiPostService } from './ai-posts.js';
import { type CardService, createCardService } from './cards.js';
import { createIncidentChannelService, type IncidentChannelService } from './incident-channel.js';
import { createIncidentResolver, type IncidentResolver } from './incident-resolver.js';
import { createPeopleDirectory, type PeopleDirectory } from './people.js';
import { createPoster, deferredCardKey, type Poster } from './poster.js';

/** The incident operations the webhook automation (and anything else) can call. */
export interface IncidentSide {
  /** Posts the card in `channelId` and links it; refreshes the existing card instead when there is one. */
  postCard(input: { incidentId: string; channelId: string }): Promise<{ posted: boolean }>;
  /** Rebuilds every card of the incident from PagerDuty; `cards` = how many cards it has (0 = none). */
  refreshCards(incidentId: string): Promise<{ cards: number }>;
  /** True while the incident's card is waiting to be posted (Slack rate-limited it; a job will post it). */
  cardPostPending(incidentId: string): Promise<boolean>;
  /** Posts in the card's thread; `posted: false` when the incident has no card. */
  postInThread(incidentId: string, message: MessagePayload): Promise<{ posted: boolean }>;
  /** AI triage in the card's thread (placeholder now, result from a job). */
  startTriage(incidentId: string): Promise<void>;
  /** The postmortem draft in the card's thread and the incident channel, once per incident (`postmortem:<id>`). */
  startPostmortem(incidentId: string): Promise<void>;
  /** Opens (once) the incident channel. */
  openIncidentChannel(incidentId: string): Promise<void>;
}

export interface SlackServices {
  runner: ToolRunner;
  identity: Identity;
  poster: Poster;
  cards: CardService;
  resolver: IncidentResolver;
  aiPosts: AiPostService;
  channels: IncidentChannelService;
  people: PeopleDirectory;
  incidentSide: IncidentSide;
}

/** Dedupe key of the automatic postmortem (shared with the webhook automation). */
export function postmortemKey(incidentId: string): string {
  return `postmortem:${incidentId}`;
}

/** Builds every service over one WebClient and store. */
export function createSlackServices(rt: SlackRuntime): SlackServices {
  const runner = createToolRunner(rt);
  const identity = createIdentity({
    client: rt.client,
    runner,
    clock: rt.clock,
    responderGroup: rt.slack.responderGroup,
  });
  const poster = createPoster({ client: rt.client, store: rt.store, clock: rt.clock, logger: rt.logger });
  const cards = createCardService({
    client: rt.client,
    runner,
    store: rt.store,
    poster,
    clock: rt.clock,
    logger: rt.logger,
  });
  const resolver = createIncidentResolver({ runner, store: rt.store, clock: rt.clock });
  const aiPosts = createAiPostService({
    runner,
    cards,
    poster,
    store: rt.store,
    clock: rt.clock,
    logger: rt.logger,
    actorFor: (id) => identity.actorFor(id).catch(() => undefined),
  });
  const people = createPeopleDirectory({ client: rt.client, identity, clock: rt.clock });
  const channels = createIncidentChannelService({
    client: rt.client,
    runner,
    store: rt.store,
    cards,
    poster,
    people,
    logger: rt.logger,
  });

  const incidentSide: IncidentSide = {
    async postCard({ incidentId, channelId }) {
      const link = await rt.store.incidentLinks.get(incidentId);
      if (link?.messageTs) {
        await cards.refresh(incidentId);
        return { posted: false };
      }
      const { ts } = await cards.post(incidentId, channelId, { primary: true });
      return { posted: ts !== null };
    },

    async cardPostPending(incidentId) {
      return (await rt.store.jobs.findActive(deferredCardKey(incidentId))) !== undefined;
    },

    async refreshCards(incidentId) {
      const link = await rt.store.incidentLinks.get(incidentId);
      if (!link?.messageTs) return { cards: 0 };
      await cards.refresh(incidentId);
      return { cards: link.incidentChannelId ? 2 : 1 };
    },

    async postInThread(incidentId, message) {
      const where = await cards.threadFor(incidentId);
      if (!where) return { posted: false };
      const result = await poster.post(where.channel, message, { threadTs: where.ts });
      return { posted: result.ts !== null || result.deferred };
    },

    async startTriage(incidentId) {
      const where = await cards.threadFor(incidentId);
      const channel = where?.channel ?? rt.slack.defaultChannel;
      if (!channel) {
        throw new AppError(ErrorCode.InvalidInput, `Incident ${incidentId} has no card and no default channel is set`);
      }
      await aiPosts.start('triage', { incidentId, channel, requestedBy: null }, { primaryThread: true });
    },

    async startPostmortem(incidentId) {
      const link = await rt.store.incidentLinks.get(incidentId);
      if (!link?.channelId || !link.messageTs) return;
      const key = postmortemKey(incidentId);
      if (!(await rt.store.processedKeys.claimOnce(key))) return;
      try {
        const alsoIn =
          link.incidentChannelId && link.incidentChannelId !== link.channelId ? [link.incidentChannelId] : [];
        await aiPosts.start(
          'postmortem',
          { incidentId, channel: link.channelId, requestedBy: null },
          { primaryThread: true, alsoIn },
        );
      } catch (error) {
        await rt.store.processedKeys.release(key).catch(() => undefined);
        throw error;
      }
    },

    async openIncidentChannel(incidentId) {
      await channels.open(incidentId);
    },
  };

  return { runner, identity, poster, cards, resolver, aiPosts, channels, people, incidentSide };
}
