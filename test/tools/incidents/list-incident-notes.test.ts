import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listIncidentNotes } from '../../../src/tools/incidents/list-incident-notes.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_incident_notes', () => {
  it('returns notes oldest first with their authors', async () => {
    const note = fixtures.note();
    const later = { ...note, id: 'PLATER1', content: 'second', created_at: '2026-01-05T03:10:00Z' };
    const earlier = { ...note, id: 'PEARLY1', content: 'first', created_at: '2026-01-05T03:00:00+01:00' };
    const pagerduty = fakePagerDuty({ listIncidentNotes: async () => ({ items: [later, earlier], truncated: false }) });
    const result = await runTool(listIncidentNotes, { incident_id: 'PT4KHLK' }, makeContext(pagerduty));
    expect(result.items.map((n) => n.content)).toEqual(['first', 'second']);
    expect(result.items[0]?.author?.id).toBe(note.user?.id);
    expect(result.summary).toBe('2 notes');
  });
});
