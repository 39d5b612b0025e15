import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, pagerDutyId } from '../params.js';
import { readOptions, writeOptions } from '../resolve.js';
import { IncidentShape, toIncident } from '../shapes.js';

export const mergeIncidents = defineTool({
  name: 'merge_incidents',
  title: 'Merge incidents',
  description:
    'Merge duplicate PagerDuty incidents into one: the alerts of the source incidents move into the target ' +
    'incident and the sources are resolved. The target must be open. Cannot be undone. Returns the target incident.',
  access: 'write',
  input: z
    .object({
      target_incident_id: incidentIdParam().describe('The incident that survives and receives the alerts.'),
      source_incident_ids: z
        .array(pagerDutyId())
        .min(1)
        .max(100)
        .describe('The duplicate incidents to merge into the target (they get resolved).'),
    })
    .refine((i) => !i.source_incident_ids.includes(i.target_incident_id), {
      message: 'the target incident cannot also be a source',
      path: ['source_incident_ids'],
    }),
  output: IncidentShape.extend({ merged_incident_ids: z.array(z.string()) }),
  async run(input, ctx) {
    const sources = [...new Set(input.source_incident_ids)];
    const target = await ctx.pagerduty.mergeIncidents(input.target_incident_id, sources, writeOptions(ctx));
    const incident = await ctx.pagerduty.getIncident(target.id, readOptions(ctx));
    return { ...toIncident(incident), merged_incident_ids: sources };
  },
});
