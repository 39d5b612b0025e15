/**
 * A stakeholder status update drafted from the AI analysis: plain text (it goes to PagerDuty and into a text
 * box the person edits), short, in the usual "status, impact, what we do, next update" shape.
 */
import type { AnalyzeResult } from '../../ai/contract.js';
import { formatDuration } from '../text.js';
import type { IncidentBrief } from './ai-common.js';
import { incidentLabel } from './incident-card.js';

const PHASE: Record<IncidentBrief['status'], string> = {
  triggered: 'Investigating',
  acknowledged: 'Investigating',
  resolved: 'Resolved',
};

function firstSentence(text: string, max = 300): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const m = /^(.{20,}?[.!?])\s/.exec(`${one} `);
  const s = m?.[1] ?? one;
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** The draft (at most 3,000 characters). */
export function draftStatusUpdate(incident: IncidentBrief, analysis: AnalyzeResult): string {
  const lines = [
    `${PHASE[incident.status]}: ${incidentLabel(incident)} ${incident.title.replace(/\s+/g, ' ').slice(0, 200)}`,
  ];
  const impact = analysis.impact;
  const who = impact.customerFacing ? 'Customers are affected' : 'Internal impact';
  const services = impact.services.length > 0 ? ` (${impact.services.slice(0, 5).join(', ')})` : '';
  lines.push(`Impact: ${who}${services}. ${firstSentence(impact.description)}`.trim());
  lines.push(`What we know: ${firstSentence(analysis.summary)}`);
  if (incident.status !== 'resolved' && analysis.recommendedActions.length > 0) {
    lines.push(
      `Next steps: ${analysis.recommendedActions
        .slice(0, 2)
        .map((a) => firstSentence(a, 150))
        .join('; ')}`,
    );
  }
  if (incident.status !== 'resolved' && analysis.estimatedResolution.minutes !== null) {
    lines.push(`Estimated time to resolve: about ${formatDuration(analysis.estimatedResolution.minutes * 60)}.`);
  }
  lines.push(incident.status === 'resolved' ? 'A postmortem will follow.' : 'Next update in 30 minutes.');
  const text = lines.join('\n');
  return text.length > 3000 ? `${text.slice(0, 2999)}…` : text;
}
