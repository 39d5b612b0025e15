import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createUnionFind } from '../../../../src/ai/engines/heuristic/union-find.js';

describe('union-find', () => {
  it('agrees with a naive connected-components computation on random unions', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) => fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 80 }))),
        ([n, edges]) => {
          const uf = createUnionFind(n);
          for (const [a, b] of edges) uf.union(a, b);
          // Naive: label propagation until stable.
          const label = Array.from({ length: n }, (_, i) => i);
          let changed = true;
          while (changed) {
            changed = false;
            for (const [a, b] of edges) {
              const m = Math.min(label[a] as number, label[b] as number);
              if (label[a] !== m || label[b] !== m) {
                label[a] = m;
                label[b] = m;
                changed = true;
              }
            }
          }
          for (let i = 0; i < n; i++) {
            for (let j = 0; j < n; j++) expect(uf.find(i) === uf.find(j)).toBe(label[i] === label[j]);
          }
          const total = uf.groups(1).reduce((a, g) => a + g.length, 0);
          expect(total).toBe(n);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('reports whether a union joined two sets', () => {
    const uf = createUnionFind(3);
    expect(uf.union(0, 1)).toBe(true);
    expect(uf.union(1, 0)).toBe(false);
    expect(uf.groups(2)).toEqual([[0, 1]]);
  });
});
