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

/**
 * Wraps `fetch` so every call to an upstream (PagerDuty, Anthropic) is counted and timed by route, method and
 * status (`error` when no response came back). The clients stay unaware of metrics: they just get this fetch.
 */
export function instrumentFetch(
  base: typeof fetch,
  metrics: Metrics,
  upstream: 'pagerduty' | 'anthropic',
): typeof fetch {
  const calls = metrics.counter(
    'upstream_requests_total',
    'HTTP requests to upstream services, by upstream, route and status',
  );
  const seconds = metrics.histogram('upstream_request_seconds', 'Latency of HTTP requests to upstream services');
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const route = routeOf(url.pathname);
    const stop = seconds.startTimer({ upstream, method, route });
    try {
      const response = await base(input, init);
      stop();
      calls.inc({ upstream, method, route, status: response.status });
      return response;
    } catch (error) {
      stop();
      calls.inc({ upstream, method, route, status: 'error' });
      throw error;
    }
  }) as typeof fetch;
}
