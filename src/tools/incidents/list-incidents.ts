import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { isoDateTime, limitParam, pagerDutyId } from '../params.js';
import { readOptions, resolveEscalationLevels } from '../resolve.js';
import { IncidentShape, listShape, listSummary, toIncident } from '../shapes.js';

export const listIncidents = defineTool({
  name: 'list_incidents',
  title: 'List incidents',
  description:
    'List PagerDuty incidents, newest first, filtered by status, service, team, urgency and time range. Without ' +
    'statuses it lists open incidents (triggered and acknowledged). Use list_services to find service ids. Returns ' +
    'compact incidents; call get_incident for one incident in full.',
  access: 'read',
  input: z.object({
    statuses: z
      .array(z.enum(['triggered', 'acknowledged', 'resolved']))
      .min(1)
      .default(['triggered', 'acknowledged'])
      .describe('Statuses to include (default: triggered and acknowledged, i.e. open incidents).'),
    service_ids: z
      .array(pagerDutyId())
      .optional()
      .describe('Only incidents on these services (ids from list_services).'),
    team_ids: z.array(pagerDutyId()).optional().describe('Only incidents of these teams.'),
    urgencies: z
      .array(z.enum(['high', 'low']))
      .optional()
      .describe('Only these urgencies.'),
    since: isoDateTime()
      .optional()
      .describe('Start of the time range (ISO-8601, e.g. 2026-01-05T00:00:00Z). PagerDuty defaults to one month ago.'),
    until: isoDateTime().optional().describe('End of the time range (ISO-8601). At most six months after since.'),
    sort_by: z
      .enum(['created_at:desc', 'created_at:asc', 'incident_number:desc', 'incident_number:asc', 'urgency:desc'])
      .default('created_at:desc')
      .describe('Order of the results (default newest first).'),
    incident_key: z.string().trim().min(1).max(255).optional().describe('Only the incident with this dedup key.'),
    limit: limitParam(25),
  }),
  output: listShape(IncidentShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listIncidents({
      statuses: input.statuses,
      ...(input.service_ids ? { serviceIds: input.service_ids } : {}),
      ...(input.team_ids ? { teamIds: input.team_ids } : {}),
      ...(input.urgencies ? { urgencies: input.urgencies } : {}),
      ...(input.since ? { since: input.since } : {}),
      ...(input.until ? { until: input.until } : {}),
      sortBy: [input.sort_by],
      ...(input.incident_key ? { incidentKey: input.incident_key } : {}),
      maxItems: input.limit,
      ...readOptions(ctx),
    });
    const levels = await resolveEscalationLevels(ctx.pagerduty, result.items, ctx.signal);
    return {
      items: result.items.map((i) => toIncident(i, levels.get(i.id))),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'incident', result.truncated),
    };
  },
});
