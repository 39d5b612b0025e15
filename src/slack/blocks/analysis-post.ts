/**
 * The AI analysis post: summary, hypotheses with confidence, impact, similar past incidents (linked to
 * PagerDuty) and recommended actions.
 */
import type { AnalyzeResult } from '../../ai/contract.js';
import { fallbackText, formatDuration, link, mrkdwn } from '../text.js';
import {
  type AiMeta,
  bullets,
  engineNote,
  type IncidentBrief,
  incidentTitleLine,
  incidentUrl,
  percent,
} from './ai-common.js';
import { incidentLabel } from './incident-card.js';
import { context, divider, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

/** Builds the analysis post for an incident. */
export function buildAnalysisPost(incident: IncidentBrief, analysis: AnalyzeResult, meta: AiMeta): MessagePayload {
  const blocks: Block[] = [
    section(`*✨ AI analysis* · ${incidentTitleLine(incident)}\n${mrkdwn(analysis.summary, 1500)}`),
  ];
  if (analysis.hypotheses.length > 0) {
    const lines = analysis.hypotheses
      .slice(0, 5)
      .map(
        (h, i) =>
          `${i + 1}. ${mrkdwn(h.cause, 300)} · _${percent(h.confidence)}_${h.evidence[0] ? `\n      ↳ ${mrkdwn(h.evidence[0], 200)}` : ''}`,
      );
    if (analysis.hypotheses.length > 5) lines.push(`_+${analysis.hypotheses.length - 5} more_`);
    blocks.push(section(`*Likely causes*\n${lines.join('\n')}`));
  }
  const impact = analysis.impact;
  const impactBits = [
    impact.customerFacing ? '👥 Customer-facing' : 'Internal',
    impact.ongoing ? 'ongoing' : 'over',
    impact.durationMinutes !== null ? `for ${formatDuration(impact.durationMinutes * 60)}` : '',
    impact.services.length > 0
      ? `services: ${impact.services
          .slice(0, 8)
          .map((s) => mrkdwn(s, 80))
          .join(', ')}${impact.services.length > 8 ? ` +${impact.services.length - 8}` : ''}`
      : '',
  ].filter((b) => b !== '');
  blocks.push(section(`*Impact*\n${impactBits.join(' · ')}\n${mrkdwn(impact.description, 800)}`));
  if (analysis.similarIncidents.length > 0) {
    const lines = analysis.similarIncidents.slice(0, 5).map((s) => {
      const title = link(incidentUrl(incident.htmlUrl, s.id), s.title, 150);
      const fix = s.resolution ? `\n      ↳ fixed by: ${mrkdwn(s.resolution, 200)}` : '';
      return `• ${title} · ${percent(s.similarity)} similar${fix}`;
    });
    blocks.push(section(`*Similar incidents*\n${lines.join('\n')}`));
  }
  if (analysis.recommendedActions.length > 0) {
    blocks.push(section(`*Recommended next steps*\n${bullets(analysis.recommendedActions, 6, 300)}`));
  }
  const eta = analysis.estimatedResolution;
  blocks.push(divider());
  blocks.push(
    context([
      eta.minutes !== null
        ? `⏱️ Estimated time to resolve: ~${formatDuration(eta.minutes * 60)} (${mrkdwn(eta.basis, 200)})`
        : '',
      engineNote(meta),
    ]),
  );
  return { text: fallbackText(`AI analysis for ${incidentLabel(incident)}: ${analysis.summary}`), blocks };
}
