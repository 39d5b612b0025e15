/**
 * Alert-storm detection, as pure functions over the triggers recorded for one Slack channel. A storm is
 * `threshold` incidents triggered within any `windowMs` span (default 5 in 2 minutes). A storm window stays open
 * while triggers keep arriving less than `windowMs` apart and closes after `windowMs` of quiet; the next trigger
 * opens a new window. Services routed to the same channel are the "related services": they belong to one team,
 * and the channel is the unit Slack rate-limits (about one message per second).
 */

export interface StormPolicy {
  /** Triggers within `windowMs` that make a storm (≥ 2). */
  threshold: number;
  /** Sliding window, and the quiet time that closes a storm. */
  windowMs: number;
  /** Incidents kept per window (the summary lists the worst; counts stay exact up to this bound). */
  maxMembers: number;
}

export const DEFAULT_STORM_POLICY: StormPolicy = { threshold: 5, windowMs: 2 * 60_000, maxMembers: 5000 };

export interface StormMember {
  incidentId: string;
  /** When the incident triggered (the event's `occurred_at`), epoch ms. */
  at: number;
}

export interface StormWindowState {
  openedAt: number;
  lastAt: number;
  members: StormMember[];
}

/** Whether a trigger at `at` falls in the window (the window has not been quiet for `windowMs`). */
export function windowStillOpen(window: Pick<StormWindowState, 'lastAt'>, at: number, policy: StormPolicy): boolean {
  return at - window.lastAt < policy.windowMs;
}

/**
 * The instant the members first reached `threshold` triggers within `windowMs`, or null. Members may be in any
 * order (events for different incidents are processed concurrently).
 */
export function stormReachedAt(members: readonly StormMember[], policy: StormPolicy): number | null {
  if (members.length < policy.threshold) return null;
  const times = members.map((m) => m.at).sort((a, b) => a - b);
  for (let end = policy.threshold - 1; end < times.length; end++) {
    const first = times[end - policy.threshold + 1] as number;
    const last = times[end] as number;
    if (last - first <= policy.windowMs) return last;
  }
  return null;
}

export interface RecordTriggerResult {
  /** The window after recording (a new one when the previous had gone quiet). */
  window: StormWindowState;
  /** True when a new window was opened for this trigger. */
  opened: boolean;
  /** True when the incident was already a member (a replayed or duplicated trigger). */
  alreadyMember: boolean;
  /** The window is a storm (now or since earlier). */
  storm: boolean;
  /** This trigger is the one that turned the window into a storm. */
  stormStarted: boolean;
}

/**
 * Adds a trigger to a channel's current window (or opens a new one) and says whether the channel is in a storm.
 * Outside a storm, members older than the sliding window are dropped so a slow drizzle of incidents never grows
 * the state; during a storm every member is kept (up to `maxMembers`) because the summary lists them.
 */
export function recordTrigger(
  current: StormWindowState | null,
  member: StormMember,
  policy: StormPolicy,
): RecordTriggerResult {
  const open = current !== null && windowStillOpen(current, member.at, policy);
  const base: StormWindowState = open
    ? { openedAt: current.openedAt, lastAt: current.lastAt, members: [...current.members] }
    : { openedAt: member.at, lastAt: member.at, members: [] };
  const wasStorm = stormReachedAt(base.members, policy) !== null;
  const alreadyMember = base.members.some((m) => m.incidentId === member.incidentId);
  if (!alreadyMember && base.members.length < policy.maxMembers) base.members.push(member);
  base.lastAt = Math.max(base.lastAt, member.at);
  base.openedAt = Math.min(base.openedAt, member.at);
  const isStorm = wasStorm || stormReachedAt(base.members, policy) !== null;
  if (!isStorm) {
    const horizon = base.lastAt - policy.windowMs;
    base.members = base.members.filter((m) => m.at >= horizon);
    base.openedAt = base.members.reduce((min, m) => Math.min(min, m.at), base.lastAt);
  }
  return {
    window: base,
    opened: !open,
    alreadyMember,
    storm: isStorm,
    stormStarted: isStorm && !wasStorm,
  };
}
