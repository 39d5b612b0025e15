import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { addIncidentNote } from '../../../src/tools/incidents/add-incident-note.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('add_incident_note', () => {
  it('adds the note as the acting person', async () => {
    const pagerduty = fakePagerDuty({ createIncidentNote: async (_id, content) => ({ ...fixtures.note(), content }) });
    const result = await runTool(
      addIncidentNote,
      { incident_id: 'PT4KHLK', content: '  Rolled back deploy 42 ' },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args).toEqual(['PT4KHLK', 'Rolled back deploy 42', { from: ACTOR.email }]);
    expect(result.content).toBe('Rolled back deploy 42');
  });
});
