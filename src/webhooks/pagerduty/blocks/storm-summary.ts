/**
 * The alert-storm correlation summary: one message per storm window, updated in place while incidents keep
 * arriving. It answers, at a glance: how big is it, is it still growing, which services, what is still open (worst
 * first), and which incidents the engine thinks are one problem, with Merge buttons a human confirms (handled by
 * the Slack bot's `correlation_merge:<n>` action listener, values encoded with `encodeMerge`).
 */
import type { CorrelateResult } from '../../../ai/contract.js';
import { encodeMerge } from '../../../slack/action-values.js';
import { mergeActionId } from '../../../slack/blocks/correlation-post.js';
import { incidentLabel, STATUS_EMOJI } from '../../../slack/blocks/incident-card.js';
import { actions, button, context, divider, header, LIMITS, section } from '../../../slack/blocks/kit.js';
import type { Block, IncidentStatus, IncidentView, MessagePayload } from '../../../slack/blocks/model.js';
import { formatDuration, link, mrkdwn, slackDate } from '../../../slack/text.js';

/** Sources per Merge button (the merge action value holds at most 50). */
export const MERGE_BATCH = 50;
/** Groups shown with their own section. */
export const MAX_GROUPS = 5;
/** Open incidents listed, worst first. */
export const MAX_LISTED = 10;
/** Merge buttons across the message (the rest are reachable after the first merges shrink the groups). */
export const MAX_MERGE_BUTTONS = 15;

export interface StormSummaryInput {
  /** Incidents of the window as PagerDuty shows them now (may be fewer than `totalCount` if some could not be read). */
  incidents: IncidentView[];
  /** Incidents recorded in the window. */
  totalCount: number;
  openedAt: number;
  lastAt: number;
  now: number;
  /** No incident joined for the storm gap: the summary is final unless the storm resumes. */
  settled: boolean;
  /**
   * Correlation of the window's incidents; `'pending'` while it runs (the first post does not wait for it), null
   * when it could not run (the summary still shows counts).
   */
  correlation: (CorrelateResult & { engine: string; fallback?: { reason: string } | undefined }) | 'pending' | null;
}

const STATUS_ORDER: Record<IncidentStatus, number> = { triggered: 0, acknowledged: 1, resolved: 2 };

function worstFirst(a: IncidentView, b: IncidentView): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.urgency === 'high' ? 0 : 1) - (b.urgency === 'high' ? 0 : 1) ||
    Date.parse(a.createdAt) - Date.parse(b.createdAt) ||
    a.id.localeCompare(b.id)
  );
}

function incidentLine(incident: IncidentView, maxTitle = 120): string {
  const label = link(incident.htmlUrl, incidentLabel(incident), 40);
  const urgency = incident.urgency === 'high' ? ' 🔺' : '';
  return `${STATUS_EMOJI[incident.status]}${urgency} ${label} ${mrkdwn(incident.title, maxTitle)} — _${mrkdwn(incident.service.name, 80)}_`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Builds the summary message (≤ 50 blocks, every text within Slack's limits, untrusted text escaped). */
export function buildStormSummary(input: StormSummaryInput): MessagePayload {
  const byId = new Map(input.incidents.map((i) => [i.id, i]));
  const span = formatDuration(Math.max(60, Math.round((input.lastAt - input.openedAt) / 1000)));
  const blocks: Block[] = [];
  blocks.push(header(`⚡ Alert storm: ${plural(input.totalCount, 'incident')} in ${span}`));

  const counts: Record<IncidentStatus, number> = { triggered: 0, acknowledged: 0, resolved: 0 };
  for (const incident of input.incidents) counts[incident.status] += 1;
  const services = new Map<string, { name: string; count: number }>();
  for (const incident of input.incidents) {
    const entry = services.get(incident.service.id) ?? { name: incident.service.name, count: 0 };
    entry.count += 1;
    services.set(incident.service.id, entry);
  }
  const topServices = [...services.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
  const serviceText = topServices
    .slice(0, 6)
    .map((s) => `*${mrkdwn(s.name, 80)}* ${s.count}`)
    .join(' · ');
  const moreServices = topServices.length > 6 ? ` · +${topServices.length - 6} more` : '';
  const state = input.settled
    ? `Settled: nothing new since ${slackDate(input.lastAt, '{time}')}.`
    : `Still arriving: last one ${slackDate(input.lastAt, '{time}')}.`;
  blocks.push(
    section(
      [
        `${STATUS_EMOJI.triggered} *${counts.triggered}* triggered · ${STATUS_EMOJI.acknowledged} *${counts.acknowledged}* acknowledged · ${STATUS_EMOJI.resolved} *${counts.resolved}* resolved`,
        `${plural(topServices.length, 'service')}: ${serviceText}${moreServices}`,
        state,
      ].join('\n'),
    ),
  );

  const correlation = input.correlation === 'pending' ? null : input.correlation;
  let mergeButtons = 0;
  if (correlation && correlation.groups.length > 0) {
    blocks.push(divider());
    const groups = [...correlation.groups].sort((a, b) => b.incidentIds.length - a.incidentIds.length);
    for (const [index, group] of groups.slice(0, MAX_GROUPS).entries()) {
      const root = byId.get(group.rootCauseIncidentId);
      const rootText = root ? incidentLine(root, 100) : mrkdwn(group.rootCauseIncidentId, 40);
      blocks.push(
        section(
          [
            `*Group ${index + 1}: ${plural(group.incidentIds.length, 'incident')}* · ${group.reasons.map((r) => r.replace(/_/g, ' ')).join(', ')} · ${Math.round(group.confidence * 100)}% confidence`,
            mrkdwn(group.summary, 600),
            `Likely cause: ${rootText}`,
          ].join('\n'),
        ),
      );
      const recommendation = correlation.mergeRecommendations.find(
        (m) => m.targetIncidentId === group.rootCauseIncidentId || group.incidentIds.includes(m.targetIncidentId),
      );
      if (!recommendation) continue;
      const target = byId.get(recommendation.targetIncidentId);
      const targetLabel = target ? incidentLabel(target) : recommendation.targetIncidentId;
      const sources = recommendation.sourceIncidentIds.filter(
        (id) => id !== recommendation.targetIncidentId && byId.get(id)?.status !== 'resolved',
      );
      // One button per actions block, each with its own `correlation_merge:<n>` id: the Slack bot's merge listener
      // matches that prefix (action ids must be unique within a block).
      for (let start = 0; start < sources.length && mergeButtons < MAX_MERGE_BUTTONS; start += MERGE_BATCH) {
        const batch = sources.slice(start, start + MERGE_BATCH);
        const part = start / MERGE_BATCH + 1;
        const parts = Math.ceil(sources.length / MERGE_BATCH);
        const suffix = parts > 1 ? ` (${part}/${parts})` : '';
        const merge = button(`Merge ${batch.length} into ${targetLabel}${suffix}`, mergeActionId(mergeButtons), {
          value: encodeMerge(recommendation.targetIncidentId, batch),
          confirm: {
            title: 'Merge incidents?',
            text: `Merge ${plural(batch.length, 'incident')} into ${targetLabel}? They are resolved in PagerDuty and their alerts move to ${targetLabel}. Suggested by the ${correlation.engine} engine: check the group first.`,
            confirm: 'Merge',
            danger: true,
          },
        });
        blocks.push(actions([merge], `storm_merge_${index + 1}_${part}`));
        mergeButtons += 1;
      }
    }
    const hiddenGroups = groups.length - MAX_GROUPS;
    const ungrouped = correlation.ungroupedCount;
    const notes = [
      hiddenGroups > 0 ? `${plural(hiddenGroups, 'smaller group')} not shown` : '',
      ungrouped > 0 ? `${plural(ungrouped, 'incident')} related to no other` : '',
    ].filter((n) => n !== '');
    if (notes.length > 0) blocks.push(context([notes.join(' · ')]));
  } else if (correlation) {
    blocks.push(context(['No related groups found: these incidents look independent.']));
  }

  const open = input.incidents.filter((i) => i.status !== 'resolved').sort(worstFirst);
  if (open.length > 0) {
    blocks.push(divider());
    const listed = open.slice(0, MAX_LISTED).map((i) => incidentLine(i));
    const more = open.length > MAX_LISTED ? `\n…and ${open.length - MAX_LISTED} more open` : '';
    blocks.push(section(`*Open, worst first*\n${listed.join('\n')}${more}`));
  }

  if (input.correlation === 'pending')
    blocks.push(context(['✨ Correlating these incidents; merge suggestions follow in a moment.']));
  const engine = correlation
    ? `Correlation: ${mrkdwn(correlation.engine, 40)} engine${correlation.fallback ? ' (fallback)' : ''}`
    : input.correlation === 'pending'
      ? 'Correlation running'
      : 'Correlation unavailable right now';
  blocks.push(
    context([
      `Updated ${slackDate(input.now, '{time_secs}')} · ${engine} · Individual cards and auto-triage are paused during a storm; \`/incident show #number\` posts one.`,
    ]),
  );

  const text = `Alert storm: ${plural(input.totalCount, 'incident')} in ${span} across ${plural(topServices.length, 'service')} (${counts.triggered} triggered, ${counts.acknowledged} acknowledged, ${counts.resolved} resolved)`;
  return { text, blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}
