/**
 * The category and severity classifier: a weighted lexicon over title, description, service name and alerts,
 * with stemming and negation scopes, turned into calibrated probabilities by a temperature-scaled softmax whose
 * temperature was fitted on the dev split of the evaluation set (see docs/EVALUATION.md).
 */
import { CATEGORIES, type Category, SEVERITIES, type Severity } from '../../schemas/common.js';
import { CATEGORY_LEXICON, compileLexicon, matchLexicon, SEVERITY_LEXICON } from './lexicon.js';
import { analyseText } from './text.js';

/** What the classifier looks at. */
export interface ClassifierInput {
  title: string;
  description?: string | undefined;
  serviceName?: string | undefined;
  alerts?: ReadonlyArray<{
    summary: string;
    source?: string | undefined;
    component?: string | undefined;
    severity?: 'critical' | 'error' | 'warning' | 'info' | undefined;
    details?: string | undefined;
  }>;
  priority?: string | null | undefined;
  urgency?: 'high' | 'low' | undefined;
  customerFacing?: boolean | undefined;
}

export interface Classification {
  category: Category;
  /** Calibrated probability of each category (sums to 1), best first. */
  ranking: ReadonlyArray<{ category: Category; probability: number }>;
  confidence: number;
  evidence: string[];
  /** Positive cues per category, strongest first (for hypotheses beyond the top one). */
  cues: Partial<Record<Category, string[]>>;
  severity: Severity;
  severityEvidence: string[];
}

/** Tunable parameters (fitted on the dev split; see bench/eval.ts). */
export interface ClassifierParams {
  fieldWeights: { title: number; description: number; service: number; alerts: number };
  /** Fraction of a cue's weight subtracted when it is negated ("not a DNS issue"). */
  negationPenalty: number;
  /** Score "other" gets before any evidence: the bar a real category must clear. */
  otherPrior: number;
  /** Softmax temperature (calibration). */
  temperature: number;
}

export const DEFAULT_CLASSIFIER_PARAMS: ClassifierParams = {
  fieldWeights: { title: 2, description: 1, service: 1, alerts: 0.8 },
  negationPenalty: 0.75,
  otherPrior: 2,
  temperature: 1,
};

const categoryLexicon = compileLexicon(CATEGORY_LEXICON);
const severityLexicon = compileLexicon(SEVERITY_LEXICON);

/** Repeats of one cue in one field add with diminishing weight, so a long body cannot drown the title. */
function repeatFactor(count: number): number {
  return 1 + 0.3 * Math.min(count - 1, 3);
}

interface Contribution {
  phrase: string;
  field: string;
  amount: number;
  negated: boolean;
}

function scoreField<K extends string>(
  text: string,
  field: string,
  factor: number,
  penalty: number,
  lexicon: typeof categoryLexicon | typeof severityLexicon,
  scores: Map<K, number>,
  contributions: Map<K, Contribution[]>,
): void {
  if (!text || factor === 0) return;
  const counts = new Map<string, { key: K; phrase: string; weight: number; negated: boolean; count: number }>();
  for (const m of matchLexicon(analyseText(text), lexicon)) {
    const id = `${m.entry.key}\u0000${m.entry.phrase}\u0000${m.negated}`;
    const hit = counts.get(id);
    if (hit) hit.count++;
    else
      counts.set(id, {
        key: m.entry.key as K,
        phrase: m.entry.phrase,
        weight: m.entry.weight,
        negated: m.negated,
        count: 1,
      });
  }
  for (const hit of counts.values()) {
    const amount = hit.weight * factor * repeatFactor(hit.count) * (hit.negated ? -penalty : 1);
    scores.set(hit.key, (scores.get(hit.key) ?? 0) + amount);
    const list = contributions.get(hit.key) ?? [];
    list.push({ phrase: hit.phrase, field, amount, negated: hit.negated });
    contributions.set(hit.key, list);
  }
}

function softmax(values: readonly number[], temperature: number): number[] {
  const max = Math.max(...values);
  const exps = values.map((v) => Math.exp((v - max) / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function describe(c: Contribution): string {
  const sign = c.amount >= 0 ? '+' : '−';
  return c.negated
    ? `"${c.phrase}" is negated in the ${c.field} (${sign}${Math.abs(c.amount).toFixed(1)})`
    : `"${c.phrase}" in the ${c.field} (${sign}${Math.abs(c.amount).toFixed(1)})`;
}

const PRIORITY_SEVERITY: Readonly<Record<string, Severity>> = {
  p1: 'sev1',
  p2: 'sev2',
  p3: 'sev3',
  p4: 'sev4',
  p5: 'sev4',
};
const ALERT_SEVERITY: Readonly<Record<string, Partial<Record<Severity, number>>>> = {
  critical: { sev1: 1, sev2: 1 },
  error: { sev2: 1 },
  warning: { sev3: 1 },
  info: { sev4: 1.5 },
};

function classifySeverity(input: ClassifierInput): { severity: Severity; evidence: string[] } {
  const scores = new Map<Severity, number>([['sev3', 0.5]]);
  const contributions = new Map<Severity, Contribution[]>();
  scoreField(input.title, 'title', 1.5, 0, severityLexicon, scores, contributions);
  scoreField(input.description ?? '', 'description', 1, 0, severityLexicon, scores, contributions);
  const evidence: string[] = [];
  // Negated impact ("no customer impact", "customers unaffected") is itself a low-severity signal.
  let negatedImpact = 0;
  for (const [sev, list] of contributions) {
    for (const c of list) {
      if (c.negated && (sev === 'sev1' || sev === 'sev2')) negatedImpact += Math.abs(c.amount);
    }
  }
  for (const field of [input.title, input.description ?? '']) {
    for (const t of analyseText(field)) {
      if (t.negated && (t.stem === 'impact' || t.stem === 'custom' || t.stem === 'user' || t.stem === 'outag')) {
        negatedImpact += 1.5;
      }
    }
  }
  if (negatedImpact > 0) {
    scores.set('sev4', (scores.get('sev4') ?? 0) + Math.min(negatedImpact, 5));
    evidence.push('impact is explicitly negated (e.g. "no customer impact")');
  }
  for (const [sev, list] of contributions) {
    for (const c of list) {
      if (c.negated && (sev === 'sev1' || sev === 'sev2')) scores.set(sev, (scores.get(sev) ?? 0) - Math.abs(c.amount));
    }
  }
  const priority = input.priority ? PRIORITY_SEVERITY[input.priority.trim().toLowerCase()] : undefined;
  if (priority) {
    scores.set(priority, (scores.get(priority) ?? 0) + 3);
    evidence.push(`priority ${input.priority} maps to ${priority}`);
  }
  for (const alert of input.alerts ?? []) {
    const bonus = alert.severity ? ALERT_SEVERITY[alert.severity] : undefined;
    if (!bonus) continue;
    for (const [sev, v] of Object.entries(bonus) as [Severity, number][]) {
      scores.set(sev, (scores.get(sev) ?? 0) + v / Math.max(1, Math.sqrt((input.alerts ?? []).length)));
    }
  }
  if (input.urgency === 'high') {
    scores.set('sev1', (scores.get('sev1') ?? 0) + 0.5);
    scores.set('sev2', (scores.get('sev2') ?? 0) + 1);
    evidence.push('incident urgency is high');
  } else if (input.urgency === 'low') {
    scores.set('sev3', (scores.get('sev3') ?? 0) + 1);
    scores.set('sev4', (scores.get('sev4') ?? 0) + 0.5);
    evidence.push('incident urgency is low');
  }
  if (input.customerFacing) {
    scores.set('sev2', (scores.get('sev2') ?? 0) + 0.5);
    evidence.push('the service is customer-facing');
  }
  let best: Severity = 'sev3';
  for (const sev of SEVERITIES) if ((scores.get(sev) ?? 0) > (scores.get(best) ?? 0)) best = sev;
  const top = (contributions.get(best) ?? [])
    .filter((c) => !c.negated)
    .sort((a, b) => b.amount - a.amount)
    .slice(0, 3);
  return { severity: best, evidence: [...top.map(describe), ...evidence].slice(0, 6) };
}

/** Creates a classifier with the given parameters (defaults: the fitted ones). */
export function createClassifier(
  params: ClassifierParams = DEFAULT_CLASSIFIER_PARAMS,
): (input: ClassifierInput) => Classification {
  return (input) => {
    const scores = new Map<Category, number>();
    const contributions = new Map<Category, Contribution[]>();
    const w = params.fieldWeights;
    const p = params.negationPenalty;
    scoreField(input.title, 'title', w.title, p, categoryLexicon, scores, contributions);
    scoreField(input.description ?? '', 'description', w.description, p, categoryLexicon, scores, contributions);
    scoreField(input.serviceName ?? '', 'service name', w.service, p, categoryLexicon, scores, contributions);
    const alerts = input.alerts ?? [];
    if (alerts.length > 0) {
      // Alerts are often many near-copies: score their distinct texts together so a storm counts once.
      const distinct = [...new Set(alerts.map((a) => a.summary))].slice(0, 50).join('. ');
      const sources = [...new Set(alerts.flatMap((a) => [a.source ?? '', a.component ?? '']))].slice(0, 50).join('. ');
      const details = [...new Set(alerts.map((a) => a.details ?? ''))].slice(0, 10).join('. ');
      scoreField(distinct, 'alerts', w.alerts, p, categoryLexicon, scores, contributions);
      scoreField(sources, 'alert source', w.alerts * 0.75, p, categoryLexicon, scores, contributions);
      scoreField(details, 'alert details', w.alerts * 0.5, p, categoryLexicon, scores, contributions);
    }
    scores.set('other', (scores.get('other') ?? 0) + params.otherPrior);
    const values = CATEGORIES.map((c) => Math.max(0, scores.get(c) ?? 0));
    const probs = softmax(values, params.temperature);
    const ranking = CATEGORIES.map((category, i) => ({ category, probability: probs[i] as number })).sort(
      (a, b) => b.probability - a.probability,
    );
    const top = ranking[0] as { category: Category; probability: number };
    const evidence: string[] = [];
    const positive = (contributions.get(top.category) ?? [])
      .filter((c) => c.amount > 0)
      .sort((a, b) => b.amount - a.amount);
    evidence.push(...positive.slice(0, 4).map(describe));
    if (top.category === 'other' && positive.length === 0) {
      evidence.push('no category cue outweighs the prior: nothing specific points to a known failure class');
    }
    for (const [category, list] of contributions) {
      for (const c of list) {
        if (c.negated && evidence.length < 7) evidence.push(`${describe(c)}: ${category} is discounted`);
      }
    }
    const runnerUp = ranking[1];
    if (runnerUp && runnerUp.probability > 0.2) {
      evidence.push(`runner-up: ${runnerUp.category} (${runnerUp.probability.toFixed(2)})`);
    }
    const severity = classifySeverity(input);
    const cues: Partial<Record<Category, string[]>> = {};
    for (const [category, list] of contributions) {
      const pos = list.filter((c) => c.amount > 0).sort((a, b) => b.amount - a.amount);
      if (pos.length > 0) cues[category] = pos.slice(0, 5).map(describe);
    }
    return {
      category: top.category,
      ranking,
      confidence: Number(top.probability.toFixed(3)),
      evidence,
      cues,
      severity: severity.severity,
      severityEvidence: severity.evidence,
    };
  };
}
