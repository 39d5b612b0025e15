import { describe, expect, it } from 'vitest';
import type { AiCacheKey, AiResultCache } from '../../src/ai/contract.js';
import { InvalidInputError } from '../../src/shared/errors.js';
import { AI_RESULT_TTL_MS } from '../../src/store/ai-results.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('aiResults on %s', (backend) => {
  const t = useTestStore(backend);
  // The repository satisfies the AI contract's cache interface as declared in src/ai/contract.ts.
  const cache: AiResultCache = {
    get: (key) => t.store.aiResults.get(key),
    put: (key, value, usage) => t.store.aiResults.put(key, value, usage),
  };
  const typed = (): AiResultCache => t.store.aiResults;

  const key: AiCacheKey = { incidentId: 'PINC01', kind: 'triage', engine: 'claude:sonnet@1', inputHash: 'a1b2c3' };

  it('returns undefined on a miss and the stored value on a hit', async () => {
    expect(typed()).toBe(t.store.aiResults);
    expect(await cache.get(key)).toBeUndefined();
    const value = { summary: 'db primary down', severity: 'high', steps: ['failover', 'page dba'] };
    await cache.put(key, value, { inputTokens: 1200, outputTokens: 300, cacheReadTokens: 1000 });
    expect(await cache.get(key)).toEqual(value);
    expect(await cache.get({ ...key, engine: 'heuristic@1' })).toBeUndefined();
    expect(await cache.get({ ...key, inputHash: 'other' })).toBeUndefined();
  });

  it('keys results without an incident (incidentId null) like any other, and tells null apart from a miss', async () => {
    const global = { ...key, incidentId: null, kind: 'correlate' } as unknown as AiCacheKey;
    await cache.put(global, null);
    expect(await cache.get(global)).toBeNull();
    await cache.put(global, { groups: [] });
    expect(await cache.get(global)).toEqual({ groups: [] });
    const { rows } = await t.store.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM ai_results WHERE incident_id IS NULL',
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('replaces the value on a second put and sums token usage', async () => {
    await cache.put(key, 'first', { inputTokens: 10, outputTokens: 5 });
    await cache.put(key, 'second', { inputTokens: 20, outputTokens: 7, cacheWriteTokens: 3 });
    await cache.put({ ...key, kind: 'postmortem' } as AiCacheKey, 'pm', { inputTokens: 100, outputTokens: 50 });
    expect(await cache.get(key)).toBe('second');
    expect(await t.store.aiResults.usage()).toEqual({
      results: 2,
      inputTokens: 120,
      outputTokens: 57,
      cacheReadTokens: 0,
      cacheWriteTokens: 3,
    });
    expect((await t.store.aiResults.usage({ engine: 'heuristic@1' })).results).toBe(0);
  });

  it('treats entries older than the TTL as missing and purges them', async () => {
    await cache.put(key, 'old');
    t.clock.advance(AI_RESULT_TTL_MS + 1);
    expect(await cache.get(key)).toBeUndefined();
    expect(await t.store.aiResults.purge()).toBe(1);
  });

  it('rejects malformed keys, negative usage and values JSON cannot hold', async () => {
    await expect(cache.get({ ...key, kind: 'Not A Kind' } as unknown as AiCacheKey)).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(cache.put(key, 'x', { inputTokens: -1, outputTokens: 0 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(cache.put(key, undefined)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(cache.put(key, { n: 10n })).rejects.toBeInstanceOf(InvalidInputError);
    expect(await cache.get(key)).toBeUndefined();
  });
});
