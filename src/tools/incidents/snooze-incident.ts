import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import { writeOptions } from '../resolve.js';
import { IncidentShape, toIncident } from '../shapes.js';

export const snoozeIncident = defineTool({
  name: 'snooze_incident',
  title: 'Snooze incident',
  description:
    'Snooze an acknowledged PagerDuty incident: it returns to triggered (and pages again) after the given number ' +
    'of minutes, up to 7 days. Acknowledge it first with update_incident if it is still triggered.',
  access: 'write',
  input: z.object({
    incident_id: incidentIdParam(),
    duration_minutes: z
      .number()
      .int()
      .min(1)
      .max(7 * 24 * 60)
      .describe('How long to snooze, in minutes (1 to 10080).'),
  }),
  output: IncidentShape,
  async run(input, ctx) {
    const incident = await ctx.pagerduty.snoozeIncident(
      input.incident_id,
      input.duration_minutes * 60,
      writeOptions(ctx),
    );
    return toIncident(incident);
  },
});
