import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_STORM_POLICY,
  recordTrigger,
  type StormWindowState,
  stormReachedAt,
} from '../../../src/webhooks/pagerduty/storm.js';

const policy = { threshold: 5, windowMs: 120_000, maxMembers: 100 };
const T0 = Date.UTC(2026, 0, 1, 3, 0, 0);

function feed(times: number[], p = policy): Array<ReturnType<typeof recordTrigger>> {
  let window: StormWindowState | null = null;
  return times.map((at, i) => {
    const result = recordTrigger(window, { incidentId: `P${i}`, at }, p);
    window = result.window;
    return result;
  });
}

describe('storm detection', () => {
  it('defaults to 5 incidents in 2 minutes', () => {
    expect(DEFAULT_STORM_POLICY).toMatchObject({ threshold: 5, windowMs: 120_000 });
  });

  it('turns the fifth trigger within two minutes into a storm, once', () => {
    const results = feed([0, 10, 20, 30, 40, 50, 60].map((s) => T0 + s * 1000));
    expect(results.map((r) => r.storm)).toEqual([false, false, false, false, true, true, true]);
    expect(results.map((r) => r.stormStarted)).toEqual([false, false, false, false, true, false, false]);
    expect(results[6]?.window.members).toHaveLength(7);
    expect(results[0]?.opened).toBe(true);
    expect(results.slice(1).every((r) => !r.opened)).toBe(true);
  });

  it('counts the window exactly: 5 triggers spanning 120 s is a storm, 120.001 s is not', () => {
    expect(feed([0, 30, 60, 90, 120].map((s) => T0 + s * 1000)).at(-1)?.storm).toBe(true);
    expect(feed([0, 30, 60, 90].map((s) => T0 + s * 1000).concat(T0 + 120_001)).at(-1)?.storm).toBe(false);
  });

  it('never storms on a slow drizzle, and keeps the state bounded', () => {
    const results = feed(Array.from({ length: 200 }, (_, i) => T0 + i * 45_000));
    expect(results.some((r) => r.storm)).toBe(false);
    expect(Math.max(...results.map((r) => r.window.members.length))).toBeLessThanOrEqual(3);
    // The window never went quiet for 2 minutes, so it is one window throughout.
    expect(results.filter((r) => r.opened)).toHaveLength(1);
  });

  it('opens a new window after two quiet minutes, so an old storm does not absorb new incidents', () => {
    const times = [0, 1, 2, 3, 4].map((s) => T0 + s * 1000);
    let window: StormWindowState | null = null;
    for (const [i, at] of times.entries()) window = recordTrigger(window, { incidentId: `A${i}`, at }, policy).window;
    const later = recordTrigger(window, { incidentId: 'B0', at: T0 + 4000 + 120_000 }, policy);
    expect(later.opened).toBe(true);
    expect(later.storm).toBe(false);
    expect(later.window.members.map((m) => m.incidentId)).toEqual(['B0']);
    const stillStorm = recordTrigger(window, { incidentId: 'B1', at: T0 + 4000 + 119_999 }, policy);
    expect(stillStorm.opened).toBe(false);
    expect(stillStorm.storm).toBe(true);
  });

  it('does not double-count a replayed trigger', () => {
    let window: StormWindowState | null = null;
    for (let i = 0; i < 4; i++) window = recordTrigger(window, { incidentId: 'SAME', at: T0 + i }, policy).window;
    expect(window?.members).toHaveLength(1);
    const replay = recordTrigger(window, { incidentId: 'SAME', at: T0 + 10 }, policy);
    expect(replay.alreadyMember).toBe(true);
    expect(replay.storm).toBe(false);
  });

  it('caps members during a storm at maxMembers but stays a storm', () => {
    const results = feed(
      Array.from({ length: 50 }, (_, i) => T0 + i * 100),
      { ...policy, maxMembers: 20 },
    );
    expect(results.at(-1)?.window.members).toHaveLength(20);
    expect(results.at(-1)?.storm).toBe(true);
  });

  it('agrees with a brute-force count whatever order the triggers arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 0, maxLength: 40 }), (offsets) => {
        const members = offsets.map((o, i) => ({ incidentId: `P${i}`, at: T0 + o }));
        const brute = members.some(
          (a) => members.filter((b) => b.at >= a.at && b.at - a.at <= policy.windowMs).length >= policy.threshold,
        );
        expect(stormReachedAt(members, policy) !== null).toBe(brute);
      }),
      { numRuns: 300 },
    );
  });
});
