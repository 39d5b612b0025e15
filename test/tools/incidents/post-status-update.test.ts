import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { postStatusUpdate } from '../../../src/tools/incidents/post-status-update.js';
import { ACTOR, fakePagerDuty, makeContext } from '../fakes.js';

describe('post_status_update', () => {
  it('publishes the update as the acting person', async () => {
    const pagerduty = fakePagerDuty({
      createStatusUpdate: async (_id, input) => ({
        id: 'PSU0001',
        message: input.message,
        subject: input.subject ?? null,
        created_at: '2026-01-05T03:00:00Z',
        sender: { id: 'PJANE01', summary: 'Jane Doe' },
      }),
    });
    const result = await runTool(
      postStatusUpdate,
      { incident_id: 'PT4KHLK', message: 'Mitigated; next update 04:00 UTC', subject: 'Checkout degraded' },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual([
      'PT4KHLK',
      { message: 'Mitigated; next update 04:00 UTC', subject: 'Checkout degraded' },
      { from: ACTOR.email },
    ]);
    expect(result).toEqual({
      id: 'PSU0001',
      incident_id: 'PT4KHLK',
      message: 'Mitigated; next update 04:00 UTC',
      subject: 'Checkout degraded',
      sender: { id: 'PJANE01', name: 'Jane Doe' },
      created_at: '2026-01-05T03:00:00Z',
    });
  });
});
