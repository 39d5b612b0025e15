/**
 * The incident card: one glanceable message per incident, updated in place. Status emoji, urgency, priority,
 * service, assignees, escalation level, age and roles; buttons that match the state (no Acknowledge on an
 * acknowledged or resolved incident, no Escalate/Resolve on a resolved one); PagerDuty link.
 */
import {
  type CardState,
  encodeAiButton,
  encodeCardState,
  encodeEscalateChoice,
  encodeOverflow,
} from '../action-values.js';
import { ActionId, BlockId, OverflowChoice } from '../ids.js';
import { channelMention, fallbackText, formatAge, isHttpUrl, mrkdwn, userMention } from '../text.js';
import { actions, button, context, fields, header, option, overflow, staticSelect } from './kit.js';
import type { Block, CardContext, IncidentStatus, IncidentView, MessagePayload, PersonView } from './model.js';

export const STATUS_EMOJI: Record<IncidentStatus, string> = {
  triggered: '🔴',
  acknowledged: '🟠',
  resolved: '✅',
};

export const STATUS_LABEL: Record<IncidentStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

const MAX_ESCALATION_OPTIONS = 10;

/**
 * `#123`, or the id when PagerDuty gave no number. Callers put the label unescaped into mrkdwn and plain text, so
 * it keeps only the letters and digits PagerDuty ids are made of (an id is untrusted text like any other).
 */
export function incidentLabel(incident: Pick<IncidentView, 'id' | 'number'>): string {
  if (incident.number !== null) return `#${incident.number}`;
  return incident.id.replace(/[^A-Za-z0-9]/g, '').slice(0, 40) || 'incident';
}

export function urgencyLabel(urgency: IncidentView['urgency']): string {
  if (urgency === 'high') return '🔺 High';
  if (urgency === 'low') return '🔹 Low';
  return '—';
}

export function peopleList(people: PersonView[], max = 5): string {
  if (people.length === 0) return '_nobody_';
  const shown = people.slice(0, max).map((p) => userMention(p.slackUserId ?? undefined, p.name));
  const more = people.length - shown.length;
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ');
}

export function cardState(incident: IncidentView, now: number): CardState {
  return {
    incidentId: incident.id,
    status: incident.status,
    level: incident.escalationLevel ?? 0,
    render: Math.max(0, Math.floor(now)).toString(36),
  };
}

function escalationChoices(incident: IncidentView, levels: number | null | undefined): number[] {
  const current = incident.escalationLevel ?? 1;
  const top = Math.min(MAX_ESCALATION_OPTIONS, Math.max(levels ?? current + 2, 1));
  const out: number[] = [];
  for (let level = 1; level <= top; level++) if (level !== current) out.push(level);
  return out;
}

function cardActions(incident: IncidentView, ctx: CardContext): Block {
  const state = cardState(incident, ctx.now);
  const value = encodeCardState(state);
  const label = incidentLabel(incident);
  const elements: Block[] = [];
  const open = incident.status !== 'resolved';

  if (incident.status === 'triggered') {
    elements.push(button('Acknowledge', ActionId.acknowledge, { value, style: 'primary' }));
  }
  if (open) {
    const choices = escalationChoices(incident, ctx.escalationLevels);
    if (choices.length > 0) {
      elements.push(
        staticSelect(
          'Escalate…',
          ActionId.escalate,
          choices.map((level) =>
            option(
              `Level ${level}`,
              encodeEscalateChoice(state, level),
              level > (incident.escalationLevel ?? 1) ? 'Page this level now' : 'Back to this level',
            ),
          ),
          {
            confirm: {
              title: 'Escalate this incident?',
              text: `Everyone on the chosen escalation level of ${label} will be paged now.`,
              confirm: 'Escalate',
              danger: true,
            },
          },
        ),
      );
    }
    elements.push(button('Resolve…', ActionId.resolve, { value }));
  }
  const aiKind = incident.status === 'triggered' ? 'triage' : 'analyze';
  elements.push(
    button(aiKind === 'triage' ? '✨ Triage' : '✨ Analyze', ActionId.ai, {
      value: encodeAiButton(aiKind, incident.id),
    }),
  );
  if (!ctx.incidentChannelId && open) {
    elements.push(button('💬 Open channel', ActionId.openChannel, { value: incident.id }));
  }
  if (isHttpUrl(incident.htmlUrl)) {
    elements.push(button('PagerDuty ↗', ActionId.openInPagerDuty, { url: incident.htmlUrl, value: incident.id }));
  }
  const menu = [
    option('📝 Add note', encodeOverflow(OverflowChoice.note, incident.id)),
    ...(incident.status === 'acknowledged'
      ? [option('💤 Snooze', encodeOverflow(OverflowChoice.snooze, incident.id))]
      : []),
    ...(open ? [option('👤 Reassign', encodeOverflow(OverflowChoice.reassign, incident.id))] : []),
    option('📋 Runbook', encodeOverflow(OverflowChoice.runbook, incident.id)),
    option('🧾 Postmortem draft', encodeOverflow(OverflowChoice.postmortem, incident.id)),
  ];
  elements.push(overflow(ActionId.overflow, menu));
  return actions(elements, BlockId.cardActions);
}

function ageLine(incident: IncidentView, now: number): string {
  const created = Date.parse(incident.createdAt);
  if (Number.isNaN(created)) return '';
  if (incident.status === 'resolved') {
    const resolved = incident.resolvedAt ? Date.parse(incident.resolvedAt) : Number.NaN;
    if (!Number.isNaN(resolved)) {
      return `Resolved ${formatAge(resolved, now)}${formatAge(resolved, now) === 'just now' ? '' : ' ago'} · lasted ${formatAge(created, resolved)}`;
    }
    return `Opened ${formatAge(created, now)} ago`;
  }
  const age = formatAge(created, now);
  return age === 'just now' ? 'Opened just now' : `Open for ${age}`;
}

function lastActionLine(ctx: CardContext): string {
  const a = ctx.lastAction;
  if (!a) return '';
  const who = a.slackUserId ? ` by ${userMention(a.slackUserId)}` : '';
  const age = formatAge(a.at, ctx.now);
  return `${mrkdwn(a.verb, 100)}${who} ${age === 'just now' ? 'just now' : `${age} ago`}`;
}

function rolesLine(ctx: CardContext): string {
  const r = ctx.roles;
  if (!r) return '';
  const parts: string[] = [];
  if (r.commander) parts.push(`🎖️ Commander ${userMention(r.commander)}`);
  if (r.comms) parts.push(`📣 Comms ${userMention(r.comms)}`);
  if (r.scribe) parts.push(`✍️ Scribe ${userMention(r.scribe)}`);
  return parts.join('  ·  ');
}

/** The card for an incident. Pure: same incident and context, same JSON. */
export function buildIncidentCard(incident: IncidentView, ctx: CardContext): MessagePayload {
  const emoji = STATUS_EMOJI[incident.status];
  const label = incidentLabel(incident);
  const escalation =
    incident.escalationLevel === null
      ? mrkdwn(incident.escalationPolicy?.name ?? '—', 300)
      : `Level ${incident.escalationLevel}${incident.escalationPolicy ? ` · ${mrkdwn(incident.escalationPolicy.name, 300)}` : ''}`;

  const blocks: Block[] = [
    header(`${emoji} ${label} ${incident.title}`),
    fields([
      `*Status*\n${emoji} ${STATUS_LABEL[incident.status]}`,
      `*Urgency*\n${urgencyLabel(incident.urgency)}`,
      `*Priority*\n${incident.priority ? mrkdwn(incident.priority, 100) : '—'}`,
      `*Service*\n${mrkdwn(incident.service.name, 500)}`,
      `*Assigned to*\n${peopleList(incident.assignees)}`,
      `*Escalation*\n${escalation}`,
    ]),
  ];

  const meta = [
    ageLine(incident, ctx.now),
    lastActionLine(ctx),
    incident.alertCount && incident.alertCount > 1 ? `${incident.alertCount} alerts` : '',
  ].filter((s) => s !== '');
  if (ctx.incidentChannelId) meta.push(`💬 ${channelMention(ctx.incidentChannelId)}`);
  if (meta.length > 0) blocks.push(context([meta.join('  ·  ')]));
  const roles = rolesLine(ctx);
  if (roles) blocks.push(context([roles]));
  blocks.push(cardActions(incident, ctx));

  const text = fallbackText(
    `${emoji} ${label} ${STATUS_LABEL[incident.status]}: ${incident.title} (${incident.service.name})`,
  );
  return { text, blocks };
}
