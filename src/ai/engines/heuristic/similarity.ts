/**
 * Text similarity: TF-IDF cosine for ranking past incidents against a query, Jaccard on token sets, and MinHash
 * signatures with banded locality-sensitive hashing for finding near-duplicate titles without comparing every
 * pair.
 */
import { tokenize } from './text.js';

/** Tokens that identify an instance rather than a symptom (numbers, hex ids, hosts-with-numbers) are dropped. */
function isSymptomToken(t: string): boolean {
  return !/\d/.test(t) && !/^[a-f0-9]{8,}$/.test(t) && t.length <= 40;
}

/** Symptom tokens of a text: stems without instance identifiers. */
export function symptomTokens(text: string): string[] {
  return tokenize(text).filter(isSymptomToken);
}

/** Unigrams plus adjacent bigrams, as a set. */
export function shingles(tokens: readonly string[]): Set<string> {
  const out = new Set<string>(tokens);
  for (let i = 0; i + 1 < tokens.length; i++) out.add(`${tokens[i]} ${tokens[i + 1]}`);
  return out;
}

export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (large.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

/** 32-bit FNV-1a. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed odd multipliers and offsets: deterministic across runs and machines. Typed arrays keep the hot loop
// free of allocations.
const SEED_A = new Uint32Array(64);
const SEED_B = new Uint32Array(64);
{
  let s = 0x9e3779b9;
  for (let i = 0; i < 64; i++) {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
    SEED_A[i] = (s | 1) >>> 0;
    s = (Math.imul(s ^ (s >>> 12), 0x297a2d39) + 0x2c1b3c6d) >>> 0;
    SEED_B[i] = s;
  }
}

/** MinHash signature with `k` hash functions (k ≤ 64). An empty set gets an all-ones signature. */
export function minhash(set: ReadonlySet<string>, k: number): Uint32Array {
  const sig = new Uint32Array(k).fill(0xffffffff);
  for (const item of set) {
    const x = fnv1a(item);
    for (let i = 0; i < k; i++) {
      let h = (Math.imul(x, SEED_A[i] as number) + (SEED_B[i] as number)) >>> 0;
      h = (h ^ (h >>> 16)) >>> 0;
      h = Math.imul(h, 0x85ebca6b) >>> 0;
      h = (h ^ (h >>> 13)) >>> 0;
      if (h < (sig[i] as number)) sig[i] = h;
    }
  }
  return sig;
}

/** Fraction of agreeing positions: an unbiased estimate of Jaccard similarity. */
export function minhashSimilarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** A TF-IDF model over a corpus; documents are token lists. */
export interface TfIdfModel {
  /** Sparse L2-normalised vector of a token list. */
  vector(tokens: readonly string[]): Map<string, number>;
}

/** Builds inverse document frequencies (smoothed) from a corpus. */
export function buildTfIdf(corpus: ReadonlyArray<readonly string[]>): TfIdfModel {
  const df = new Map<string, number>();
  for (const doc of corpus) for (const t of new Set(doc)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = corpus.length;
  const idf = (t: string): number => Math.log((1 + n) / (1 + (df.get(t) ?? 0))) + 1;
  return {
    vector(tokens) {
      const tf = new Map<string, number>();
      for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
      let norm = 0;
      const v = new Map<string, number>();
      for (const [t, count] of tf) {
        const w = (1 + Math.log(count)) * idf(t);
        v.set(t, w);
        norm += w * w;
      }
      norm = Math.sqrt(norm);
      if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
      return v;
    },
  };
}

export function cosine(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [t, w] of small) {
    const o = large.get(t);
    if (o !== undefined) dot += w * o;
  }
  return Math.min(1, dot);
}
