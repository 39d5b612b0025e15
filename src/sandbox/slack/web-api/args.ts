import { z } from 'zod';
import { AppError, ErrorCode } from '../../../shared/errors.js';

/** A Slack Web API error answer (`ok: false`), raised by method handlers and turned into the HTTP 200 reply. */
export class SlackMethodError extends AppError {
  readonly error: string;
  readonly extra: Record<string, unknown>;

  constructor(error: string, extra: Record<string, unknown> = {}) {
    super(ErrorCode.SlackApi, error, { details: { error, ...extra } });
    this.name = 'SlackMethodError';
    this.error = error;
    this.extra = extra;
  }
}

export function slackError(error: string, extra: Record<string, unknown> = {}): SlackMethodError {
  return new SlackMethodError(error, extra);
}

/** Form values arrive as strings; JSON bodies carry real booleans. Slack accepts both, and 1/0. */
export const flag = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0', ''])])
  .transform((v) => v === true || v === 'true' || v === '1');

/** An id-like string argument. */
export const id = z.string().min(1);

/** An integer that may arrive as a string. */
export const int = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);

/** A JSON-encoded structure (the SDK sends `blocks`, `view`, `attachments` as JSON strings in form bodies). */
export function jsonArg(errorForMalformed: string): z.ZodType<unknown> {
  return z.unknown().transform((value, ctx) => {
    if (typeof value !== 'string') return value;
    if (value.trim() === '') return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: errorForMalformed });
      return z.NEVER;
    }
  });
}

/** `a,b,c` (form) or an array (JSON) → string[]. */
export const csv = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s !== ''));

/**
 * Parses method arguments with zod. A missing required field answers `invalid_arguments` with Slack's
 * `[ERROR] missing required field: x` messages; a custom issue message that is a Slack error code (e.g.
 * `invalid_blocks_format`) answers that error.
 */
export function parseArgs<S extends z.ZodType>(schema: S, args: Record<string, unknown>): z.output<S> {
  const result = schema.safeParse(args);
  if (result.success) return result.data;
  const custom = result.error.issues.find((i) => i.code === 'custom' && /^[a-z_]+$/.test(i.message));
  if (custom) throw slackError(custom.message);
  const messages = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    const missing = issue.code === 'invalid_type' && args[String(issue.path[0])] === undefined;
    return missing
      ? `[ERROR] missing required field: ${field}`
      : `[ERROR] invalid value for field: ${field} (${issue.message})`;
  });
  throw slackError('invalid_arguments', { response_metadata: { messages } });
}

/** Opaque cursor over an offset, as Slack's `next_cursor` (base64 of `offset:N`). */
export function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64');
}

export function decodeCursor(cursor: string | undefined): number {
  if (cursor === undefined || cursor === '') return 0;
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match) throw slackError('invalid_cursor');
  return Number(match[1]);
}

/** Pages `items` by `limit` from `cursor`; returns the page and Slack's response_metadata. */
export function paginate<T>(
  items: readonly T[],
  cursor: string | undefined,
  limit: number,
): { page: T[]; hasMore: boolean; response_metadata: { next_cursor: string } } {
  const start = decodeCursor(cursor);
  const page = items.slice(start, start + limit);
  const hasMore = start + limit < items.length;
  return { page, hasMore, response_metadata: { next_cursor: hasMore ? encodeCursor(start + limit) : '' } };
}
