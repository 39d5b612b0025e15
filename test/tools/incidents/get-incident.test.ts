import { describe, expect, it } from 'vitest';
import type { OnCall } from '../../../src/pagerduty/index.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { getIncident } from '../../../src/tools/incidents/get-incident.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

const oncall = (level: number, userId: string, policyId = 'PT20YPA'): OnCall => ({
  escalation_policy: { id: policyId, summary: 'Another Escalation Policy' },
  user: { id: userId, summary: userId },
  escalation_level: level,
  start: '2026-01-05T00:00:00Z',
  end: '2026-01-06T00:00:00Z',
});

describe('get_incident', () => {
  it('returns the compact incident with priority name, assignees, counts and the derived escalation level', async () => {
    const pagerduty = fakePagerDuty({
      getIncident: async () => fixtures.incident(),
      listOnCalls: async () => ({
        items: [oncall(1, 'PAAAAAA'), oncall(2, 'PXPGF42'), oncall(3, 'PBBBBBB')],
        truncated: false,
      }),
    });
    const result = await runTool(getIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result).toMatchObject({
      id: 'PT4KHLK',
      number: 1234,
      title: 'The server is on fire.',
      status: 'acknowledged',
      urgency: 'high',
      priority: 'P2',
      service: { id: 'PIJ90N7', name: 'My Mail Service' },
      escalation_policy: { id: 'PT20YPA', name: 'Another Escalation Policy' },
      escalation_level: 2,
      assignees: [{ id: 'PXPGF42', name: 'Earline Greenholt' }],
      html_url: 'https://subdomain.pagerduty.com/incidents/PT4KHLK',
    });
    expect(result.acknowledgements.length).toBeGreaterThan(0);
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['getIncident', 'listOnCalls']);
    expect(pagerduty.calls[1]?.args[0]).toMatchObject({ escalationPolicyIds: ['PT20YPA'] });
  });

  it('uses an escalation_level the incident carries, without asking for on-calls', async () => {
    const pagerduty = fakePagerDuty({ getIncident: async () => ({ ...fixtures.incident(), escalation_level: 3 }) });
    const result = await runTool(getIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.escalation_level).toBe(3);
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['getIncident']);
  });

  it('reports no level for a resolved incident', async () => {
    const pagerduty = fakePagerDuty({ getIncident: async () => ({ ...fixtures.incident(), status: 'resolved' }) });
    const result = await runTool(getIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.escalation_level).toBeNull();
  });

  it('picks the level whose on-call set matches the assignees best, the lowest on a tie', async () => {
    const incident = {
      ...fixtures.incident(),
      assignments: [
        { at: null, assignee: { id: 'PU1' } },
        { at: null, assignee: { id: 'PU2' } },
      ],
    };
    const pagerduty = fakePagerDuty({
      getIncident: async () => incident,
      listOnCalls: async () => ({
        items: [
          oncall(1, 'PU1'),
          oncall(1, 'PU9'),
          oncall(2, 'PU1'),
          oncall(2, 'PU2'),
          oncall(3, 'PU1'),
          oncall(3, 'PU2'),
        ],
        truncated: false,
      }),
    });
    const result = await runTool(getIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.escalation_level).toBe(2);
  });
});
