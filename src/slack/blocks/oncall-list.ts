/**
 * `/incident oncall`: who is on call now, per escalation policy and level, and until when.
 */
import { fallbackText, formatAge, mrkdwn, userMention } from '../text.js';
import { context, section } from './kit.js';
import type { Block, MessagePayload, PersonView } from './model.js';

export interface OnCallView {
  escalationPolicy: { id: string; name: string } | null;
  schedule: { id: string; name: string } | null;
  level: number;
  user: PersonView;
  /** ISO 8601, null for permanent on-call. */
  until: string | null;
}

const MAX_POLICIES = 15;

/** Builds the on-call overview, grouped by escalation policy. */
export function buildOnCallList(entries: readonly OnCallView[], query: string | null, now: number): MessagePayload {
  const groups = new Map<string, { name: string; rows: OnCallView[] }>();
  for (const e of entries) {
    const key = e.escalationPolicy?.id ?? e.schedule?.id ?? '-';
    const name = e.escalationPolicy?.name ?? e.schedule?.name ?? 'Direct';
    const g = groups.get(key) ?? { name, rows: [] };
    g.rows.push(e);
    groups.set(key, g);
  }
  const blocks: Block[] = [
    section(
      `*📟 On call now*${query ? ` · ${mrkdwn(query, 100)}` : ''}${entries.length === 0 ? '\n_Nobody found._' : ''}`,
    ),
  ];
  for (const g of [...groups.values()].slice(0, MAX_POLICIES)) {
    const rows = [...g.rows]
      .sort((a, b) => a.level - b.level)
      .slice(0, 10)
      .map((r) => {
        const until = r.until ? Date.parse(r.until) : Number.NaN;
        const left = Number.isNaN(until) ? 'permanent' : `for ${formatAge(now, until)} more`;
        const via = r.schedule ? ` · ${mrkdwn(r.schedule.name, 80)}` : '';
        return `L${r.level} ${userMention(r.user.slackUserId ?? undefined, r.user.name)}${via} · ${left}`;
      });
    blocks.push(section(`*${mrkdwn(g.name, 150)}*\n${rows.join('\n')}`));
  }
  if (groups.size > MAX_POLICIES) blocks.push(context([`+${groups.size - MAX_POLICIES} more escalation policies`]));
  return { text: fallbackText(`On call now: ${entries.length} people`), blocks };
}
