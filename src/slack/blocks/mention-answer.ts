/**
 * Answers to `@bot <question>` in an incident channel or card thread: a summary / catch-up, who is on call, or
 * what changed recently, built from the incident's own data (PagerDuty timeline, notes, captured messages).
 */
import { fallbackText, formatAge, mrkdwn, userMention } from '../text.js';
import type { IncidentBrief } from './ai-common.js';
import { incidentLabel, STATUS_EMOJI, STATUS_LABEL, urgencyLabel } from './incident-card.js';
import { context, section } from './kit.js';
import type { Block, MessagePayload, PersonView } from './model.js';

export type MentionIntent = 'summary' | 'oncall' | 'changes' | 'help';

/** What the question asks for. */
export function mentionIntent(question: string): MentionIntent {
  const q = question.toLowerCase();
  if (/\b(who('?s| is)?\b.*\b(on[- ]?call|paged|responding|handling)|on[- ]?call|pager)\b/.test(q)) return 'oncall';
  if (/\b(what('?s| has)? (changed|new|happened)|changes?|since|latest|recent|updates?)\b/.test(q)) return 'changes';
  if (/\b(summary|summari[sz]e|catch ?up|status|tl;?dr|brief|going on|happening|overview|where are we)\b/.test(q)) {
    return 'summary';
  }
  if (q.trim() === '' || /\b(help|what can you)\b/.test(q)) return 'help';
  return 'summary';
}

export interface TimelineLine {
  at: string;
  text: string;
  who: string | null;
}

function header(incident: IncidentBrief, now: number, createdAt: string | null): string {
  const age = createdAt ? ` · open ${formatAge(Date.parse(createdAt), now)}` : '';
  return `${STATUS_EMOJI[incident.status]} *${incidentLabel(incident)}* ${mrkdwn(incident.title, 200)}\n${STATUS_LABEL[incident.status]} · ${urgencyLabel(incident.urgency)}${incident.escalationLevel ? ` · level ${incident.escalationLevel}` : ''}${age}`;
}

function lines(items: readonly TimelineLine[], now: number, max: number): string {
  if (items.length === 0) return '_nothing recorded yet_';
  return items
    .slice(-max)
    .map((l) => {
      const at = Date.parse(l.at);
      const age = Number.isNaN(at) ? '' : formatAge(at, now);
      const when = age === '' ? '' : `\`${age === 'just now' ? age : `${age} ago`}\` `;
      return `• ${when}${mrkdwn(l.text, 300)}${l.who ? ` — _${mrkdwn(l.who, 80)}_` : ''}`;
    })
    .join('\n');
}

export function buildSummaryAnswer(
  incident: IncidentBrief,
  summary: string | null,
  recent: readonly TimelineLine[],
  now: number,
  createdAt: string | null,
): MessagePayload {
  const blocks: Block[] = [section(header(incident, now, createdAt))];
  if (summary) blocks.push(section(`*Summary*\n${mrkdwn(summary, 1500)}`));
  blocks.push(section(`*Latest*\n${lines(recent, now, 6)}`));
  blocks.push(context(['Ask me “who is on call?”, “what changed?” or “summary”.']));
  return {
    text: fallbackText(`${incidentLabel(incident)}: ${STATUS_LABEL[incident.status]}. ${summary ?? ''}`),
    blocks,
  };
}

export function buildOnCallAnswer(
  incident: IncidentBrief,
  oncall: ReadonlyArray<{ level: number; person: PersonView; until: string | null }>,
  assignees: readonly PersonView[],
  now: number,
): MessagePayload {
  const who = (p: PersonView): string => userMention(p.slackUserId ?? undefined, p.name);
  const rows = [...oncall]
    .sort((a, b) => a.level - b.level)
    .slice(0, 15)
    .map((o) => {
      const until = o.until ? Date.parse(o.until) : Number.NaN;
      return `L${o.level} ${who(o.person)}${Number.isNaN(until) ? '' : ` · until ${formatAge(now, until)} from now`}`;
    });
  return {
    text: fallbackText(`On call for ${incidentLabel(incident)}`),
    blocks: [
      section(
        `*📟 On call for ${incidentLabel(incident)}*\n${rows.length > 0 ? rows.join('\n') : '_nobody found on its escalation policy_'}`,
      ),
      context([`Assigned now: ${assignees.length > 0 ? assignees.slice(0, 5).map(who).join(', ') : 'nobody'}`]),
    ],
  };
}

export function buildChangesAnswer(
  incident: IncidentBrief,
  recent: readonly TimelineLine[],
  now: number,
): MessagePayload {
  return {
    text: fallbackText(`What changed on ${incidentLabel(incident)}`),
    blocks: [section(`*🕒 What changed on ${incidentLabel(incident)}*\n${lines(recent, now, 10)}`)],
  };
}

export function buildMentionHelp(inIncident: boolean): MessagePayload {
  const text = inIncident
    ? 'Ask me “summary” (catch up), “who is on call?” or “what changed?”.'
    : 'I answer questions inside an incident channel or in a card’s thread. Try `/incident list` to find one.';
  return { text, blocks: [section(`👋 ${text}`)] };
}
