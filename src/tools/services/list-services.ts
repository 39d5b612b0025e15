import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { limitParam, pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { listShape, listSummary, ServiceShape, toService } from '../shapes.js';

export const listServices = defineTool({
  name: 'list_services',
  title: 'List services',
  description:
    'List PagerDuty services (what incidents are raised on) with status, escalation policy and teams, sorted by ' +
    'name. Use it to turn a service name into the service id that list_incidents, create_incident and get_service need.',
  access: 'read',
  input: z.object({
    query: z.string().trim().min(1).max(200).optional().describe('Only services whose name contains this text.'),
    team_ids: z.array(pagerDutyId()).optional().describe('Only services of these teams.'),
    limit: limitParam(100),
  }),
  output: listShape(ServiceShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listServices({
      ...(input.query ? { query: input.query } : {}),
      ...(input.team_ids ? { teamIds: input.team_ids } : {}),
      sortBy: 'name',
      maxItems: input.limit,
      ...readOptions(ctx),
    });
    return {
      items: result.items.map(toService),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'service', result.truncated),
    };
  },
});
