/**
 * A stakeholder status update as posted in the card's thread and the incident channel, after it was sent to
 * PagerDuty.
 */
import { fallbackText, mrkdwn, userMention } from '../text.js';
import { type IncidentBrief, incidentTitleLine } from './ai-common.js';
import { incidentLabel, STATUS_EMOJI, STATUS_LABEL } from './incident-card.js';
import { context, section } from './kit.js';
import type { MessagePayload } from './model.js';

/** Builds the status update message. */
export function buildStatusUpdatePost(incident: IncidentBrief, message: string, bySlackUserId: string): MessagePayload {
  return {
    text: fallbackText(`Status update on ${incidentLabel(incident)}: ${message}`),
    blocks: [
      section(`📣 *Status update* · ${incidentTitleLine(incident, 150)}\n${mrkdwn(message, 2500)}`),
      context([
        `${STATUS_EMOJI[incident.status]} ${STATUS_LABEL[incident.status]} · posted by ${userMention(bySlackUserId)} · sent to PagerDuty subscribers`,
      ]),
    ],
  };
}
