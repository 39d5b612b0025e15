import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { readOptions } from '../resolve.js';
import { listShape, listSummary, PriorityShape, toPriority } from '../shapes.js';

export const listPriorities = defineTool({
  name: 'list_priorities',
  title: 'List priorities',
  description:
    'List the incident priorities configured in this PagerDuty account (e.g. P1 to P5, most urgent first), with ' +
    'ids and descriptions. create_incident and update_incident accept a priority by name or by id.',
  access: 'read',
  input: z.object({}),
  output: listShape(PriorityShape),
  async run(_input, ctx) {
    const result = await ctx.pagerduty.listPriorities({ maxItems: 100, ...readOptions(ctx) });
    return {
      items: result.items.map(toPriority),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'priority', result.truncated, 'priorities'),
    };
  },
});
