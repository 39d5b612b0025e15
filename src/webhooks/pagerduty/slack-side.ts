import type { AiPostService } from '../../slack/services/ai-posts.js';
import type { CardService } from '../../slack/services/cards.js';
import type { IncidentChannelService } from '../../slack/services/incident-channel.js';
import type { Poster } from '../../slack/services/poster.js';
import type { StoreRepositories } from '../../store/index.js';
import type { IncidentSlackSide } from './ports.js';

/**
 * The one postmortem claim per incident, shared by every surface that posts the automatic draft (a resolve from a
 * Slack button, from `/incident resolve`, or from PagerDuty through this webhook): whoever claims it posts.
 */
export const postmortemKey = (incidentId: string): string => `postmortem:${incidentId}`;

export interface SlackIncidentSideDeps {
  cards: CardService;
  poster: Poster;
  aiPosts: AiPostService;
  channels: IncidentChannelService;
  store: Pick<StoreRepositories, 'incidentLinks' | 'processedKeys'>;
}

/** Binds the webhook reactions' `IncidentSlackSide` to the Slack bot's services (`src/slack/services/`). */
export function createSlackIncidentSide(deps: SlackIncidentSideDeps): IncidentSlackSide {
  return {
    async postCard({ incidentId, channelId }) {
      if (await deps.cards.threadFor(incidentId)) {
        await deps.cards.refresh(incidentId);
        return { posted: false };
      }
      const { ts } = await deps.cards.post(incidentId, channelId, { primary: true });
      return { posted: ts !== null };
    },

    async refreshCards(incidentId) {
      const { card } = await deps.cards.refresh(incidentId);
      return { cards: card ? 1 : 0 };
    },

    async postInThread(incidentId, message) {
      const where = await deps.cards.threadFor(incidentId);
      if (!where) return { posted: false };
      await deps.poster.post(where.channel, message, { threadTs: where.ts });
      return { posted: true };
    },

    async startTriage(incidentId) {
      const where = await deps.cards.threadFor(incidentId);
      if (!where) return;
      await deps.aiPosts.start(
        'triage',
        { incidentId, channel: where.channel, requestedBy: null },
        { primaryThread: true },
      );
    },

    async startPostmortem(incidentId) {
      const where = await deps.cards.threadFor(incidentId);
      if (!where) return;
      const key = postmortemKey(incidentId);
      if (!(await deps.store.processedKeys.claimOnce(key))) return;
      try {
        const link = await deps.store.incidentLinks.get(incidentId);
        const alsoIn =
          link?.incidentChannelId && link.incidentChannelId !== where.channel ? [link.incidentChannelId] : [];
        await deps.aiPosts.start(
          'postmortem',
          { incidentId, channel: where.channel, requestedBy: null },
          { primaryThread: true, alsoIn },
        );
      } catch (error) {
        await deps.store.processedKeys.release(key);
        throw error;
      }
    },

    async openIncidentChannel(incidentId) {
      await deps.channels.open(incidentId);
    },
  };
}
