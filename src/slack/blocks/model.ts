/**
 * View models the Block Kit builders render. They are small, Slack-agnostic shapes that the services map tool
 * results into (`src/slack/services/incident-view.ts`), so builders stay pure and easy to property-test.
 * Every string in them is untrusted unless its name says it is a Slack id.
 */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type IncidentUrgency = 'high' | 'low';

export interface PersonView {
  /** PagerDuty user id (or any stable id). */
  id: string;
  name: string;
  /** Slack user id, when the person is known in Slack (rendered as a mention). */
  slackUserId?: string | null;
}

/** What a card shows about an incident. */
export interface IncidentView {
  id: string;
  number: number | null;
  title: string;
  status: IncidentStatus;
  urgency: IncidentUrgency | null;
  priority: string | null;
  service: { id: string; name: string };
  assignees: PersonView[];
  escalationLevel: number | null;
  escalationPolicy: { id: string; name: string } | null;
  /** ISO 8601. */
  createdAt: string;
  resolvedAt: string | null;
  /** Who made the last status change, as PagerDuty says. */
  lastChangedBy: string | null;
  htmlUrl: string | null;
  alertCount: number | null;
}

/** Incident roles, as Slack user ids. */
export interface IncidentRoles {
  commander: string | null;
  comms: string | null;
  scribe: string | null;
}

/** Context the card needs besides the incident itself. */
export interface CardContext {
  /** Milliseconds since the epoch (for relative ages). */
  now: number;
  roles?: IncidentRoles | undefined;
  incidentChannelId?: string | null | undefined;
  /** The last thing done through the bot, e.g. "Acknowledged by <@U1>": trusted mrkdwn built by us. */
  lastAction?: { verb: string; slackUserId: string | null; at: number } | null | undefined;
  /** Number of levels of the escalation policy, when known (bounds the Escalate choices). */
  escalationLevels?: number | null | undefined;
}

/** A message payload: blocks plus the notification text. */
export interface MessagePayload {
  text: string;
  blocks: Block[];
}

/** A Block Kit block or element, as plain JSON. */
export type Block = Record<string, unknown>;

/** A modal view, as plain JSON. */
export interface ModalView {
  type: 'modal';
  callback_id: string;
  title: { type: 'plain_text'; text: string; emoji?: boolean };
  submit?: { type: 'plain_text'; text: string; emoji?: boolean };
  close?: { type: 'plain_text'; text: string; emoji?: boolean };
  private_metadata?: string;
  notify_on_close?: boolean;
  blocks: Block[];
}
