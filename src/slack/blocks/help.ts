/**
 * `/incident help` and per-subcommand usage, as ephemeral messages.
 */
import { SUBCOMMANDS, type Subcommand, USAGE } from '../command-parser.js';
import { fallbackText, mrkdwn } from '../text.js';
import { context, section } from './kit.js';
import type { MessagePayload } from './model.js';

const GROUPS: Array<{ title: string; subs: Subcommand[] }> = [
  { title: '🚨 Respond', subs: ['declare', 'ack', 'escalate', 'resolve', 'page', 'reassign', 'snooze'] },
  { title: '📝 Communicate', subs: ['note', 'update', 'role', 'show', 'list', 'subscribe'] },
  { title: '✨ AI assist', subs: ['triage', 'analyze', 'correlate', 'runbook', 'responder', 'postmortem', 'fatigue'] },
  { title: '📟 People', subs: ['oncall', 'help'] },
];

/** Full help, or the usage of one subcommand. */
export function buildHelp(topic: Subcommand | null): MessagePayload {
  if (topic) {
    const u = USAGE[topic];
    return {
      text: fallbackText(`${u.usage}: ${u.summary}`),
      blocks: [section(`\`${mrkdwn(u.usage)}\`\n${u.summary}`)],
    };
  }
  const covered = new Set(GROUPS.flatMap((g) => g.subs));
  const missing = SUBCOMMANDS.filter((s) => !covered.has(s));
  const groups = missing.length > 0 ? [...GROUPS, { title: 'More', subs: missing }] : GROUPS;
  return {
    text: 'incident-bot help',
    blocks: [
      ...groups.map((g) =>
        section(`*${g.title}*\n${g.subs.map((s) => `\`${mrkdwn(USAGE[s].usage)}\` ${USAGE[s].summary}`).join('\n')}`),
      ),
      context([
        '`incident` is a PagerDuty id (`PABC123`) or `#number`; inside an incident channel or a card thread you can leave it out.',
      ]),
    ],
  };
}

/** Usage error for one subcommand (or for an unknown one). */
export function buildUsageError(message: string): MessagePayload {
  return { text: fallbackText(message), blocks: [section(`⚠️ ${mrkdwn(message)}`)] };
}
