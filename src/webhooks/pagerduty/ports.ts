/**
 * What the webhook reactions need from the rest of the bot, as narrow interfaces. The composition root binds
 * them to the Slack bot's services (`src/slack/services/`) and the tool catalogue; the reactions never build an
 * incident card or call Slack, PagerDuty or Claude themselves beyond these seams.
 */
import type { CorrelateResult } from '../../ai/contract.js';
import type { MessagePayload } from '../../slack/blocks/model.js';
import type { ToolContext } from '../../tools/define-tool.js';

/** The Slack bot's incident services (card, thread, triage, postmortem, incident channel). */
export interface IncidentSlackSide {
  /**
   * Posts the incident card (built from PagerDuty's current state) in `channelId` and records the link; when the
   * incident already has a card it refreshes that one instead. Safe to call twice.
   */
  postCard(input: { incidentId: string; channelId: string }): Promise<{ posted: boolean }>;
  /** Rebuilds the incident's card(s) from PagerDuty's current state; `cards: 0` when it has none. */
  refreshCards(incidentId: string): Promise<{ cards: number }>;
  /** True while the incident's card is waiting to be posted (Slack rate-limited it; a job will post it). */
  cardPostPending(incidentId: string): Promise<boolean>;
  /** Posts in the card's thread; `posted: false` when the incident has no card. */
  postInThread(incidentId: string, message: MessagePayload): Promise<{ posted: boolean }>;
  /** Starts auto-triage, posted in the card's thread (usually a job). */
  startTriage(incidentId: string): Promise<void>;
  /**
   * Posts the postmortem draft in the card's thread (and the incident channel), at most once per incident whatever
   * surface resolved it (dedupe key `postmortem:<incidentId>`).
   */
  startPostmortem(incidentId: string): Promise<void>;
  /** Opens (once) a dedicated incident channel. */
  openIncidentChannel(incidentId: string): Promise<void>;
}

/** Plain channel messages (the storm summary, which has no card). */
export interface SlackMessages {
  post(channelId: string, message: MessagePayload): Promise<{ ts: string }>;
  update(channelId: string, ts: string, message: MessagePayload): Promise<void>;
}

/** A catalogue context for read tools run on behalf of no one (webhook reactions never write). */
export type ToolContextFactory = (signal?: AbortSignal) => ToolContext;

/** A correlation, with the engine that produced it. */
export type Correlation = CorrelateResult & { engine: string; fallback?: { reason: string } | undefined };

/**
 * The correlation of a storm window's incidents (from the `correlate_incidents` tool), restricted to them; null
 * when correlation is not available. `since` is when the window opened (epoch ms).
 */
export type Correlator = (
  input: { incidentIds: readonly string[]; since: number },
  signal?: AbortSignal,
) => Promise<Correlation | null>;
