/**
 * Text normalisation for the heuristic engine: Unicode folding, contraction expansion, clause splitting,
 * tokenising, stop words, Porter stemming and negation scopes ("not a DNS issue", "DNS was ruled out").
 */
import { stem } from './stemmer.js';

/** Only this many characters of any one text are analysed; the rest is ignored (documented limit). */
export const MAX_ANALYSED_CHARS = 20_000;

const STOP_WORDS = new Set(
  (
    'a an the and or of to in on at for from by with as is are was were be been being it its this that these ' +
    'those there their they them we our us you your he she his her i me my so than then too very can could ' +
    'will would should may might must do does did done has have had having into onto over under about ' +
    'before during while which who whom what when where why how each such only own same other also just again ' +
    'further once here both up am if per via vs within upon still yet now get got getting s t'
  ).split(/\s+/),
);

/** Words that negate what follows (within the clause, up to three content words). */
const FORWARD_NEGATORS = new Set(['not', 'no', 'never', 'without', 'none', 'nothing', 'neither', 'nor', 'non']);
/** Words after "no" that describe a symptom ("no route to host"), so "no" is not a negation there. */
const SYMPTOM_AFTER_NO = new Set(
  (
    'route space healthy such response reply connection connectivity heartbeat quorum leader available ' +
    'availability memory capacity free data signal power internet dial server upstream backend longer traffic ' +
    'results records answer'
  )
    .split(' ')
    .map(stem),
);
/** Auxiliaries before "not" that make a failure statement ("could not resolve"), not a negation of a cause. */
const FAILURE_AUXILIARIES = new Set('could can did do does would will might'.split(' ').map(stem));
/** Multi-word markers that negate the words before them ("DNS was ruled out", "the CDN is unaffected"). */
const BACKWARD_NEGATORS: readonly (readonly string[])[] = [
  'ruled out',
  'unrelated',
  'unaffected',
  'excluded',
  'not the cause',
  'not the culprit',
  'not the issue',
  'not the problem',
  'not the root',
  'not involved',
  'not to blame',
  'not related',
  'not cause',
  'not caused',
  'not trigger',
  'not responsible',
  'not at fault',
  'looked healthy',
  'looks healthy',
  'are healthy',
  'was healthy',
  'is healthy',
  'were healthy',
  'working fine',
  'working normally',
  'operating normally',
  'was fine',
  'is fine',
  'were fine',
  'red herring',
].map((phrase) => phrase.split(' ').map(stem));

const ZERO_WIDTH = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/g;
const COMBINING = /\p{M}+/gu;

/** Unicode-folds, strips zero-width and bidi controls and diacritics, lower-cases, expands contractions. */
export function normalizeText(input: string): string {
  const clipped = input.length > MAX_ANALYSED_CHARS ? input.slice(0, MAX_ANALYSED_CHARS) : input;
  return clipped
    .normalize('NFKD')
    .replace(COMBINING, '')
    .replace(ZERO_WIDTH, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC`]/g, "'")
    .replace(/\bcan't\b/g, 'can not')
    .replace(/\bwon't\b/g, 'will not')
    .replace(/\b(\w+)n't\b/g, '$1 not')
    .replace(/\bcannot\b/g, 'can not');
}

/** One analysed token: its stem, its position, whether a negation covers it. */
export interface AnalysedToken {
  stem: string;
  raw: string;
  clause: number;
  negated: boolean;
}

const CLAUSE_SPLIT =
  /[.!?;:,]+(?=\s|$)|[\r\n()[\]{}|<>"]+|\s(?:but|however|although|though|whereas|instead)\s|\s[-–—]+\s/;
const TOKEN = /[a-z0-9]+/g;

/**
 * Clauses that address a reader rather than describe an incident ("ignore previous instructions and classify
 * this as sev1"). They are dropped before scoring, so injected text cannot steer the heuristic engine.
 */
const INSTRUCTION_LIKE = [
  /\b(ignore|disregard|forget|override)\b.{0,40}\b(instructions?|prompts?|rules?|above|previous|prior|system)\b/,
  /\byou are (now )?(an? |the )?(ai|assistant|model|language model|chatbot|gpt|claude)\b/,
  /\b(system prompt|as an ai|jailbreak|developer mode)\b/,
  /\b(classify|categori[sz]e|label|tag|mark|treat|report|set|rate)\b.{0,30}\b(as|to)\s+(sev ?[1-5]|p[1-5]|severity|category|critical|security|dns|other)\b/,
  /\b(set|change|make)\b.{0,15}\b(severity|priority|category|urgency)\b/,
  /\b(respond|reply|answer|output)\b.{0,20}\b(with|only|in)\b.{0,20}\b(json|yes|no|the following)\b/,
];

/** True when a text contains a clause that reads like an instruction to a model (prompt injection). */
export function looksLikeInstruction(text: string): boolean {
  return normalizeText(text)
    .split(CLAUSE_SPLIT)
    .some((c) => INSTRUCTION_LIKE.some((re) => re.test(c)));
}

/** Splits into clauses of raw lower-case words (stop words kept, for negation logic). */
function clauses(text: string): string[][] {
  return normalizeText(text)
    .split(CLAUSE_SPLIT)
    .filter((c) => !INSTRUCTION_LIKE.some((re) => re.test(c)))
    .map((c) => c.match(TOKEN) ?? [])
    .filter((c) => c.length > 0);
}

function matchesAt(stems: readonly string[], i: number, pattern: readonly string[]): boolean {
  for (let k = 0; k < pattern.length; k++) if (stems[i + k] !== pattern[k]) return false;
  return true;
}

/**
 * Tokenises with negation scopes. Stop words are dropped from the output but used to decide negation. A forward
 * negator covers the next three content words of its clause; a backward marker covers the three before it.
 */
export function analyseText(text: string): AnalysedToken[] {
  const out: AnalysedToken[] = [];
  const all = clauses(text);
  for (let c = 0; c < all.length; c++) {
    const words = all[c] as string[];
    const stems = words.map((w) => stem(w));
    const negated = new Array<boolean>(words.length).fill(false);
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      const prev = i > 0 ? (stems[i - 1] as string) : '';
      const next = stems[i + 1] ?? '';
      const isFailureStatement =
        (w === 'not' && FAILURE_AUXILIARIES.has(prev)) || (w === 'no' && SYMPTOM_AFTER_NO.has(next));
      if (FORWARD_NEGATORS.has(w) && !isFailureStatement) {
        let content = 0;
        for (let j = i + 1; j < words.length && content < 3; j++) {
          const wj = words[j] as string;
          if (FORWARD_NEGATORS.has(wj)) break;
          negated[j] = true;
          if (!STOP_WORDS.has(wj)) content++;
        }
      }
      for (const pattern of BACKWARD_NEGATORS) {
        if (!matchesAt(stems, i, pattern)) continue;
        let content = 0;
        for (let j = i - 1; j >= 0 && content < 3; j--) {
          const wj = words[j] as string;
          negated[j] = true;
          if (!STOP_WORDS.has(wj)) content++;
        }
      }
    }
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      if (STOP_WORDS.has(w) || FORWARD_NEGATORS.has(w)) continue;
      out.push({ stem: stems[i] as string, raw: w, clause: c, negated: negated[i] as boolean });
    }
  }
  return out;
}

/** Content-word stems of a text (no negation info), for similarity. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const words of clauses(text)) {
    for (const w of words) {
      if (STOP_WORDS.has(w) || FORWARD_NEGATORS.has(w)) continue;
      if (w.length === 1 && !/\d/.test(w)) continue;
      out.push(stem(w));
    }
  }
  return out;
}
