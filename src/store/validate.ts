/** Edge checks shared by the repositories: zod parsing into coded errors, and values Postgres can store. */
import type { z } from 'zod';
import { InvalidInputError } from '../shared/errors.js';
import { wellFormed } from '../shared/unicode.js';

/** Parses `value` with `schema`; on failure throws `InvalidInputError` naming every bad field. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(value)',
    message: issue.message,
  }));
  throw new InvalidInputError(`Invalid ${what}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
}

/** Postgres text cannot hold NUL; drop it (it never carries meaning in Slack or PagerDuty text). */
export function cleanText(text: string): string {
  return text.includes('\u0000') ? text.split('\u0000').join('') : text;
}

/**
 * Text as jsonb can hold it: no NUL, and no lone surrogate (JSON.stringify writes one as a `\ud83d` escape, which
 * Postgres refuses in jsonb: "invalid input syntax for type json"), replaced by U+FFFD as a UTF-8 encoder would.
 */
function jsonbText(text: string): string {
  return wellFormed(cleanText(text));
}

/**
 * Serialises a JSON value for a `$n::text::jsonb` parameter, with strings and object keys made storable
 * (`jsonbText`). Throws `InvalidInputError` for values JSON cannot represent (undefined, functions, BigInt, cycles)
 * or that exceed `maxBytes`.
 */
export function toJsonParam(value: unknown, what: string, maxBytes = 1_000_000): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value, (_key, v: unknown) => {
      if (typeof v === 'string') return jsonbText(v);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const keys = Object.keys(v);
      if (keys.every((k) => jsonbText(k) === k)) return v;
      return Object.fromEntries(keys.map((k) => [jsonbText(k), (v as Record<string, unknown>)[k]]));
    });
  } catch (error) {
    throw new InvalidInputError(`Invalid ${what}: not serialisable as JSON (${(error as Error).message})`, [
      { path: what, message: 'not serialisable as JSON' },
    ]);
  }
  if (json === undefined) {
    throw new InvalidInputError(`Invalid ${what}: a JSON value is required`, [
      { path: what, message: 'a JSON value is required (got undefined)' },
    ]);
  }
  if (Buffer.byteLength(json) > maxBytes) {
    throw new InvalidInputError(`Invalid ${what}: larger than ${maxBytes} bytes as JSON`, [
      { path: what, message: `larger than ${maxBytes} bytes as JSON` },
    ]);
  }
  return json;
}

/** A timestamp column value (Date from both drivers; strings tolerated) as epoch milliseconds. */
export function toMillis(value: unknown): number {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return new Date(String(value)).getTime();
}

/** Nullable timestamp column → Date | null. */
export function toDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : new Date(toMillis(value));
}
