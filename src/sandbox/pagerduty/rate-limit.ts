import type { Clock } from '../../shared/clock.js';

/** PagerDuty's REST limit: 960 requests per minute per API token (developer-docs `04-Rate-Limits.md`). */
export const REST_RATE_LIMIT = 960;
export const REST_RATE_WINDOW_MS = 60_000;

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window resets (the `ratelimit-reset` header). */
  resetSeconds: number;
}

export interface RateLimiter {
  /** Counts one request for the token and says whether it is within the limit. */
  take(token: string): RateDecision;
}

/**
 * Fixed one-minute windows per token, on the injected clock: a window opens with the token's first request and
 * allows `limit` requests; the rest get 429 until it ends.
 */
export function createRateLimiter(clock: Clock, limit = REST_RATE_LIMIT, windowMs = REST_RATE_WINDOW_MS): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    take(token) {
      const now = clock.now();
      let window = windows.get(token);
      if (!window || now >= window.start + windowMs) {
        window = { start: now, count: 0 };
        windows.set(token, window);
      }
      const resetSeconds = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
      if (window.count >= limit) return { allowed: false, limit, remaining: 0, resetSeconds };
      window.count++;
      return { allowed: true, limit, remaining: limit - window.count, resetSeconds };
    },
  };
}
