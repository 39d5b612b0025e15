import { describe, expect, it } from 'vitest';
import {
  buildTfIdf,
  cosine,
  jaccard,
  minhash,
  minhashSimilarity,
  shingles,
  symptomTokens,
} from '../../../../src/ai/engines/heuristic/similarity.js';
import { tokenize } from '../../../../src/ai/engines/heuristic/text.js';

describe('symptom tokens', () => {
  it('drops instance identifiers so copies of one symptom on different hosts match', () => {
    expect(symptomTokens('Disk usage above 85% on host-17 (i-0abc12345def)')).toEqual(
      symptomTokens('Disk usage above 92% on host-3 (i-09fedcba987)'),
    );
  });
});

describe('Jaccard and MinHash', () => {
  it('computes exact Jaccard', () => {
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBeCloseTo(0.5);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it('estimates Jaccard within a few points with 64 hash functions', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const a = new Set(words.slice(0, 120));
    const b = new Set(words.slice(60, 180));
    const exact = jaccard(a, b);
    const estimate = minhashSimilarity(minhash(a, 64), minhash(b, 64));
    expect(Math.abs(estimate - exact)).toBeLessThan(0.15);
    expect(minhashSimilarity(minhash(a, 32), minhash(new Set(a), 32))).toBe(1);
  });

  it('is deterministic across calls', () => {
    const s = shingles(tokenize('Elevated 5xx error rate on checkout'));
    expect([...minhash(s, 32)]).toEqual([...minhash(new Set(s), 32)]);
  });
});

describe('TF-IDF cosine', () => {
  it('ranks the document sharing rare terms above one sharing common terms', () => {
    const docs = [
      tokenize('replication lag on orders database'),
      tokenize('error rate high on checkout'),
      tokenize('error rate high on search'),
      tokenize('error rate high on cart'),
    ];
    const model = buildTfIdf(docs);
    const q = model.vector(tokenize('orders database replication lag and high error rate'));
    const scores = docs.map((d) => cosine(q, model.vector(d)));
    expect(scores[0]).toBeGreaterThan(scores[1] as number);
    expect(cosine(model.vector(docs[0] as string[]), model.vector(docs[0] as string[]))).toBeCloseTo(1);
  });
});
