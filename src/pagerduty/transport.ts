import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import {
  PagerDutyApiError,
  pagerDutyMalformed,
  pagerDutyUnavailable,
  parseErrorBody,
  type RequestSubject,
} from './errors.js';
import type { PdjsRequestInit } from './pdjs-fetch.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, serverRetryDelay } from './retry.js';

/** Longest wait between `@pagerduty/pdjs`'s own re-sends of a 429 (it makes three, whatever we ask). */
export const PDJS_RETRY_WAIT_CAP_MS = 1000;
/** pdjs's wait between 429 re-sends is this fraction of the attempt's time: its three waits take at most 3/8. */
export const PDJS_RETRY_WAIT_DIVISOR = 8;

/** One HTTP request to PagerDuty as it ended, for metrics (`onRequest`). */
export interface PagerDutyRequestEvent {
  method: string;
  /** Path template from the endpoint table, e.g. `/incidents/{id}/notes` (never ids or the query). */
  endpoint: string;
  /** The HTTP status, or `error` when no answer came back (network error, timeout, cancelled). */
  status: number | 'error';
  /** From the moment the request left until its answer (or the error), in milliseconds. */
  durationMs: number;
  /** 1-based number of this HTTP request within the call, pdjs's own 429 re-sends included. */
  attempt: number;
  /** True when `@pagerduty/pdjs` sent this request on its own, re-sending a 429 (see `docs/PAGERDUTY.md`). */
  pdjsResend: boolean;
}

/**
 * Which failures a request may be retried on.
 * - `read`: GETs. Retried on 429, 5xx, network errors and timeouts.
 * - `write`: POST/PUT. Retried on 429 only (PagerDuty refused it before doing anything); a 5xx or a dropped
 *   connection may already have changed something, so it is surfaced, never repeated.
 * - `idempotent-write`: a write that is safe to repeat (an Events API event with a `dedup_key`), retried like
 *   a read, as PagerDuty's Events API documentation asks.
 */
export type RetryPolicy = 'read' | 'write' | 'idempotent-write';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: URL;
  /** Path template for messages and logs (`/incidents/{id}`); the real URL may carry emails in its query. */
  endpoint: string;
  headers: Record<string, string>;
  /** JSON-serialisable body. */
  body?: unknown;
  retry: RetryPolicy;
  subject?: RequestSubject;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON body (`undefined` when empty). */
  body: unknown;
  attempts: number;
}

export interface TransportOptions {
  fetch: typeof fetch;
  clock: Clock;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  logger: Logger;
  limiter: RateLimiter;
  timeoutMs: number;
  retryBudgetMs: number;
  maxRetries: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** Called once per HTTP request, as it ends; a throwing observer is logged, never fails the call. */
  onRequest?: (event: PagerDutyRequestEvent) => void;
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

class TimeoutAbort extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutAbort';
  }
}

type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Headers; text: string; sends: number }
  | { kind: 'timeout'; timeoutMs: number; error: unknown }
  | { kind: 'network'; error: unknown }
  | { kind: 'cancelled'; error: unknown };

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? ` (${cause.message})` : '';
    return `${error.message}${causeText}`;
  }
  return String(error);
}

/** Connection errors that mean the request never reached PagerDuty (refused, or the name did not resolve). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** True when `error` (or its cause) says the request was never sent, so a write cannot have been applied. */
function neverSent(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Sends one PagerDuty request with everything pdjs lacks: a client-side rate limit, a real per-attempt timeout
 * (AbortSignal, so the socket is closed), bounded retries with backoff + jitter that honour `ratelimit-reset` /
 * `Retry-After`, a total time budget, and status checks that turn every non-2xx into a typed error. Through
 * `pdjsFetch`, one attempt may be up to four HTTP requests (pdjs re-sends a 429 three times, waiting
 * `min(1 s, attempt timeout / 8)` in between): each re-send is charged to the rate limiter and reported to
 * `onRequest`, and all of them fit in the attempt's timeout and so in the budget.
 */
export function createTransport(options: TransportOptions): Transport {
  const { clock, logger } = options;

  /** Where one call stands: how many HTTP requests it has sent, and when the latest one left. */
  interface Wire {
    requests: number;
    lastSentAt: number;
  }

  function report(
    request: TransportRequest,
    wire: Wire,
    status: number | 'error',
    durationMs: number,
    pdjsResend: boolean,
  ): void {
    if (!options.onRequest) return;
    try {
      options.onRequest({
        method: request.method,
        endpoint: request.endpoint,
        status,
        durationMs: Math.max(0, durationMs),
        attempt: wire.requests,
        pdjsResend,
      });
    } catch (error) {
      logger.warn({ err: error, endpoint: request.endpoint }, 'PagerDuty onRequest observer threw');
    }
  }

  async function attempt(
    request: TransportRequest,
    timeoutMs: number,
    pdjsRetryTimeoutMs: number,
    wire: Wire,
  ): Promise<AttemptOutcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutAbort(timeoutMs)), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    const startedAt = performance.now();
    let sends = 0;
    let settled = false;
    const init: PdjsRequestInit = {
      method: request.method,
      headers: request.headers,
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal,
      pdjsRetryTimeoutMs,
      // pdjs sends again only after a 429: each re-send tells us the request before it was refused.
      onPdjsSend: (send) => {
        if (settled || signal.aborted) return;
        const now = performance.now();
        if (send > 1) {
          report(request, wire, 429, now - wire.lastSentAt - pdjsRetryTimeoutMs, sends > 1);
          options.limiter.charge();
        }
        sends = send;
        wire.requests += 1;
        wire.lastSentAt = now;
      },
    };
    const finish = (status: number | 'error'): void => {
      settled = true;
      if (sends === 0) {
        // A plain `fetch` (injected) does not report its send: the attempt was one request.
        wire.requests += 1;
        wire.lastSentAt = startedAt;
      }
      report(request, wire, status, performance.now() - wire.lastSentAt, sends > 1);
    };
    try {
      const response = await options.fetch(request.url, init);
      const text = await response.text();
      finish(response.status);
      return { kind: 'response', status: response.status, headers: response.headers, text, sends: Math.max(1, sends) };
    } catch (error) {
      finish('error');
      if (request.signal?.aborted) return { kind: 'cancelled', error };
      if (controller.signal.aborted) return { kind: 'timeout', timeoutMs, error };
      return { kind: 'network', error };
    } finally {
      clearTimeout(timer);
    }
  }

  return async function send(request: TransportRequest): Promise<TransportResponse> {
    const start = clock.now();
    const remaining = (): number => options.retryBudgetMs - (clock.now() - start);
    const label = `${request.method} ${request.endpoint}`;
    let attempts = 0;
    const wire: Wire = { requests: 0, lastSentAt: 0 };

    const cancelled = (error: unknown): never => {
      throw pagerDutyUnavailable(`PagerDuty request ${label} was cancelled`, error, { cancelled: true });
    };
    const wait = async (ms: number): Promise<void> => {
      if (ms <= 0) return;
      try {
        await options.sleep(ms, request.signal);
      } catch (error) {
        cancelled(error);
      }
    };

    for (;;) {
      if (request.signal?.aborted) cancelled(request.signal.reason);
      const slot = options.limiter.reserve(Math.max(0, remaining()));
      if (slot === undefined) {
        throw pagerDutyUnavailable(
          `PagerDuty request ${label} not sent: the client-side rate limit (${options.limiter.perMinute}/min) would delay it past its ${options.retryBudgetMs} ms budget`,
          undefined,
          { endpoint: request.endpoint, rateLimited: true },
        );
      }
      await wait(slot);
      const left = remaining();
      if (left <= 0) {
        throw pagerDutyUnavailable(
          `PagerDuty request ${label} gave up: its ${options.retryBudgetMs} ms budget ran out after ${attempts} attempt(s)`,
          undefined,
          { endpoint: request.endpoint, attempts },
        );
      }
      const timeoutMs = Math.max(1, Math.min(options.timeoutMs, left));
      // pdjs re-sends a 429 three times whatever we say; keep its waits to a small share of this attempt.
      const pdjsRetryTimeoutMs = Math.max(
        1,
        Math.min(PDJS_RETRY_WAIT_CAP_MS, Math.floor(timeoutMs / PDJS_RETRY_WAIT_DIVISOR)),
      );
      attempts += 1;
      const sentAt = performance.now();
      const outcome = await attempt(request, timeoutMs, pdjsRetryTimeoutMs, wire);
      const elapsedMs = Math.round(performance.now() - sentAt);

      if (outcome.kind === 'cancelled') cancelled(outcome.error);

      // Decide: success, retry after `delay`, or fail with `failure`.
      let failure: Error;
      let serverDelay: number | undefined;
      let retryable: boolean;
      if (outcome.kind === 'response') {
        const { status, headers, text } = outcome;
        logger.debug(
          {
            method: request.method,
            endpoint: request.endpoint,
            status,
            attempt: attempts,
            requests: outcome.sends,
            pdjsRetryTimeoutMs,
            elapsedMs,
          },
          'pagerduty',
        );
        let body: unknown;
        let jsonError: unknown;
        if (text.trim() !== '') {
          try {
            body = JSON.parse(text);
          } catch (error) {
            jsonError = error;
          }
        }
        if (status >= 200 && status < 300) {
          if (jsonError !== undefined) {
            throw pagerDutyMalformed(`PagerDuty answered ${label} with ${status} but the body is not JSON`, {
              endpoint: request.endpoint,
              status,
            });
          }
          return { status, headers, body, attempts };
        }
        const parsed = parseErrorBody(body);
        // 429 carries ratelimit-reset; a 503 may carry Retry-After. Either way the server knows best.
        serverDelay = status === 429 || status === 503 ? serverRetryDelay(headers, clock.now()) : undefined;
        failure = new PagerDutyApiError({
          status,
          method: request.method,
          endpoint: request.endpoint,
          ...(request.subject ? { subject: request.subject } : {}),
          ...(parsed.code === undefined ? {} : { pagerdutyCode: parsed.code }),
          ...(parsed.message === undefined ? {} : { pagerdutyMessage: parsed.message }),
          errors: parsed.errors,
          ...(serverDelay === undefined || status !== 429 ? {} : { retryAfterMs: serverDelay }),
          attempts,
          ...(status >= 500 && request.retry === 'write'
            ? { hint: 'The change may or may not have been applied; check before repeating it.' }
            : {}),
        });
        retryable = status === 429 || (status >= 500 && request.retry !== 'write');
      } else if (outcome.kind === 'timeout') {
        logger.debug(
          { method: request.method, endpoint: request.endpoint, attempt: attempts, timeoutMs },
          'pagerduty timeout',
        );
        failure = pagerDutyUnavailable(
          `PagerDuty did not answer ${label} ${
            outcome.timeoutMs < options.timeoutMs
              ? `in the ${outcome.timeoutMs} ms left of the call's ${options.retryBudgetMs} ms budget`
              : `within ${outcome.timeoutMs} ms`
          }${request.retry === 'write' ? ' (the change may or may not have been applied)' : ''}`,
          outcome.error,
          {
            endpoint: request.endpoint,
            timeout: true,
            attempts,
            ...(request.retry === 'write' ? { mayHaveApplied: true } : {}),
          },
        );
        retryable = request.retry !== 'write';
      } else {
        logger.debug(
          { method: request.method, endpoint: request.endpoint, attempt: attempts, err: outcome.error },
          'pagerduty network error',
        );
        // A write whose connection failed after it was sent may have been applied (the answer was lost).
        const uncertain = request.retry === 'write' && !neverSent(outcome.error);
        failure = pagerDutyUnavailable(
          `PagerDuty could not be reached for ${label}: ${errorText(outcome.error)}${uncertain ? ' (the change may or may not have been applied)' : ''}`,
          outcome.error,
          { endpoint: request.endpoint, attempts, ...(uncertain ? { mayHaveApplied: true } : {}) },
        );
        retryable = request.retry !== 'write';
      }

      if (!retryable || attempts > options.maxRetries) throw failure;
      const delay =
        serverDelay ??
        backoffDelay(attempts - 1, {
          baseMs: options.backoffBaseMs,
          capMs: options.backoffCapMs,
          random: options.random,
        });
      const budgetLeft = remaining();
      if (delay >= budgetLeft) {
        if (failure instanceof PagerDutyApiError && failure.status === 429 && serverDelay !== undefined) {
          throw new PagerDutyApiError({
            status: 429,
            method: request.method,
            endpoint: request.endpoint,
            retryAfterMs: serverDelay,
            attempts,
            hint: `Not retried: that is longer than the ${Math.max(0, Math.floor(budgetLeft / 1000))} s left of this request's budget.`,
          });
        }
        throw failure;
      }
      logger.warn(
        {
          method: request.method,
          endpoint: request.endpoint,
          attempt: attempts,
          delayMs: delay,
          reason: failure.message,
        },
        'retrying PagerDuty request',
      );
      await wait(delay);
    }
  };
}
