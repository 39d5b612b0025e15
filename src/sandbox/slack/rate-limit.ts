import type { Clock } from '../../shared/clock.js';

export interface RateLimiter {
  /** Takes one token for `key`; returns undefined when allowed, else the Retry-After in whole seconds (≥ 1). */
  take(key: string): number | undefined;
}

/**
 * Token bucket per key (chat.postMessage: per channel). `burst` tokens at most, refilled at `perSecond` by the
 * injected clock, so a frozen test clock never refills.
 */
export function createRateLimiter(options: { perSecond: number; burst: number; clock: Clock }): RateLimiter {
  const { perSecond, burst, clock } = options;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const now = clock.now();
      const bucket = buckets.get(key) ?? { tokens: burst, at: now };
      const refilled = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      if (refilled >= 1) {
        buckets.set(key, { tokens: refilled - 1, at: now });
        return undefined;
      }
      buckets.set(key, { tokens: refilled, at: now });
      return Math.max(1, Math.ceil((1 - refilled) / perSecond));
    },
  };
}
