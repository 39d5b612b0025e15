/** Wall-clock hour, weekday and "HH:MM" in a person's IANA time zone, with cached formatters. */

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(timeZone: string): Intl.DateTimeFormat | null {
  if (formatters.has(timeZone)) return formatters.get(timeZone) ?? null;
  let f: Intl.DateTimeFormat | null = null;
  try {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    f = null;
  }
  if (formatters.size > 1000) formatters.clear();
  formatters.set(timeZone, f);
  return f;
}

export interface LocalTime {
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** `YYYY-MM-DD` in that zone. */
  date: string;
  zone: string;
}

const WEEKDAYS: Readonly<Record<string, number>> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Local time of `ms` in `timeZone`; falls back to UTC for unknown or invalid zones. */
export function localTime(ms: number, timeZone: string | undefined | null): LocalTime {
  const zone = timeZone && formatter(timeZone) ? timeZone : 'UTC';
  const f = formatter(zone) as Intl.DateTimeFormat;
  const parts: Record<string, string> = {};
  for (const p of f.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday ?? 'Mon'] ?? 1,
    date: `${parts.year}-${parts.month}-${parts.day}`,
    zone,
  };
}

/** True when the zone is a valid IANA zone name. */
export function isKnownZone(timeZone: string | undefined | null): boolean {
  return Boolean(timeZone && formatter(timeZone));
}
