/**
 * Coded errors. Every error the bot raises on purpose is an `AppError` with a stable `code`, so fronts can
 * branch on the code (never on message text) and render the message for a person or a model.
 */

export const ErrorCode = {
  /** Configuration is missing or invalid (listed all at once at start-up). */
  ConfigInvalid: 'config_invalid',
  /** Input from a person, a model or a script failed validation; nothing was sent. */
  InvalidInput: 'invalid_input',
  /** PagerDuty answered with an error status. */
  PagerDutyApi: 'pagerduty_api_error',
  /** PagerDuty could not be reached (network error, timeout, retry budget spent). */
  PagerDutyUnavailable: 'pagerduty_unavailable',
  /** PagerDuty answered 2xx with a body that does not match the expected model. */
  PagerDutyMalformedResponse: 'pagerduty_malformed_response',
  /** A write was attempted without the acting person's email for the `From` header. */
  MissingActor: 'missing_actor',
  /** The Slack user has no PagerDuty account (or no email), so no write can be attributed. */
  UnmappedUser: 'unmapped_user',
  /** The person is not allowed to perform this action (e.g. outside SLACK_RESPONDER_GROUP). */
  Forbidden: 'forbidden',
  /** A thing that was asked for does not exist. */
  NotFound: 'not_found',
  /** The AI engine failed; callers usually fall back to the heuristic engine. */
  AiFailed: 'ai_failed',
  /** The store (Postgres / PGlite) failed. */
  StoreFailed: 'store_failed',
  /** A signature check on an inbound request failed. */
  SignatureInvalid: 'signature_invalid',
  /** Slack Web API returned an error. */
  SlackApi: 'slack_api_error',
  /** An operation exceeded its time budget. */
  Timeout: 'timeout',
  /** The tool is not known or not enabled on this surface. */
  UnknownTool: 'unknown_tool',
  /** Anything not raised on purpose, wrapped so that `.code` is always present. */
  Unknown: 'unknown_error',
  /** An operation was stopped on request before it finished (e.g. Ctrl-C while the sandbox starts). */
  Cancelled: 'cancelled',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra structured facts (parameter names, HTTP status, …) safe to log and show. */
  details?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** Input validation problem: `issues` names every bad parameter and what is expected. */
export class InvalidInputError extends AppError {
  readonly issues: ReadonlyArray<{ path: string; message: string }>;

  constructor(
    message: string,
    issues: ReadonlyArray<{ path: string; message: string }>,
    options: AppErrorOptions = {},
  ) {
    super(ErrorCode.InvalidInput, message, { ...options, details: { ...options.details, issues } });
    this.name = 'InvalidInputError';
    this.issues = issues;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Wraps anything thrown so that downstream code can rely on `.code`. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error) return new AppError(ErrorCode.Unknown, error.message, { cause: error });
  let text: string;
  try {
    text = String(error);
  } catch {
    // An object without toString (null prototype) or whose toString throws.
    text = Object.prototype.toString.call(error);
  }
  return new AppError(ErrorCode.Unknown, text);
}

/** A short message suitable for a person (Slack ephemeral) or a model (tool error result). */
export function describeError(error: unknown): string {
  return asAppError(error).message;
}
