import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { messageParam, pagerDutyId } from '../params.js';
import { resolvePriority, writeOptions } from '../resolve.js';
import { IncidentShape, toIncident } from '../shapes.js';

export const createIncident = defineTool({
  name: 'create_incident',
  title: 'Create incident',
  description:
    'Declare a new PagerDuty incident on a service, which pages that service’s escalation policy. Use ' +
    'list_services to find the service id and list_priorities for priority names. Done on behalf of the acting ' +
    'person. Returns the new incident.',
  access: 'write',
  input: z.object({
    title: messageParam(1024).describe('Short description of what is wrong, e.g. "Checkout API returns 502s".'),
    service_id: pagerDutyId().describe('Id of the affected service (list_services finds it).'),
    urgency: z
      .enum(['high', 'low'])
      .default('high')
      .describe('high pages people now; low notifies per low-urgency rules.'),
    body: z.string().trim().max(20_000).optional().describe('Details: symptoms, impact, links.'),
    priority: z.string().trim().min(1).max(100).optional().describe('Priority name (e.g. "P1") or id.'),
    incident_key: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .optional()
      .describe('Dedup key: PagerDuty refuses a second open incident with it on the service (safe retries).'),
  }),
  output: IncidentShape,
  async run(input, ctx) {
    const priority = input.priority ? await resolvePriority(ctx, input.priority) : undefined;
    const incident = await ctx.pagerduty.createIncident(
      {
        title: input.title,
        serviceId: input.service_id,
        urgency: input.urgency,
        ...(input.body ? { details: input.body } : {}),
        ...(priority ? { priorityId: priority.id } : {}),
        ...(input.incident_key ? { incidentKey: input.incident_key } : {}),
      },
      writeOptions(ctx),
    );
    return toIncident(incident);
  },
});
