/**
 * `/incident list`: one line per incident (status emoji, number, title, service, age, assignees) with a button
 * that posts the live card in the channel.
 */
import { ActionId } from '../ids.js';
import { fallbackText, formatAge, link, mrkdwn } from '../text.js';
import { incidentLabel, peopleList, STATUS_EMOJI, urgencyLabel } from './incident-card.js';
import { button, context, section } from './kit.js';
import type { Block, IncidentView, MessagePayload } from './model.js';

const MAX_ROWS = 20;

/** Builds the list; `filter` describes what was asked (e.g. "open incidents on Checkout"). */
export function buildIncidentList(
  incidents: readonly IncidentView[],
  filter: string,
  now: number,
  truncated = false,
): MessagePayload {
  const blocks: Block[] = [
    section(`*${incidents.length === 0 ? 'No' : incidents.length}${truncated ? '+' : ''} ${mrkdwn(filter, 200)}*`),
  ];
  for (const i of incidents.slice(0, MAX_ROWS)) {
    const created = Date.parse(i.createdAt);
    const age = Number.isNaN(created) ? '' : ` · ${formatAge(created, now)}`;
    blocks.push(
      section(
        `${STATUS_EMOJI[i.status]} ${link(i.htmlUrl, `${incidentLabel(i)} ${i.title}`, 150)}\n${mrkdwn(i.service.name, 100)} · ${urgencyLabel(i.urgency)}${i.priority ? ` · ${mrkdwn(i.priority, 20)}` : ''}${age} · ${peopleList(i.assignees, 3)}`,
        button('Show card', ActionId.show, { value: i.id }),
      ),
    );
  }
  if (incidents.length > MAX_ROWS || truncated) {
    blocks.push(context([`Showing ${Math.min(MAX_ROWS, incidents.length)}; narrow it down with a status or service.`]));
  }
  return { text: fallbackText(`${incidents.length} ${filter}`), blocks };
}
