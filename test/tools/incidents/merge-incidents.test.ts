import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { mergeIncidents } from '../../../src/tools/incidents/merge-incidents.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('merge_incidents', () => {
  it('merges unique sources into the target and returns the target as it is now', async () => {
    const pagerduty = fakePagerDuty({
      mergeIncidents: async (target) => ({ id: target, type: 'incident_reference' }),
      getIncident: async () => fixtures.incident(),
    });
    const result = await runTool(
      mergeIncidents,
      { target_incident_id: 'PT4KHLK', source_incident_ids: ['PDUP001', 'PDUP002', 'PDUP001'] },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual(['PT4KHLK', ['PDUP001', 'PDUP002'], { from: ACTOR.email }]);
    expect(pagerduty.calls[1]?.args[0]).toBe('PT4KHLK');
    expect(result.merged_incident_ids).toEqual(['PDUP001', 'PDUP002']);
    expect(result.id).toBe('PT4KHLK');
  });

  it('refuses to merge an incident into itself', async () => {
    const pagerduty = fakePagerDuty();
    await expect(
      runTool(
        mergeIncidents,
        { target_incident_id: 'PT4KHLK', source_incident_ids: ['PT4KHLK'] },
        makeContext(pagerduty),
      ),
    ).rejects.toThrow(/cannot also be a source/);
    expect(pagerduty.calls).toEqual([]);
  });
});
