import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { snoozeIncident } from '../../../src/tools/incidents/snooze-incident.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('snooze_incident', () => {
  it('snoozes for the given minutes (PagerDuty takes seconds)', async () => {
    const pagerduty = fakePagerDuty({ snoozeIncident: async () => fixtures.incident() });
    await runTool(snoozeIncident, { incident_id: 'PT4KHLK', duration_minutes: 90 }, makeContext(pagerduty));
    expect(pagerduty.calls[0]?.args).toEqual(['PT4KHLK', 5400, { from: ACTOR.email }]);
  });

  it('refuses more than 7 days', async () => {
    const pagerduty = fakePagerDuty();
    await expect(
      runTool(snoozeIncident, { incident_id: 'PT4KHLK', duration_minutes: 10_081 }, makeContext(pagerduty)),
    ).rejects.toThrow(/duration_minutes/);
    expect(pagerduty.calls).toEqual([]);
  });
});
