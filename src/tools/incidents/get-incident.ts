import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import { readOptions, resolveEscalationLevels } from '../resolve.js';
import { IncidentDetailShape, toIncidentDetail } from '../shapes.js';

export const getIncident = defineTool({
  name: 'get_incident',
  title: 'Get incident',
  description:
    'Get one PagerDuty incident by id: title, status, urgency, priority, service, escalation policy and current ' +
    'escalation level, assignees, acknowledgements, alert counts, description and link. Use list_incidents to find ' +
    'an id; use get_incident_timeline for what happened and list_incident_alerts for the alerts behind it.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam() }),
  output: IncidentDetailShape,
  async run(input, ctx) {
    const incident = await ctx.pagerduty.getIncident(input.incident_id, readOptions(ctx));
    const levels = await resolveEscalationLevels(ctx.pagerduty, [incident], ctx.signal);
    return toIncidentDetail(incident, levels.get(incident.id));
  },
});
