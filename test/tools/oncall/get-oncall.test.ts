import { describe, expect, it } from 'vitest';
import type { OnCall } from '../../../src/pagerduty/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { getOncall } from '../../../src/tools/oncall/get-oncall.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

const NOW = '2026-01-05T03:00:00.000Z';

const oncall = (level: number, userId: string, name: string): OnCall => ({
  escalation_policy: { id: 'PT20YPA', summary: 'Web On-Call' },
  user: { id: userId, summary: name },
  schedule: level === 1 ? { id: 'PI7DH85', summary: 'Daily Engineering Rotation' } : null,
  escalation_level: level,
  start: level === 1 ? '2026-01-05T00:00:00Z' : null,
  end: level === 1 ? '2026-01-06T00:00:00Z' : null,
});

describe('get_oncall', () => {
  it('gives the schedule, who it puts on call now, and the on-call at each level', async () => {
    const schedule = {
      ...fixtures.schedule(),
      final_schedule: {
        name: 'Final Schedule',
        rendered_schedule_entries: [
          {
            start: '2026-01-05T02:00:00Z',
            end: '2026-01-05T10:00:00Z',
            user: { id: 'PXPGF42', summary: 'Regina Phalange' },
          },
        ],
      },
    };
    const pagerduty = fakePagerDuty({
      getSchedule: async () => schedule,
      listOnCalls: async () => ({
        items: [oncall(2, 'PBOSS01', 'Boss'), oncall(1, 'PXPGF42', 'Regina Phalange')],
        truncated: false,
      }),
    });
    const result = await runTool(getOncall, { schedule_id: 'PI7DH85' }, makeContext(pagerduty));
    expect(pagerduty.calls.find((c) => c.method === 'getSchedule')?.args).toEqual([
      'PI7DH85',
      { since: '2025-12-28T03:00:00.000Z', until: '2026-01-13T03:00:00.000Z' },
    ]);
    expect(pagerduty.calls.find((c) => c.method === 'listOnCalls')?.args[0]).toEqual({
      scheduleIds: ['PI7DH85'],
      since: NOW,
      until: NOW,
      maxItems: 500,
    });
    expect(result.at).toBe(NOW);
    expect(result.schedule).toMatchObject({
      id: 'PI7DH85',
      name: 'Daily Engineering Rotation',
      time_zone: 'America/New_York',
      on_call_now: [
        {
          user: { id: 'PXPGF42', name: 'Regina Phalange' },
          start: '2026-01-05T02:00:00Z',
          end: '2026-01-05T10:00:00Z',
        },
      ],
    });
    expect(result.levels.map((l) => [l.level, l.oncalls.map((o) => o.user.name)])).toEqual([
      [1, ['Regina Phalange']],
      [2, ['Boss']],
    ]);
    expect(result.levels[1]?.oncalls[0]).toMatchObject({ start: null, end: null, schedule: null });
    expect(result.summary).toBe('On call now for Daily Engineering Rotation: Regina Phalange');
  });

  it('works from an escalation policy alone', async () => {
    const pagerduty = fakePagerDuty({
      listOnCalls: async () => ({ items: [oncall(1, 'PXPGF42', 'Regina Phalange')], truncated: false }),
    });
    const result = await runTool(getOncall, { escalation_policy_id: 'PT20YPA' }, makeContext(pagerduty));
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['listOnCalls']);
    expect(result.schedule).toBeNull();
    expect(result.escalation_policy).toEqual({ id: 'PT20YPA', name: 'Web On-Call' });
    expect(result.summary).toBe('On call now for Web On-Call: Regina Phalange');
  });

  it('says so when nobody is on call', async () => {
    const pagerduty = fakePagerDuty({ listOnCalls: async () => ({ items: [], truncated: false }) });
    const result = await runTool(getOncall, { escalation_policy_id: 'PEMPTY1' }, makeContext(pagerduty));
    expect(result.levels).toEqual([]);
    expect(result.summary).toBe('Nobody is on call now for PEMPTY1');
  });

  it('needs exactly one of schedule_id or escalation_policy_id', async () => {
    const pagerduty = fakePagerDuty();
    for (const input of [{}, { schedule_id: 'PI7DH85', escalation_policy_id: 'PT20YPA' }]) {
      await expect(runTool(getOncall, input, makeContext(pagerduty))).rejects.toThrow(InvalidInputError);
    }
    expect(pagerduty.calls).toEqual([]);
  });
});
