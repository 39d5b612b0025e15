import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, limitParam } from '../params.js';
import { readOptions } from '../resolve.js';
import { AlertShape, listShape, listSummary, toAlert } from '../shapes.js';

export const listIncidentAlerts = defineTool({
  name: 'list_incident_alerts',
  title: 'List incident alerts',
  description:
    'List the alerts grouped into a PagerDuty incident (the monitoring signals behind it): summary, severity, ' +
    'status, alert key and details, oldest first. Use it to see what fired and how often; get_incident gives the count.',
  access: 'read',
  input: z.object({
    incident_id: incidentIdParam(),
    statuses: z
      .array(z.enum(['triggered', 'resolved']))
      .optional()
      .describe('Only alerts with these statuses.'),
    limit: limitParam(50),
  }),
  output: listShape(AlertShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listIncidentAlerts(input.incident_id, {
      ...(input.statuses ? { statuses: input.statuses } : {}),
      sortBy: 'created_at:asc',
      maxItems: input.limit,
      ...readOptions(ctx),
    });
    return {
      items: result.items.map(toAlert),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'alert', result.truncated),
    };
  },
});
