import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../shared/clock.js';
import { describeError } from '../shared/errors.js';
import type { Metrics } from '../shared/metrics.js';

export interface HealthCheck {
  name: string;
  /** A failing critical check makes `/healthz` answer 503; a failing non-critical one reports `degraded`. */
  critical: boolean;
  /** Results are reused for this long, so probes and load balancers never hammer upstreams. */
  cacheMs: number;
  run(signal: AbortSignal): Promise<void>;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  checks: Record<string, { ok: boolean; critical: boolean; error?: string; checkedAt: string }>;
}

/**
 * `GET /healthz`: runs (or reuses) each check with a timeout. The store is critical: without it nothing that is
 * accepted can be kept, so the replica must leave the load balancer (503). PagerDuty is not: webhooks and Slack
 * requests are still accepted and stored as jobs while it is down, so the replica stays in service and reports
 * `degraded` with the failing check named.
 */
export function createHealth(
  checks: readonly HealthCheck[],
  clock: Clock,
  timeoutMs = 2000,
): () => Promise<HealthReport> {
  const cache = new Map<string, { at: number; ok: boolean; error?: string }>();
  const inflight = new Map<string, Promise<{ ok: boolean; error?: string }>>();

  async function run(check: HealthCheck): Promise<{ ok: boolean; error?: string; at: number }> {
    const cached = cache.get(check.name);
    if (cached && clock.now() - cached.at < check.cacheMs) return cached;
    let pending = inflight.get(check.name);
    if (!pending) {
      pending = check
        .run(AbortSignal.timeout(timeoutMs))
        .then(() => ({ ok: true }))
        .catch((error: unknown) => ({ ok: false, error: describeError(error) }))
        .finally(() => inflight.delete(check.name));
      inflight.set(check.name, pending);
    }
    const result = { ...(await pending), at: clock.now() };
    cache.set(check.name, result);
    return result;
  }

  return async () => {
    const results = await Promise.all(checks.map(async (c) => [c, await run(c)] as const));
    const report: HealthReport = { status: 'ok', checks: {} };
    for (const [check, result] of results) {
      report.checks[check.name] = {
        ok: result.ok,
        critical: check.critical,
        ...(result.error ? { error: result.error } : {}),
        checkedAt: new Date(result.at).toISOString(),
      };
      if (!result.ok) report.status = check.critical ? 'down' : report.status === 'down' ? 'down' : 'degraded';
    }
    return report;
  };
}

type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Bolt `customRoutes` entries for `GET /healthz` and `GET /metrics`. */
export function observabilityRoutes(
  health: () => Promise<HealthReport>,
  metrics: Metrics,
): Array<{ path: string; method: string[]; handler: RouteHandler }> {
  return [
    {
      path: '/healthz',
      method: ['GET'],
      handler: (_req, res) => {
        health().then(
          (report) => {
            res.writeHead(report.status === 'down' ? 503 : 200, {
              'content-type': 'application/json; charset=utf-8',
              'cache-control': 'no-store',
            });
            res.end(JSON.stringify(report));
          },
          (error: unknown) => {
            res.writeHead(503, { 'content-type': 'application/json; charset=utf-8' });
            res.end(JSON.stringify({ status: 'down', error: describeError(error) }));
          },
        );
      },
    },
    {
      path: '/metrics',
      method: ['GET'],
      handler: (_req, res) => {
        metrics.render().then(
          (text) => {
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
            res.end(text);
          },
          () => {
            res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
            res.end('metrics unavailable\n');
          },
        );
      },
    },
  ];
}
