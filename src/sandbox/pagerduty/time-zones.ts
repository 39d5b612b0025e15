/**
 * Time-zone arithmetic on IANA zones with the platform's Intl data: wall-clock parts of an instant, the inverse
 * (wall clock → instant, resolving DST gaps and overlaps), and PagerDuty-style ISO 8601 rendering.
 *
 * "Wall milliseconds" are the local date and time of a zone written as if they were UTC
 * (`Date.UTC(year, month, day, hour, minute, second)`), which makes calendar arithmetic in a zone plain addition.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when Node knows the IANA zone. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function intlOffsetMinutes(ms: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((wall - Math.floor(ms / 1000) * 1000) / 60000);
}

const DAY_MS = 86_400_000;
const QUARTER_MS = 900_000;
/** Per zone: offset at the start of each UTC day, and exact offsets per quarter hour on transition days. */
const dayOffsets = new Map<string, Map<number, number>>();
const quarterOffsets = new Map<string, Map<number, number>>();

function cached(map: Map<string, Map<number, number>>, timeZone: string, key: number, compute: () => number): number {
  let zone = map.get(timeZone);
  if (!zone) {
    zone = new Map();
    map.set(timeZone, zone);
  }
  let value = zone.get(key);
  if (value === undefined) {
    value = compute();
    zone.set(key, value);
  }
  return value;
}

/**
 * UTC offset of `timeZone` at instant `ms`, in minutes (e.g. -300 for New York in winter). Cached: a day whose
 * start and end share an offset has it throughout; on transition days the offset is looked up per quarter hour
 * (zone transitions happen on quarter hours of UTC).
 */
export function offsetMinutes(ms: number, timeZone: string): number {
  const day = Math.floor(ms / DAY_MS);
  const start = cached(dayOffsets, timeZone, day, () => intlOffsetMinutes(day * DAY_MS, timeZone));
  const end = cached(dayOffsets, timeZone, day + 1, () => intlOffsetMinutes((day + 1) * DAY_MS, timeZone));
  if (start === end) return start;
  const quarter = Math.floor(ms / QUARTER_MS);
  return cached(quarterOffsets, timeZone, quarter, () => intlOffsetMinutes(quarter * QUARTER_MS, timeZone));
}

/** The wall-clock time of `ms` in `timeZone`, as wall milliseconds (whole seconds). */
export function toWall(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return whole + offsetMinutes(whole, timeZone) * 60000;
}

/**
 * The instant at which the wall clock of `timeZone` shows `wall`. In a DST gap (a wall time that never
 * happens) the clock is pushed forward by the gap, as PagerDuty and most calendars do; in an overlap (a wall
 * time that happens twice) the earlier instant wins.
 */
export function fromWall(wall: number, timeZone: string): number {
  // Candidate offsets: those in force a day either side cover every transition in practice.
  const offsets = new Set<number>([
    offsetMinutes(wall - 86_400_000, timeZone),
    offsetMinutes(wall, timeZone),
    offsetMinutes(wall + 86_400_000, timeZone),
  ]);
  const matches: number[] = [];
  for (const off of offsets) {
    const candidate = wall - off * 60000;
    if (toWall(candidate, timeZone) === Math.floor(wall / 1000) * 1000) matches.push(candidate);
  }
  if (matches.length > 0) return Math.min(...matches);
  // Gap: use the offset from before the transition, which lands after it.
  const before = offsetMinutes(wall - 86_400_000, timeZone);
  return wall - before * 60000;
}

function pad(n: number, width = 2): string {
  return String(Math.abs(n)).padStart(width, '0');
}

/**
 * ISO 8601 rendering in a zone, as PagerDuty writes it: `2015-11-09T08:00:00-05:00`, or with `Z` for UTC.
 * Seconds precision.
 */
export function formatInZone(ms: number, timeZone = 'UTC'): string {
  const whole = Math.floor(ms / 1000) * 1000;
  if (timeZone === 'UTC' || timeZone === 'Etc/UTC') return `${new Date(whole).toISOString().slice(0, 19)}Z`;
  const off = offsetMinutes(whole, timeZone);
  const wall = new Date(whole + off * 60000).toISOString().slice(0, 19);
  const sign = off < 0 ? '-' : '+';
  return `${wall}${sign}${pad(Math.trunc(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
}

/** UTC rendering with `Z` and seconds precision (what PagerDuty uses for created_at and friends). */
export function isoUtc(ms: number): string {
  return formatInZone(ms, 'UTC');
}

const ISO_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses an ISO 8601 date or date-time as PagerDuty accepts it in `since`/`until`. A value without an offset is
 * read in `defaultZone`. Returns undefined for anything else.
 */
export function parseTimestamp(value: string, defaultZone = 'UTC'): number | undefined {
  const m = ISO_PATTERN.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Math.round(Number(`0.${frac}`) * 1000);
  const wall = Date.UTC(Number(y), month - 1, day, hour, minute, second, millis);
  const check = new Date(wall);
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  if (zone === undefined) return fromWall(wall, defaultZone);
  if (zone === 'Z' || zone === 'z') return wall;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  return wall - offset * 60000;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a wall time. */
export function wallWeekday(wall: number): number {
  const day = new Date(wall).getUTCDay();
  return day === 0 ? 7 : day;
}

/** Start of the wall day containing `wall`. */
export function wallStartOfDay(wall: number): number {
  return Math.floor(wall / 86_400_000) * 86_400_000;
}

/** Seconds since local midnight of a `HH:MM:SS` time of day. */
export function secondsOfDay(timeOfDay: string): number {
  const [h = '0', m = '0', s = '0'] = timeOfDay.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
