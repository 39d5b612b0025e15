import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { limitParam, pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { EscalationPolicyShape, listShape, listSummary, toEscalationPolicy } from '../shapes.js';

export const listEscalationPolicies = defineTool({
  name: 'list_escalation_policies',
  title: 'List escalation policies',
  description:
    'List PagerDuty escalation policies with their levels (who or which schedule is paged at each level, and after ' +
    'how many minutes) and the services that use them. Use it to find escalation policy and schedule ids for ' +
    'get_oncall, reassign_incident or add_responders.',
  access: 'read',
  input: z.object({
    query: z.string().trim().min(1).max(200).optional().describe('Only policies whose name contains this text.'),
    user_ids: z.array(pagerDutyId()).optional().describe('Only policies that page these users.'),
    team_ids: z.array(pagerDutyId()).optional().describe('Only policies of these teams.'),
    limit: limitParam(50),
  }),
  output: listShape(EscalationPolicyShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listEscalationPolicies({
      ...(input.query ? { query: input.query } : {}),
      ...(input.user_ids ? { userIds: input.user_ids } : {}),
      ...(input.team_ids ? { teamIds: input.team_ids } : {}),
      sortBy: 'name',
      maxItems: input.limit,
      ...readOptions(ctx),
    });
    return {
      items: result.items.map(toEscalationPolicy),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'escalation policy', result.truncated, 'escalation policies'),
    };
  },
});
