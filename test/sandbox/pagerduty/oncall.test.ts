import { describe, expect, it } from 'vitest';
import type {
  EscalationPolicyRecord,
  ScheduleLayerRecord,
  ScheduleRecord,
} from '../../../src/sandbox/pagerduty/model.js';
import {
  coveragePercentage,
  finalSchedule,
  layerShifts,
  onCallForLevel,
  onCallsForLevelInRange,
  shiftAt,
} from '../../../src/sandbox/pagerduty/oncall.js';

const utc = (s: string): number => Date.parse(s);
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

function layer(
  partial: Partial<ScheduleLayerRecord> &
    Pick<ScheduleLayerRecord, 'userIds' | 'rotationVirtualStart' | 'turnLengthSeconds'>,
): ScheduleLayerRecord {
  return { id: 'L', name: 'layer', start: partial.rotationVirtualStart, end: null, restrictions: [], ...partial };
}

function schedule(timeZone: string, layers: ScheduleLayerRecord[]): ScheduleRecord {
  return { id: 'S1', name: 'schedule', description: '', timeZone, layers, teamIds: [] };
}

// Weekly, Mondays 10:00 New York time; 2024-01-01 is a Monday.
const weeklyNy = schedule('America/New_York', [
  layer({
    userIds: ['A', 'B', 'C', 'D'],
    rotationVirtualStart: utc('2024-01-01T15:00:00Z'),
    turnLengthSeconds: 7 * 86_400,
  }),
]);

// Follow the sun in London: EMEA 08:00–20:00 (weekly), nights 20:00–08:00 (daily).
const followTheSun = schedule('Europe/London', [
  layer({
    id: 'EMEA',
    userIds: ['H', 'O'],
    rotationVirtualStart: utc('2024-01-01T08:00:00Z'),
    turnLengthSeconds: 7 * 86_400,
    restrictions: [{ type: 'daily_restriction', startTimeOfDay: '08:00:00', durationSeconds: 12 * 3600 }],
  }),
  layer({
    id: 'NIGHTS',
    userIds: ['S', 'G', 'K'],
    rotationVirtualStart: utc('2024-01-01T20:00:00Z'),
    turnLengthSeconds: 86_400,
    restrictions: [{ type: 'daily_restriction', startTimeOfDay: '20:00:00', durationSeconds: 12 * 3600 }],
  }),
]);

describe('schedule layers', () => {
  it('rotates through users in order at the handoff time', () => {
    expect(shiftAt(weeklyNy, utc('2024-01-01T15:00:00Z'))?.userId).toBe('A');
    expect(shiftAt(weeklyNy, utc('2024-01-08T14:59:59Z'))?.userId).toBe('A');
    expect(shiftAt(weeklyNy, utc('2024-01-08T15:00:00Z'))?.userId).toBe('B');
    expect(shiftAt(weeklyNy, utc('2024-01-29T15:00:00Z'))?.userId).toBe('A');
    // Before the layer starts nobody is on call.
    expect(shiftAt(weeklyNy, utc('2023-12-31T12:00:00Z'))).toBeUndefined();
  });

  it('keeps the handoff at 10:00 local time across the March DST change', () => {
    // 2024-03-10: New York moves from EST (-5) to EDT (-4). 2024-03-04 is turn 9 (B), 2024-03-11 turn 10 (C).
    expect(shiftAt(weeklyNy, utc('2024-03-04T14:59:00Z'))?.userId).toBe('A');
    const b = shiftAt(weeklyNy, utc('2024-03-04T15:00:00Z'));
    expect(b?.userId).toBe('B');
    expect(iso(b?.start ?? 0)).toBe('2024-03-04T15:00:00Z');
    // That turn is an hour short in absolute time: it ends at 10:00 EDT = 14:00Z.
    expect(iso(b?.end ?? 0)).toBe('2024-03-11T14:00:00Z');
    expect(shiftAt(weeklyNy, utc('2024-03-11T13:59:59Z'))?.userId).toBe('B');
    expect(shiftAt(weeklyNy, utc('2024-03-11T14:00:00Z'))?.userId).toBe('C');
  });

  it('masks a layer outside its daily restriction window, in the schedule time zone', () => {
    const emea = followTheSun.layers[0] as ScheduleLayerRecord;
    const shifts = layerShifts(emea, 'Europe/London', utc('2024-07-01T00:00:00Z'), utc('2024-07-02T00:00:00Z'));
    // 08:00–20:00 BST is 07:00–19:00Z in July.
    // 1 July 2024 is 26 weeks after the virtual start: turn 26, user H.
    expect(shifts.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      ['H', '2024-07-01T07:00:00Z', '2024-07-01T19:00:00Z'],
    ]);
    const winter = layerShifts(emea, 'Europe/London', utc('2024-01-15T00:00:00Z'), utc('2024-01-16T00:00:00Z'));
    expect(winter.map((s) => [s.userId, iso(s.start), iso(s.end)])).toEqual([
      ['H', '2024-01-15T08:00:00Z', '2024-01-15T20:00:00Z'],
    ]);
  });

  it('stacks layers into a final schedule with no gaps when the windows tile the day', () => {
    const from = utc('2024-07-01T00:00:00Z');
    const to = utc('2024-07-03T00:00:00Z');
    const final = finalSchedule(followTheSun, from, to);
    expect(final.map((s) => `${s.userId} ${iso(s.start)} ${iso(s.end)}`)).toEqual([
      // The night turn that started 30 June 20:00 BST is turn 181 (G); days are H all week; nights rotate daily.
      'G 2024-07-01T00:00:00Z 2024-07-01T07:00:00Z',
      'H 2024-07-01T07:00:00Z 2024-07-01T19:00:00Z',
      'K 2024-07-01T19:00:00Z 2024-07-02T07:00:00Z',
      'H 2024-07-02T07:00:00Z 2024-07-02T19:00:00Z',
      'S 2024-07-02T19:00:00Z 2024-07-03T00:00:00Z',
    ]);
    expect(coveragePercentage(final, from, to)).toBe(100);
  });

  it('lets a higher layer cover a lower one only inside its weekly restriction', () => {
    const oslo = schedule('Europe/Oslo', [
      layer({ userIds: ['T', 'A', 'L'], rotationVirtualStart: utc('2024-01-01T08:00:00Z'), turnLengthSeconds: 86_400 }),
      layer({
        userIds: ['W'],
        rotationVirtualStart: utc('2024-01-05T23:00:00Z'),
        turnLengthSeconds: 7 * 86_400,
        restrictions: [
          { type: 'weekly_restriction', startDayOfWeek: 6, startTimeOfDay: '00:00:00', durationSeconds: 48 * 3600 },
        ],
      }),
    ]);
    // Friday 2024-01-12 12:00 Oslo → the daily layer; Saturday and Sunday → the weekend layer; Monday → daily again.
    expect(shiftAt(oslo, utc('2024-01-12T11:00:00Z'))?.userId).toBe('L');
    const weekend = shiftAt(oslo, utc('2024-01-13T11:00:00Z'));
    expect(weekend?.userId).toBe('W');
    expect([iso(weekend?.start ?? 0), iso(weekend?.end ?? 0)]).toEqual([
      '2024-01-12T23:00:00Z',
      '2024-01-14T23:00:00Z',
    ]);
    // Monday 10:00 Oslo is 14 days after the daily layer's start: turn 14, user L.
    expect(shiftAt(oslo, utc('2024-01-15T09:00:00Z'))?.userId).toBe('L');
  });

  it('leaves gaps when restrictions do not cover the day', () => {
    const daytime = schedule('UTC', [
      layer({
        userIds: ['X'],
        rotationVirtualStart: utc('2024-01-01T00:00:00Z'),
        turnLengthSeconds: 86_400,
        restrictions: [{ type: 'daily_restriction', startTimeOfDay: '09:00:00', durationSeconds: 8 * 3600 }],
      }),
    ]);
    const from = utc('2024-02-01T00:00:00Z');
    const final = finalSchedule(daytime, from, from + 86_400_000);
    expect(final).toHaveLength(1);
    expect(coveragePercentage(final, from, from + 86_400_000)).toBe(33.33);
    expect(shiftAt(daytime, utc('2024-02-01T20:00:00Z'))).toBeUndefined();
  });
});

describe('escalation levels', () => {
  const policy: EscalationPolicyRecord = {
    id: 'EP',
    name: 'EP',
    description: '',
    numLoops: 0,
    teamIds: [],
    rules: [
      { id: 'R1', delayMinutes: 15, targets: [{ type: 'schedule', id: 'S1' }] },
      {
        id: 'R2',
        delayMinutes: 15,
        targets: [
          { type: 'user', id: 'LEAD' },
          { type: 'schedule', id: 'S1' },
        ],
      },
    ],
  };
  const schedules = new Map([['S1', weeklyNy]]);

  it('resolves schedule targets to the shift on call and user targets to a permanent on-call', () => {
    const at = utc('2024-01-10T12:00:00Z');
    expect(onCallForLevel(policy, 1, at, schedules)).toEqual([
      { level: 1, userId: 'B', scheduleId: 'S1', start: utc('2024-01-08T15:00:00Z'), end: utc('2024-01-15T15:00:00Z') },
    ]);
    expect(onCallForLevel(policy, 2, at, schedules).map((o) => [o.userId, o.scheduleId, o.start])).toEqual([
      ['LEAD', null, null],
      ['B', 'S1', utc('2024-01-08T15:00:00Z')],
    ]);
    expect(onCallForLevel(policy, 3, at, schedules)).toEqual([]);
  });

  it('lists every shift in a range', () => {
    const shifts = onCallsForLevelInRange(
      policy,
      1,
      utc('2024-01-10T00:00:00Z'),
      utc('2024-01-24T00:00:00Z'),
      schedules,
    );
    expect(shifts.map((s) => s.userId)).toEqual(['B', 'C', 'D']);
  });
});
