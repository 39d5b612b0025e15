/**
 * `GET /oncalls`: who is on call, computed from escalation policies and schedule layers at the injected clock.
 * `since`/`until` default to now (an instant); the range may reach at most 90 days into the future; `earliest=true`
 * keeps only the earliest shift per escalation policy, level and user.
 */
import { invalidInput, PagerDutySimError } from '../errors.js';
import { type LevelOnCall, onCallsForLevelInRange } from '../oncall.js';
import {
  escalationPolicyRef,
  renderEscalationPolicy,
  renderSchedule,
  renderUser,
  scheduleRef,
  ts,
  userRef,
} from '../render.js';
import { parseTimestamp } from '../time-zones.js';
import { checkEnumList, paginate, type Route } from './context.js';

const MAX_FUTURE_MS = 90 * 86_400_000;

const listOncalls: Route = {
  method: 'GET',
  path: '/oncalls',
  handle(ctx) {
    const { state } = ctx.sim;
    const includes = new Set(
      checkEnumList('include', ctx.query.list('include'), ['escalation_policies', 'users', 'schedules'] as const) ?? [],
    );
    const userIds = ctx.query.list('user_ids');
    const policyIds = ctx.query.list('escalation_policy_ids');
    const scheduleIdsRaw = ctx.query.list('schedule_ids');
    const earliest = ctx.query.bool('earliest') === true;
    const parse = (name: string): number | undefined => {
      const raw = ctx.query.string(name);
      if (raw === undefined) return undefined;
      const value = parseTimestamp(raw, ctx.render.timeZone);
      if (value === undefined) {
        throw new PagerDutySimError(400, 2004, "Invalid time values in 'since' and/or 'until' parameters", [
          `"${raw}" is not an ISO 8601 date or date-time`,
        ]);
      }
      return value;
    };
    const since = parse('since') ?? ctx.now;
    const until = parse('until') ?? (ctx.query.has('since') ? Math.max(since, ctx.now) : ctx.now);
    if (until < since)
      throw new PagerDutySimError(400, 2005, 'Invalid Query Date Range', ['until must not be before since']);
    if (until - ctx.now > MAX_FUTURE_MS) {
      throw new PagerDutySimError(400, 2005, 'Invalid Query Date Range', [
        'until must be at most 90 days in the future',
      ]);
    }
    for (const id of policyIds ?? []) {
      if (!state.escalationPolicies.has(id)) throw invalidInput(`Escalation policy ${id} not found`);
    }
    const rows: LevelOnCall[] = [];
    const policyOf = new Map<LevelOnCall, string>();
    const policies = [...state.escalationPolicies.values()].filter((p) => !policyIds || policyIds.includes(p.id));
    for (const policy of policies) {
      for (let level = 1; level <= policy.rules.length; level++) {
        let shifts = onCallsForLevelInRange(policy, level, since, until, state.schedules);
        // With schedule_ids[], only those schedules; a `null` entry adds permanent on-calls (users targeted directly).
        if (scheduleIdsRaw) {
          shifts = shifts.filter((s) => scheduleIdsRaw.includes(s.scheduleId === null ? 'null' : s.scheduleId));
        }
        if (userIds) shifts = shifts.filter((s) => userIds.includes(s.userId));
        if (earliest) {
          const firsts = new Map<string, LevelOnCall>();
          for (const s of shifts) {
            const previous = firsts.get(s.userId);
            if (!previous || (s.start ?? Number.NEGATIVE_INFINITY) < (previous.start ?? Number.NEGATIVE_INFINITY)) {
              firsts.set(s.userId, s);
            }
          }
          shifts = [...firsts.values()];
        }
        for (const s of shifts) {
          rows.push(s);
          policyOf.set(s, policy.id);
        }
      }
    }
    const page = paginate(rows, ctx.query);
    const oncalls = page.items.map((row) => {
      const policyId = policyOf.get(row) as string;
      const policy = state.escalationPolicies.get(policyId);
      const user = state.users.get(row.userId);
      const schedule = row.scheduleId ? state.schedules.get(row.scheduleId) : undefined;
      return {
        escalation_policy:
          includes.has('escalation_policies') && policy
            ? renderEscalationPolicy(ctx.render, policy)
            : escalationPolicyRef(ctx.render, policyId),
        escalation_level: row.level,
        schedule: schedule
          ? includes.has('schedules')
            ? renderSchedule(ctx.render, schedule, null)
            : scheduleRef(ctx.render, schedule.id)
          : null,
        user: includes.has('users') && user ? renderUser(ctx.render, user) : userRef(ctx.render, row.userId),
        start: row.start === null ? null : ts(ctx.render, row.start),
        end: row.end === null ? null : ts(ctx.render, row.end),
      };
    });
    return { status: 200, body: { oncalls, ...page.pagination } };
  },
};

export const oncallRoutes: Route[] = [listOncalls];
