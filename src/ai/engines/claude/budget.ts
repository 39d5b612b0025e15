/**
 * Input token budget. The prompt is estimated at 3.5 characters per token (conservative for English and JSON:
 * Claude tokenisers average about 4). When an operation's data is over budget it is trimmed in steps, each
 * stricter than the last, until it fits:
 *
 * 1. long texts are clipped (descriptions, notes, messages, alert details, resolutions) with a "…[clipped]" mark;
 * 2. timelines keep every milestone (trigger, acknowledge, escalate, reassign, priority/urgency change, reopen,
 *    resolve) plus the first and the last entries, and one marker entry saying how many were omitted;
 * 3. channel messages and notes keep the first few and the most recent; alerts keep the first and last, with a
 *    count of omitted ones;
 * 4. history keeps the most similar past incidents; correlation keeps the most recent incidents; fatigue keeps
 *    the most recent pages and shifts (the baseline already carries the computed factors for all of them).
 *
 * If even the strictest step does not fit, the call is not made and the engine falls back to the heuristic.
 */

/** Estimated tokens of a text (3.5 characters per token, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3.5);
}

interface Level {
  /** Longest string kept anywhere. */
  text: number;
  /** Timeline / messages / notes: entries kept from the start and from the end. */
  head: number;
  tail: number;
  /** Past incidents, alerts, candidates, services kept. */
  list: number;
  /** Incidents (correlation) and pages/shifts (fatigue) kept. */
  bulk: number;
}

export const TRIM_LEVELS: readonly Level[] = [
  { text: 4000, head: 40, tail: 200, list: 40, bulk: 600 },
  { text: 1500, head: 20, tail: 80, list: 20, bulk: 300 },
  { text: 600, head: 10, tail: 30, list: 10, bulk: 150 },
  { text: 250, head: 5, tail: 12, list: 5, bulk: 60 },
];

const MILESTONES = new Set([
  'trigger',
  'acknowledge',
  'escalate',
  'assign',
  'priority_change',
  'urgency_change',
  'reopen',
  'resolve',
]);

function clipText(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}…[clipped ${value.length - max} chars]`;
}

function clipStrings(value: unknown, max: number): unknown {
  if (typeof value === 'string') return clipText(value, max);
  if (Array.isArray(value)) return value.map((v) => clipStrings(v, max));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = clipStrings(v, max);
    return out;
  }
  return value;
}

function headTail<T>(items: readonly T[], head: number, tail: number, marker: (omitted: number) => T): T[] {
  if (items.length <= head + tail) return [...items];
  return [...items.slice(0, head), marker(items.length - head - tail), ...items.slice(items.length - tail)];
}

type Entry = { at?: string; kind?: string; summary?: string };

function trimTimeline(entries: readonly Entry[], level: Level): Entry[] {
  if (entries.length <= level.head + level.tail) return [...entries];
  const keep = new Set<number>();
  entries.forEach((e, i) => {
    if (i < level.head || i >= entries.length - level.tail) keep.add(i);
    else if (e.kind && MILESTONES.has(e.kind) && keep.size < level.head + level.tail + level.list * 2) keep.add(i);
  });
  const out: Entry[] = [];
  let omitted = 0;
  entries.forEach((e, i) => {
    if (keep.has(i)) {
      if (omitted > 0) {
        out.push({
          at: e.at,
          kind: 'other',
          summary: `… ${omitted} timeline entries omitted to fit the token budget …`,
        });
        omitted = 0;
      }
      out.push(e);
    } else {
      omitted++;
    }
  });
  return out;
}

function latest<T extends Record<string, unknown>>(items: readonly T[], key: string, n: number): T[] {
  if (items.length <= n) return [...items];
  return [...items].sort((a, b) => String(b[key] ?? '').localeCompare(String(a[key] ?? ''))).slice(0, n);
}

/** Applies one trim level to an operation's data (a parsed engine input). */
export function trimData(
  data: Record<string, unknown>,
  level: Level,
): { data: Record<string, unknown>; notes: string[] } {
  const notes: string[] = [];
  const out: Record<string, unknown> = { ...data };
  const arr = (key: string): Array<Record<string, unknown>> | null =>
    Array.isArray(out[key]) ? (out[key] as Array<Record<string, unknown>>) : null;

  const timeline = arr('timeline');
  if (timeline && timeline.length > level.head + level.tail) {
    out.timeline = trimTimeline(timeline as Entry[], level);
    notes.push(`timeline: kept ${(out.timeline as unknown[]).length} of ${timeline.length} entries`);
  }
  for (const key of ['channelMessages', 'notes']) {
    const list = arr(key);
    if (list && list.length > level.head + level.tail) {
      out[key] = headTail(list, level.head, level.tail, (n) => ({
        at: '',
        author: 'incident-bot',
        text: `… ${n} omitted …`,
        content: `… ${n} omitted …`,
      }));
      notes.push(`${key}: kept ${level.head + level.tail} of ${list.length}`);
    }
  }
  const alerts = arr('alerts');
  if (alerts && alerts.length > level.list * 2) {
    out.alerts = [...alerts.slice(0, level.list), ...alerts.slice(-level.list)];
    out.alertsOmitted = alerts.length - level.list * 2;
    notes.push(`alerts: kept ${level.list * 2} of ${alerts.length}`);
  }
  for (const key of ['history', 'candidates', 'services', 'onCalls', 'schedules']) {
    const list = arr(key);
    if (list && list.length > level.list * (key === 'history' ? 1 : 4)) {
      const n = level.list * (key === 'history' ? 1 : 4);
      out[key] = list.slice(0, n);
      notes.push(`${key}: kept ${n} of ${list.length}`);
    }
  }
  const incidents = arr('incidents');
  if (incidents && incidents.length > level.bulk) {
    out.incidents = latest(incidents, 'createdAt', level.bulk);
    notes.push(`incidents: kept the ${level.bulk} most recent of ${incidents.length}`);
  }
  for (const key of ['pages', 'shifts']) {
    const list = arr(key);
    if (list && list.length > level.bulk) {
      out[key] = latest(list, key === 'pages' ? 'at' : 'start', level.bulk);
      notes.push(`${key}: kept the ${level.bulk} most recent of ${list.length}`);
    }
  }
  return { data: clipStrings(out, level.text) as Record<string, unknown>, notes };
}

/**
 * Trims `data` until `render(data)` fits `budgetTokens`. Returns null when even the strictest level does not fit.
 */
export function fitToBudget(
  data: Record<string, unknown>,
  budgetTokens: number,
  render: (data: Record<string, unknown>) => string,
): { data: Record<string, unknown>; tokens: number; notes: string[] } | null {
  const whole = estimateTokens(render(data));
  if (whole <= budgetTokens) return { data, tokens: whole, notes: [] };
  for (const level of TRIM_LEVELS) {
    const trimmed = trimData(data, level);
    const tokens = estimateTokens(render(trimmed.data));
    if (tokens <= budgetTokens) return { data: trimmed.data, tokens, notes: trimmed.notes };
  }
  return null;
}
