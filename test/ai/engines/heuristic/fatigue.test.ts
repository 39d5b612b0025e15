import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import type { PageEventInput } from '../../../../src/ai/schemas/inputs.js';

const engine = createHeuristicEngine();
const NOW = '2026-03-31T12:00:00Z';
const day = (d: number, hourUtc: number, minute = 0): string =>
  new Date(Date.UTC(2026, 2, d, hourUtc, minute)).toISOString();

describe('heuristic fatigue', () => {
  it('counts sleep-hour pages in the person’s own time zone', async () => {
    // 03:00 UTC is 04:00 in Berlin (asleep) and 14:00 in Sydney (awake, a Tuesday).
    const pages: PageEventInput[] = [3, 10, 17].map((d) => ({ personId: 'B', incidentId: `I${d}`, at: day(d, 3) }));
    pages.push(...[3, 10, 17].map((d) => ({ personId: 'S', incidentId: `J${d}`, at: day(d, 3) })));
    const { result } = await engine.fatigue({
      now: NOW,
      people: [
        { id: 'B', name: 'Berlin', timeZone: 'Europe/Berlin' },
        { id: 'S', name: 'Sydney', timeZone: 'Australia/Sydney' },
      ],
      pages,
    });
    const berlin = result.people.find((p) => p.personId === 'B');
    const sydney = result.people.find((p) => p.personId === 'S');
    expect(berlin?.factors.sleepHourPages).toBe(3);
    expect(sydney?.factors.sleepHourPages).toBe(0);
    expect(berlin?.score).toBeGreaterThan(sydney?.score ?? 100);
    expect(berlin?.recommendations.join(' ')).toContain('woken 3 times');
  });

  it('rates a heavily paged, never-relieved person critical and explains why', async () => {
    const pages: PageEventInput[] = [];
    for (let d = 2; d <= 30; d++) {
      pages.push({
        personId: 'P',
        incidentId: `N${d}`,
        at: day(d, 2),
        acknowledgedAt: day(d, 2, d < 16 ? 3 : 15),
        escalated: d % 3 === 0,
      });
      pages.push({ personId: 'P', incidentId: `E${d}`, at: day(d, 20) });
    }
    const { result } = await engine.fatigue({
      now: NOW,
      people: [
        { id: 'P', name: 'Pat', timeZone: 'UTC' },
        { id: 'Q', name: 'Quinn' },
      ],
      schedules: [{ id: 'SCH', name: 'Primary', personIds: ['P', 'Q'] }],
      pages,
      shifts: [{ personId: 'P', start: day(1, 0), end: day(31, 0) }],
    });
    const pat = result.people[0];
    expect(pat?.personId).toBe('P');
    expect(pat?.riskLevel).toBe('critical');
    expect(pat?.factors).toMatchObject({
      pages: 58,
      sleepHourPages: 29,
      consecutiveOnCallDays: 30,
      ackTrend: 'worsening',
    });
    expect(pat?.factors.escalationRate).toBeCloseTo(10 / 58, 3);
    expect(pat?.recommendations.join(' ')).toContain('30 days in a row');
    expect(result.people[1]).toMatchObject({ personId: 'Q', riskLevel: 'low', score: 0 });
    expect(result.schedules[0]).toMatchObject({ scheduleId: 'SCH', peopleAtRisk: ['Pat'] });
    expect(result.schedules[0]?.riskLevel).not.toBe('low');
  });

  it('ignores pages outside the window', async () => {
    const { result } = await engine.fatigue({
      now: NOW,
      windowDays: 7,
      people: [{ id: 'P', name: 'Pat' }],
      pages: [
        { personId: 'P', incidentId: 'old', at: day(1, 12) },
        { personId: 'P', incidentId: 'new', at: day(30, 12) },
      ],
    });
    expect(result.people[0]?.factors.pages).toBe(1);
  });
});
