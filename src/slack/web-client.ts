/**
 * The Slack Web API client settings. `@slack/web-api` defaults to no request timeout and ten retries over about
 * thirty minutes, and pauses its whole queue on a 429: fatal for a 3 a.m. bot. Here every call gets a timeout,
 * a short retry policy, and 429s are rejected at once (callers turn them into a later job, see `slack-calls.ts`).
 */
import {
  LogLevel,
  ErrorCode as SlackErrorCode,
  type Logger as SlackLogger,
  type WebClientOptions,
} from '@slack/web-api';
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

export const DEFAULT_WEB_API_TIMEOUT_MS = 10_000;
export const DEFAULT_WEB_API_RETRIES = 2;

/** WebClient options with an explicit timeout and retry policy (and the emulator's URL when given). */
export function slackWebClientOptions(options: {
  apiUrl?: string | undefined;
  timeoutMs?: number | undefined;
  retries?: number | undefined;
  logger: Logger;
}): WebClientOptions {
  const base: WebClientOptions = {
    timeout: options.timeoutMs ?? DEFAULT_WEB_API_TIMEOUT_MS,
    retryConfig: {
      retries: options.retries ?? DEFAULT_WEB_API_RETRIES,
      factor: 2,
      minTimeout: 250,
      maxTimeout: 2000,
      randomize: true,
    },
    rejectRateLimitedCalls: true,
    logger: slackLogger(options.logger),
  };
  if (options.apiUrl) base.slackApiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
  return base;
}

/** Adapts pino to the `@slack/logger` interface Bolt and the WebClient expect. */
export function slackLogger(logger: Logger): SlackLogger {
  let level: LogLevel = LogLevel.INFO;
  const fmt = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg: unknown[]) => logger.debug(fmt(msg)),
    info: (...msg: unknown[]) => logger.info(fmt(msg)),
    warn: (...msg: unknown[]) => logger.warn(fmt(msg)),
    error: (...msg: unknown[]) => logger.error(fmt(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/** Seconds Slack asked us to wait, when `error` is a rejected rate-limited call. */
export function rateLimitRetryAfter(error: unknown): number | null {
  const e = error as { code?: unknown; retryAfter?: unknown } | null;
  if (e && e.code === SlackErrorCode.RateLimitedError) {
    return typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : 1;
  }
  return null;
}

/** The platform error string (`channel_not_found`, …) of a failed Web API call, if any. */
export function slackErrorCode(error: unknown): string | null {
  const e = error as { code?: unknown; data?: { error?: unknown } } | null;
  if (e && e.code === SlackErrorCode.PlatformError && typeof e.data?.error === 'string') return e.data.error;
  return null;
}

/** Wraps a Web API failure as an `AppError` (`slack_api_error`) naming the method and Slack's reason. */
export function asSlackError(method: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const platform = slackErrorCode(error);
  const retryAfter = rateLimitRetryAfter(error);
  const reason =
    platform ?? (retryAfter !== null ? 'rate limited' : error instanceof Error ? error.message : String(error));
  return new AppError(ErrorCode.SlackApi, `Slack ${method} failed: ${reason}`, {
    cause: error,
    details: { method, ...(platform ? { error: platform } : {}), ...(retryAfter !== null ? { retryAfter } : {}) },
  });
}
