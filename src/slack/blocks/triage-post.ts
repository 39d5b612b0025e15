/**
 * The AI triage post (in the card's thread): severity, category, team, urgency, confidence and evidence, with
 * **Apply urgency** and **Escalate** buttons that a human confirms. AI never writes by itself.
 */
import type { TriageResult } from '../../ai/contract.js';
import { encodeApplyUrgency, encodeTriageEscalate } from '../action-values.js';
import { ActionId, BlockId } from '../ids.js';
import { fallbackText, mrkdwn } from '../text.js';
import { type AiMeta, bullets, engineNote, type IncidentBrief, incidentTitleLine, percent } from './ai-common.js';
import { incidentLabel, urgencyLabel } from './incident-card.js';
import { actions, button, context, fields, section } from './kit.js';
import type { Block, MessagePayload } from './model.js';

const SEVERITY_EMOJI: Record<TriageResult['severity'], string> = {
  sev1: '🟥',
  sev2: '🟧',
  sev3: '🟨',
  sev4: '🟩',
};

/** Builds the triage post for an incident. */
export function buildTriagePost(incident: IncidentBrief, triage: TriageResult, meta: AiMeta): MessagePayload {
  const label = incidentLabel(incident);
  const blocks: Block[] = [
    section(`*✨ AI triage* · ${incidentTitleLine(incident)}`),
    fields([
      `*Severity*\n${SEVERITY_EMOJI[triage.severity]} ${triage.severity.toUpperCase()}`,
      `*Category*\n${mrkdwn(triage.category.replace(/_/g, ' '), 100)}`,
      `*Team*\n${triage.team ? mrkdwn(triage.team, 300) : '_unknown_'}`,
      `*Urgency*\n${urgencyLabel(triage.urgency)} (suggested ${triage.suggestedPriority})`,
      `*Confidence*\n${percent(triage.confidence)}`,
    ]),
    section(`*Evidence*\n${bullets(triage.evidence, 5, 300)}`),
  ];
  if (triage.alternatives.length > 0) {
    blocks.push(
      context([
        `Also possible: ${triage.alternatives
          .slice(0, 3)
          .map((a) => `${mrkdwn(a.category.replace(/_/g, ' '), 60)} ${percent(a.score)}`)
          .join(', ')}`,
      ]),
    );
  }
  const buttons: Block[] = [];
  if (incident.status !== 'resolved' && incident.urgency !== triage.urgency) {
    buttons.push(
      button(`Apply urgency: ${triage.urgency === 'high' ? 'High' : 'Low'}`, ActionId.applyUrgency, {
        value: encodeApplyUrgency(incident.id, triage.urgency),
        style: 'primary',
        confirm: {
          title: `Set urgency to ${triage.urgency}?`,
          text:
            triage.urgency === 'high'
              ? `${label} becomes high urgency: responders are notified with high-urgency rules.`
              : `${label} becomes low urgency: responders are notified with low-urgency rules.`,
          confirm: 'Apply',
        },
      }),
    );
  }
  const worthEscalating = triage.severity === 'sev1' || triage.severity === 'sev2';
  if (incident.status !== 'resolved' && worthEscalating) {
    const next = (incident.escalationLevel ?? 1) + 1;
    buttons.push(
      button(`Escalate to level ${next}`, ActionId.triageEscalate, {
        value: encodeTriageEscalate(incident.id, next),
        style: 'danger',
        confirm: {
          title: `Escalate to level ${next}?`,
          text: `Everyone on escalation level ${next} of ${label} will be paged now.`,
          confirm: 'Escalate',
          danger: true,
        },
      }),
    );
  }
  if (buttons.length > 0) blocks.push(actions(buttons, BlockId.triageActions));
  blocks.push(context([engineNote(meta)]));
  return {
    text: fallbackText(
      `AI triage for ${label}: ${triage.severity.toUpperCase()}, ${triage.category}, ${triage.urgency} urgency`,
    ),
    blocks,
  };
}
