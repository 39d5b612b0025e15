/**
 * Renders a postmortem draft as Markdown (shared by both engines, so the layout never depends on the model).
 * Text from incidents and people is kept on one line per item and stripped of control characters; escaping for
 * a particular surface (Slack mrkdwn) is that surface's job.
 */
import type { PostmortemDraft } from './schemas/results.js';

/** Removes control characters except newline and tab. */
function stripControls(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => (c === '\n' || c === '\t' ? c : ''));
}

function oneLine(text: string): string {
  return stripControls(text)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** Multi-line text: a line cannot start a heading, quote, list or table (untrusted text stays a paragraph). */
function block(text: string): string {
  return stripControls(text)
    .trim()
    .replace(/^(\s*)([#>|*+-]|\d+[.)])/gm, '$1\\$2');
}

function cell(text: string): string {
  return oneLine(text).replace(/\|/g, '\\|');
}

function minutes(value: number | null): string {
  if (value === null) return 'n/a';
  if (value < 120) return `${Math.round(value)} min`;
  return `${Math.floor(value / 60)} h ${Math.round(value % 60)} min`;
}

function list(items: readonly string[], empty: string): string {
  return items.length === 0 ? `_${empty}_` : items.map((i) => `- ${oneLine(i)}`).join('\n');
}

/** The whole postmortem as Markdown. */
export function renderPostmortemMarkdown(draft: PostmortemDraft): string {
  const m = draft.metrics;
  const lines: string[] = [
    `# ${oneLine(draft.title)}`,
    '',
    '## Summary',
    '',
    block(draft.summary),
    '',
    '## Impact',
    '',
    block(draft.impact),
    '',
    '## Metrics',
    '',
    '| metric | value |',
    '| --- | --- |',
    `| time to acknowledge | ${minutes(m.timeToAcknowledgeMinutes)} |`,
    `| time to resolve | ${minutes(m.timeToResolveMinutes)} |`,
    `| escalations | ${m.escalations} |`,
    `| responders | ${m.responders.length === 0 ? 'n/a' : cell(m.responders.join(', '))} |`,
    '',
    '## Timeline (UTC)',
    '',
  ];
  if (draft.timeline.length === 0) lines.push('_No timeline entries were available._');
  else {
    lines.push('| time | event | source |', '| --- | --- | --- |');
    for (const t of draft.timeline) lines.push(`| ${cell(t.at)} | ${cell(t.event)} | ${t.source} |`);
  }
  lines.push(
    '',
    '## Root cause',
    '',
    block(draft.rootCause),
    '',
    '## Contributing factors',
    '',
    list(draft.contributingFactors, 'None identified.'),
    '',
    '## Detection',
    '',
    block(draft.detection),
    '',
    '## Resolution',
    '',
    block(draft.resolution),
    '',
    '## Action items',
    '',
  );
  if (draft.actionItems.length === 0) lines.push('_None recorded._');
  else {
    lines.push('| action | owner | priority |', '| --- | --- | --- |');
    for (const a of draft.actionItems)
      lines.push(`| ${cell(a.title)} | ${a.owner ? cell(a.owner) : 'unassigned'} | ${a.priority} |`);
  }
  lines.push('', '## Lessons learned', '', list(draft.lessonsLearned, 'None recorded.'), '');
  return lines.join('\n').slice(0, 100_000);
}
