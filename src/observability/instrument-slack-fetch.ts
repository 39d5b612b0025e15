import type { Metrics } from '../shared/metrics.js';

/** The Web API method of a request URL (`…/api/chat.postMessage` → `chat.postMessage`), or `other`. */
export function slackMethodOf(url: string): string {
  const m = /\/api\/([A-Za-z0-9_.]{1,80})$/.exec(new URL(url).pathname);
  return m?.[1] ?? 'other';
}

/**
 * Wraps the `fetch` the Slack WebClient uses, so every Web API request is counted, timed and, when it failed,
 * counted again with Slack's reason — HTTP 429 as `ratelimited`, `{ok:false}` answers by their `error`, no answer
 * as `request_failed`. This is the one place every call passes: the WebClient's method shortcuts
 * (`client.chat.postMessage`, …) are bound to its original `apiCall` when it is built, so wrapping `apiCall`
 * afterwards misses them.
 */
export function instrumentSlackFetch(base: typeof fetch, metrics: Metrics): typeof fetch {
  const calls = metrics.counter('slack_api_calls_total', 'Slack Web API calls, by method');
  const errors = metrics.counter('slack_api_errors_total', 'Slack Web API calls that failed, by method and error');
  const seconds = metrics.histogram('slack_api_request_seconds', 'Latency of Slack Web API requests, by method');
  return (async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = slackMethodOf(url);
    calls.inc({ method });
    const stop = seconds.startTimer({ method });
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      stop();
      errors.inc({ method, error: 'request_failed' });
      throw error;
    }
    stop();
    if (response.status === 429) {
      errors.inc({ method, error: 'ratelimited' });
    } else if (response.status !== 200) {
      errors.inc({ method, error: `http_${response.status}` });
    } else if ((response.headers.get('content-type') ?? '').includes('json')) {
      // Peek at Slack's `ok` without consuming the body the client reads.
      const body = (await response
        .clone()
        .json()
        .catch(() => null)) as { ok?: unknown; error?: unknown } | null;
      if (body && body.ok === false) {
        errors.inc({ method, error: typeof body.error === 'string' ? body.error.slice(0, 60) : 'unknown' });
      }
    }
    return response;
  }) as typeof fetch;
}
