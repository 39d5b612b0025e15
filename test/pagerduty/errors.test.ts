import { describe, expect, it } from 'vitest';
import { describeApiError, PagerDutyApiError, parseErrorBody } from '../../src/pagerduty/errors.js';
import { ErrorCode } from '../../src/shared/errors.js';

const base = { method: 'GET', endpoint: '/incidents/{id}' };

describe('describeApiError', () => {
  it('gives one clear sentence per status', () => {
    const incident = { resource: 'Incident', id: 'Q1234' };
    expect(describeApiError({ ...base, status: 401 })).toBe(
      'PagerDuty rejected the API key (401): check PAGERDUTY_API_KEY',
    );
    expect(describeApiError({ ...base, status: 404, subject: incident })).toBe('Incident Q1234 not found in PagerDuty');
    expect(describeApiError({ ...base, status: 404 })).toBe('Not found in PagerDuty (404 on GET /incidents/{id})');
    expect(describeApiError({ ...base, status: 403, subject: incident, pagerdutyMessage: 'Access Denied' })).toBe(
      'PagerDuty refused access (403) to Incident Q1234: the API key or the acting user lacks permission: Access Denied',
    );
    expect(describeApiError({ ...base, status: 429, retryAfterMs: 1500 })).toBe(
      'PagerDuty rate limit reached (429); PagerDuty asks to wait 2 s',
    );
    expect(describeApiError({ ...base, status: 503, attempts: 4 })).toBe(
      'PagerDuty is having trouble (503) after 4 attempts; try again shortly',
    );
    expect(describeApiError({ ...base, status: 402, pagerdutyMessage: 'Payment Required' })).toBe(
      'PagerDuty account lacks the feature needed for this (402): Payment Required',
    );
    expect(describeApiError({ ...base, status: 400 })).toBe('PagerDuty rejected the request (400): invalid input');
    expect(describeApiError({ ...base, status: 409, pagerdutyMessage: 'Conflict' })).toBe(
      'PagerDuty answered 409 to GET /incidents/{id}: Conflict',
    );
  });

  it('builds a coded error carrying the PagerDuty fields', () => {
    const error = new PagerDutyApiError({ ...base, status: 400, pagerdutyCode: 2001, errors: ['a', 'b'] });
    expect(error.code).toBe(ErrorCode.PagerDutyApi);
    expect(error.details).toMatchObject({ status: 400, pagerdutyCode: 2001, errors: ['a', 'b'] });
  });
});

describe('parseErrorBody', () => {
  it("reads PagerDuty's error object and tolerates anything else", () => {
    expect(parseErrorBody({ error: { message: 'Invalid Input Provided', code: 2001, errors: ['x', 7] } })).toEqual({
      code: 2001,
      message: 'Invalid Input Provided',
      errors: ['x'],
    });
    expect(parseErrorBody({ error: { code: '2100' } })).toEqual({ code: 2100, errors: [] });
    expect(parseErrorBody('<html>')).toEqual({ errors: [] });
    expect(parseErrorBody(undefined)).toEqual({ errors: [] });
    expect(parseErrorBody({ error: 'nope' })).toEqual({ errors: [] });
  });
});
