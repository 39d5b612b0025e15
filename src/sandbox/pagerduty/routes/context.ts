/**
 * What a REST route handler gets (parsed request, acting user, render context, the simulator's state and state
 * machine) and the shared helpers for PagerDuty's query conventions: `name[]` arrays, integers, booleans,
 * classic offset pagination and zod-checked bodies.
 */
import type { z } from 'zod';
import { invalidInput, PagerDutySimError } from '../errors.js';
import type { IdFactory } from '../ids.js';
import type { IncidentMachine } from '../incidents.js';
import type { SimState, UserRecord } from '../model.js';
import type { RenderContext } from '../render.js';

export interface SimContext {
  state: SimState;
  machine: IncidentMachine;
  ids: IdFactory;
}

export interface RouteContext {
  method: string;
  params: Record<string, string>;
  query: Query;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  now: number;
  /** Rendering in the request's `time_zone` (UTC when absent). */
  render: RenderContext;
  /** The `From` user (always set on write routes). */
  from: UserRecord | undefined;
  sim: SimContext;
}

export interface RouteResult {
  status: number;
  body: unknown;
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT';
  /** Path with `:name` placeholders, e.g. `/incidents/:id/notes`. */
  path: string;
  /** Requires a valid `From` header (PagerDuty's writes that declare `from_header`). */
  requiresFrom?: boolean;
  handle(ctx: RouteContext): RouteResult;
}

/** Read access to the query string with PagerDuty's conventions. Bad values throw 400 (2001). */
export interface Query {
  has(name: string): boolean;
  /** A scalar; repeated values are refused. */
  string(name: string): string | undefined;
  /** An array parameter, sent as `name[]=a&name[]=b`. Sending plain `name` is refused. */
  list(name: string): string[] | undefined;
  int(name: string): number | undefined;
  bool(name: string): boolean | undefined;
  names(): string[];
}

export function createQuery(params: URLSearchParams): Query {
  const values = (name: string): string[] => params.getAll(name);
  return {
    has: (name) => params.has(name) || params.has(`${name}[]`),
    string(name) {
      const all = values(name);
      if (all.length > 1) throw invalidInput(`${name} must be given once`);
      return all[0];
    },
    list(name) {
      if (params.has(name)) {
        throw invalidInput(`${name} must be passed as an array: ${name}[]=value (one per value)`);
      }
      const all = values(`${name}[]`).filter((v) => v !== '');
      return params.has(`${name}[]`) ? all : undefined;
    },
    int(name) {
      const raw = this.string(name);
      if (raw === undefined) return undefined;
      if (!/^-?\d+$/.test(raw)) throw invalidInput(`${name} must be an integer, got "${raw}"`);
      return Number(raw);
    },
    bool(name) {
      const raw = this.string(name);
      if (raw === undefined) return undefined;
      if (raw !== 'true' && raw !== 'false') throw invalidInput(`${name} must be true or false, got "${raw}"`);
      return raw === 'true';
    },
    names: () => [...new Set(params.keys())],
  };
}

/** Checks that every value of an array parameter is one of the allowed values. */
export function checkEnumList<T extends string>(
  name: string,
  values: string[] | undefined,
  allowed: readonly T[],
): T[] | undefined {
  if (values === undefined) return undefined;
  for (const v of values) {
    if (!(allowed as readonly string[]).includes(v)) {
      throw invalidInput(`${name}[] must be one of ${allowed.join(', ')}; got "${v}"`);
    }
  }
  return values as T[];
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;
export const MAX_OFFSET_PLUS_LIMIT = 10_000;

export interface Page<T> {
  items: T[];
  pagination: { limit: number; offset: number; more: boolean; total: number | null };
}

/**
 * Classic pagination: `limit` (default 25, capped at 100), `offset`, `total=true` for a count, and the 10,000
 * cap on offset + limit (400 beyond it).
 */
export function paginate<T>(items: readonly T[], query: Query): Page<T> {
  const requested = query.int('limit');
  if (requested !== undefined && requested < 1) throw invalidInput('limit must be a positive integer');
  const limit = Math.min(requested ?? DEFAULT_LIMIT, MAX_LIMIT);
  const offset = query.int('offset') ?? 0;
  if (offset < 0) throw invalidInput('offset must not be negative');
  if (offset + limit > MAX_OFFSET_PLUS_LIMIT) {
    throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', [
      `offset + limit must not exceed ${MAX_OFFSET_PLUS_LIMIT} (got ${offset} + ${limit}); narrow the query with filters such as since/until`,
    ]);
  }
  const total = query.bool('total') === true ? items.length : null;
  return {
    items: items.slice(offset, offset + limit),
    pagination: { limit, offset, more: offset + limit < items.length, total },
  };
}

/** Parses a body with zod; problems become one 400 (2001) listing every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw invalidInput(...errors);
}

export function requireFrom(ctx: RouteContext): UserRecord {
  if (!ctx.from) {
    throw new PagerDutySimError(
      400,
      2016,
      `You must specify a user's email address in the "From" header to perform this action`,
    );
  }
  return ctx.from;
}
