/**
 * Test-side HTTP for the simulator: plain `fetch`, PagerDuty's headers, and every request and response checked
 * against PagerDuty's OpenAPI spec. Deliberately not our PagerDuty client, so the simulator is checked on its own.
 */
import type { PagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import {
  createPagerDutyOpenApiValidator,
  formatViolations,
  type OpenApiViolation,
} from '../../helpers/pagerduty-openapi.js';

export const validator = createPagerDutyOpenApiValidator();

export interface PdResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  /** Spec violations of the response (the request is asserted conforming unless `allowInvalidRequest`). */
  violations: OpenApiViolation[];
}

export interface CallOptions {
  body?: unknown;
  from?: string | null;
  headers?: Record<string, string>;
  token?: string | null;
  /** The test sends a request that breaks the spec on purpose. */
  allowInvalidRequest?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: test responses are inspected field by field
export type AnyJson = any;

/** Calls the simulator like any PagerDuty client would and validates both directions against the spec. */
export async function pd<T = AnyJson>(
  sim: PagerDutySimulator,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<PdResponse<T>> {
  const headers: Record<string, string> = {
    Accept: 'application/vnd.pagerduty+json;version=2',
    ...(options.token === null ? {} : { Authorization: `Token token=${options.token ?? sim.token}` }),
    ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...(options.from ? { From: options.from } : {}),
    ...options.headers,
  };
  const rawBody =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  if (!options.allowInvalidRequest) {
    const requestViolations = validator.validateRequest({ method, path, headers, body: rawBody });
    if (requestViolations.length > 0) {
      throw new Error(`test request breaks the spec: ${method} ${path}\n${formatViolations(requestViolations)}`);
    }
  }
  const response = await fetch(`${sim.url}${path}`, { method, headers, body: rawBody });
  const text = await response.text();
  const body = (text === '' ? undefined : JSON.parse(text)) as T;
  const violations = validator.validateResponse({
    method,
    path,
    status: response.status,
    headers: response.headers,
    body,
  });
  return { status: response.status, headers: response.headers, body, violations };
}

/** Polls until the condition holds (robust on a loaded machine), or fails after `timeoutMs`. */
export async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!ok(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    last = await read();
  }
  return last;
}
