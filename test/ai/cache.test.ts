import { describe, expect, it } from 'vitest';
import { cachedAiCall, hashAiInput } from '../../src/ai/cache.js';
import {
  AI_KINDS,
  type AiCacheKey,
  type AiResult,
  type AiResultCache,
  type TokenUsage,
} from '../../src/ai/contract.js';
import { openStore } from '../../src/store/index.js';

/** An in-memory AiResultCache with the store's shape (a real implementation of the interface, not a mock). */
function memoryCache(): AiResultCache & { rows: Map<string, { value: unknown; usage?: TokenUsage }>; fail?: boolean } {
  const rows = new Map<string, { value: unknown; usage?: TokenUsage }>();
  const id = (k: AiCacheKey): string => JSON.stringify([k.incidentId, k.kind, k.engine, k.inputHash]);
  const cache = {
    rows,
    fail: false,
    async get(k: AiCacheKey) {
      if (cache.fail) throw new Error('store down');
      return rows.get(id(k))?.value;
    },
    async put(k: AiCacheKey, value: unknown, usage?: TokenUsage) {
      if (cache.fail) throw new Error('store down');
      rows.set(id(k), { value, usage });
    },
  };
  return cache;
}

describe('hashAiInput', () => {
  it('is independent of key order and undefined fields, and sensitive to values', () => {
    expect(hashAiInput({ a: 1, b: { c: [1, 2], d: undefined } })).toBe(hashAiInput({ b: { c: [1, 2] }, a: 1 }));
    expect(hashAiInput({ a: 1 })).not.toBe(hashAiInput({ a: 2 }));
    expect(hashAiInput({ a: [1, 2] })).not.toBe(hashAiInput({ a: [2, 1] }));
    expect(hashAiInput({})).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('cachedAiCall', () => {
  const key = { incidentId: 'Q1', kind: 'triage' as const, engine: 'claude:claude-sonnet-5-5', input: { x: 1 } };
  const fresh: AiResult<{ n: number }> = {
    result: { n: 1 },
    engine: 'claude',
    model: 'claude-sonnet-5-5',
    usage: { inputTokens: 10, outputTokens: 5 },
  };

  it('computes once, then serves the cached result marked as cached', async () => {
    const cache = memoryCache();
    let calls = 0;
    const compute = async (): Promise<AiResult<{ n: number }>> => {
      calls++;
      return fresh;
    };
    expect(await cachedAiCall(cache, key, compute)).toEqual(fresh);
    expect(await cachedAiCall(cache, key, compute)).toEqual({ ...fresh, cached: true });
    expect(calls).toBe(1);
    expect([...cache.rows.values()][0]?.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    await cachedAiCall(cache, { ...key, input: { x: 2 } }, compute);
    expect(calls).toBe(2);
  });

  it('does not cache fallback results, so the next call tries Claude again', async () => {
    const cache = memoryCache();
    const fallback: AiResult<{ n: number }> = {
      result: { n: 0 },
      engine: 'heuristic',
      fallback: { from: 'claude', reason: 'timeout' },
    };
    await cachedAiCall(cache, key, async () => fallback);
    expect(cache.rows.size).toBe(0);
  });

  it('still answers when the cache fails, and reports the cache error', async () => {
    const cache = memoryCache();
    cache.fail = true;
    const errors: unknown[] = [];
    expect(
      await cachedAiCall(
        cache,
        key,
        async () => fresh,
        (e) => errors.push(e),
      ),
    ).toEqual(fresh);
    expect(errors).toHaveLength(2);
  });
});

describe('cachedAiCall on the real store', () => {
  it('caches every AI operation kind (the store only takes snake_case kinds)', async () => {
    const store = await openStore({ memory: true, purgeEveryMs: 0 });
    try {
      const errors: unknown[] = [];
      for (const kind of AI_KINDS) {
        let computed = 0;
        const compute = async (): Promise<AiResult<{ kind: string }>> => {
          computed += 1;
          return { result: { kind }, engine: 'heuristic' };
        };
        const key = { incidentId: 'PCACHE1', kind, engine: 'heuristic@1', input: { kind } };
        await cachedAiCall(store.aiResults, key, compute, (e) => errors.push(e));
        const again = await cachedAiCall(store.aiResults, key, compute, (e) => errors.push(e));
        expect(again.cached, kind).toBe(true);
        expect(computed, kind).toBe(1);
      }
      expect(errors).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
