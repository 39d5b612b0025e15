import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, messageParam } from '../params.js';
import { resolveEscalationLevels, resolvePriority, writeOptions } from '../resolve.js';
import { IncidentShape, toIncident } from '../shapes.js';

export const updateIncident = defineTool({
  name: 'update_incident',
  title: 'Update incident',
  description:
    'Change a PagerDuty incident: acknowledge it (status "acknowledged"), resolve it (status "resolved", with an ' +
    'optional resolution note), re-open it (status "triggered"), or change its urgency, priority or title. Give at ' +
    'least one change. To escalate use escalate_incident; to change who is assigned use reassign_incident.',
  access: 'write',
  input: z
    .object({
      incident_id: incidentIdParam(),
      status: z.enum(['acknowledged', 'resolved', 'triggered']).optional().describe('New status.'),
      resolution: messageParam(10_000)
        .optional()
        .describe('How it was resolved; only with status "resolved" (recorded on the resolve log entry).'),
      urgency: z.enum(['high', 'low']).optional().describe('New urgency.'),
      priority: z.string().trim().min(1).max(100).optional().describe('New priority, by name (e.g. "P2") or id.'),
      title: messageParam(1024).optional().describe('New title.'),
    })
    .refine((i) => i.status || i.resolution || i.urgency || i.priority || i.title, {
      message: 'give at least one of status, resolution, urgency, priority or title',
      path: ['status'],
    })
    .refine((i) => i.resolution === undefined || i.status === 'resolved', {
      message: 'a resolution can only be given with status "resolved"',
      path: ['resolution'],
    }),
  output: IncidentShape,
  async run(input, ctx) {
    const priority = input.priority ? await resolvePriority(ctx, input.priority) : undefined;
    const incident = await ctx.pagerduty.updateIncident(
      input.incident_id,
      {
        ...(input.status ? { status: input.status } : {}),
        ...(input.resolution ? { resolution: input.resolution } : {}),
        ...(input.urgency ? { urgency: input.urgency } : {}),
        ...(priority ? { priorityId: priority.id } : {}),
        ...(input.title ? { title: input.title } : {}),
      },
      writeOptions(ctx),
    );
    const levels = await resolveEscalationLevels(ctx.pagerduty, [incident], ctx.signal);
    return toIncident(incident, levels.get(incident.id));
  },
});
