import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listIncidentAlerts } from '../../../src/tools/incidents/list-incident-alerts.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_incident_alerts', () => {
  it('returns compact alerts, oldest first, with details flattened to text', async () => {
    const alert = fixtures.alerts()[0];
    if (!alert) throw new Error('the spec example has no alert');
    const huge = { ...alert, id: 'PHUGE01', body: { type: 'alert_body', details: { log: 'x'.repeat(10_000) } } };
    const pagerduty = fakePagerDuty({
      listIncidentAlerts: async () => ({ items: [alert, huge], truncated: false }),
    });
    const result = await runTool(
      listIncidentAlerts,
      { incident_id: 'PT4KHLK', statuses: ['triggered'] },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual([
      'PT4KHLK',
      { statuses: ['triggered'], sortBy: 'created_at:asc', maxItems: 50 },
    ]);
    expect(result.items[0]).toMatchObject({
      id: alert?.id,
      status: alert?.status,
      service: { id: alert?.service?.id },
    });
    expect(result.items[1]?.details?.length).toBeLessThanOrEqual(4000);
    expect(result.items[1]?.details).toMatch(/\[truncated\]$/);
    expect(result.summary).toBe('2 alerts');
  });
});
