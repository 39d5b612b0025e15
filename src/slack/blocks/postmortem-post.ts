/**
 * The postmortem draft, posted in the card's thread: summary, impact, timeline, root cause, action items and
 * metrics, with **Regenerate** and **Export Markdown**. Long drafts are split across several thread replies
 * (each within Slack's 50-block and 3,000-character limits); the buttons ride on the first reply.
 */
import type { PostmortemResult } from '../../ai/contract.js';
import { ActionId, BlockId } from '../ids.js';
import { fallbackText, formatDuration, mrkdwn, splitText } from '../text.js';
import { type AiMeta, bullets, engineNote, type IncidentBrief } from './ai-common.js';
import { incidentLabel } from './incident-card.js';
import { actions, button, chunkBlocks, context, divider, header, LIMITS, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

const SOURCE_EMOJI: Record<string, string> = { pagerduty: '📟', note: '📝', slack: '💬', alert: '🚨' };
const PRIORITY_EMOJI: Record<string, string> = { high: '🔴', medium: '🟠', low: '⚪' };

/** Sections for a long escaped text, split at paragraph boundaries. */
function longSections(title: string, text: string): Block[] {
  const escaped = mrkdwn(text, 12_000);
  const parts = splitText(escaped, LIMITS.sectionText - title.length - 2);
  return parts.map((p, i) => section(i === 0 ? `${title}\n${p}` : p));
}

function timelineSections(pm: PostmortemResult): Block[] {
  if (pm.timeline.length === 0) return [section('*Timeline*\n_no events recorded_')];
  const lines = pm.timeline.map(
    (t) =>
      `\`${mrkdwn(t.at.replace('T', ' ').slice(0, 16), 20)}\` ${SOURCE_EMOJI[t.source] ?? '•'} ${mrkdwn(t.event, 400)}`,
  );
  const blocks: Block[] = [];
  let current = '*Timeline*';
  for (const line of lines) {
    if (current.length + line.length + 1 > LIMITS.sectionText) {
      blocks.push(section(current));
      current = line;
    } else current = `${current}\n${line}`;
  }
  blocks.push(section(current));
  return blocks;
}

/** Builds the postmortem draft as one or more thread replies (first one carries the buttons). */
export function buildPostmortemPosts(incident: IncidentBrief, pm: PostmortemResult, meta: AiMeta): MessagePayload[] {
  const label = incidentLabel(incident);
  const m = pm.metrics;
  const metrics = [
    m.timeToAcknowledgeMinutes !== null
      ? `⏱️ Acknowledged after ${formatDuration(m.timeToAcknowledgeMinutes * 60)}`
      : '',
    m.timeToResolveMinutes !== null ? `✅ Resolved after ${formatDuration(m.timeToResolveMinutes * 60)}` : '',
    `⬆️ ${m.escalations} escalation${m.escalations === 1 ? '' : 's'}`,
    m.responders.length > 0
      ? `👥 ${m.responders
          .slice(0, 6)
          .map((r) => mrkdwn(r, 60))
          .join(', ')}${m.responders.length > 6 ? ` +${m.responders.length - 6}` : ''}`
      : '',
  ].filter((s) => s !== '');

  const body: Block[] = [
    header(`🧾 Postmortem draft: ${label} ${pm.title}`),
    context([metrics.join('  ·  ')]),
    actions(
      [
        button('🔄 Regenerate', ActionId.regeneratePostmortem, { value: incident.id }),
        button('⬇️ Export Markdown', ActionId.exportPostmortem, { value: incident.id }),
      ],
      BlockId.postmortemActions,
    ),
    ...longSections('*Summary*', pm.summary),
    ...longSections('*Impact*', pm.impact),
    divider(),
    ...timelineSections(pm),
    divider(),
    ...longSections('*Root cause*', pm.rootCause),
  ];
  if (pm.contributingFactors.length > 0) {
    body.push(section(`*Contributing factors*\n${bullets(pm.contributingFactors, 10, 250)}`));
  }
  body.push(...longSections('*Detection*', pm.detection));
  body.push(...longSections('*Resolution*', pm.resolution));
  if (pm.actionItems.length > 0) {
    const lines = pm.actionItems.map(
      (a) =>
        `${PRIORITY_EMOJI[a.priority] ?? '•'} ${mrkdwn(a.title, 250)}${a.owner ? ` — _${mrkdwn(a.owner, 80)}_` : ''}`,
    );
    const chunks: string[] = [];
    let current = '*Action items*';
    for (const line of lines) {
      if (current.length + line.length + 1 > LIMITS.sectionText) {
        chunks.push(current);
        current = line;
      } else current = `${current}\n${line}`;
    }
    chunks.push(current);
    body.push(...chunks.map((c) => section(c)));
  }
  if (pm.lessonsLearned.length > 0) body.push(section(`*Lessons learned*\n${bullets(pm.lessonsLearned, 10, 250)}`));
  body.push(context([`${engineNote(meta)} · edit before sharing`]));

  const pages = chunkBlocks(body, LIMITS.blocksPerMessage);
  return pages.map((blocks, i) => ({
    text: fallbackText(
      i === 0 ? `Postmortem draft for ${label}: ${pm.title}` : `Postmortem draft for ${label} (part ${i + 1})`,
    ),
    blocks,
  }));
}
