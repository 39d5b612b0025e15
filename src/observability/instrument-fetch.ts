import type { Metrics } from '../shared/metrics.js';

/** Replaces ids in a URL path so metric labels stay few: `/incidents/Q1W2E3R4/notes` → `/incidents/{id}/notes`. */
export function routeOf(pathname: string): string {
  return (
    pathname
      .split('/')
      .map((segment, i) => (i > 0 && /\d/.test(segment) && segment.length >= 5 ? '{id}' : segment))
      .join('/') || '/'
  );
}

/** One finished HTTP request to an upstream, as `recordUpstream` counts and times it. */
export interface UpstreamRequest {
  upstream: 'pagerduty' | 'anthropic';
  method: string;
  /** Path template (`/incidents/{id}/notes`): ids replaced, so labels stay few. */
  route: string;
  /** HTTP status, or `error` when no response came back. */
  status: number | 'error';
  seconds: number;
}

/**
 * Records one upstream request: `upstream_requests_total` (by upstream, method, route, status) and
 * `upstream_request_seconds` (by upstream, method, route). Used by `instrumentFetch` and by clients that report
 * their own requests (the PagerDuty client's `onRequest`).
 */
export function recordUpstream(metrics: Metrics, request: UpstreamRequest): void {
  const { upstream, method, route, status, seconds } = request;
  metrics
    .counter('upstream_requests_total', 'HTTP requests to upstream services, by upstream, route and status')
    .inc({ upstream, method, route, status });
  metrics
    .histogram('upstream_request_seconds', 'Latency of HTTP requests to upstream services')
    .observe(seconds, { upstream, method, route });
}

/**
 * Wraps `fetch` so every call to an upstream (PagerDuty, Anthropic) is counted and timed by route, method and
 * status (`error` when no response came back). The clients stay unaware of metrics: they just get this fetch.
 */
export function instrumentFetch(
  base: typeof fetch,
  metrics: Metrics,
  upstream: 'pagerduty' | 'anthropic',
): typeof fetch {
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const route = routeOf(url.pathname);
    const started = performance.now();
    const record = (status: number | 'error'): void =>
      recordUpstream(metrics, { upstream, method, route, status, seconds: (performance.now() - started) / 1000 });
    try {
      const response = await base(input, init);
      record(response.status);
      return response;
    } catch (error) {
      record('error');
      throw error;
    }
  }) as typeof fetch;
}
