import { describe, expect, it } from 'vitest';
import { backoffDelay, serverRetryDelay } from '../../src/pagerduty/retry.js';

describe('serverRetryDelay', () => {
  const now = Date.UTC(2026, 0, 5, 3, 0, 0);

  it('reads ratelimit-reset as seconds, preferring it over Retry-After', () => {
    expect(serverRetryDelay(new Headers({ 'ratelimit-reset': '12' }), now)).toBe(12_000);
    expect(serverRetryDelay(new Headers({ 'ratelimit-reset': '0.5', 'retry-after': '30' }), now)).toBe(500);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(serverRetryDelay(new Headers({ 'retry-after': '4' }), now)).toBe(4000);
    const date = new Date(now + 9000).toUTCString();
    expect(serverRetryDelay(new Headers({ 'retry-after': date }), now)).toBe(9000);
    expect(serverRetryDelay(new Headers({ 'retry-after': new Date(now - 5000).toUTCString() }), now)).toBe(0);
  });

  it('ignores missing or unusable values', () => {
    expect(serverRetryDelay(new Headers(), now)).toBeUndefined();
    expect(serverRetryDelay(new Headers({ 'ratelimit-reset': 'soon' }), now)).toBeUndefined();
    expect(serverRetryDelay(new Headers({ 'retry-after': 'later' }), now)).toBeUndefined();
    expect(serverRetryDelay(new Headers({ 'ratelimit-reset': '-3' }), now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const options = { baseMs: 250, capMs: 8000 };

  it('doubles each step and keeps between half and all of it', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { ...options, random: () => 0 }))).toEqual([125, 250, 500, 1000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, { ...options, random: () => 0.999999 }))).toEqual([
      250, 500, 1000, 2000,
    ]);
  });

  it('never goes above the cap', () => {
    expect(backoffDelay(20, { ...options, random: () => 0.999999 })).toBe(8000);
    expect(backoffDelay(20, { ...options, random: () => 0 })).toBe(4000);
  });
});
