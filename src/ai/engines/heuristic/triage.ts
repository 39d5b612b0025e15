/** Triage: category, severity, team, urgency and priority from the classifier plus service and history signals. */
import type { Category, Priority, Severity } from '../../schemas/common.js';
import type { Alert, Incident, PastIncident, ServiceInfo } from '../../schemas/inputs.js';
import type { TriageResult } from '../../schemas/results.js';
import { type Classification, createClassifier } from './classify.js';
import { rankSimilarIncidents } from './history.js';
import { looksLikeInstruction } from './text.js';

const classify = createClassifier();

const SEVERITY_PRIORITY: Readonly<Record<Severity, Priority>> = { sev1: 'P1', sev2: 'P2', sev3: 'P3', sev4: 'P4' };

export interface TriageFacts {
  incident: Incident;
  alerts: readonly Alert[];
  services: readonly ServiceInfo[];
  history: readonly PastIncident[];
  /** Extra free text (notes, channel messages) to classify with the description. */
  extraText?: string;
}

export interface TriageOutcome {
  result: TriageResult;
  classification: Classification;
  service: ServiceInfo | undefined;
}

/** Classifies an incident and turns the classification into a triage result. */
export function triageIncident(f: TriageFacts): TriageOutcome {
  const inc = f.incident;
  const service = f.services.find((s) => s.id === inc.service.id);
  const classification = classify({
    title: inc.title,
    description: [inc.description ?? '', f.extraText ?? ''].filter(Boolean).join('\n'),
    serviceName: inc.service.name,
    alerts: f.alerts,
    priority: inc.priority,
    urgency: inc.urgency,
    customerFacing: service?.customerFacing,
  });
  const evidence = [...classification.evidence];
  let category: Category = classification.category;
  let confidence = classification.confidence;

  // History vote: a near-identical past incident with a known category confirms (or, when the lexicon is
  // unsure, decides) the category.
  const neighbours = rankSimilarIncidents(
    { id: inc.id, title: inc.title, description: inc.description, serviceId: inc.service.id },
    f.history.filter((h) => h.category !== undefined),
    { limit: 3, minSimilarity: 0.55 },
  );
  const nearest = neighbours[0];
  if (nearest?.incident.category) {
    if (nearest.incident.category === category) {
      confidence = Math.min(0.99, confidence + (1 - confidence) * 0.3 * nearest.similarity);
      evidence.push(
        `similar past incident ${nearest.incident.id} (${nearest.similarity.toFixed(2)}) was also ${category}`,
      );
    } else if (confidence < 0.45 && nearest.similarity >= 0.7) {
      evidence.push(
        `lexicon unsure (${category}, ${confidence.toFixed(2)}); near-identical past incident ${nearest.incident.id} was ${nearest.incident.category}`,
      );
      category = nearest.incident.category;
      confidence = Number((0.5 * nearest.similarity).toFixed(3));
    } else {
      evidence.push(`similar past incident ${nearest.incident.id} was ${nearest.incident.category}`);
    }
  }
  if (looksLikeInstruction(inc.title) || looksLikeInstruction(inc.description ?? '')) {
    evidence.push('instruction-like text in the incident was ignored');
  }

  const severity = classification.severity;
  const team = service?.team ?? inc.teams[0]?.name ?? null;
  const urgency = severity === 'sev1' || severity === 'sev2' ? 'high' : 'low';
  const result: TriageResult = {
    severity,
    category,
    team,
    urgency,
    suggestedPriority: SEVERITY_PRIORITY[severity],
    confidence: Number(confidence.toFixed(3)),
    evidence: [...evidence, ...classification.severityEvidence.map((e) => `severity: ${e}`)].slice(0, 30),
    alternatives: classification.ranking
      .filter((r) => r.category !== category)
      .slice(0, 3)
      .map((r) => ({ category: r.category, score: Number(r.probability.toFixed(3)) })),
  };
  return { result, classification, service };
}
