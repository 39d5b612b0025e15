import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { isoDateTime, limitParam, pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { listShape, listSummary, OnCallShape, toOnCall } from '../shapes.js';

export const listOncalls = defineTool({
  name: 'list_oncalls',
  title: 'List on-calls',
  description:
    'List on-call shifts across PagerDuty, filtered by schedules, escalation policies or users, now or over a time ' +
    'range (up to 90 days ahead). Each entry gives the user, escalation policy and level, schedule and shift ' +
    'start/end. Use earliest=true to see who is next. For one schedule right now, get_oncall is simpler.',
  access: 'read',
  input: z.object({
    schedule_ids: z.array(pagerDutyId()).optional().describe('Only on-calls from these schedules.'),
    escalation_policy_ids: z.array(pagerDutyId()).optional().describe('Only on-calls of these escalation policies.'),
    user_ids: z
      .array(pagerDutyId())
      .optional()
      .describe('Only on-calls of these users (find_user_by_email finds ids).'),
    since: isoDateTime().optional().describe('Start of the range (ISO-8601); default now.'),
    until: isoDateTime().optional().describe('End of the range (ISO-8601); default now.'),
    earliest: z
      .boolean()
      .optional()
      .describe('Only the earliest shift per policy, level and user (who is on call next).'),
    time_zone: z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe('IANA time zone for the returned times, e.g. Europe/Paris.'),
    limit: limitParam(100),
  }),
  output: listShape(OnCallShape),
  async run(input, ctx) {
    const result = await ctx.pagerduty.listOnCalls({
      ...(input.schedule_ids ? { scheduleIds: input.schedule_ids } : {}),
      ...(input.escalation_policy_ids ? { escalationPolicyIds: input.escalation_policy_ids } : {}),
      ...(input.user_ids ? { userIds: input.user_ids } : {}),
      ...(input.since ? { since: input.since } : {}),
      ...(input.until ? { until: input.until } : {}),
      ...(input.earliest !== undefined ? { earliest: input.earliest } : {}),
      ...(input.time_zone ? { timeZone: input.time_zone } : {}),
      maxItems: input.limit,
      ...readOptions(ctx),
    });
    return {
      items: result.items.map(toOnCall),
      truncated: result.truncated,
      summary: listSummary(result.items.length, 'on-call', result.truncated),
    };
  },
});
