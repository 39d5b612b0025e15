import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_STORM_POLICY, judgeTrigger, stormGapMs } from '../../../src/webhooks/pagerduty/storm.js';

const policy = DEFAULT_STORM_POLICY;

/** The store's window rule (storm_windows.record): join while the previous trigger is within the gap. */
function simulate(times: number[], gap: number): Array<{ ids: string[]; times: number[] }> {
  const windows: Array<{ ids: string[]; times: number[]; last: number }> = [];
  times.forEach((at, i) => {
    const open = windows.at(-1);
    if (open && open.last >= at - gap) {
      open.ids.push(`P${i}`);
      open.times.push(at);
      open.last = Math.max(open.last, at);
    } else windows.push({ ids: [`P${i}`], times: [at], last: at });
  });
  return windows;
}

describe('storm policy', () => {
  it('defaults to 5 incidents in 2 minutes, chained at most 30 s apart', () => {
    expect(policy).toEqual({ threshold: 5, windowMs: 120_000 });
    expect(stormGapMs(policy)).toBe(30_000);
    expect(stormGapMs({ threshold: 2, windowMs: 60_000 })).toBe(60_000);
    expect(stormGapMs({ threshold: 1, windowMs: 60_000 })).toBe(60_000);
  });

  it('folds the threshold-th incident of a window and later ones into the summary, starting the storm once', () => {
    const ids = ['A', 'B', 'C', 'D', 'E', 'F', 'G'];
    const verdicts = ids.map((id, i) => judgeTrigger({ incidentIds: ids.slice(0, i + 1) }, id, policy));
    expect(verdicts.map((v) => v.storm)).toEqual([false, false, false, false, true, true, true]);
    expect(verdicts.map((v) => v.stormStarted)).toEqual([false, false, false, false, true, false, false]);
    expect(verdicts.map((v) => v.position)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    // A replayed early trigger keeps its place (and its card) even after the storm started.
    expect(judgeTrigger({ incidentIds: ids }, 'B', policy)).toEqual({ storm: false, stormStarted: false, position: 2 });
  });

  it('never calls a window a storm unless threshold incidents fell within windowMs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90_000 }), { maxLength: 60 }), (gaps) => {
        let t = 0;
        const times = gaps.map((g) => (t += g));
        for (const w of simulate(times, stormGapMs(policy))) {
          w.ids.forEach((id, i) => {
            const verdict = judgeTrigger({ incidentIds: w.ids.slice(0, i + 1) }, id, policy);
            if (verdict.stormStarted) {
              const span = (w.times[i] as number) - (w.times[i - policy.threshold + 1] as number);
              expect(span).toBeLessThanOrEqual(policy.windowMs);
            }
          });
        }
      }),
      { numRuns: 300 },
    );
  });

  it('catches every burst whose triggers are less than the gap apart, and ignores a slow drizzle', () => {
    const burst = simulate(
      Array.from({ length: 500 }, (_, i) => i * 200),
      stormGapMs(policy),
    );
    expect(burst).toHaveLength(1);
    expect(judgeTrigger({ incidentIds: burst[0]?.ids ?? [] }, 'P4', policy).stormStarted).toBe(true);
    const drizzle = simulate(
      Array.from({ length: 100 }, (_, i) => i * 31_000),
      stormGapMs(policy),
    );
    expect(drizzle.every((w) => w.ids.length === 1)).toBe(true);
  });
});
