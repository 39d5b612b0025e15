import { describe, expect, it } from 'vitest';
import { stem } from '../../../../src/ai/engines/heuristic/stemmer.js';

describe('Porter stemmer', () => {
  it('matches the reference vocabulary of the original algorithm', () => {
    // Pairs from Porter's published sample vocabulary (step by step examples of the 1980 paper).
    const cases: Array<[string, string]> = [
      ['caresses', 'caress'],
      ['ponies', 'poni'],
      ['cats', 'cat'],
      ['agreed', 'agre'],
      ['plastered', 'plaster'],
      ['motoring', 'motor'],
      ['conflated', 'conflat'],
      ['hopping', 'hop'],
      ['falling', 'fall'],
      ['filing', 'file'],
      ['relational', 'relat'],
      ['conditional', 'condit'],
      ['digitizer', 'digit'],
      ['operator', 'oper'],
      ['hopefulness', 'hope'],
      ['electrical', 'electr'],
      ['adjustment', 'adjust'],
      ['adoption', 'adopt'],
      ['effective', 'effect'],
      ['generalizations', 'gener'],
    ];
    for (const [word, expected] of cases) expect(stem(word), word).toBe(expected);
  });

  it('folds inflections used in incident text onto one stem', () => {
    expect(stem('deploy')).toBe(stem('deployment'));
    expect(stem('deployed')).toBe(stem('deploying'));
    expect(stem('certificates')).toBe(stem('certificate'));
    expect(stem('throttled')).toBe(stem('throttling'));
  });

  it('leaves acronyms, short words and tokens with digits alone', () => {
    expect(stem('dns')).toBe('dns');
    expect(stem('tls')).toBe('tls');
    expect(stem('x509')).toBe('x509');
    expect(stem('5xx')).toBe('5xx');
  });
});
