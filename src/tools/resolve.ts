import type { Incident, PagerDutyClient } from '../pagerduty/index.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import type { ToolContext } from './define-tool.js';

/**
 * Helpers shared by several tools: turning names into ids, finding the current escalation level, and building
 * the write options from the acting person.
 */

/** `{ from, signal }` for a PagerDuty write done on behalf of `ctx.actor` (runTool guarantees one exists). */
export function writeOptions(ctx: ToolContext): { from: string; signal?: AbortSignal } {
  const email = ctx.actor?.email;
  if (!email) {
    throw new AppError(
      ErrorCode.MissingActor,
      'This change must be made on behalf of a person; no acting user was given',
    );
  }
  return { from: email, ...(ctx.signal ? { signal: ctx.signal } : {}) };
}

/** `{ signal }` when the context has one. */
export function readOptions(ctx: ToolContext): { signal?: AbortSignal } {
  return ctx.signal ? { signal: ctx.signal } : {};
}

/** The acting person's PagerDuty user id: given on the actor, or looked up by email. */
export async function actorUserId(ctx: ToolContext): Promise<string> {
  if (ctx.actor?.pagerdutyUserId) return ctx.actor.pagerdutyUserId;
  const email = ctx.actor?.email;
  if (!email) throw new AppError(ErrorCode.MissingActor, 'No acting user was given');
  const user = await ctx.pagerduty.findUserByEmail(email, readOptions(ctx));
  if (!user) {
    throw new AppError(
      ErrorCode.UnmappedUser,
      `No PagerDuty user has the email ${email}, so the request cannot be made in their name`,
      {
        details: { email },
      },
    );
  }
  return user.id;
}

/**
 * A priority given by name (`P1`, case-insensitive) or id, resolved against the account's priorities. Unknown
 * values are refused with the list of valid names.
 */
export async function resolvePriority(ctx: ToolContext, value: string): Promise<{ id: string; name: string }> {
  const { items } = await ctx.pagerduty.listPriorities({ maxItems: 100, ...readOptions(ctx) });
  const wanted = value.trim().toLowerCase();
  const found = items.find((p) => p.id === value.trim() || p.name.toLowerCase() === wanted);
  if (!found) {
    const names = items.map((p) => p.name);
    const message =
      names.length > 0
        ? `unknown priority "${value}"; this account has ${names.join(', ')}`
        : `unknown priority "${value}"; this account has no priorities configured`;
    throw new InvalidInputError(`Invalid priority: ${message}`, [{ path: 'priority', message }]);
  }
  return { id: found.id, name: found.name };
}

/**
 * The current escalation level of each open incident. PagerDuty's incident object does not say which level is
 * current, so when the incident carries no `escalation_level` it is derived from the on-calls of its escalation
 * policy: the level whose on-call users best match the incident's assignees (ties go to the lowest level).
 * All incidents are resolved with one `GET /oncalls` for their policies. Resolved or unassigned incidents get
 * `null`.
 */
export async function resolveEscalationLevels(
  pagerduty: PagerDutyClient,
  incidents: readonly Incident[],
  signal?: AbortSignal,
): Promise<Map<string, number | null>> {
  const levels = new Map<string, number | null>();
  const pending: Incident[] = [];
  for (const incident of incidents) {
    if (typeof incident.escalation_level === 'number') levels.set(incident.id, incident.escalation_level);
    else if (incident.status === 'resolved' || !incident.escalation_policy || !incident.assignments?.length) {
      levels.set(incident.id, null);
    } else pending.push(incident);
  }
  if (pending.length === 0) return levels;
  const policyIds = [...new Set(pending.map((i) => i.escalation_policy?.id).filter((id): id is string => !!id))];
  const { items } = await pagerduty.listOnCalls({
    escalationPolicyIds: policyIds,
    maxItems: 1000,
    ...(signal ? { signal } : {}),
  });
  const byPolicy = new Map<string, Map<number, Set<string>>>();
  for (const oncall of items) {
    const policy = byPolicy.get(oncall.escalation_policy.id) ?? new Map<number, Set<string>>();
    const users = policy.get(oncall.escalation_level) ?? new Set<string>();
    users.add(oncall.user.id);
    policy.set(oncall.escalation_level, users);
    byPolicy.set(oncall.escalation_policy.id, policy);
  }
  for (const incident of pending) {
    const policy = byPolicy.get(incident.escalation_policy?.id ?? '');
    const assignees = new Set((incident.assignments ?? []).map((a) => a.assignee.id));
    let best: { level: number; score: number } | null = null;
    for (const [level, users] of [...(policy ?? new Map<number, Set<string>>())].sort((a, b) => a[0] - b[0])) {
      const shared = [...assignees].filter((id) => users.has(id)).length;
      if (shared === 0) continue;
      const score = shared / new Set([...assignees, ...users]).size;
      if (!best || score > best.score) best = { level, score };
    }
    levels.set(incident.id, best?.level ?? null);
  }
  return levels;
}
