import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import { readOptions } from '../resolve.js';
import { listShape, listSummary, NoteShape, toNote } from '../shapes.js';

export const listIncidentNotes = defineTool({
  name: 'list_incident_notes',
  title: 'List incident notes',
  description:
    'List the notes people added to a PagerDuty incident (findings, actions taken), oldest first, with author ' +
    'and time. For notes merged with status changes and escalations in one ordered list, use get_incident_timeline.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam() }),
  output: listShape(NoteShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listIncidentNotes(input.incident_id, readOptions(ctx));
    const items = result.items.map(toNote).sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
    return { items, truncated: result.truncated, summary: listSummary(items.length, 'note', result.truncated) };
  },
});
