import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { createIncident } from '../../../src/tools/incidents/create-incident.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('create_incident', () => {
  it('creates a high-urgency incident by default, as the acting person, resolving the priority name', async () => {
    const pagerduty = fakePagerDuty({
      listPriorities: async () => ({ items: fixtures.priorities(), truncated: false }),
      createIncident: async () => fixtures.incident(),
    });
    const result = await runTool(
      createIncident,
      { title: 'Checkout API returns 502s', service_id: 'PIJ90N7', body: 'Since 03:00 UTC', priority: 'p1' },
      makeContext(pagerduty),
    );
    const create = pagerduty.calls.find((c) => c.method === 'createIncident');
    expect(create?.args).toEqual([
      {
        title: 'Checkout API returns 502s',
        serviceId: 'PIJ90N7',
        urgency: 'high',
        details: 'Since 03:00 UTC',
        priorityId: 'PSLWBL8',
      },
      { from: ACTOR.email },
    ]);
    expect(result.id).toBe('PT4KHLK');
  });

  it('refuses an unknown priority, listing the valid ones, and creates nothing', async () => {
    const pagerduty = fakePagerDuty({
      listPriorities: async () => ({ items: fixtures.priorities(), truncated: false }),
    });
    const error = await runTool(
      createIncident,
      { title: 'x', service_id: 'PIJ90N7', priority: 'SEV1' },
      makeContext(pagerduty),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toBe(
      'Invalid priority: unknown priority "SEV1"; this account has P1, P2, P3, P4, P5',
    );
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['listPriorities']);
  });

  it('refuses an empty title before anything is sent', async () => {
    const pagerduty = fakePagerDuty();
    await expect(
      runTool(createIncident, { title: '   ', service_id: 'PIJ90N7' }, makeContext(pagerduty)),
    ).rejects.toThrow(/title: must not be empty/);
    expect(pagerduty.calls).toEqual([]);
  });
});
