/**
 * The incident card as a service, transport-free (a WebClient, the tool runner, the store): post the card,
 * refresh every card of an incident from PagerDuty's current state (skipping no-op updates by hash), find the
 * card and thread to reply in for a channel. An incident has one primary card (in `incident_links`) and, once
 * it has an incident channel, a pinned copy there (recorded as the channel's first `bot_post` timeline event).
 */
import { createHash } from 'node:crypto';
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { IncidentLink } from '../../store/index.js';
import type { IncidentDetailOut } from '../../tools/shapes.js';
import { EscalationPolicyShape, listShape } from '../../tools/shapes.js';
import { buildIncidentCard, incidentLabel, STATUS_EMOJI, STATUS_LABEL } from '../blocks/incident-card.js';
import type { CardContext, IncidentView, MessagePayload } from '../blocks/model.js';
import type { SlackStore } from '../deps.js';
import { fetchIncident, toIncidentView } from '../incident-view.js';
import { truncate } from '../text.js';
import type { ToolRunner } from '../tool-runner.js';
import { asSlackError } from '../web-client.js';
import { lastActionFromAudit } from './last-action.js';
import type { Poster } from './poster.js';

/** Text of the timeline event that records the pinned card in an incident channel. */
export const CHANNEL_CARD_MARKER = 'Incident card (pinned)';

const POLICY_TTL_MS = 10 * 60_000;
const PolicyListShape = listShape(EscalationPolicyShape);

export interface RenderedCard {
  incident: IncidentDetailOut;
  view: IncidentView;
  payload: MessagePayload;
  /** Hash of what the card shows (not of the relative ages), to skip no-op updates. */
  hash: string;
  link: IncidentLink | undefined;
  topic: string;
}

export interface CardLocation {
  channel: string;
  ts: string;
}

export interface CardService {
  /** Renders the card from PagerDuty's current state (one `get_incident`). */
  render(incidentId: string): Promise<RenderedCard>;
  /**
   * Posts the card in `channel`. It becomes the primary card (linked, its thread used for AI posts) unless the
   * incident already has one elsewhere and `primary` is false. Returns where it is (ts null when deferred).
   */
  post(
    incidentId: string,
    channel: string,
    options?: { primary?: boolean; teamId?: string | null },
  ): Promise<{
    ts: string | null;
    card: RenderedCard;
  }>;
  /** Updates every card of the incident (and the incident channel's topic) when what they show changed. */
  refresh(incidentId: string, options?: { force?: boolean }): Promise<{ updated: number; card: RenderedCard | null }>;
  /** The card to reply under in `channel`: the primary card if it is there, else the pinned channel card. */
  cardIn(incidentId: string, channel: string): Promise<CardLocation | null>;
  /** The primary card, or the card in `preferChannel` when there is one. */
  threadFor(incidentId: string, preferChannel?: string | null): Promise<CardLocation | null>;
  /** Records the pinned card of an incident channel. */
  recordChannelCard(incidentId: string, channel: string, ts: string): Promise<void>;
}

export interface CardServiceDeps {
  client: WebClient;
  runner: ToolRunner;
  store: Pick<SlackStore, 'incidentLinks' | 'timeline' | 'audit'>;
  poster: Poster;
  clock: Clock;
  logger: Logger;
}

/** The incident channel topic: status, urgency, priority, roles and link, at most 250 characters. */
export function incidentTopic(view: IncidentView, link: IncidentLink | undefined): string {
  const clean = (text: string): string => text.replace(/[<>&]/g, '').replace(/\s+/g, ' ').trim();
  const parts = [
    `${STATUS_EMOJI[view.status]} ${STATUS_LABEL[view.status]}`,
    view.urgency ? `${view.urgency} urgency` : '',
    view.priority ? clean(view.priority) : '',
    link?.commanderUserId ? `IC <@${link.commanderUserId}>` : '',
    link?.commsUserId ? `Comms <@${link.commsUserId}>` : '',
    link?.scribeUserId ? `Scribe <@${link.scribeUserId}>` : '',
    `${incidentLabel(view)} ${clean(view.title)}`,
  ].filter((p) => p !== '');
  return truncate(parts.join(' · '), 250, '…');
}

export function createCardService(deps: CardServiceDeps): CardService {
  const channelCards = new Map<string, CardLocation>();
  const policyLevels = new Map<string, { levels: number; until: number }>();

  async function levelsOf(policy: { id: string; name: string } | null): Promise<number | null> {
    if (!policy) return null;
    const now = deps.clock.now();
    const hit = policyLevels.get(policy.id);
    if (hit && hit.until > now) return hit.levels;
    try {
      const out = PolicyListShape.parse(
        await deps.runner.read('list_escalation_policies', { query: policy.name.slice(0, 200), limit: 20 }),
      );
      const found = out.items.find((p) => p.id === policy.id);
      if (!found) return null;
      policyLevels.set(policy.id, { levels: found.levels.length, until: now + POLICY_TTL_MS });
      return found.levels.length;
    } catch (error) {
      deps.logger.warn({ err: error, policy: policy.id }, 'could not read the escalation policy levels');
      return null;
    }
  }

  async function channelCard(incidentId: string, channel: string): Promise<CardLocation | null> {
    const key = `${incidentId}:${channel}`;
    const cached = channelCards.get(key);
    if (cached) return cached;
    const events = await deps.store.timeline.list(incidentId, { limit: 1000 });
    const found = events.find(
      (e) => e.source === 'bot_post' && e.channelId === channel && e.text === CHANNEL_CARD_MARKER,
    );
    if (!found) return null;
    const location = { channel, ts: found.ts };
    channelCards.set(key, location);
    return location;
  }

  async function render(incidentId: string): Promise<RenderedCard> {
    const [incident, link] = await Promise.all([
      fetchIncident(deps.runner, incidentId),
      deps.store.incidentLinks.get(incidentId),
    ]);
    const view = toIncidentView(incident);
    const [lastAction, escalationLevels] = await Promise.all([
      lastActionFromAudit(deps.store.audit, incident.id),
      incident.status === 'resolved' ? Promise.resolve(null) : levelsOf(incident.escalation_policy),
    ]);
    const ctx: CardContext = {
      now: deps.clock.now(),
      roles: {
        commander: link?.commanderUserId ?? null,
        comms: link?.commsUserId ?? null,
        scribe: link?.scribeUserId ?? null,
      },
      incidentChannelId: link?.incidentChannelId ?? null,
      lastAction,
      escalationLevels,
    };
    const topic = incidentTopic(view, link);
    const hash = createHash('sha256')
      .update(
        JSON.stringify({
          view,
          ctx: { ...ctx, now: 0, lastAction: lastAction ? { ...lastAction, at: 0 } : null },
          topic,
        }),
      )
      .digest('hex');
    return { incident, view, payload: buildIncidentCard(view, ctx), hash, link, topic };
  }

  const service: CardService = {
    render,

    async post(incidentId, channel, options = {}) {
      const card = await render(incidentId);
      const primary = options.primary ?? !card.link?.messageTs;
      const result = await deps.poster.post(
        channel,
        card.payload,
        primary ? { followUp: { linkCardFor: card.incident.id } } : {},
      );
      if (result.ts && primary) {
        await deps.store.incidentLinks.upsert(card.incident.id, {
          channelId: channel,
          messageTs: result.ts,
          threadTs: result.ts,
          cardHash: card.hash,
          ...(options.teamId ? { teamId: options.teamId } : {}),
        });
      }
      return { ts: result.ts, card };
    },

    async refresh(incidentId, options = {}) {
      const link = await deps.store.incidentLinks.get(incidentId);
      if (!link?.channelId || !link.messageTs) return { updated: 0, card: null };
      const card = await render(incidentId);
      if (!options.force && !(await deps.store.incidentLinks.cardChanged(incidentId, card.hash))) {
        return { updated: 0, card };
      }
      const targets: CardLocation[] = [{ channel: link.channelId, ts: link.messageTs }];
      if (link.incidentChannelId) {
        const pinned = await channelCard(incidentId, link.incidentChannelId);
        if (pinned && pinned.ts !== link.messageTs) targets.push(pinned);
      }
      let updated = 0;
      for (const t of targets) {
        await deps.poster.update(t.channel, t.ts, card.payload);
        updated++;
      }
      if (link.incidentChannelId) {
        await deps.client.conversations
          .setTopic({ channel: link.incidentChannelId, topic: card.topic })
          .catch((error: unknown) =>
            deps.logger.warn({ err: asSlackError('conversations.setTopic', error) }, 'topic not set'),
          );
      }
      await deps.store.incidentLinks.upsert(incidentId, { cardHash: card.hash });
      return { updated, card };
    },

    async cardIn(incidentId, channel) {
      const link = await deps.store.incidentLinks.get(incidentId);
      if (link?.channelId === channel && link.messageTs) return { channel, ts: link.threadTs ?? link.messageTs };
      if (link?.incidentChannelId === channel) return channelCard(incidentId, channel);
      return null;
    },

    async threadFor(incidentId, preferChannel) {
      if (preferChannel) {
        const here = await service.cardIn(incidentId, preferChannel);
        if (here) return here;
      }
      const link = await deps.store.incidentLinks.get(incidentId);
      if (link?.channelId && link.messageTs) return { channel: link.channelId, ts: link.threadTs ?? link.messageTs };
      return null;
    },

    async recordChannelCard(incidentId, channel, ts) {
      await deps.store.timeline.append({
        incidentId,
        source: 'bot_post',
        ts,
        channelId: channel,
        text: CHANNEL_CARD_MARKER,
      });
      channelCards.set(`${incidentId}:${channel}`, { channel, ts });
    },
  };
  return service;
}
