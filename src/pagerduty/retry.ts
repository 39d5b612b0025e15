/**
 * Retry timing: exponential backoff with jitter, and the server's own "wait this long" headers. PagerDuty sends
 * `ratelimit-reset` (seconds until the window resets) on 429; proxies and some endpoints send `Retry-After`
 * (seconds or an HTTP date).
 */

export interface BackoffOptions {
  /** First delay before jitter, in milliseconds. */
  baseMs: number;
  /** Largest delay before jitter. */
  capMs: number;
  /** Uniform random number in [0, 1). */
  random: () => number;
}

/** Delay before retry number `attempt` (0 = first retry): "equal jitter", between half and all of the step. */
export function backoffDelay(attempt: number, options: BackoffOptions): number {
  const step = Math.min(options.capMs, options.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(step / 2 + (step / 2) * options.random());
}

/**
 * How long the server asked us to wait, in milliseconds, or `undefined` when it did not say (or said something
 * unusable). `ratelimit-reset` wins over `Retry-After`.
 */
export function serverRetryDelay(headers: Headers, nowMs: number): number | undefined {
  const reset = headers.get('ratelimit-reset');
  if (reset !== null && /^\s*\d+(\.\d+)?\s*$/.test(reset)) return Math.round(Number(reset) * 1000);
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
