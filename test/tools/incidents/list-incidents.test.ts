import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listIncidents } from '../../../src/tools/incidents/list-incidents.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_incidents', () => {
  it('lists open incidents by default, newest first, with one on-call lookup for all of them', async () => {
    const a = fixtures.incident();
    const b = { ...fixtures.incident(), id: 'PSECOND', escalation_policy: { id: 'PEP2', summary: 'Second' } };
    const pagerduty = fakePagerDuty({
      listIncidents: async () => ({ items: [a, b], truncated: true }),
      listOnCalls: async () => ({
        items: [
          { escalation_policy: { id: 'PT20YPA' }, user: { id: 'PXPGF42' }, escalation_level: 1 },
          { escalation_policy: { id: 'PEP2' }, user: { id: 'PXPGF42' }, escalation_level: 2 },
        ],
        truncated: false,
      }),
    });
    const result = await runTool(listIncidents, {}, makeContext(pagerduty));
    expect(pagerduty.calls[0]?.args[0]).toEqual({
      statuses: ['triggered', 'acknowledged'],
      sortBy: ['created_at:desc'],
      maxItems: 25,
    });
    expect(pagerduty.calls[1]?.args[0]).toMatchObject({ escalationPolicyIds: ['PT20YPA', 'PEP2'] });
    expect(result.items.map((i) => [i.id, i.escalation_level])).toEqual([
      ['PT4KHLK', 1],
      ['PSECOND', 2],
    ]);
    expect(result.truncated).toBe(true);
    expect(result.summary).toBe('2 incidents shown; more exist (narrow the filters or raise limit)');
  });

  it('passes every filter through in PagerDuty terms', async () => {
    const pagerduty = fakePagerDuty({ listIncidents: async () => ({ items: [], truncated: false }) });
    const result = await runTool(
      listIncidents,
      {
        statuses: ['resolved'],
        service_ids: ['PIJ90N7'],
        team_ids: ['PTEAM01'],
        urgencies: ['low'],
        since: '2026-01-01T00:00:00Z',
        until: '2026-01-05T00:00:00Z',
        sort_by: 'incident_number:asc',
        limit: 200,
      },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args[0]).toEqual({
      statuses: ['resolved'],
      serviceIds: ['PIJ90N7'],
      teamIds: ['PTEAM01'],
      urgencies: ['low'],
      since: '2026-01-01T00:00:00Z',
      until: '2026-01-05T00:00:00Z',
      sortBy: ['incident_number:asc'],
      maxItems: 200,
    });
    expect(result).toEqual({ items: [], truncated: false, summary: '0 incidents' });
  });
});
