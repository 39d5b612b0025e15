import { describe, expect, it } from 'vitest';
import type { EscalationPolicy, Incident, OnCall } from '../../../src/pagerduty/index.js';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { escalateIncident } from '../../../src/tools/incidents/escalate-incident.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

const policy = (levels: number): EscalationPolicy => ({
  ...fixtures.escalationPolicy(),
  name: 'Web On-Call',
  escalation_rules: Array.from({ length: levels }, (_, i) => ({
    escalation_delay_in_minutes: 30,
    targets: [{ id: `PSCHED${i + 1}`, type: 'schedule_reference' }],
  })),
});

const oncalls: OnCall[] = [
  { escalation_policy: { id: 'PT20YPA' }, user: { id: 'PXPGF42', summary: 'Earline Greenholt' }, escalation_level: 1 },
  { escalation_policy: { id: 'PT20YPA' }, user: { id: 'PBOSS01', summary: 'Boss Person' }, escalation_level: 2 },
];

function escalated(level: number): Incident {
  return {
    ...fixtures.incident(),
    assignments: [{ at: null, assignee: { id: 'PBOSS01', summary: 'Boss Person' } }],
    escalation_level: level,
  };
}

describe('escalate_incident', () => {
  it('moves the incident one level up, then notes who did it, from where and why', async () => {
    const pagerduty = fakePagerDuty({
      getIncident: async () => fixtures.incident(),
      getEscalationPolicy: async () => policy(3),
      listOnCalls: async () => ({ items: oncalls, truncated: false }),
      updateIncident: async () => escalated(2),
      createIncidentNote: async (_id, content) => ({ ...fixtures.note(), content }),
    });
    const result = await runTool(
      escalateIncident,
      { incident_id: 'PT4KHLK', reason: 'No progress after 30 minutes' },
      makeContext(pagerduty),
    );
    const methods = pagerduty.calls.map((c) => c.method);
    expect(methods.slice(-2)).toEqual(['updateIncident', 'createIncidentNote']);
    expect(pagerduty.calls.find((c) => c.method === 'updateIncident')?.args).toEqual([
      'PT4KHLK',
      { escalationLevel: 2 },
      { from: ACTOR.email },
    ]);
    expect(result).toMatchObject({
      previous_level: 1,
      escalation_level: 2,
      levels_in_policy: 3,
      escalation_policy: { id: 'PT20YPA', name: 'Web On-Call' },
      incident: { escalation_level: 2, assignees: [{ id: 'PBOSS01', name: 'Boss Person' }] },
      warnings: [],
    });
    expect(result.note?.content).toBe(
      'Escalated from level 1 to level 2 of 3 by Jane Doe (jane.doe@example.com) via slack. Now assigned to Boss Person. Reason: No progress after 30 minutes',
    );
  });

  it('escalates to an explicit level', async () => {
    const pagerduty = fakePagerDuty({
      getIncident: async () => fixtures.incident(),
      getEscalationPolicy: async () => policy(3),
      listOnCalls: async () => ({ items: oncalls, truncated: false }),
      updateIncident: async () => escalated(3),
      createIncidentNote: async (_id, content) => ({ ...fixtures.note(), content }),
    });
    const result = await runTool(
      escalateIncident,
      { incident_id: 'PT4KHLK', escalation_level: 3 },
      makeContext(pagerduty),
    );
    expect(result.escalation_level).toBe(3);
  });

  it('refuses to go past the last level, changing nothing', async () => {
    const pagerduty = fakePagerDuty({
      getIncident: async () => ({ ...fixtures.incident(), escalation_level: 2 }),
      getEscalationPolicy: async () => policy(2),
    });
    const error = (await runTool(escalateIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty)).catch(
      (e: unknown) => e,
    )) as InvalidInputError;
    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error.message).toBe(
      'Cannot escalate incident PT4KHLK: the incident is already at the last level (2) of "Web On-Call"; use add_responders or reassign_incident to bring in someone else',
    );
    expect(pagerduty.calls.map((c) => c.method)).not.toContain('updateIncident');
  });

  it('refuses a resolved incident or the level it is already at', async () => {
    const resolved = fakePagerDuty({ getIncident: async () => ({ ...fixtures.incident(), status: 'resolved' }) });
    await expect(runTool(escalateIncident, { incident_id: 'PT4KHLK' }, makeContext(resolved))).rejects.toThrow(
      /is resolved/,
    );
    const same = fakePagerDuty({
      getIncident: async () => ({ ...fixtures.incident(), escalation_level: 2 }),
      getEscalationPolicy: async () => policy(3),
    });
    await expect(
      runTool(escalateIncident, { incident_id: 'PT4KHLK', escalation_level: 2 }, makeContext(same)),
    ).rejects.toThrow(/already at level 2/);
    expect([...resolved.calls, ...same.calls].map((c) => c.method)).not.toContain('updateIncident');
  });

  it('reports the escalation even when the note cannot be added', async () => {
    const pagerduty = fakePagerDuty({
      getIncident: async () => ({ ...fixtures.incident(), escalation_level: 1 }),
      getEscalationPolicy: async () => policy(2),
      updateIncident: async () => escalated(2),
      createIncidentNote: async () => {
        throw new Error('notes are down');
      },
    });
    const result = await runTool(escalateIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.escalation_level).toBe(2);
    expect(result.note).toBeNull();
    expect(result.warnings).toEqual(['The incident was escalated, but the note could not be added: notes are down']);
  });
});
