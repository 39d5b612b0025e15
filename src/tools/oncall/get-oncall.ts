import { z } from 'zod';
import type { OnCall } from '../../pagerduty/index.js';
import { referenceName } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { OnCallShape, RefShape, toOnCall } from '../shapes.js';

const RENDER_WINDOW_MS = 8 * 24 * 3600_000;

const LevelShape = z.object({ level: z.number().int(), oncalls: z.array(OnCallShape) });

export const getOncall = defineTool({
  name: 'get_oncall',
  title: 'Who is on call',
  description:
    'Who is on call right now for one schedule or one escalation policy: the schedule name and time zone, the ' +
    'person the schedule puts on call now, and the current on-call at each escalation level with shift start and ' +
    'end. Give exactly one of schedule_id or escalation_policy_id (list_escalation_policies finds both; ' +
    'get_service shows a service’s escalation policy). For several at once or a future time, use list_oncalls.',
  access: 'read',
  input: z
    .object({
      schedule_id: pagerDutyId().optional().describe('PagerDuty schedule id, e.g. "PI7DH85".'),
      escalation_policy_id: pagerDutyId().optional().describe('PagerDuty escalation policy id, e.g. "PT20YPA".'),
    })
    .refine((i) => (i.schedule_id === undefined) !== (i.escalation_policy_id === undefined), {
      message: 'give exactly one of schedule_id or escalation_policy_id',
      path: ['schedule_id'],
    }),
  output: z.object({
    at: z.string(),
    schedule: z
      .object({
        id: z.string(),
        name: z.string(),
        time_zone: z.string(),
        html_url: z.string().nullable(),
        /** Who the schedule itself puts on call now (also when no escalation policy uses it). */
        on_call_now: z.array(z.object({ user: RefShape, start: z.string(), end: z.string() })),
      })
      .nullable(),
    escalation_policy: RefShape.nullable(),
    levels: z.array(LevelShape),
    summary: z.string(),
  }),
  async run(input, ctx) {
    const now = new Date(ctx.clock.now());
    const at = now.toISOString();
    // PagerDuty clips rendered entries to the window asked for; eight days each way keeps whole shifts of
    // weekly rotations.
    const windowStart = new Date(now.getTime() - RENDER_WINDOW_MS).toISOString();
    const windowEnd = new Date(now.getTime() + RENDER_WINDOW_MS).toISOString();
    const [schedule, oncalls] = await Promise.all([
      input.schedule_id
        ? ctx.pagerduty.getSchedule(input.schedule_id, { since: windowStart, until: windowEnd, ...readOptions(ctx) })
        : Promise.resolve(null),
      ctx.pagerduty.listOnCalls({
        ...(input.schedule_id ? { scheduleIds: [input.schedule_id] } : {}),
        ...(input.escalation_policy_id ? { escalationPolicyIds: [input.escalation_policy_id] } : {}),
        since: at,
        until: at,
        maxItems: 500,
        ...readOptions(ctx),
      }),
    ]);
    const byLevel = new Map<number, OnCall[]>();
    for (const oncall of oncalls.items) {
      byLevel.set(oncall.escalation_level, [...(byLevel.get(oncall.escalation_level) ?? []), oncall]);
    }
    const levels = [...byLevel.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([level, entries]) => ({ level, oncalls: entries.map(toOnCall) }));
    const onCallNow = (schedule?.final_schedule?.rendered_schedule_entries ?? [])
      .filter((e) => e.user && Date.parse(e.start) <= now.getTime() && now.getTime() < Date.parse(e.end))
      .map((e) => ({
        user: { id: e.user?.id ?? '', name: e.user ? referenceName(e.user) : '' },
        start: e.start,
        end: e.end,
      }));
    const policy = input.escalation_policy_id ? oncalls.items[0]?.escalation_policy : undefined;
    const names =
      onCallNow.length > 0 ? onCallNow.map((e) => e.user.name) : (levels[0]?.oncalls ?? []).map((o) => o.user.name);
    const subject = schedule
      ? (schedule.name ?? schedule.id)
      : policy
        ? referenceName(policy)
        : input.escalation_policy_id;
    return {
      at,
      schedule: schedule
        ? {
            id: schedule.id,
            name: schedule.name ?? schedule.summary ?? schedule.id,
            time_zone: schedule.time_zone,
            html_url: schedule.html_url ?? null,
            on_call_now: onCallNow,
          }
        : null,
      escalation_policy: input.escalation_policy_id
        ? { id: input.escalation_policy_id, name: policy ? referenceName(policy) : input.escalation_policy_id }
        : null,
      levels,
      summary:
        names.length > 0
          ? `On call now for ${subject}: ${[...new Set(names)].join(', ')}`
          : `Nobody is on call now for ${subject}`,
    };
  },
});
