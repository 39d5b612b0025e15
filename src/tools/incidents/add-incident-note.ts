import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, messageParam } from '../params.js';
import { writeOptions } from '../resolve.js';
import { NoteShape, toNote } from '../shapes.js';

export const addIncidentNote = defineTool({
  name: 'add_incident_note',
  title: 'Add incident note',
  description:
    'Add a note to a PagerDuty incident’s timeline (a finding, an action taken, a decision), attributed to the ' +
    'acting person. Notes cannot be edited or deleted afterwards. Returns the note.',
  access: 'write',
  input: z.object({
    incident_id: incidentIdParam(),
    content: messageParam(25_000).describe('The note text.'),
  }),
  output: NoteShape,
  async run(input, ctx) {
    const note = await ctx.pagerduty.createIncidentNote(input.incident_id, input.content, writeOptions(ctx));
    return toNote(note);
  },
});
