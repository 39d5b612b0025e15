import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listOncalls } from '../../../src/tools/oncall/list-oncalls.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_oncalls', () => {
  it('maps filters to PagerDuty parameters and returns compact on-calls', async () => {
    const pagerduty = fakePagerDuty({ listOnCalls: async () => ({ items: fixtures.oncalls(), truncated: false }) });
    const result = await runTool(
      listOncalls,
      {
        schedule_ids: ['PI7DH85'],
        user_ids: ['PT23IWX'],
        earliest: true,
        since: '2026-01-05T00:00:00Z',
        until: '2026-01-12T00:00:00Z',
        time_zone: 'Europe/Paris',
      },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args[0]).toEqual({
      scheduleIds: ['PI7DH85'],
      userIds: ['PT23IWX'],
      earliest: true,
      since: '2026-01-05T00:00:00Z',
      until: '2026-01-12T00:00:00Z',
      timeZone: 'Europe/Paris',
      maxItems: 100,
    });
    expect(result.items[0]).toMatchObject({
      user: { id: 'PT23IWX' },
      escalation_level: 2,
      escalation_policy: { id: 'PT20YPA' },
      schedule: { id: 'PI7DH85' },
    });
    expect(result.summary).toBe('1 on-call');
  });
});
