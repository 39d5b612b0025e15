import { z } from 'zod';
import { CorrelateResultSchema } from '../../ai/contract.js';
import type { Incident } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { AiMetaShape, loadServices, mapLimit, runAiOperation, toAiIncident, withMeta } from './gather.js';

export const correlateIncidents = defineTool({
  name: 'correlate_incidents',
  title: 'Correlate incidents (AI)',
  description:
    'Finds groups of related PagerDuty incidents (an alert storm, a cascade along service dependencies, duplicates ' +
    'of one symptom) with the reason for each group, the incident most likely to be the root cause, and which open ' +
    'incidents could be merged into which. Give incident_ids, or it looks at open incidents of the last ' +
    'since_minutes. Suggests only: use merge_incidents to merge.',
  access: 'read',
  input: z.object({
    incident_ids: z
      .array(pagerDutyId())
      .max(200)
      .optional()
      .describe(
        'PagerDuty incident ids to correlate (at most 200). Default: open incidents of the last since_minutes.',
      ),
    since_minutes: z
      .number()
      .int()
      .min(5)
      .max(10_080)
      .default(120)
      .describe('Without incident_ids: look at incidents opened in the last this many minutes (default 120).'),
    window_minutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(30)
      .describe('Incidents further apart than this are never grouped (default 30).'),
  }),
  output: CorrelateResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    let raw: Incident[];
    if (input.incident_ids && input.incident_ids.length > 0) {
      const ids = [...new Set(input.incident_ids)];
      raw = await mapLimit(ids, 8, (id) => ctx.pagerduty.getIncident(id, readOptions(ctx)));
    } else {
      const now = ctx.clock.now();
      const { items } = await ctx.pagerduty.listIncidents({
        statuses: ['triggered', 'acknowledged'],
        since: new Date(now - input.since_minutes * 60_000).toISOString(),
        // `until` is exclusive: reach a minute past now so an incident opened this second is included.
        until: new Date(now + 60_000).toISOString(),
        maxItems: 1000,
        ...readOptions(ctx),
      });
      raw = items;
    }
    const incidents = raw.map((i) => toAiIncident(i));
    const services = await loadServices(ctx, [...new Set(incidents.map((i) => i.service.id))]);
    const aiInput = { incidents, services, windowMinutes: input.window_minutes };
    return withMeta(await runAiOperation(ctx, 'correlate', null, aiInput));
  },
});
