import { describe, expect, it } from 'vitest';
import type { InvalidInputError } from '../../../src/shared/errors.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { updateIncident } from '../../../src/tools/incidents/update-incident.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('update_incident', () => {
  it('resolves with a resolution note, as the acting person', async () => {
    const pagerduty = fakePagerDuty({ updateIncident: async () => ({ ...fixtures.incident(), status: 'resolved' }) });
    const result = await runTool(
      updateIncident,
      { incident_id: 'PT4KHLK', status: 'resolved', resolution: 'Rolled back deploy 42' },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual([
      'PT4KHLK',
      { status: 'resolved', resolution: 'Rolled back deploy 42' },
      { from: ACTOR.email },
    ]);
    expect(result.status).toBe('resolved');
    expect(result.escalation_level).toBeNull();
  });

  it('changes priority by name and urgency together', async () => {
    const pagerduty = fakePagerDuty({
      listPriorities: async () => ({ items: fixtures.priorities(), truncated: false }),
      updateIncident: async () => ({ ...fixtures.incident(), escalation_level: 1 }),
    });
    await runTool(updateIncident, { incident_id: 'PT4KHLK', priority: 'P3', urgency: 'low' }, makeContext(pagerduty));
    expect(pagerduty.calls.find((c) => c.method === 'updateIncident')?.args[1]).toEqual({
      urgency: 'low',
      priorityId: 'PGE9YCZ',
    });
  });

  it('refuses an update with nothing to change, or a resolution without resolving', async () => {
    const pagerduty = fakePagerDuty();
    const none = await runTool(updateIncident, { incident_id: 'PT4KHLK' }, makeContext(pagerduty)).catch(
      (e: unknown) => e,
    );
    expect((none as InvalidInputError).issues[0]?.message).toMatch(/at least one of status/);
    const wrong = await runTool(
      updateIncident,
      { incident_id: 'PT4KHLK', status: 'acknowledged', resolution: 'x' },
      makeContext(pagerduty),
    ).catch((e: unknown) => e);
    expect((wrong as InvalidInputError).issues).toEqual([
      { path: 'resolution', message: 'a resolution can only be given with status "resolved"' },
    ]);
    expect(pagerduty.calls).toEqual([]);
  });
});
