import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import {
  PagerDutyApiError,
  pagerDutyMalformed,
  pagerDutyUnavailable,
  parseErrorBody,
  type RequestSubject,
} from './errors.js';
import type { RateLimiter } from './rate-limiter.js';
import { backoffDelay, serverRetryDelay } from './retry.js';

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
}

export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

class TimeoutAbort extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutAbort';
  }
}

type AttemptOutcome =
  | { kind: 'response'; status: number; headers: Headers; text: string }
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

/**
 * Sends one PagerDuty request with everything pdjs lacks: a client-side rate limit, a real per-attempt timeout
 * (AbortSignal, so the socket is closed), bounded retries with backoff + jitter that honour `ratelimit-reset` /
 * `Retry-After`, a total time budget, and status checks that turn every non-2xx into a typed error.
 */
export function createTransport(options: TransportOptions): Transport {
  const { clock, logger } = options;

  async function attempt(request: TransportRequest, timeoutMs: number): Promise<AttemptOutcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutAbort(timeoutMs)), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, controller.signal]) : controller.signal;
    try {
      const response = await options.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal,
      });
      const text = await response.text();
      return { kind: 'response', status: response.status, headers: response.headers, text };
    } catch (error) {
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
      attempts += 1;
      const sentAt = Date.now();
      const outcome = await attempt(request, timeoutMs);
      const elapsedMs = Date.now() - sentAt;

      if (outcome.kind === 'cancelled') cancelled(outcome.error);

      // Decide: success, retry after `delay`, or fail with `failure`.
      let failure: Error;
      let serverDelay: number | undefined;
      let retryable: boolean;
      if (outcome.kind === 'response') {
        const { status, headers, text } = outcome;
        logger.debug(
          { method: request.method, endpoint: request.endpoint, status, attempt: attempts, elapsedMs },
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
          `PagerDuty did not answer ${label} within ${outcome.timeoutMs} ms${request.retry === 'write' ? ' (the change may or may not have been applied)' : ''}`,
          outcome.error,
          { endpoint: request.endpoint, timeout: true, attempts },
        );
        retryable = request.retry !== 'write';
      } else {
        logger.debug(
          { method: request.method, endpoint: request.endpoint, attempt: attempts, err: outcome.error },
          'pagerduty network error',
        );
        failure = pagerDutyUnavailable(
          `PagerDuty could not be reached for ${label}: ${errorText(outcome.error)}`,
          outcome.error,
          { endpoint: request.endpoint, attempts },
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
