/**
 * The best-responder post: who to page next and why (expertise, load, on-call level, local time), with a
 * **Page** button per candidate that a human confirms.
 */
import type { BestResponderResult } from '../../ai/contract.js';
import { ActionId } from '../ids.js';
import { fallbackText, mrkdwn } from '../text.js';
import { type AiMeta, engineNote, type IncidentBrief, incidentTitleLine, percent } from './ai-common.js';
import { incidentLabel } from './incident-card.js';
import { button, context, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

/** `incidentId|pagerdutyUserId` */
export function encodeResponderPage(incidentId: string, userId: string): string {
  return `${incidentId}|${userId}`;
}

/** Builds the responder suggestion post. */
export function buildResponderPost(incident: IncidentBrief, result: BestResponderResult, meta: AiMeta): MessagePayload {
  const label = incidentLabel(incident);
  const blocks: Block[] = [section(`*✨ Who should help* · ${incidentTitleLine(incident)}`)];
  const ranked = [result.best, ...result.candidates.filter((c) => c.personId !== result.best?.personId)]
    .filter((c): c is NonNullable<typeof c> => c !== null)
    .slice(0, 5);
  if (ranked.length === 0) blocks.push(section('_No candidates found: nobody on the escalation policy or team._'));
  ranked.forEach((c, i) => {
    const facts = [
      `${percent(c.score)} match`,
      c.onCallLevel !== null ? `on call (level ${c.onCallLevel})` : 'not on call',
      `${c.openIncidents} open incident${c.openIncidents === 1 ? '' : 's'}`,
      c.relevantIncidents > 0 ? `${c.relevantIncidents} similar resolved` : '',
      c.localTime ? `🕒 ${mrkdwn(c.localTime, 40)}` : '',
    ].filter((f) => f !== '');
    const why = c.reasons
      .slice(0, 3)
      .map((r) => mrkdwn(r, 200))
      .join('; ');
    const accessory =
      incident.status === 'resolved' || !/^[A-Z0-9]{1,20}$/.test(c.personId)
        ? undefined
        : button('Page', ActionId.pageResponder, {
            value: encodeResponderPage(incident.id, c.personId),
            confirm: {
              title: `Page ${c.name}?`,
              text: `${c.name} will be added as a responder to ${label} and notified now.`,
              confirm: 'Page',
            },
          });
    blocks.push(
      section(
        `${i === 0 ? '🥇' : `${i + 1}.`} *${mrkdwn(c.name, 200)}* · ${facts.join(' · ')}${why ? `\n${why}` : ''}`,
        accessory,
      ),
    );
  });
  blocks.push(context([engineNote(meta)]));
  return {
    text: fallbackText(`Suggested responder for ${label}: ${result.best?.name ?? 'none found'}`),
    blocks,
  };
}
