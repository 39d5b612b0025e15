import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter, PAGERDUTY_REQUESTS_PER_MINUTE } from '../../src/pagerduty/index.js';
import { createManualClock } from '../../src/shared/clock.js';

describe('createRateLimiter', () => {
  it('lets the burst through at once, then paces at the configured rate', () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ perMinute: 600, clock });
    expect(limiter.burst).toBe(40);
    const waits = Array.from({ length: 43 }, () => limiter.reserve(Number.POSITIVE_INFINITY));
    expect(waits.slice(0, 40).every((w) => w === 0)).toBe(true);
    // Reservations queue up: the 41st, 42nd and 43rd wait 1, 2 and 3 intervals of 100 ms.
    expect(waits.slice(40)).toEqual([100, 200, 300]);
  });

  it('refuses (without reserving) a slot that would wait longer than allowed', () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ perMinute: 60, clock });
    expect(limiter.burst).toBe(4);
    for (let i = 0; i < 4; i += 1) expect(limiter.reserve(0)).toBe(0);
    expect(limiter.reserve(999)).toBeUndefined();
    expect(limiter.reserve(1000)).toBe(1000);
    clock.advance(2000);
    expect(limiter.reserve(0)).toBe(0);
  });

  it('charge() counts a request that went out unasked (pdjs re-send), so later reservations wait for it', () => {
    const clock = createManualClock();
    const limiter = createRateLimiter({ perMinute: 60, clock });
    expect(limiter.reserve(0)).toBe(0);
    for (let i = 0; i < 3; i += 1) limiter.charge();
    // The burst of 4 is used up by one reservation and three charges: the next waits one interval.
    expect(limiter.reserve(Number.POSITIVE_INFINITY)).toBe(1000);
    clock.advance(60_000);
    limiter.charge();
    expect(limiter.reserve(0)).toBe(0);
  });

  it('rejects rates at or above PagerDuty’s 960/min', () => {
    const clock = createManualClock();
    expect(() => createRateLimiter({ perMinute: 960, clock })).toThrow(RangeError);
    expect(() => createRateLimiter({ perMinute: 0, clock })).toThrow(RangeError);
    expect(() => createRateLimiter({ perMinute: 1.5, clock })).toThrow(RangeError);
  });

  it('never lets more than 960 requests start in any 60-second window, whatever the rate and arrivals', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: PAGERDUTY_REQUESTS_PER_MINUTE - 1 }),
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 1, maxLength: 1500 }),
        (perMinute, gaps) => {
          const clock = createManualClock(0);
          const limiter = createRateLimiter({ perMinute, clock });
          const starts: number[] = [];
          let arrival = 0;
          for (const gap of gaps) {
            arrival += gap;
            clock.set(Math.max(arrival, clock.now()));
            const wait = limiter.reserve(Number.POSITIVE_INFINITY) ?? Number.NaN;
            starts.push(clock.now() + wait);
          }
          starts.sort((a, b) => a - b);
          let tail = 0;
          for (let head = 0; head < starts.length; head += 1) {
            while ((starts[head] as number) - (starts[tail] as number) >= 60_000) tail += 1;
            if (head - tail + 1 > PAGERDUTY_REQUESTS_PER_MINUTE) return false;
          }
          return true;
        },
      ),
      { numRuns: 200 },
    );
  });
});
