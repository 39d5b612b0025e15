/** Content hashing of engine inputs and a cache-through helper for the catalogue tools. */
import { createHash } from 'node:crypto';
import type { AiCacheKey, AiKind, AiResult, AiResultCache } from './contract.js';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value as Record<string, unknown>).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonical(v);
    }
    return out;
  }
  return value;
}

/** SHA-256 of the input in canonical JSON (sorted keys, undefined dropped): equal inputs, equal hashes. */
export function hashAiInput(input: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)))
    .digest('hex');
}

/**
 * Returns the cached result for (kind, engine, input) when present, otherwise runs `compute` and caches its
 * result. Fallback results (Claude failed, heuristic answered) are not cached, so the next call retries Claude.
 * A failing cache never fails the call.
 */
/** The store keeps kinds in snake_case (`bestResponder` → `best_responder`). */
export function cacheKind(kind: AiKind): string {
  return kind.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

export async function cachedAiCall<T>(
  cache: AiResultCache | undefined,
  key: { incidentId: string | null; kind: AiKind; engine: string; input: unknown },
  compute: () => Promise<AiResult<T>>,
  onCacheError?: (error: unknown) => void,
): Promise<AiResult<T>> {
  if (!cache) return compute();
  const cacheKey: AiCacheKey = {
    incidentId: key.incidentId,
    kind: cacheKind(key.kind),
    engine: key.engine,
    inputHash: hashAiInput(key.input),
  };
  try {
    const hit = await cache.get(cacheKey);
    if (hit !== undefined && hit !== null && typeof hit === 'object' && 'result' in hit) {
      return { ...(hit as AiResult<T>), cached: true };
    }
  } catch (error) {
    onCacheError?.(error);
  }
  const fresh = await compute();
  if (!fresh.fallback) {
    try {
      await cache.put(cacheKey, { ...fresh, cached: undefined }, fresh.usage);
    } catch (error) {
      onCacheError?.(error);
    }
  }
  return fresh;
}
