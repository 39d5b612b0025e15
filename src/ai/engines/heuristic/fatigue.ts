/**
 * On-call fatigue per person and per schedule: pages in the window, off-hours and sleep-hour pages in the
 * person's own time zone, the longest run of consecutive on-call days, the time-to-acknowledge trend (median of
 * the earlier half of the window vs the later half) and the escalation rate, combined into a 0–100 score.
 */
import type { z } from 'zod';
import type { FatigueInputSchema } from '../../schemas/inputs.js';
import type {
  FatigueFactors,
  FatigueResult,
  PersonFatigue,
  RiskLevel,
  ScheduleFatigue,
} from '../../schemas/results.js';
import { median } from './helpers.js';
import { localTime } from './local-time.js';

type FatigueFacts = z.infer<typeof FatigueInputSchema>;
type Page = FatigueFacts['pages'][number];

const DAY = 86_400_000;

/** Score components (sum of maxima = 100). */
const CAPS = { volume: 25, offHours: 20, sleep: 25, streak: 15, trend: 7.5, escalation: 7.5 } as const;

export function riskLevel(score: number): RiskLevel {
  if (score >= 75) return 'critical';
  if (score >= 50) return 'high';
  if (score >= 25) return 'moderate';
  return 'low';
}

function isOffHours(hour: number, weekday: number): boolean {
  return weekday === 0 || weekday === 6 || hour < 9 || hour >= 18;
}

function isSleepHour(hour: number): boolean {
  return hour >= 22 || hour < 7;
}

function ackTrend(early: number | null, late: number | null): FatigueFactors['ackTrend'] {
  if (early === null || late === null) return 'unknown';
  if (late > early * 1.25 && late - early >= 2) return 'worsening';
  if (late < early * 0.8 && early - late >= 2) return 'improving';
  return 'stable';
}

/** Longest run of consecutive calendar days (UTC) covered by shifts, within [from, to]. */
function longestStreak(shifts: ReadonlyArray<{ start: string; end: string }>, from: number, to: number): number {
  const days = new Set<number>();
  for (const s of shifts) {
    const a = Math.max(from, Date.parse(s.start));
    const b = Math.min(to, Date.parse(s.end));
    if (!(b > a)) continue;
    for (let d = Math.floor(a / DAY); d <= Math.floor((b - 1) / DAY) && days.size < 400; d++) days.add(d);
  }
  const sorted = [...days].sort((x, y) => x - y);
  let best = 0;
  let run = 0;
  for (let i = 0; i < sorted.length; i++) {
    run = i > 0 && sorted[i] === (sorted[i - 1] as number) + 1 ? run + 1 : 1;
    best = Math.max(best, run);
  }
  return best;
}

function factorsFor(
  pages: readonly Page[],
  timeZone: string | undefined,
  streak: number,
  from: number,
  to: number,
): FatigueFactors {
  let offHours = 0;
  let sleep = 0;
  let escalated = 0;
  const mid = from + (to - from) / 2;
  const early: number[] = [];
  const late: number[] = [];
  for (const p of pages) {
    const at = Date.parse(p.at);
    const lt = localTime(at, timeZone);
    if (isOffHours(lt.hour, lt.weekday)) offHours++;
    if (isSleepHour(lt.hour)) sleep++;
    if (p.escalated) escalated++;
    if (p.acknowledgedAt) {
      const ack = (Date.parse(p.acknowledgedAt) - at) / 60_000;
      if (Number.isFinite(ack) && ack >= 0) (at < mid ? early : late).push(ack);
    }
  }
  const e = median(early);
  const l = median(late);
  return {
    pages: pages.length,
    offHoursPages: offHours,
    sleepHourPages: sleep,
    consecutiveOnCallDays: streak,
    ackMinutesEarly: e === null ? null : Number(e.toFixed(1)),
    ackMinutesLate: l === null ? null : Number(l.toFixed(1)),
    ackTrend: ackTrend(e, l),
    escalationRate: pages.length === 0 ? 0 : Number((escalated / pages.length).toFixed(3)),
  };
}

function scoreOf(f: FatigueFactors, windowDays: number): number {
  // Volumes are normalised to a 30-day window.
  const scale = 30 / windowDays;
  const volume = Math.min(CAPS.volume, (CAPS.volume * f.pages * scale) / 40);
  const offHours = Math.min(CAPS.offHours, (CAPS.offHours * f.offHoursPages * scale) / 20);
  const sleep = Math.min(CAPS.sleep, (CAPS.sleep * f.sleepHourPages * scale) / 10);
  const streak = Math.min(CAPS.streak, (CAPS.streak * Math.max(0, f.consecutiveOnCallDays - 3)) / 11);
  const trend = f.ackTrend === 'worsening' ? CAPS.trend : 0;
  const escalation = f.pages < 3 ? 0 : Math.min(CAPS.escalation, (CAPS.escalation * f.escalationRate) / 0.3);
  return Number((volume + offHours + sleep + streak + trend + escalation).toFixed(1));
}

function recommendations(who: string, f: FatigueFactors, level: RiskLevel): string[] {
  const out: string[] = [];
  if (f.sleepHourPages >= 3) {
    out.push(
      `${who} was woken ${f.sleepHourPages} times: route overnight pages to a follow-the-sun or secondary rotation.`,
    );
  }
  if (f.consecutiveOnCallDays >= 7) {
    out.push(
      `${who} has been on call ${f.consecutiveOnCallDays} days in a row: give at least two days off call and cap shifts at one week.`,
    );
  }
  if (f.pages >= 25) out.push(`${f.pages} pages in the window: tune or remove the noisiest alerts paging ${who}.`);
  if (f.offHoursPages >= 10 && f.sleepHourPages < 3) {
    out.push(`${f.offHoursPages} off-hours pages: downgrade non-urgent alerts to low urgency outside business hours.`);
  }
  if (f.ackTrend === 'worsening') {
    out.push(
      `Acknowledgement is slowing (${f.ackMinutesEarly} → ${f.ackMinutesLate} min median): check in with ${who}, consider a handoff.`,
    );
  }
  if (f.escalationRate >= 0.3 && f.pages >= 3) {
    out.push(
      `${Math.round(f.escalationRate * 100)}% of pages escalated past ${who}: review contact methods and notification rules.`,
    );
  }
  if (out.length === 0) {
    out.push(level === 'low' ? `No action needed for ${who}.` : `Keep an eye on ${who}'s load over the next week.`);
  }
  return out.slice(0, 10);
}

/** Computes fatigue for every person and schedule. */
export function assessFatigue(f: FatigueFacts): FatigueResult {
  const to = Date.parse(f.now);
  const from = to - f.windowDays * DAY;
  const inWindow = f.pages.filter((p) => {
    const t = Date.parse(p.at);
    return t >= from && t <= to;
  });
  const pagesBy = new Map<string, Page[]>();
  for (const p of inWindow) {
    const list = pagesBy.get(p.personId);
    if (list) list.push(p);
    else pagesBy.set(p.personId, [p]);
  }
  const shiftsBy = new Map<string, Array<{ start: string; end: string }>>();
  for (const s of f.shifts) {
    const list = shiftsBy.get(s.personId);
    if (list) list.push(s);
    else shiftsBy.set(s.personId, [s]);
  }
  const scheduleZone = new Map<string, string | undefined>();
  for (const s of f.schedules)
    for (const id of s.personIds) if (!scheduleZone.has(id)) scheduleZone.set(id, s.timeZone);

  const people: PersonFatigue[] = f.people.map((person) => {
    const zone = person.timeZone ?? scheduleZone.get(person.id);
    const streak = longestStreak(shiftsBy.get(person.id) ?? [], from, to);
    const factors = factorsFor(pagesBy.get(person.id) ?? [], zone, streak, from, to);
    const score = scoreOf(factors, f.windowDays);
    const level = riskLevel(score);
    return {
      personId: person.id,
      name: person.name,
      riskLevel: level,
      score,
      factors,
      recommendations: recommendations(person.name, factors, level),
    };
  });
  people.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  const byId = new Map(people.map((p) => [p.personId, p]));

  const schedules: ScheduleFatigue[] = f.schedules.map((s) => {
    const members = s.personIds.map((id) => byId.get(id)).filter((p): p is PersonFatigue => p !== undefined);
    const tagged = inWindow.filter((p) => p.scheduleId === s.id);
    const pages = tagged.length > 0 ? tagged : inWindow.filter((p) => s.personIds.includes(p.personId));
    const streak = Math.max(0, ...members.map((m) => m.factors.consecutiveOnCallDays));
    const factors = factorsFor(pages, s.timeZone, streak, from, to);
    const scores = members.map((m) => m.score);
    const memberScore =
      scores.length === 0 ? 0 : 0.6 * Math.max(...scores) + (0.4 * scores.reduce((a, b) => a + b, 0)) / scores.length;
    // A schedule with few people carries its pages on fewer shoulders: score the per-person share too.
    const shareScore = scoreOf(
      {
        ...factors,
        pages: Math.round(factors.pages / Math.max(1, members.length)),
        offHoursPages: Math.round(factors.offHoursPages / Math.max(1, members.length)),
        sleepHourPages: Math.round(factors.sleepHourPages / Math.max(1, members.length)),
      },
      f.windowDays,
    );
    const score = Number(Math.min(100, Math.max(memberScore, shareScore)).toFixed(1));
    const level = riskLevel(score);
    const atRisk = members.filter((m) => m.riskLevel === 'high' || m.riskLevel === 'critical').map((m) => m.name);
    const recs = recommendations(`the ${s.name} rotation`, factors, level);
    if (members.length > 0 && members.length < 4 && level !== 'low') {
      recs.unshift(
        `Only ${members.length} ${members.length === 1 ? 'person shares' : 'people share'} ${s.name}: add people to the rotation.`,
      );
    }
    if (atRisk.length > 0) recs.unshift(`At risk: ${atRisk.join(', ')}.`);
    return {
      scheduleId: s.id,
      name: s.name,
      riskLevel: level,
      score,
      factors,
      peopleAtRisk: atRisk,
      recommendations: recs.slice(0, 10),
    };
  });
  schedules.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return { windowDays: f.windowDays, people, schedules };
}
