import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { reassignIncident } from '../../../src/tools/incidents/reassign-incident.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('reassign_incident', () => {
  it('reassigns to users', async () => {
    const pagerduty = fakePagerDuty({
      updateIncident: async () => ({ ...fixtures.incident(), escalation_level: 1 }),
    });
    const result = await runTool(
      reassignIncident,
      { incident_id: 'PT4KHLK', user_ids: ['PU1', 'PU2', 'PU1'] },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual(['PT4KHLK', { assigneeIds: ['PU1', 'PU2'] }, { from: ACTOR.email }]);
    expect(result.escalation_level).toBe(1);
  });

  it('hands over to another escalation policy', async () => {
    const pagerduty = fakePagerDuty({ updateIncident: async () => ({ ...fixtures.incident(), escalation_level: 1 }) });
    await runTool(reassignIncident, { incident_id: 'PT4KHLK', escalation_policy_id: 'PEP2' }, makeContext(pagerduty));
    expect(pagerduty.calls[0]?.args[1]).toEqual({ escalationPolicyId: 'PEP2' });
  });

  it('needs exactly one kind of target', async () => {
    const pagerduty = fakePagerDuty();
    for (const input of [
      { incident_id: 'PT4KHLK' },
      { incident_id: 'PT4KHLK', user_ids: ['PU1'], escalation_policy_id: 'PEP2' },
    ]) {
      await expect(runTool(reassignIncident, input, makeContext(pagerduty))).rejects.toThrow(/exactly one of user_ids/);
    }
    expect(pagerduty.calls).toEqual([]);
  });
});
