import { describe, expect, it } from 'vitest';
import type { LogEntry, Note } from '../../../src/pagerduty/index.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { getIncidentTimeline } from '../../../src/tools/incidents/get-incident-timeline.js';
import { fakePagerDuty, makeContext } from '../fakes.js';

const entry = (id: string, type: string, at: string, summary: string): LogEntry => ({
  id,
  type,
  created_at: at,
  summary,
  agent: { id: 'PUSER01', summary: 'Jane Doe', type: 'user_reference' },
});
const note = (id: string, at: string, content: string): Note => ({
  id,
  created_at: at,
  content,
  user: { id: 'PUSER02', summary: 'Sam Roe' },
});

describe('get_incident_timeline', () => {
  it('merges log entries and notes in time order, dropping the annotate entries that duplicate notes', async () => {
    const pagerduty = fakePagerDuty({
      listIncidentLogEntries: async () => ({
        // PagerDuty lists log entries newest first.
        items: [
          entry('R4', 'resolve_log_entry', '2026-01-05T04:00:00Z', 'Resolved by Jane Doe'),
          entry('R3', 'annotate_log_entry', '2026-01-05T03:20:00Z', 'Note added'),
          entry('R2', 'escalate_log_entry', '2026-01-05T03:15:00Z', 'Escalated to level 2'),
          entry('R1', 'trigger_log_entry', '2026-01-05T03:00:00Z', 'Triggered through the API'),
        ],
        truncated: false,
      }),
      listIncidentNotes: async () => ({
        items: [note('N1', '2026-01-05T04:20:00+01:00', 'Rolled back deploy 42')],
        truncated: false,
      }),
    });
    const result = await runTool(getIncidentTimeline, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.items.map((i) => [i.type, i.source, i.summary])).toEqual([
      ['trigger', 'log_entry', 'Triggered through the API'],
      ['escalate', 'log_entry', 'Escalated to level 2'],
      ['note', 'note', 'Rolled back deploy 42'],
      ['resolve', 'log_entry', 'Resolved by Jane Doe'],
    ]);
    expect(result.items[2]?.actor).toEqual({ id: 'PUSER02', name: 'Sam Roe' });
    expect(result.summary).toBe('4 timeline entries');
    expect(pagerduty.calls[0]?.args).toEqual(['PT4KHLK', { isOverview: false, maxItems: 500 }]);
  });

  it('cuts to the limit and says so', async () => {
    const pagerduty = fakePagerDuty({
      listIncidentLogEntries: async () => ({
        items: [
          entry('R2', 'acknowledge_log_entry', '2026-01-05T03:05:00Z', 'Acknowledged'),
          entry('R1', 'trigger_log_entry', '2026-01-05T03:00:00Z', 'Triggered'),
        ],
        truncated: false,
      }),
      listIncidentNotes: async () => ({ items: [note('N1', '2026-01-05T03:10:00Z', 'Looking')], truncated: false }),
    });
    const result = await runTool(getIncidentTimeline, { incident_id: 'PT4KHLK', limit: 2 }, makeContext(pagerduty));
    expect(result.items.map((i) => i.id)).toEqual(['R1', 'R2']);
    expect(result.truncated).toBe(true);
  });
});

describe('get_incident_timeline ordering', () => {
  it('keeps entries of the same second in the order they happened (PagerDuty lists newest first)', async () => {
    const at = '2026-01-05T03:00:00Z';
    const pagerduty = fakePagerDuty({
      listIncidentLogEntries: async () => ({
        items: [
          entry('R3', 'notify_log_entry', at, 'Notified'),
          entry('R2', 'assign_log_entry', at, 'Assigned'),
          entry('R1', 'trigger_log_entry', at, 'Triggered'),
        ],
        truncated: false,
      }),
      listIncidentNotes: async () => ({ items: [], truncated: false }),
    });
    const result = await runTool(getIncidentTimeline, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.items.map((i) => i.type)).toEqual(['trigger', 'assign', 'notify']);
  });

  it('leaves a list that is already oldest first as it is', async () => {
    const pagerduty = fakePagerDuty({
      listIncidentLogEntries: async () => ({
        items: [
          entry('R1', 'trigger_log_entry', '2026-01-05T03:00:00Z', 'Triggered'),
          entry('R2', 'assign_log_entry', '2026-01-05T03:00:00Z', 'Assigned'),
          entry('R3', 'acknowledge_log_entry', '2026-01-05T03:02:00Z', 'Acknowledged'),
        ],
        truncated: false,
      }),
      listIncidentNotes: async () => ({ items: [], truncated: false }),
    });
    const result = await runTool(getIncidentTimeline, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.items.map((i) => i.id)).toEqual(['R1', 'R2', 'R3']);
  });
});
