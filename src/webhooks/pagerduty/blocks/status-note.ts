/**
 * The short thread note left under an incident card when PagerDuty reports a change made anywhere (the PagerDuty
 * app, a phone, another integration, an escalation rule): who did what, in one line. The card itself is
 * refreshed from PagerDuty's current state; this note is the history.
 */
import { STATUS_EMOJI } from '../../../slack/blocks/incident-card.js';
import { context } from '../../../slack/blocks/kit.js';
import type { MessagePayload } from '../../../slack/blocks/model.js';
import { fallbackText, mrkdwn, slackDate } from '../../../slack/text.js';
import type { CardUpdateEventType } from '../schemas.js';

export interface StatusNoteInput {
  eventType: CardUpdateEventType | 'incident.resolved';
  /** The envelope's agent, as PagerDuty names it (null: PagerDuty itself, e.g. an escalation rule). */
  agent: { name: string | null; type: string | null } | null;
  /** When PagerDuty says it happened (ms). */
  occurredAt: number;
  /** What the incident looks like now, for the detail of the line. */
  incident: {
    assignees: string[];
    priority: string | null;
    escalationLevel: number | null;
    serviceName: string | null;
    incidentType: string | null;
  };
}

const VERB: Record<StatusNoteInput['eventType'], { emoji: string; verb: string }> = {
  'incident.acknowledged': { emoji: STATUS_EMOJI.acknowledged, verb: 'Acknowledged' },
  'incident.unacknowledged': { emoji: STATUS_EMOJI.triggered, verb: 'Unacknowledged (back to triggered)' },
  'incident.escalated': { emoji: '⏫', verb: 'Escalated' },
  'incident.reassigned': { emoji: '👤', verb: 'Reassigned' },
  'incident.priority_updated': { emoji: '🏷️', verb: 'Priority changed' },
  'incident.delegated': { emoji: '↪️', verb: 'Delegated to another escalation policy' },
  'incident.reopened': { emoji: STATUS_EMOJI.triggered, verb: 'Reopened' },
  'incident.service_updated': { emoji: '🔀', verb: 'Moved to another service' },
  'incident.incident_type.changed': { emoji: '🗂️', verb: 'Incident type changed' },
  'incident.resolved': { emoji: STATUS_EMOJI.resolved, verb: 'Resolved' },
};

function names(list: string[], max = 3): string {
  const shown = list.slice(0, max).map((n) => `*${mrkdwn(n, 100)}*`);
  const more = list.length > max ? ` +${list.length - max} more` : '';
  return shown.length > 0 ? shown.join(', ') + more : '_nobody_';
}

function detail(input: StatusNoteInput): string {
  const i = input.incident;
  switch (input.eventType) {
    case 'incident.escalated':
      return [i.escalationLevel !== null ? `to level ${i.escalationLevel}` : '', `now with ${names(i.assignees)}`]
        .filter((p) => p !== '')
        .join(', ');
    case 'incident.reassigned':
    case 'incident.delegated':
      return `to ${names(i.assignees)}`;
    case 'incident.priority_updated':
      return i.priority ? `to *${mrkdwn(i.priority, 50)}*` : 'to no priority';
    case 'incident.service_updated':
      return i.serviceName ? `to *${mrkdwn(i.serviceName, 100)}*` : '';
    case 'incident.incident_type.changed':
      return i.incidentType ? `to *${mrkdwn(i.incidentType, 100)}*` : '';
    default:
      return '';
  }
}

function who(agent: StatusNoteInput['agent']): string {
  if (!agent?.name) return 'by PagerDuty';
  if (agent.type === 'service_reference' || agent.type === 'integration_reference') {
    return `by *${mrkdwn(agent.name, 100)}* (automation)`;
  }
  return `by *${mrkdwn(agent.name, 100)}*`;
}

/** One context line: `🟠 Acknowledged by *Ben* in PagerDuty · 03:47`. */
export function buildStatusNote(input: StatusNoteInput): MessagePayload {
  const { emoji, verb } = VERB[input.eventType];
  const extra = detail(input);
  const line = `${emoji} ${verb}${extra ? ` ${extra}` : ''} ${who(input.agent)} in PagerDuty · ${slackDate(input.occurredAt, '{time}')}`;
  const agentName = input.agent?.name ? ` by ${input.agent.name}` : '';
  return { text: fallbackText(`${verb}${agentName} in PagerDuty`), blocks: [context([line])] };
}
