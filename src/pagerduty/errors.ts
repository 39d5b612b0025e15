import { AppError, ErrorCode } from '../shared/errors.js';

/** What a request was about, so error messages can name it ("Incident Q1234 not found in PagerDuty"). */
export interface RequestSubject {
  /** A noun for a person: `Incident`, `Schedule`, `Escalation policy`, … */
  resource?: string;
  id?: string;
}

export interface PagerDutyApiErrorInit {
  status: number;
  method: string;
  /** Path template, e.g. `/incidents/{id}` (never the query string, which may carry emails). */
  endpoint: string;
  subject?: RequestSubject;
  /** PagerDuty's numeric error code (`error.code`, e.g. 2001), when the body has one. */
  pagerdutyCode?: number;
  /** PagerDuty's own message (`error.message`). */
  pagerdutyMessage?: string;
  /** PagerDuty's detail lines (`error.errors[]`). */
  errors?: readonly string[];
  /** For 429: how long PagerDuty asked us to wait, in milliseconds. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Extra sentence appended to the message (e.g. why we did not retry). */
  hint?: string;
}

/** PagerDuty answered with an error status (4xx/5xx). Branch on `status`, never on the message. */
export class PagerDutyApiError extends AppError {
  readonly status: number;
  readonly pagerdutyCode: number | undefined;
  readonly pagerdutyMessage: string | undefined;
  readonly errors: readonly string[];
  readonly retryAfterMs: number | undefined;

  constructor(init: PagerDutyApiErrorInit) {
    super(ErrorCode.PagerDutyApi, describeApiError(init), {
      details: {
        status: init.status,
        method: init.method,
        endpoint: init.endpoint,
        pagerdutyCode: init.pagerdutyCode,
        errors: init.errors ?? [],
        ...(init.retryAfterMs === undefined ? {} : { retryAfterMs: init.retryAfterMs }),
        ...(init.attempts === undefined ? {} : { attempts: init.attempts }),
      },
    });
    this.name = 'PagerDutyApiError';
    this.status = init.status;
    this.pagerdutyCode = init.pagerdutyCode;
    this.pagerdutyMessage = init.pagerdutyMessage;
    this.errors = init.errors ?? [];
    this.retryAfterMs = init.retryAfterMs;
  }
}

function subjectPhrase(subject: RequestSubject | undefined): string | undefined {
  if (!subject?.resource) return undefined;
  return subject.id ? `${subject.resource} ${subject.id}` : subject.resource;
}

function pagerdutySays(init: PagerDutyApiErrorInit): string {
  const parts = [init.pagerdutyMessage, ...(init.errors ?? [])].filter(
    (p): p is string => typeof p === 'string' && p.trim() !== '',
  );
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

function seconds(ms: number): string {
  return `${Math.max(1, Math.ceil(ms / 1000))} s`;
}

/** One human sentence per status, naming the thing and what to do about it. */
export function describeApiError(init: PagerDutyApiErrorInit): string {
  const what = subjectPhrase(init.subject);
  const says = pagerdutySays(init);
  const hint = init.hint ? `. ${init.hint}` : '';
  const { status } = init;
  let message: string;
  if (status === 401) {
    message = 'PagerDuty rejected the API key (401): check PAGERDUTY_API_KEY';
  } else if (status === 403) {
    message = `PagerDuty refused access (403)${what ? ` to ${what}` : ''}: the API key or the acting user lacks permission${says}`;
  } else if (status === 404) {
    message = what
      ? `${what} not found in PagerDuty`
      : `Not found in PagerDuty (404 on ${init.method} ${init.endpoint})`;
  } else if (status === 402) {
    message = `PagerDuty account lacks the feature needed for this (402)${says}`;
  } else if (status === 429) {
    const wait = init.retryAfterMs === undefined ? '' : `; PagerDuty asks to wait ${seconds(init.retryAfterMs)}`;
    message = `PagerDuty rate limit reached (429)${wait}`;
  } else if (status >= 500) {
    const tries = init.attempts && init.attempts > 1 ? ` after ${init.attempts} attempts` : '';
    message = `PagerDuty is having trouble (${status})${tries}; try again shortly`;
  } else if (status === 400 || status === 422) {
    message = `PagerDuty rejected the request (${status})${what ? ` for ${what}` : ''}${says || ': invalid input'}`;
  } else {
    message = `PagerDuty answered ${status} to ${init.method} ${init.endpoint}${says}`;
  }
  return `${message}${hint}`;
}

/** PagerDuty could not be reached: network error, timeout, cancelled, or the retry budget ran out. */
export function pagerDutyUnavailable(
  message: string,
  cause?: unknown,
  details: Record<string, unknown> = {},
): AppError {
  return new AppError(ErrorCode.PagerDutyUnavailable, message, { cause, details });
}

/** A 2xx answer whose body does not match the model we expect. */
export function pagerDutyMalformed(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.PagerDutyMalformedResponse, message, { details });
}

/**
 * PagerDuty's error body: `{"error":{"message":"…","code":2001,"errors":["…"]}}`. Tolerates anything else
 * (HTML from a proxy, an empty body) by returning empty fields.
 */
export function parseErrorBody(body: unknown): { code?: number; message?: string; errors: string[] } {
  if (!body || typeof body !== 'object') return { errors: [] };
  const error = (body as { error?: unknown }).error;
  if (!error || typeof error !== 'object') return { errors: [] };
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  const code =
    typeof e.code === 'number'
      ? e.code
      : typeof e.code === 'string' && /^\d+$/.test(e.code)
        ? Number(e.code)
        : undefined;
  const message = typeof e.message === 'string' ? e.message : undefined;
  const errors = Array.isArray(e.errors) ? e.errors.filter((x): x is string => typeof x === 'string').slice(0, 20) : [];
  return { ...(code === undefined ? {} : { code }), ...(message === undefined ? {} : { message }), errors };
}
