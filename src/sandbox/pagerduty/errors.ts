import { AppError, ErrorCode } from '../../shared/errors.js';

/**
 * A PagerDuty protocol error: the HTTP status and the `{error:{message, code, errors}}` body PagerDuty sends.
 * Also an `AppError`, so the sandbox console (which calls the simulator directly) gets a coded error.
 */
export class PagerDutySimError extends AppError {
  readonly status: number;
  readonly pdCode: number;
  readonly pdMessage: string;
  readonly errors: string[];

  constructor(status: number, pdCode: number, pdMessage: string, errors: string[] = []) {
    const code =
      status === 404
        ? ErrorCode.NotFound
        : status === 401 || status === 403
          ? ErrorCode.Forbidden
          : ErrorCode.InvalidInput;
    super(code, errors.length > 0 ? `${pdMessage}: ${errors.join('; ')}` : pdMessage, {
      details: { status, pdCode },
    });
    this.name = 'PagerDutySimError';
    this.status = status;
    this.pdCode = pdCode;
    this.pdMessage = pdMessage;
    this.errors = errors;
  }

  /** The response body PagerDuty sends for this error. */
  body(): { error: { message: string; code: number; errors?: string[] } } {
    return {
      error: { message: this.pdMessage, code: this.pdCode, ...(this.errors.length > 0 ? { errors: this.errors } : {}) },
    };
  }
}

/** 400 Invalid Input Provided (2001) with details. */
export function invalidInput(...errors: string[]): PagerDutySimError {
  return new PagerDutySimError(400, 2001, 'Invalid Input Provided', errors);
}

/** 404 Not Found (2100). */
export function notFound(what?: string): PagerDutySimError {
  return new PagerDutySimError(404, 2100, 'Not Found', what ? [what] : []);
}
