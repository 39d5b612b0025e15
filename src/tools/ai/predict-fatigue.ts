import { z } from 'zod';
import { FatigueResultSchema, type PageEventInput, type PersonRef } from '../../ai/contract.js';
import { type LogEntry, referenceName, type Schedule } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { AiMetaShape, mapLimit, roundedNow, runAiOperation, withMeta } from './gather.js';

type Ref = { id: string; summary?: string | null; name?: string | null };

/** Pages per person from log entries: first notification per incident, their acknowledgement, escalation past them. */
function pagesFromLog(entries: readonly LogEntry[]): PageEventInput[] {
  const sorted = [...entries].sort((a, b) => a.created_at.localeCompare(b.created_at));
  const pages = new Map<string, PageEventInput>();
  const escalations = new Map<string, string[]>();
  const acks = new Map<string, string>();
  for (const e of sorted) {
    const incidentId = e.incident?.id;
    if (!incidentId) continue;
    if (e.type === 'notify_log_entry') {
      const user = (e as { user?: Ref | null }).user;
      if (!user) continue;
      const key = `${incidentId}\u0000${user.id}`;
      if (!pages.has(key)) pages.set(key, { personId: user.id, incidentId, at: e.created_at, escalated: false });
    } else if (e.type === 'acknowledge_log_entry' && e.agent) {
      const key = `${incidentId}\u0000${e.agent.id}`;
      if (!acks.has(key)) acks.set(key, e.created_at);
    } else if (e.type === 'escalate_log_entry') {
      escalations.set(incidentId, [...(escalations.get(incidentId) ?? []), e.created_at]);
    }
  }
  for (const [key, page] of pages) {
    const ack = acks.get(key);
    if (ack) page.acknowledgedAt = ack;
    page.escalated = !ack && (escalations.get(page.incidentId) ?? []).some((t) => t > page.at);
  }
  return [...pages.values()];
}

export const predictFatigue = defineTool({
  name: 'predict_fatigue',
  title: 'Assess on-call fatigue (AI)',
  description:
    'Assesses on-call fatigue per person and per schedule over the last `days`: pages, off-hours and sleep-hour ' +
    'pages in each person’s time zone, consecutive on-call days, the time-to-acknowledge trend and the escalation ' +
    'rate, as a risk level and score with recommendations. Give schedule_ids and/or user_ids, or it looks at every ' +
    'schedule (up to 20). Changes nothing.',
  access: 'read',
  input: z.object({
    schedule_ids: z.array(pagerDutyId()).max(20).optional().describe('PagerDuty schedule ids (at most 20).'),
    user_ids: z.array(pagerDutyId()).max(100).optional().describe('PagerDuty user ids to include (at most 100).'),
    days: z.number().int().min(1).max(90).default(30).describe('Days of history to assess (1-90, default 30).'),
  }),
  output: FatigueResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const now = ctx.clock.now();
    const since = new Date(now - input.days * 86_400_000).toISOString();
    const until = new Date(now).toISOString();
    let scheduleIds = input.schedule_ids ?? [];
    if (scheduleIds.length === 0 && (input.user_ids ?? []).length === 0) {
      const { items } = await ctx.pagerduty.listSchedules({ maxItems: 20, ...readOptions(ctx) });
      scheduleIds = items.map((s) => s.id);
    }
    const schedules: Schedule[] = await mapLimit(scheduleIds, 4, (id) =>
      ctx.pagerduty.getSchedule(id, { since, until, ...readOptions(ctx) }),
    );
    const shifts = schedules.flatMap((s) =>
      (s.final_schedule?.rendered_schedule_entries ?? [])
        .filter((e) => e.user)
        .map((e) => ({ personId: (e.user as Ref).id, scheduleId: s.id, start: e.start, end: e.end })),
    );
    const personIds = [
      ...new Set([
        ...(input.user_ids ?? []),
        ...schedules.flatMap((s) => [
          ...(s.users ?? []).map((u) => u.id),
          ...shifts.filter((x) => x.scheduleId === s.id).map((x) => x.personId),
        ]),
      ]),
    ].slice(0, 100);
    const [users, log] = await Promise.all([
      mapLimit(personIds, 5, (id) => ctx.pagerduty.getUser(id, readOptions(ctx))),
      ctx.pagerduty.listLogEntries({ since, until, maxItems: 10_000, ...readOptions(ctx) }),
    ]);
    const people: PersonRef[] = users.map((u) => ({
      id: u.id,
      name: (u.name || referenceName(u)).slice(0, 300),
      ...(u.time_zone ? { timeZone: u.time_zone } : {}),
    }));
    const wanted = new Set(personIds);
    const aiInput = {
      now: roundedNow(ctx, 3_600_000),
      windowDays: input.days,
      people,
      schedules: schedules.map((s) => ({
        id: s.id,
        name: (s.name ?? s.summary ?? s.id).slice(0, 300),
        timeZone: s.time_zone,
        personIds: [
          ...new Set([
            ...(s.users ?? []).map((u) => u.id),
            ...shifts.filter((x) => x.scheduleId === s.id).map((x) => x.personId),
          ]),
        ],
      })),
      pages: pagesFromLog(log.items).filter((p) => wanted.has(p.personId)),
      shifts: shifts.filter((x) => wanted.has(x.personId)),
    };
    return withMeta(await runAiOperation(ctx, 'fatigue', null, aiInput));
  },
});
