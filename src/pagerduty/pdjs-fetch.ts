/**
 * `@pagerduty/pdjs` 2.2.4 behind the `fetch` signature, so the transport (`transport.ts`) sends every PagerDuty
 * request through pdjs and keeps owning status checks, timeouts, retries, the rate limit and parsing.
 *
 * One call = one pdjs call:
 * - With an `Authorization` header (REST API v2): pdjs's `api()` with the full URL (query included), the method,
 *   our headers (Accept, From, Content-Type, User-Agent) and the JSON body as `data`; a `Token token=…` or
 *   `Bearer …` header goes in as pdjs's `token`/`tokenType`, so pdjs writes the header itself.
 * - Without one (Events API v2): pdjs's `request()`, the function its `event()` helper sends through, with the body
 *   as given. `api()` would add `Authorization: Token token=undefined`, and `event()` only builds
 *   `https://<server>/v2/enqueue` URLs and drops the status when a proxy answers with a non-JSON page. The adapter
 *   never adds a credential the caller did not send, so the REST API key cannot reach the Events endpoint.
 *
 * What pdjs does and how it is contained:
 * - It never rejects on 4xx/5xx: the status is handed back as is, and the transport checks it.
 * - Its `requestTimeout` is a no-op timer that can hold the process open for 30 s: disabled (`requestTimeout: 0`).
 *   The caller's `signal` goes through to node-fetch 2, which destroys the socket when it aborts; the adapter
 *   rejects at once with `signal.reason`, even while pdjs sits in its own wait between 429 re-sends.
 * - It re-sends a 429 three more times (hard-coded), `retryTimeout` ms apart, then resolves with the last answer.
 *   This cannot be switched off; `pdjsRetryTimeoutMs` sets the wait (default 1 s) and `onPdjsSend` is called
 *   as each HTTP request leaves (1 for the first, 2–4 for pdjs's re-sends, each of which means the request
 *   before it got a 429), so the transport can charge its rate limiter and report every request. The hook is
 *   node-fetch's per-request `agent` callback; it returns no agent, so Node's keep-alive global agent is used.
 * - It parses the body as JSON and rejects, with the response, when that fails. The adapter then answers with
 *   the status and headers as received and the body `PDJS_BODY_NOT_JSON` (the real bytes are gone), so a 2xx
 *   is reported as malformed and an error status still carries its status. JSON bodies are handed back
 *   re-serialised (same data). `content-length`/`content-encoding` are dropped: they described the wire body.
 * - Network errors come back as `TypeError('fetch failed')` with the system reason as `cause`, as Node's fetch
 *   does; node-fetch's own messages carry the full URL, whose query may hold an email.
 * - Redirects are not followed unless `redirect: 'follow'` is asked for: PagerDuty's API does not redirect, and a
 *   followed redirect would look like a pdjs re-send to `onPdjsSend`.
 */
import { api } from '@pagerduty/pdjs';
import { request as pdjsRequest } from '@pagerduty/pdjs/build/src/common.js';

/** Wait between pdjs's own 429 re-sends when the caller does not choose one (pdjs's default is 20 s). */
export const PDJS_DEFAULT_RETRY_TIMEOUT_MS = 1000;
/** How many times pdjs re-sends a request answered with 429 before handing the 429 back (hard-coded in pdjs). */
export const PDJS_RESENDS_PER_429 = 3;
/** Body of a response whose real body pdjs consumed while failing to parse it as JSON. */
export const PDJS_BODY_NOT_JSON = '(not JSON; @pagerduty/pdjs consumed the body)';

/** `RequestInit` plus what only the pdjs adapter understands (a plain `fetch` ignores both). */
export interface PdjsRequestInit extends RequestInit {
  /** Wait between pdjs's own re-sends of a 429, in milliseconds (default 1000). */
  pdjsRetryTimeoutMs?: number;
  /** Called as each HTTP request leaves: `send` is 1 for the first, 2–4 for pdjs's re-sends after a 429. */
  onPdjsSend?: (send: number) => void;
}

/** The adapter's signature: `fetch`'s, with the extra init fields. Assignable to `typeof fetch`. */
export type PdjsFetch = (input: string | URL | Request, init?: PdjsRequestInit) => Promise<Response>;

/** The node-fetch 2 response pdjs resolves with (or rejects with, when its body is not JSON). */
interface NodeFetchResponse {
  status: number;
  statusText: string;
  url: string;
  headers: { forEach(callback: (value: string, name: string) => void): void };
  text(): Promise<string>;
}

/** Headers that describe the body on the wire, not the body this adapter hands back. */
const WIRE_ONLY = new Set(['content-length', 'content-encoding', 'transfer-encoding']);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function isNodeFetchResponse(value: unknown): value is NodeFetchResponse {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Error) &&
    typeof (value as { status?: unknown }).status === 'number' &&
    typeof (value as { headers?: unknown }).headers === 'object'
  );
}

/** `content-type` → `Content-Type`: pdjs sets its defaults with these names, so ours replace them, not join them. */
function canonicalName(name: string): string {
  return name
    .split('-')
    .map((part) => (part === '' ? part : part[0]?.toUpperCase() + part.slice(1)))
    .join('-');
}

function toResponse(received: NodeFetchResponse, body: string): Response {
  const headers = new Headers();
  received.headers.forEach((value, name) => {
    if (!WIRE_ONLY.has(name.toLowerCase())) headers.append(name, value);
  });
  const response = new Response(NULL_BODY_STATUSES.has(received.status) ? null : body, {
    status: received.status,
    statusText: received.statusText,
    headers,
  });
  Object.defineProperty(response, 'url', { value: received.url });
  return response;
}

/** node-fetch's errors name the full URL; keep only the reason, as Node's own fetch does. */
function networkError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== 'FetchError') return error;
  const fetchError = error as Error & { code?: string; type?: string };
  const reason = fetchError.message.split(', reason: ')[1] ?? fetchError.type ?? 'request failed';
  const cause = Object.assign(new Error(reason), fetchError.code === undefined ? {} : { code: fetchError.code });
  return new TypeError('fetch failed', { cause });
}

async function requestBody(init: PdjsRequestInit, request: Request | undefined): Promise<string | undefined> {
  const body = init.body !== undefined ? init.body : request ? await request.text() : undefined;
  if (body === undefined || body === null || body === '') return undefined;
  if (typeof body !== 'string') throw new TypeError('pdjsFetch sends JSON text bodies only (a string)');
  return body;
}

/**
 * Sends one request through `@pagerduty/pdjs` and answers with a standard `Response` (status and headers as
 * received). Rejects only when no answer came back (network error, abort), like `fetch`.
 */
export async function pdjsFetch(input: string | URL | Request, init: PdjsRequestInit = {}): Promise<Response> {
  const request = input instanceof Request ? input : undefined;
  const url = new URL(request ? request.url : String(input)).href;
  const method = (init.method ?? request?.method ?? 'GET').toUpperCase();
  const signal = init.signal ?? request?.signal ?? undefined;
  if (signal?.aborted) throw signal.reason;
  const body = await requestBody(init, request);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`pdjsFetch: a ${method} request cannot have a body`);
  }

  const headers: Record<string, string> = {};
  new Headers(init.headers ?? request?.headers).forEach((value, name) => {
    headers[canonicalName(name)] = value;
  });

  let sends = 0;
  const options = {
    method,
    signal,
    redirect: init.redirect ?? 'manual',
    requestTimeout: 0,
    retryTimeout: Math.max(0, init.pdjsRetryTimeoutMs ?? PDJS_DEFAULT_RETRY_TIMEOUT_MS),
    // node-fetch 2 calls `agent(url)` once per HTTP request it sends: the only per-send hook. No agent is
    // returned, so Node's global (keep-alive) agent is used, exactly as without the option.
    agent: (): undefined => {
      sends += 1;
      try {
        init.onPdjsSend?.(sends);
      } catch {
        // An observer must never break the request.
      }
      return undefined;
    },
  };

  let pending: Promise<Response>;
  const authorization = headers.Authorization;
  if (authorization !== undefined) {
    let data: unknown;
    if (body !== undefined) {
      try {
        data = JSON.parse(body);
      } catch {
        throw new TypeError('pdjsFetch sends JSON bodies only: the body is not JSON');
      }
    }
    const token = /^Token token=(.+)$/.exec(authorization)?.[1];
    const bearer = /^Bearer (.+)$/.exec(authorization)?.[1];
    if (token !== undefined || bearer !== undefined) delete headers.Authorization;
    const parameters = {
      ...options,
      url,
      headers,
      ...(data === undefined ? {} : { data }),
      ...(token !== undefined ? { token } : bearer !== undefined ? { token: bearer, tokenType: 'bearer' } : {}),
    } as unknown as Parameters<typeof api>[0] & { url: string };
    pending = api(parameters).then(
      async (answer) =>
        toResponse(
          answer as unknown as NodeFetchResponse,
          answer.status === 204 ? await answer.text() : JSON.stringify(answer.data),
        ),
      (reason: unknown) => {
        if (isNodeFetchResponse(reason)) return toResponse(reason, PDJS_BODY_NOT_JSON);
        throw networkError(reason);
      },
    );
  } else {
    const sendOptions = { ...options, headers, ...(body === undefined ? {} : { body }) };
    pending = pdjsRequest(url, sendOptions as unknown as Parameters<typeof pdjsRequest>[1]).then(
      async (answer) => {
        const received = answer as unknown as NodeFetchResponse;
        return toResponse(received, await received.text());
      },
      (reason: unknown) => {
        throw networkError(reason);
      },
    );
  }

  if (!signal) return pending;
  // pdjs only notices an abort when it next sends; settle at once instead (node-fetch has closed the socket).
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const response = await Promise.race([pending, aborted]);
    if (signal.aborted) throw signal.reason;
    return response;
  } finally {
    signal.removeEventListener('abort', onAbort);
    pending.catch(() => {});
    aborted.catch(() => {});
  }
}
