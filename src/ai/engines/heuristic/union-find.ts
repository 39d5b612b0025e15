/** Disjoint sets over 0…n−1 with path halving and union by size: near-constant amortised time per operation. */
export interface UnionFind {
  find(x: number): number;
  /** Joins the sets of a and b; returns true when they were separate. */
  union(a: number, b: number): boolean;
  /** Members of every set with at least `minSize` members, each list in index order. */
  groups(minSize?: number): number[][];
}

/** Creates a union-find over `n` singletons. */
export function createUnionFind(n: number): UnionFind {
  const parent = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (start: number): number => {
    let x = start;
    while (parent[x] !== x) {
      const grand = parent[parent[x] as number] as number;
      parent[x] = grand;
      x = grand;
    }
    return x;
  };
  return {
    find,
    union(a, b) {
      let ra = find(a);
      let rb = find(b);
      if (ra === rb) return false;
      if ((size[ra] as number) < (size[rb] as number)) [ra, rb] = [rb, ra];
      parent[rb] = ra;
      size[ra] = (size[ra] as number) + (size[rb] as number);
      return true;
    },
    groups(minSize = 1) {
      // Only roots of large-enough sets get an array: singletons (most incidents) allocate nothing.
      const byRoot = new Map<number, number[]>();
      for (let i = 0; i < n; i++) {
        const r = find(i);
        if ((size[r] as number) < minSize) continue;
        const list = byRoot.get(r);
        if (list) list.push(i);
        else byRoot.set(r, [i]);
      }
      return [...byRoot.values()];
    },
  };
}
