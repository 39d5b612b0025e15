import type { Clock } from '../shared/clock.js';

/** PagerDuty's REST limit per API key (developer-docs `REST-API/04-Rate-Limits.md`). */
export const PAGERDUTY_REQUESTS_PER_MINUTE = 960;

export interface RateLimiter {
  /**
   * Reserves one request slot and returns how many milliseconds to wait before sending it (0 = now), or
   * `undefined` without reserving anything when the wait would exceed `maxWaitMs`.
   */
  reserve(maxWaitMs: number): number | undefined;
  /**
   * Records a request that has already gone out without a reservation (`@pagerduty/pdjs` re-sends a 429 on its
   * own), so the requests reserved after it wait for it as if it had been reserved.
   */
  charge(): void;
  /** Requests per minute this limiter lets through on average. */
  readonly perMinute: number;
  /** Requests that may go out back to back before pacing starts. */
  readonly burst: number;
}

/**
 * A token bucket in its GCRA form (a single "theoretical arrival time"), so concurrent callers are queued in
 * order without timers. In any 60-second window at most `burst + perMinute` requests go out; the burst is sized
 * so that this stays within PagerDuty's 960/min (default: four seconds' worth of requests, at most 60).
 */
export function createRateLimiter(options: { perMinute: number; clock: Clock; burst?: number }): RateLimiter {
  const { perMinute, clock } = options;
  if (!Number.isInteger(perMinute) || perMinute < 1 || perMinute >= PAGERDUTY_REQUESTS_PER_MINUTE) {
    throw new RangeError(
      `rateLimitPerMinute must be a whole number between 1 and ${PAGERDUTY_REQUESTS_PER_MINUTE - 1}`,
    );
  }
  const burst = Math.max(
    1,
    Math.floor(options.burst ?? Math.min(60, perMinute / 15, PAGERDUTY_REQUESTS_PER_MINUTE - perMinute)),
  );
  // Exact integer arithmetic in units of 1/perMinute ms: one request costs 60 000 units. (Summing a fractional
  // interval onto epoch milliseconds would drift by whole fractions of a millisecond.)
  const interval = 60_000;
  const tolerance = (burst - 1) * interval;
  let theoreticalArrival = Number.NEGATIVE_INFINITY;
  return {
    perMinute,
    burst,
    reserve(maxWaitMs: number): number | undefined {
      const now = Math.floor(clock.now()) * perMinute;
      const tat = Math.max(theoreticalArrival, now);
      const wait = Math.max(0, Math.ceil((tat - tolerance - now) / perMinute));
      if (wait > maxWaitMs) return undefined;
      theoreticalArrival = tat + interval;
      return wait;
    },
    charge(): void {
      const now = Math.floor(clock.now()) * perMinute;
      theoreticalArrival = Math.max(theoreticalArrival, now) + interval;
    },
  };
}
