/**
 * `npm run eval`: scores the heuristic engine (the default, offline engine) on
 *  - triage: the labelled set test/fixtures/triage-eval.jsonl (180 incident texts written for this project, 15 per
 *    category, with severity labels), split into dev (used while building the lexicon and fitting the softmax
 *    temperature) and held-out test (never used for tuning): accuracy, macro-F1, per-category P/R/F1, severity
 *    accuracy (exact and within one level) and expected calibration error;
 *  - correlation: seeded alert storms with ground truth (test/fixtures/ai-eval.ts), dev seeds 1–5 (used while
 *    tuning) and held-out seeds 101–110: pairwise precision, recall and F1.
 * Prints the tables and rewrites the results section of docs/EVALUATION.md. `--tune` also prints a grid search of
 * the classifier's temperature and "other" prior on the dev split (nothing is changed automatically).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassifier, DEFAULT_CLASSIFIER_PARAMS } from '../src/ai/engines/heuristic/classify.js';
import { correlateIncidents, DEFAULT_CORRELATION_PARAMS } from '../src/ai/engines/heuristic/correlate.js';
import { createHeuristicEngine } from '../src/ai/engines/heuristic/engine.js';
import {
  generateAlertStorm,
  type LabelledItem,
  loadTriageSet,
  type PairScores,
  predictWithEngine,
  type StormOptions,
  scoreCorrelation,
  scoreTriage,
  type TriageScores,
} from '../test/fixtures/ai-eval.js';

const here = dirname(fileURLToPath(import.meta.url));
const docPath = join(here, '..', 'docs', 'EVALUATION.md');
const BEGIN = '<!-- eval:results:begin -->';
const END = '<!-- eval:results:end -->';

export const DEV_SEEDS = [1, 2, 3, 4, 5];
export const HELD_OUT_SEEDS = [101, 102, 103, 104, 105, 106, 107, 108, 109, 110];
export const STORM_SHAPES: ReadonlyArray<{ name: string; options: Omit<StormOptions, 'seed'> }> = [
  {
    name: 'moderate: 30 cascades + 120 unrelated incidents in 24 h',
    options: { clusters: 30, noise: 120, spanHours: 24 },
  },
  {
    name: 'dense: 60 cascades + 400 unrelated incidents in 24 h',
    options: { clusters: 60, noise: 400, spanHours: 24 },
  },
];

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function triageTable(dev: TriageScores, test: TriageScores): string {
  const rows = [
    '| split | n | accuracy | macro-F1 | severity exact | severity ±1 | ECE |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...[
      ['dev (tuned on)', dev],
      ['held-out test', test],
    ].map(
      ([name, s]) =>
        `| ${name} | ${(s as TriageScores).n} | ${pct((s as TriageScores).accuracy)} | ${(s as TriageScores).macroF1.toFixed(3)} | ${pct((s as TriageScores).severityAccuracy)} | ${pct((s as TriageScores).severityWithinOne)} | ${(s as TriageScores).ece.toFixed(3)} |`,
    ),
  ];
  const per = [
    '| category | dev P | dev R | dev F1 | test P | test R | test F1 |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...dev.perCategory.map((d, i) => {
      const t = test.perCategory[i] as TriageScores['perCategory'][number];
      return `| ${d.label} | ${d.precision.toFixed(2)} | ${d.recall.toFixed(2)} | ${d.f1.toFixed(2)} | ${t.precision.toFixed(2)} | ${t.recall.toFixed(2)} | ${t.f1.toFixed(2)} |`;
    }),
  ];
  const misses = test.confusions.map((c) => `${c.id} (${c.expected} → ${c.predicted}, ${c.confidence.toFixed(2)})`);
  return [
    ...rows,
    '',
    ...per,
    '',
    `Held-out misclassifications (${misses.length}): ${misses.length > 0 ? misses.join('; ') : 'none'}.`,
  ].join('\n');
}

export function correlationScores(
  seeds: readonly number[],
  options: Omit<StormOptions, 'seed'>,
): PairScores & { incidents: number } {
  let p = 0;
  let r = 0;
  let n = 0;
  for (const seed of seeds) {
    const storm = generateAlertStorm({ seed, ...options });
    const result = correlateIncidents(storm.incidents, storm.services, {
      ...DEFAULT_CORRELATION_PARAMS,
      windowMinutes: 30,
    });
    const s = scoreCorrelation(storm, result);
    p += s.precision;
    r += s.recall;
    n += storm.incidents.length;
  }
  const precision = p / seeds.length;
  const recall = r / seeds.length;
  return {
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    predictedPairs: 0,
    truePairs: 0,
    incidents: Math.round(n / seeds.length),
  };
}

function tune(dev: readonly LabelledItem[]): string {
  const lines = ['| temperature | other prior | accuracy | macro-F1 | ECE |', '| --- | --- | --- | --- | --- |'];
  for (const temperature of [0.5, 0.75, 1, 1.5, 2]) {
    for (const otherPrior of [1.5, 2, 2.5]) {
      const classify = createClassifier({ ...DEFAULT_CLASSIFIER_PARAMS, temperature, otherPrior });
      const preds = dev.map((i) => {
        const r = classify({ title: i.title, description: i.text });
        return { id: i.id, category: r.category, severity: r.severity, confidence: r.confidence };
      });
      const s = scoreTriage(dev, preds);
      lines.push(
        `| ${temperature} | ${otherPrior} | ${pct(s.accuracy)} | ${s.macroF1.toFixed(3)} | ${s.ece.toFixed(3)} |`,
      );
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const items = loadTriageSet();
  const dev = items.filter((i) => i.split === 'dev');
  const test = items.filter((i) => i.split === 'test');
  const engine = createHeuristicEngine();
  const devScores = scoreTriage(dev, await predictWithEngine(engine, dev));
  const testScores = scoreTriage(test, await predictWithEngine(engine, test));

  const corrRows = [
    '| storm shape | seeds | incidents per storm | pairwise precision | pairwise recall | F1 |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const shape of STORM_SHAPES) {
    for (const [label, seeds] of [
      ['dev 1–5', DEV_SEEDS],
      ['held-out 101–110', HELD_OUT_SEEDS],
    ] as const) {
      const s = correlationScores(seeds, shape.options);
      corrRows.push(
        `| ${shape.name} | ${label} | ${s.incidents} | ${pct(s.precision)} | ${pct(s.recall)} | ${s.f1.toFixed(3)} |`,
      );
    }
  }

  const body = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run eval\` (heuristic engine ${engine.cacheId}).`,
    '',
    '### Triage',
    '',
    triageTable(devScores, testScores),
    '',
    '### Correlation',
    '',
    ...corrRows,
  ].join('\n');
  process.stdout.write(`${body}\n`);
  if (process.argv.includes('--tune')) process.stdout.write(`\n### Dev-split grid search\n\n${tune(dev)}\n`);

  let doc: string;
  try {
    doc = readFileSync(docPath, 'utf8');
  } catch {
    doc = '# Evaluation\n';
  }
  const start = doc.indexOf(BEGIN);
  const stop = doc.indexOf(END);
  const block = `${BEGIN}\n${body}\n${END}`;
  doc =
    start >= 0 && stop > start
      ? doc.slice(0, start) + block + doc.slice(stop + END.length)
      : `${doc.trimEnd()}\n\n${block}\n`;
  writeFileSync(docPath, doc);
  process.stderr.write('eval: results written to docs/EVALUATION.md\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
