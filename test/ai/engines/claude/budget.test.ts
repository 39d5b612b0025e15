import { describe, expect, it } from 'vitest';
import { estimateTokens, fitToBudget, TRIM_LEVELS, trimData } from '../../../../src/ai/engines/claude/budget.js';

const render = (d: Record<string, unknown>): string => JSON.stringify(d);

describe('token budget', () => {
  it('estimates 3.5 characters per token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abcdefg')).toBe(2);
    expect(estimateTokens('x'.repeat(3500))).toBe(1000);
  });

  it('leaves data that fits untouched', () => {
    const data = { incident: { title: 'short' } };
    expect(fitToBudget(data, 1000, render)).toEqual({ data, tokens: estimateTokens(render(data)), notes: [] });
  });

  it('keeps timeline milestones and the ends, and marks what it dropped', () => {
    const timeline = Array.from({ length: 1000 }, (_, i) => ({
      at: `t${i}`,
      kind: i === 500 ? 'escalate' : 'message',
      summary: `m${i}`,
    }));
    const level = TRIM_LEVELS[3] as (typeof TRIM_LEVELS)[number];
    const { data, notes } = trimData({ timeline }, level);
    const kept = data.timeline as Array<{ summary: string; kind: string }>;
    expect(kept.map((e) => e.summary)).toContain('m500');
    expect(kept[0]?.summary).toBe('m0');
    expect(kept.at(-1)?.summary).toBe('m999');
    expect(kept.filter((e) => e.summary.includes('omitted')).length).toBeGreaterThanOrEqual(1);
    expect(notes[0]).toMatch(/^timeline: kept \d+ of 1000 entries$/);
  });

  it('clips long texts and keeps the most recent incidents for correlation', () => {
    const incidents = Array.from({ length: 1000 }, (_, i) => ({
      id: `I${i}`,
      createdAt: `2026-01-01T00:${String(i % 60).padStart(2, '0')}:00Z`,
      title: 'x'.repeat(5000),
    }));
    const fitted = fitToBudget({ incidents }, 20_000, render);
    expect(fitted).not.toBeNull();
    const kept = fitted?.data.incidents as Array<{ title: string }>;
    expect(kept.length).toBeLessThan(1000);
    expect(kept[0]?.title.length).toBeLessThan(5000);
    expect(kept[0]?.title).toContain('…[clipped');
    expect(fitted?.tokens).toBeLessThanOrEqual(20_000);
  });

  it('returns null when even the strictest level is too big', () => {
    expect(fitToBudget({ a: 'x'.repeat(10_000) }, 10, render)).toBeNull();
  });
});
