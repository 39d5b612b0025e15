/**
 * `--pretty`: a readable rendering of a tool result for a terminal. Lists become an aligned table of their
 * scalar fields; objects become `key: value` lines. JSON (the default) stays the format for scripts.
 */

const MAX_CELL = 60;

const REF_KEYS = new Set(['id', 'name', 'type', 'summary', 'email']);

function isRef(o: Record<string, unknown>): boolean {
  const keys = Object.keys(o);
  return (
    keys.length > 0 && keys.every((k) => REF_KEYS.has(k)) && (typeof o.name === 'string' || typeof o.id === 'string')
  );
}

/** One-line text for a value, or undefined when it needs more than a line (a nested object). */
function scalar(value: unknown, short = true): string | undefined {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => scalar(v, true));
    return parts.every((p) => p !== undefined) ? parts.join(', ') : undefined;
  }
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (isRef(o)) {
      const name = typeof o.name === 'string' ? o.name : typeof o.summary === 'string' ? o.summary : undefined;
      if (name === undefined) return String(o.id);
      return short || typeof o.id !== 'string' ? name : `${name} (${o.id})`;
    }
    // An on-call or a responder: the person is what matters in one cell.
    if (short && o.user && typeof o.user === 'object') return scalar(o.user, true);
  }
  return undefined;
}

function cell(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

/** Aligned columns for a list of objects (only fields that read as one value). */
export function renderTable(items: readonly Record<string, unknown>[]): string {
  if (items.length === 0) return '(none)';
  const columns: string[] = [];
  for (const item of items) {
    for (const [key, value] of Object.entries(item)) {
      if (!columns.includes(key) && scalar(value) !== undefined && key !== 'html_url') columns.push(key);
    }
  }
  const rows = items.map((item) => columns.map((c) => cell(scalar(item[c]) ?? '')));
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string =>
    cells
      .map((text, i) => text.padEnd(widths[i] as number))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.toUpperCase())), ...rows.map(line)].join('\n');
}

function renderObject(value: Record<string, unknown>, indent = ''): string {
  const lines: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    const text = scalar(field, false);
    if (text !== undefined) {
      lines.push(`${indent}${key}: ${text}`);
    } else if (Array.isArray(field)) {
      lines.push(`${indent}${key}:`);
      const objects = field.filter((f): f is Record<string, unknown> => !!f && typeof f === 'object');
      lines.push(
        ...renderTable(objects)
          .split('\n')
          .map((l) => `${indent}  ${l}`),
      );
    } else if (field && typeof field === 'object') {
      lines.push(`${indent}${key}:`, renderObject(field as Record<string, unknown>, `${indent}  `));
    }
  }
  return lines.join('\n');
}

/** Renders any tool result for a person. */
export function renderPretty(result: unknown): string {
  if (result && typeof result === 'object' && !Array.isArray(result)) {
    const o = result as Record<string, unknown>;
    if (Array.isArray(o.items)) {
      const table = renderTable(o.items as Record<string, unknown>[]);
      return typeof o.summary === 'string' ? `${table}\n\n${o.summary}` : table;
    }
    return renderObject(o);
  }
  return scalar(result) ?? JSON.stringify(result, null, 2);
}
