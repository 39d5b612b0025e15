/**
 * Escalation rules: unacknowledged past the timeout, high urgency with high severity, repeated triggers,
 * customer impact, no progress while acknowledged, long-running. Unacknowledged alone is enough; otherwise
 * the weighted signals must reach the threshold.
 */
import type { Category, Severity } from '../../schemas/common.js';
import type { Alert, Incident, OnCallEntry, ServiceInfo, TimelineEntry } from '../../schemas/inputs.js';
import type { EscalationResult } from '../../schemas/results.js';
import { CATEGORY_EXPERTISE, CATEGORY_LABEL } from './helpers.js';

export interface EscalationFacts {
  incident: Incident;
  alerts: readonly Alert[];
  timeline: readonly TimelineEntry[];
  service: ServiceInfo | undefined;
  onCalls: readonly OnCallEntry[];
  maxLevel: number | undefined;
  ackTimeoutMinutes: number | undefined;
  now: string;
  category: Category;
  severity: Severity;
}

const DEFAULT_ACK_TIMEOUT = { high: 10, low: 30 } as const;
const WEIGHTS = {
  high_urgency: 1,
  repeated_triggers: 1,
  customer_impact: 1,
  stalled: 1.5,
  long_running: 1,
} as const;
const THRESHOLD = 2.5;

/** Decides whether to escalate, to which level, and which expertise is missing. */
export function decideEscalation(f: EscalationFacts): EscalationResult {
  const inc = f.incident;
  const now = Date.parse(f.now);
  // Unknown urgency is treated as high: escalation advice errs on the side of waking someone.
  const urgency = inc.urgency ?? 'high';
  const ageMin = (now - Date.parse(inc.createdAt)) / 60_000;
  const currentLevel = inc.escalationLevel ?? 1;
  const expertise = [...CATEGORY_EXPERTISE[f.category]];
  if (f.service?.team && !expertise.includes(f.service.team)) expertise.push(`${f.service.team} (service owners)`);

  if (inc.status === 'resolved') {
    return {
      shouldEscalate: false,
      level: null,
      reason: 'The incident is resolved; no escalation is needed.',
      expertiseNeeded: [],
      signals: ['resolved'],
    };
  }

  const signals: string[] = [];
  const reasons: string[] = [];
  let score = 0;
  const timeout = f.ackTimeoutMinutes ?? DEFAULT_ACK_TIMEOUT[urgency];
  const unacknowledged = inc.status === 'triggered' && ageMin > timeout;
  if (unacknowledged) {
    signals.push('unacknowledged');
    reasons.push(`unacknowledged for ${Math.round(ageMin)} min (limit ${timeout} min for ${urgency} urgency)`);
  }
  if (urgency === 'high' && (f.severity === 'sev1' || f.severity === 'sev2')) {
    signals.push('high_urgency');
    score += WEIGHTS.high_urgency;
    reasons.push(`high urgency and assessed ${f.severity}`);
  }
  const recentAlerts = f.alerts.filter((a) => now - Date.parse(a.createdAt) <= 30 * 60_000).length;
  const triggers = Math.max(
    inc.alertCount ?? 0,
    f.alerts.length,
    f.timeline.filter((e) => e.kind === 'trigger').length,
  );
  if (triggers >= 5 || recentAlerts >= 3) {
    signals.push('repeated_triggers');
    score += WEIGHTS.repeated_triggers;
    reasons.push(`${triggers} triggers/alerts (${recentAlerts} in the last 30 min)`);
  }
  if (f.service?.customerFacing || f.severity === 'sev1') {
    signals.push('customer_impact');
    score += WEIGHTS.customer_impact;
    reasons.push(f.service?.customerFacing ? `${inc.service.name} is customer-facing` : 'assessed sev1 (broad impact)');
  }
  if (inc.status === 'acknowledged') {
    const progress = f.timeline
      .filter((e) => e.kind === 'note' || e.kind === 'status_update' || e.kind === 'message')
      .map((e) => Date.parse(e.at))
      .filter((t) => Number.isFinite(t) && t <= now);
    const since = inc.acknowledgedAt ? Date.parse(inc.acknowledgedAt) : Date.parse(inc.createdAt);
    const lastProgress = Math.max(since, ...progress);
    const quietMin = (now - lastProgress) / 60_000;
    const stallLimit = urgency === 'high' ? 45 : 120;
    if (quietMin > stallLimit) {
      signals.push('stalled');
      score += WEIGHTS.stalled;
      reasons.push(`acknowledged but no notes or updates for ${Math.round(quietMin)} min`);
    }
    const longLimit = urgency === 'high' ? 120 : 480;
    if (ageMin > longLimit) {
      signals.push('long_running');
      score += WEIGHTS.long_running;
      reasons.push(`open for ${Math.round(ageMin)} min`);
    }
  }

  const shouldEscalate = unacknowledged || score >= THRESHOLD;
  const topLevel = f.maxLevel ?? Math.max(currentLevel, ...f.onCalls.map((o) => o.level));
  if (!shouldEscalate) {
    return {
      shouldEscalate: false,
      level: null,
      reason:
        reasons.length > 0
          ? `Not yet: ${reasons.join('; ')} (signal score ${score} of ${THRESHOLD} needed).`
          : 'No escalation signal: the incident is being handled within expected times.',
      expertiseNeeded: expertise.slice(0, 10),
      signals,
    };
  }
  const atTop = currentLevel >= topLevel;
  const level = atTop ? currentLevel : currentLevel + 1;
  const nextPeople = f.onCalls
    .filter((o) => o.level === level)
    .map((o) => o.person.name)
    .slice(0, 3);
  const target = atTop
    ? `already at the top level (${currentLevel}); bring in an incident commander and ${CATEGORY_LABEL[f.category]} expertise`
    : `escalate to level ${level}${nextPeople.length > 0 ? ` (${nextPeople.join(', ')})` : ''}`;
  return {
    shouldEscalate: true,
    level,
    reason: `${reasons.join('; ')}. Suggestion: ${target}.`,
    expertiseNeeded: expertise.slice(0, 10),
    signals,
  };
}
