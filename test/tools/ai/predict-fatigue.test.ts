import { describe, expect, it } from 'vitest';
import { predictFatigue } from '../../../src/tools/ai/predict-fatigue.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { useHarness } from './harness.js';

const harness = useHarness();

describe('predict_fatigue', () => {
  it('assesses the people of the seed schedules from notifications in the log', async () => {
    const h = harness();
    const out = await runTool(predictFatigue, { days: 30 }, h.ctx);
    expect(out.windowDays).toBe(30);
    expect(out.schedules.length).toBe(Math.min(20, h.sim.org.schedules.length));
    expect(out.people.length).toBeGreaterThan(0);
    const paged = out.people.filter((p) => p.factors.pages > 0);
    expect(paged.length).toBeGreaterThan(0);
    for (const p of out.people) {
      expect(p.factors.sleepHourPages).toBeLessThanOrEqual(p.factors.pages);
      expect(p.recommendations.length).toBeGreaterThan(0);
    }
    const scores = out.people.map((p) => p.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('limits to the given users', async () => {
    const h = harness();
    const ids = h.sim.org.users.slice(0, 2).map((u) => u.id);
    const out = await runTool(predictFatigue, { user_ids: ids, days: 7 }, h.ctx);
    expect(out.people.map((p) => p.personId).sort()).toEqual([...ids].sort());
    expect(out.schedules).toEqual([]);
  });
});
