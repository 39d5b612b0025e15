/**
 * Analysis: ranked root-cause hypotheses (classifier ranking over the incident, alerts, notes and channel
 * messages, cross-checked with change events and similar past incidents), impact, similar incidents with how
 * they were resolved, recommended actions and an estimate of time to resolve with its basis.
 */

import type { z } from 'zod';
import type { Category } from '../../schemas/common.js';
import type { AnalyzeInputSchema } from '../../schemas/inputs.js';
import type { AnalyzeResult } from '../../schemas/results.js';
import {
  CATEGORY_CAUSE,
  CATEGORY_LABEL,
  clip,
  extractHost,
  fillPlaceholders,
  median,
  splitSentences,
} from './helpers.js';
import { rankSimilarIncidents, resolutionMinutes, toSimilarIncident } from './history.js';
import { PLAYBOOKS } from './playbooks.js';
import { triageIncident } from './triage.js';

type AnalyzeFacts = z.infer<typeof AnalyzeInputSchema>;

/** Typical total minutes to resolve by severity when no comparable history exists. */
const DEFAULT_MINUTES = { sev1: 60, sev2: 90, sev3: 180, sev4: 480 } as const;
const CHANGE_CUE =
  /\b(deploy\w*|release\w*|rolled out|rollout|config(?:uration)? change|feature flag|migration|upgrade\w*)\b/i;
const MAX_EXTRA_TEXT = 15_000;

/** Analyses an incident. */
export function analyzeIncident(f: AnalyzeFacts): AnalyzeResult {
  const inc = f.incident;
  const now = Date.parse(f.now);
  const start = Date.parse(inc.createdAt);
  const humanText = [
    ...f.notes.map((n) => n.content),
    ...f.channelMessages.map((m) => m.text),
    ...f.timeline.filter((e) => e.kind === 'note' || e.kind === 'status_update').map((e) => e.summary),
  ]
    .join('\n')
    .slice(0, MAX_EXTRA_TEXT);
  const {
    result: triage,
    classification,
    service,
  } = triageIncident({
    incident: inc,
    alerts: f.alerts,
    services: f.services,
    history: f.history,
    extraText: humanText,
  });

  const similarRanked = rankSimilarIncidents(
    {
      id: inc.id,
      title: inc.title,
      description: inc.description,
      serviceId: inc.service.id,
      category: triage.category,
    },
    f.history,
    { limit: 5, minSimilarity: 0.2 },
  );

  // Changes recorded within two hours before the start are evidence for config_deploy.
  const changeEvidence: string[] = [];
  for (const e of [
    ...f.timeline.map((t) => ({ at: t.at, text: t.summary })),
    ...f.channelMessages.map((m) => ({ at: m.at, text: m.text })),
    ...f.notes.map((n) => ({ at: n.at, text: n.content })),
  ]) {
    const t = Date.parse(e.at);
    if (!Number.isFinite(t) || changeEvidence.length >= 3) continue;
    if (CHANGE_CUE.test(e.text) && t <= start + 30 * 60_000 && t >= start - 2 * 3600_000) {
      changeEvidence.push(`change mentioned near the start: "${clip(e.text, 160)}"`);
    }
  }

  const host = extractHost(`${inc.title} ${inc.description ?? ''}`);
  const scores = new Map<Category, { p: number; evidence: string[] }>();
  for (const r of classification.ranking.slice(0, 4)) {
    scores.set(r.category, { p: r.probability, evidence: [...(classification.cues[r.category] ?? [])] });
  }
  if (changeEvidence.length > 0) {
    const entry = scores.get('config_deploy') ?? { p: 0, evidence: [] };
    entry.p = Math.min(0.95, entry.p + 0.15 * changeEvidence.length);
    entry.evidence.push(...changeEvidence);
    scores.set('config_deploy', entry);
  }
  for (const s of similarRanked) {
    const cat = s.incident.category;
    if (!cat || s.similarity < 0.35) continue;
    const entry = scores.get(cat) ?? { p: 0, evidence: [] };
    entry.p = Math.min(0.95, entry.p + 0.1 * s.similarity);
    entry.evidence.push(
      `similar past incident ${s.incident.id} (${s.similarity.toFixed(2)}) was ${CATEGORY_LABEL[cat]}`,
    );
    scores.set(cat, entry);
  }
  const total = [...scores.values()].reduce((a, b) => a + b.p, 0) || 1;
  const hypotheses = [...scores.entries()]
    .map(([category, v]) => ({ category, confidence: v.p / Math.max(1, total), evidence: v.evidence }))
    .filter((h) => h.confidence >= 0.05 || h.category === triage.category)
    .sort((a, b) => b.confidence - a.confidence)
    .slice(0, 4)
    .map((h) => ({
      cause: clip(fillPlaceholders(CATEGORY_CAUSE[h.category], inc.service.name, host), 1900),
      category: h.category,
      confidence: Number(h.confidence.toFixed(3)),
      evidence: h.evidence.length > 0 ? h.evidence.slice(0, 8) : ['weak: no specific cue, ranked by prior only'],
    }));

  // Impact: this service, the services that depend on it, and components named by alerts.
  const dependents = f.services.filter((s) => s.dependsOn.includes(inc.service.id));
  const components = [...new Set(f.alerts.map((a) => a.component).filter((c): c is string => Boolean(c)))];
  const impactedNames = [inc.service.name, ...dependents.map((d) => d.name), ...components].filter(
    (v, i, a) => a.indexOf(v) === i,
  );
  const customerFacing =
    Boolean(service?.customerFacing) ||
    dependents.some((d) => d.customerFacing) ||
    triage.severity === 'sev1' ||
    /\b(customers?|users?|checkout|login|sign[- ]?in|payments?)\b/i.test(`${inc.title} ${inc.description ?? ''}`);
  const end = inc.resolvedAt ? Date.parse(inc.resolvedAt) : now;
  const durationMinutes = Number.isFinite(end - start) && end >= start ? Math.round((end - start) / 60_000) : null;
  const ongoing = inc.status !== 'resolved';

  // Estimate from similar incidents' durations, else from severity.
  const durations = similarRanked.map((s) => resolutionMinutes(s.incident)).filter((m): m is number => m !== null);
  const historical = durations.length >= 2 ? median(durations) : null;
  const expected = historical ?? DEFAULT_MINUTES[triage.severity];
  let minutes: number | null;
  let basis: string;
  if (!ongoing) {
    minutes = durationMinutes;
    basis = `resolved after ${durationMinutes ?? 'an unknown number of'} minutes`;
  } else {
    const elapsed = durationMinutes ?? 0;
    minutes = Math.max(15, Math.round(expected - elapsed));
    basis =
      historical !== null
        ? `median time to resolve of ${durations.length} similar past incidents is ${Math.round(historical)} min; ${elapsed} min elapsed`
        : `typical ${triage.severity} duration of ${expected} min (no comparable history); ${elapsed} min elapsed`;
  }

  const top = (hypotheses[0]?.category ?? triage.category) as Category;
  const actions: string[] = [];
  for (const s of similarRanked) {
    if (actions.length >= 2) break;
    const fix = s.incident.resolution ? splitSentences(s.incident.resolution)[0] : undefined;
    if (fix) actions.push(clip(`Try what resolved ${s.incident.id}: ${fix}`, 1900));
  }
  for (const step of PLAYBOOKS[top]) {
    if (actions.length >= 7) break;
    if (step.phase === 'verification') continue;
    const command = step.command ? ` (\`${fillPlaceholders(step.command, inc.service.name, host)}\`)` : '';
    actions.push(clip(`${fillPlaceholders(step.action, inc.service.name, host)}${command}`, 1900));
  }

  const lead = hypotheses[0];
  const closest = similarRanked[0];
  const summary = [
    `${triage.severity.toUpperCase()} ${CATEGORY_LABEL[triage.category]} incident on ${inc.service.name}: ${clip(inc.title, 300)}.`,
    lead ? `Leading hypothesis (${Math.round(lead.confidence * 100)}%): ${lead.cause}.` : '',
    closest
      ? `Closest past incident: ${closest.incident.id} "${clip(closest.incident.title, 150)}"${closest.incident.resolution ? `, resolved by: ${clip(closest.incident.resolution, 200)}` : ''}.`
      : 'No similar past incident found.',
  ]
    .filter(Boolean)
    .join(' ');

  return {
    summary: clip(summary, 7900),
    hypotheses,
    impact: {
      services: impactedNames.slice(0, 100).map((s) => clip(s, 300)),
      customerFacing,
      durationMinutes,
      ongoing,
      description: clip(
        `${impactedNames.length} service${impactedNames.length === 1 ? '' : 's'} affected (${impactedNames.slice(0, 6).join(', ')})` +
          `${customerFacing ? ', customer-facing' : ''}; ${ongoing ? 'ongoing for' : 'lasted'} ${durationMinutes ?? '?'} min.`,
        7900,
      ),
    },
    similarIncidents: similarRanked.map(toSimilarIncident),
    recommendedActions: actions,
    estimatedResolution: { minutes, basis: clip(basis, 1900) },
  };
}
