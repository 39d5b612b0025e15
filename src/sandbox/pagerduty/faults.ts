/**
 * Fault injection, deterministic from the seed. Each decision is a pure function of
 * (seed, method, path, how many times that method + path was requested before), so a run with the same seed and
 * the same sequence of requests per path sees the same faults, whatever the interleaving across paths. Once a
 * 429 burst starts it covers the next requests in arrival order, whatever their path, as a real rate limiter.
 *
 * What a faulted write leaves behind (as the real service would):
 * - latency: the request is processed normally, later;
 * - 5xx, 429 and `reset` (connection destroyed before processing): the request is not processed at all; the
 *   write did not happen;
 * - `resetAfterWrite`: the request is processed entirely, then the connection is destroyed instead of
 *   answering; the write happened and the client never learns it (the case idempotent clients must survive).
 */
import { hashUnit } from './rng.js';

export interface FaultSpec {
  /** Added latency: fixed, or uniform in [min, max]. */
  latencyMs?: number | { min: number; max: number };
  /** Fraction (0–1) of requests answered with a 5xx error. */
  errorRate?: number;
  /** Status of injected errors (default 500). */
  errorStatus?: 500 | 502 | 503 | 504;
  /** Fraction (0–1) of requests that start a burst of 429s. */
  rateLimitRate?: number;
  /** Consecutive 429s in a burst, the starting request included (default 3). */
  rateLimitBurst?: number;
  /** Fraction (0–1) of requests whose connection is destroyed. */
  resetRate?: number;
  /** Destroy the connection after the request was processed (default: before). */
  resetAfterWrite?: boolean;
}

export interface FaultRule extends FaultSpec {
  /** Path pattern: a RegExp, or a string where `*` matches one path segment and `**` anything. */
  path: string | RegExp;
  /** Only these methods (all when absent). */
  methods?: string[];
}

/** Global faults plus per-path rules; the first matching rule overrides the global values it sets. */
export interface FaultOptions extends FaultSpec {
  rules?: FaultRule[];
}

export type FaultAction =
  | { kind: 'none' }
  | { kind: 'error'; status: number }
  | { kind: 'rate_limit'; resetSeconds: number }
  | { kind: 'reset'; afterWrite: boolean };

export interface FaultDecision {
  latencyMs: number;
  action: FaultAction;
}

export interface FaultInjector {
  decide(method: string, path: string): FaultDecision;
  set(options: FaultOptions): void;
}

function patternToRegExp(pattern: string | RegExp): RegExp {
  if (pattern instanceof RegExp) return pattern;
  const escaped = pattern
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${escaped}$`);
}

export function createFaultInjector(seed: number, initial: FaultOptions = {}): FaultInjector {
  let options: FaultOptions = initial;
  let rules: Array<{ rule: FaultRule; regex: RegExp }> = [];
  const counts = new Map<string, number>();
  let burstLeft = 0;

  function set(next: FaultOptions): void {
    options = next;
    rules = (next.rules ?? []).map((rule) => ({ rule, regex: patternToRegExp(rule.path) }));
    burstLeft = 0;
  }
  set(initial);

  return {
    set,
    decide(method, path) {
      const key = `${method.toUpperCase()} ${path}`;
      const n = counts.get(key) ?? 0;
      counts.set(key, n + 1);
      const matched = rules.find(
        ({ rule, regex }) =>
          regex.test(path) && (!rule.methods || rule.methods.some((m) => m.toUpperCase() === method.toUpperCase())),
      )?.rule;
      const spec: FaultSpec = { ...options, ...(matched ?? {}) };
      const u = (facet: string): number => hashUnit(`${seed}|${key}|${n}|${facet}`);
      let latencyMs = 0;
      if (typeof spec.latencyMs === 'number') latencyMs = spec.latencyMs;
      else if (spec.latencyMs) {
        const { min, max } = spec.latencyMs;
        latencyMs = Math.round(min + u('latency') * Math.max(0, max - min));
      }
      if (burstLeft > 0) {
        burstLeft--;
        return { latencyMs, action: { kind: 'rate_limit', resetSeconds: 1 + Math.floor(u('reset') * 3) } };
      }
      if ((spec.resetRate ?? 0) > 0 && u('conn') < (spec.resetRate ?? 0)) {
        return { latencyMs, action: { kind: 'reset', afterWrite: spec.resetAfterWrite === true } };
      }
      if ((spec.errorRate ?? 0) > 0 && u('error') < (spec.errorRate ?? 0)) {
        return { latencyMs, action: { kind: 'error', status: spec.errorStatus ?? 500 } };
      }
      if ((spec.rateLimitRate ?? 0) > 0 && u('burst') < (spec.rateLimitRate ?? 0)) {
        burstLeft = Math.max(1, spec.rateLimitBurst ?? 3) - 1;
        return { latencyMs, action: { kind: 'rate_limit', resetSeconds: 1 + Math.floor(u('reset') * 3) } };
      }
      return { latencyMs, action: { kind: 'none' } };
    },
  };
}
