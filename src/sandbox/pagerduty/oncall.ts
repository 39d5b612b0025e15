/**
 * On-call arithmetic: who is on call in a schedule layer, a schedule (its "final schedule") and an escalation
 * policy level, at an instant or over a range.
 *
 * Semantics (PagerDuty's schedule layers):
 * - A layer rotates through `users` in order; turn k covers
 *   `[rotation_virtual_start + k·turn, rotation_virtual_start + (k+1)·turn)`, restricted to `[start, end)`.
 * - Turns are counted on the schedule's wall clock, so a daily 09:00 handoff stays at 09:00 local time across
 *   DST changes (a turn that spans a change is an hour longer or shorter in absolute time).
 * - Restrictions (daily or weekly windows, in the schedule's time zone) mask a layer: outside every window the
 *   layer has nobody on call; the rotation keeps counting underneath.
 * - Layers stack: a later layer covers an earlier one wherever it has someone on call.
 */
import type { EscalationPolicyRecord, RestrictionRecord, ScheduleLayerRecord, ScheduleRecord } from './model.js';
import { fromWall, secondsOfDay, toWall, wallStartOfDay, wallWeekday } from './time-zones.js';

export interface Shift {
  userId: string;
  start: number;
  end: number;
}

const DAY = 86_400_000;
const WEEK = 7 * DAY;

/** Restriction windows (absolute instants) that overlap [from, to). */
function restrictionWindows(restrictions: readonly RestrictionRecord[], timeZone: string, from: number, to: number) {
  const windows: Array<{ start: number; end: number }> = [];
  const wallFrom = toWall(from, timeZone);
  const wallTo = toWall(to, timeZone);
  for (const r of restrictions) {
    const offset = secondsOfDay(r.startTimeOfDay) * 1000;
    const length = r.durationSeconds * 1000;
    if (r.type === 'daily_restriction') {
      for (let day = wallStartOfDay(wallFrom) - DAY - Math.ceil(length / DAY) * DAY; day <= wallTo; day += DAY) {
        const start = fromWall(day + offset, timeZone);
        const end = fromWall(day + offset + length, timeZone);
        if (end > from && start < to) windows.push({ start, end });
      }
    } else {
      const dayOfWeek = r.startDayOfWeek ?? 1;
      let day = wallStartOfDay(wallFrom) - WEEK - Math.ceil(length / WEEK) * WEEK;
      while (wallWeekday(day) !== dayOfWeek) day += DAY;
      for (; day <= wallTo; day += WEEK) {
        const start = fromWall(day + offset, timeZone);
        const end = fromWall(day + offset + length, timeZone);
        if (end > from && start < to) windows.push({ start, end });
      }
    }
  }
  windows.sort((a, b) => a.start - b.start);
  // Merge overlapping windows.
  const merged: Array<{ start: number; end: number }> = [];
  for (const w of windows) {
    const last = merged[merged.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else merged.push({ ...w });
  }
  return merged;
}

/** The rendered entries of one layer over [from, to), in order, with restrictions applied. */
export function layerShifts(layer: ScheduleLayerRecord, timeZone: string, from: number, to: number): Shift[] {
  const lo = Math.max(from, layer.start);
  const hi = Math.min(to, layer.end ?? Number.POSITIVE_INFINITY);
  if (lo >= hi || layer.userIds.length === 0 || layer.turnLengthSeconds <= 0) return [];
  const turn = layer.turnLengthSeconds * 1000;
  const vsWall = toWall(layer.rotationVirtualStart, timeZone);
  const firstTurn = Math.floor((toWall(lo, timeZone) - vsWall) / turn);
  const shifts: Shift[] = [];
  for (let k = firstTurn; ; k++) {
    const start = fromWall(vsWall + k * turn, timeZone);
    const end = fromWall(vsWall + (k + 1) * turn, timeZone);
    if (start >= hi) break;
    if (end <= lo) continue;
    const n = layer.userIds.length;
    const userId = layer.userIds[((k % n) + n) % n] as string;
    shifts.push({ userId, start: Math.max(start, lo), end: Math.min(end, hi) });
  }
  if (layer.restrictions.length === 0) return shifts;
  const windows = restrictionWindows(layer.restrictions, timeZone, lo, hi);
  const masked: Shift[] = [];
  for (const s of shifts) {
    for (const w of windows) {
      const start = Math.max(s.start, w.start);
      const end = Math.min(s.end, w.end);
      if (start < end) masked.push({ userId: s.userId, start, end });
    }
  }
  return masked;
}

/** Joins touching shifts of the same user. */
function mergeShifts(shifts: Shift[]): Shift[] {
  const out: Shift[] = [];
  for (const s of shifts) {
    const last = out[out.length - 1];
    if (last && last.userId === s.userId && last.end === s.start) last.end = s.end;
    else out.push({ ...s });
  }
  return out;
}

/** The final schedule over [from, to): layers stacked, gaps left empty, touching shifts of one user joined. */
export function finalSchedule(schedule: ScheduleRecord, from: number, to: number): Shift[] {
  if (from >= to) return [];
  const perLayer = schedule.layers.map((layer) => layerShifts(layer, schedule.timeZone, from, to));
  const cuts = new Set<number>([from, to]);
  for (const shifts of perLayer) {
    for (const s of shifts) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
  }
  const points = [...cuts].sort((a, b) => a - b);
  const cursors = perLayer.map(() => 0);
  const pieces: Shift[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    let userId: string | undefined;
    for (let l = perLayer.length - 1; l >= 0; l--) {
      const shifts = perLayer[l] as Shift[];
      let c = cursors[l] as number;
      while (c < shifts.length && (shifts[c] as Shift).end <= start) c++;
      cursors[l] = c;
      const s = shifts[c];
      if (s && s.start <= start && s.end >= end) {
        userId = s.userId;
        break;
      }
    }
    if (userId) pieces.push({ userId, start, end });
  }
  return mergeShifts(pieces);
}

const BLOCK = 14 * DAY;
/** Final-schedule shifts per 14-day block, per schedule (schedules do not change after the seed builds them). */
const blockCache = new WeakMap<ScheduleRecord, Map<number, Shift[]>>();

function blockShifts(schedule: ScheduleRecord, block: number): Shift[] {
  let blocks = blockCache.get(schedule);
  if (!blocks) {
    blocks = new Map();
    blockCache.set(schedule, blocks);
  }
  let shifts = blocks.get(block);
  if (!shifts) {
    shifts = finalSchedule(schedule, block * BLOCK, (block + 1) * BLOCK);
    blocks.set(block, shifts);
  }
  return shifts;
}

/**
 * Final-schedule shifts that overlap [from, to], with their real start and end as far as `reachDays` either
 * side (a shift longer than that is cut there). Cached per schedule.
 */
export function shiftsAround(schedule: ScheduleRecord, from: number, to: number, reachDays = 35): Shift[] {
  const first = Math.floor((from - reachDays * DAY) / BLOCK);
  const last = Math.floor((to + reachDays * DAY) / BLOCK);
  const all: Shift[] = [];
  for (let b = first; b <= last; b++) all.push(...blockShifts(schedule, b));
  return mergeShifts(all).filter((s) => s.end > from && s.start <= to);
}

/** The final-schedule shift covering instant `at`, with its real start and end, or undefined when nobody is on call. */
export function shiftAt(schedule: ScheduleRecord, at: number): Shift | undefined {
  return shiftsAround(schedule, at, at).find((s) => s.start <= at && at < s.end);
}

/** Percentage (0–100, two decimals) of [from, to) covered by the shifts. */
export function coveragePercentage(shifts: readonly Shift[], from: number, to: number): number {
  if (to <= from) return 0;
  const covered = shifts.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, to) - Math.max(s.start, from)), 0);
  return Math.round((covered / (to - from)) * 10000) / 100;
}

export interface LevelOnCall {
  level: number;
  userId: string;
  scheduleId: string | null;
  /** Null for a user targeted directly (permanently on call). */
  start: number | null;
  end: number | null;
}

/** Every on-call shift of a policy level (1-based) that overlaps [from, to]; a single instant when from = to. */
export function onCallsForLevelInRange(
  policy: EscalationPolicyRecord,
  level: number,
  from: number,
  to: number,
  schedules: ReadonlyMap<string, ScheduleRecord>,
): LevelOnCall[] {
  const rule = policy.rules[level - 1];
  if (!rule) return [];
  const out: LevelOnCall[] = [];
  for (const target of rule.targets) {
    if (target.type === 'user') {
      out.push({ level, userId: target.id, scheduleId: null, start: null, end: null });
      continue;
    }
    const schedule = schedules.get(target.id);
    if (!schedule) continue;
    for (const s of shiftsAround(schedule, from, to)) {
      out.push({ level, userId: s.userId, scheduleId: schedule.id, start: s.start, end: s.end });
    }
  }
  return out;
}

/** Who is on call at `at` for one escalation level (1-based) of a policy. */
export function onCallForLevel(
  policy: EscalationPolicyRecord,
  level: number,
  at: number,
  schedules: ReadonlyMap<string, ScheduleRecord>,
): LevelOnCall[] {
  return onCallsForLevelInRange(policy, level, at, at, schedules);
}
