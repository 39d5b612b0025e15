import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listEscalationPolicies } from '../../../src/tools/oncall/list-escalation-policies.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_escalation_policies', () => {
  it('returns policies with numbered levels and their targets', async () => {
    const pagerduty = fakePagerDuty({
      listEscalationPolicies: async () => ({ items: [fixtures.escalationPolicy()], truncated: false }),
    });
    const result = await runTool(listEscalationPolicies, { query: 'another' }, makeContext(pagerduty));
    expect(pagerduty.calls[0]?.args[0]).toEqual({ query: 'another', sortBy: 'name', maxItems: 50 });
    const [policy] = result.items;
    expect(policy).toMatchObject({ id: 'PT20YPA', name: 'Another Escalation Policy' });
    expect(policy?.levels[0]?.level).toBe(1);
    expect(policy?.levels[0]?.targets.length).toBeGreaterThan(0);
    expect(policy?.levels[0]?.targets[0]?.type).not.toMatch(/_reference$/);
    expect(result.summary).toBe('1 escalation policy');
  });
});
