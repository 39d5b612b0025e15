import { describe, expect, it } from 'vitest';
import { createIdFactory } from '../../../src/sandbox/pagerduty/ids.js';
import { createRng, hashUnit } from '../../../src/sandbox/pagerduty/rng.js';

describe('seeded randomness', () => {
  it('repeats for the same seed and label, and differs otherwise', () => {
    const draw = (seed: number, label: string) => {
      const rng = createRng(seed, label);
      return Array.from({ length: 20 }, () => rng.next());
    };
    expect(draw(1, 'a')).toEqual(draw(1, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(2, 'a'));
    expect(draw(1, 'a')).not.toEqual(draw(1, 'b'));
    const values = draw(3, 'range');
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(createRng(1).fork('x').next()).toBe(createRng(1).fork('x').next());
    expect(hashUnit('same')).toBe(hashUnit('same'));
  });

  it('picks, weighs, shuffles and draws integers within bounds', () => {
    const rng = createRng(9);
    const ints = Array.from({ length: 500 }, () => rng.int(3, 6));
    expect(Math.min(...ints)).toBe(3);
    expect(Math.max(...ints)).toBe(6);
    const weighted = Array.from({ length: 1000 }, () =>
      rng.weighted([
        ['rare', 1],
        ['common', 9],
      ] as const),
    );
    const rare = weighted.filter((w) => w === 'rare').length;
    expect(rare).toBeGreaterThan(50);
    expect(rare).toBeLessThan(170);
    expect(rng.shuffle([1, 2, 3, 4, 5]).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(() => rng.pick([])).toThrow();
  });

  it('makes PagerDuty-shaped ids that never repeat', () => {
    const ids = createIdFactory(createRng(1, 'ids'));
    expect(ids.short()).toMatch(/^P[A-Z0-9]{6}$/);
    expect(ids.long()).toMatch(/^Q[A-Z0-9]{13}$/);
    expect(ids.logEntry()).toMatch(/^R[A-Z0-9]{25}$/);
    expect(ids.event()).toMatch(/^01[0-9A-HJKMNP-TV-Z]{24}$/);
    expect(ids.uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.hex32()).toMatch(/^[0-9a-f]{32}$/);
    const many = new Set(Array.from({ length: 5000 }, () => ids.short()));
    expect(many.size).toBe(5000);
  });
});
