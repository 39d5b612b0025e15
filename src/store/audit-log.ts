/**
 * `audit_log`: every write made through any front (Slack, MCP, CLI, webhook automation, sandbox), who made it,
 * with which tool and input, and how it ended. Rows are never updated; they are kept until an operator deletes
 * them.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { Instant, PagerDutyId, SlackId } from './ids.js';
import { cleanText, parseInput, toJsonParam, toMillis } from './validate.js';

export const AUDIT_SURFACES = ['slack', 'mcp', 'cli', 'webhook', 'sandbox'] as const;
export type AuditSurface = (typeof AUDIT_SURFACES)[number];

/** Inputs larger than this (as JSON) are stored as a truncated preview. */
export const AUDIT_INPUT_MAX_BYTES = 64 * 1024;

/** Same shape as the tool catalogue's `Actor`. */
export interface AuditActor {
  surface: AuditSurface;
  email?: string | null | undefined;
  slackUserId?: string | null | undefined;
  pagerdutyUserId?: string | null | undefined;
}

export interface AuditEntryInput {
  actor: AuditActor;
  /** Tool name, e.g. `acknowledge_incident`. */
  tool: string;
  /** The tool input as given (JSON). */
  input: unknown;
  outcome: 'ok' | 'error';
  /** For `outcome: 'error'`: an Error/AppError or `{ code, message }`. */
  error?: unknown;
  /** Defaults to `input.incident_id` / `input.incidentId` when that is a string. */
  incidentId?: string | null | undefined;
  durationMs?: number | undefined;
  /** Defaults to now. */
  at?: Date | number | undefined;
}

export interface AuditEntry {
  id: string;
  at: Date;
  surface: AuditSurface;
  email: string | null;
  slackUserId: string | null;
  pagerdutyUserId: string | null;
  tool: string;
  incidentId: string | null;
  input: unknown;
  outcome: 'ok' | 'error';
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number | null;
}

export interface AuditListOptions {
  incidentId?: string;
  tool?: string;
  surface?: AuditSurface;
  since?: Date | number;
  /** Default 100, at most 1,000. */
  limit?: number;
}

export interface AuditLog {
  /** Appends one row and returns it. */
  record(entry: AuditEntryInput): Promise<AuditEntry>;
  /** Newest first, filtered. */
  list(options?: AuditListOptions): Promise<AuditEntry[]>;
}

const ToolName = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a snake_case tool name');

const ActorSchema = z.object({
  surface: z.enum(AUDIT_SURFACES),
  email: z.email('expected an email address').max(320).nullable().optional(),
  slackUserId: SlackId.nullable().optional(),
  pagerdutyUserId: PagerDutyId.nullable().optional(),
});

const EntrySchema = z
  .strictObject({
    actor: ActorSchema,
    tool: ToolName,
    input: z.unknown(),
    outcome: z.enum(['ok', 'error']),
    error: z.unknown().optional(),
    incidentId: PagerDutyId.nullable().optional(),
    durationMs: z.number().finite().min(0).max(2_147_483_647).optional(),
    at: Instant.optional(),
  })
  .refine((e) => e.outcome === 'ok' || e.error !== undefined, {
    path: ['error'],
    message: 'required when outcome is error',
  });

const ListSchema = z.strictObject({
  incidentId: PagerDutyId.optional(),
  tool: ToolName.optional(),
  surface: z.enum(AUDIT_SURFACES).optional(),
  since: Instant.optional(),
  limit: z.number().int().min(1).max(1000).optional(),
});

function describe(error: unknown): { code: string | null; message: string } {
  if (error && typeof error === 'object') {
    const e = error as { code?: unknown; message?: unknown };
    const message = typeof e.message === 'string' ? e.message : JSON.stringify(error);
    return { code: typeof e.code === 'string' ? e.code : null, message };
  }
  return { code: null, message: String(error) };
}

function incidentFromInput(input: unknown): string | null {
  if (!input || typeof input !== 'object') return null;
  const v = (input as Record<string, unknown>).incident_id ?? (input as Record<string, unknown>).incidentId;
  return typeof v === 'string' && PagerDutyId.safeParse(v).success ? v : null;
}

function inputJson(input: unknown): string {
  const json = toJsonParam(input ?? null, 'audit input', Number.MAX_SAFE_INTEGER);
  if (Buffer.byteLength(json) <= AUDIT_INPUT_MAX_BYTES) return json;
  return JSON.stringify({ truncated: true, bytes: Buffer.byteLength(json), preview: json.slice(0, 4000) });
}

interface Row {
  id: number | string;
  at: Date;
  surface: AuditSurface;
  slack_user_id: string | null;
  pagerduty_user_id: string | null;
  email: string | null;
  tool: string;
  incident_id: string | null;
  input: unknown;
  outcome: 'ok' | 'error';
  error_code: string | null;
  error_message: string | null;
  duration_ms: number | null;
}

function fromRow(r: Row): AuditEntry {
  return {
    id: String(r.id),
    at: new Date(toMillis(r.at)),
    surface: r.surface,
    email: r.email,
    slackUserId: r.slack_user_id,
    pagerdutyUserId: r.pagerduty_user_id,
    tool: r.tool,
    incidentId: r.incident_id,
    input: r.input,
    outcome: r.outcome,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    durationMs: r.duration_ms,
  };
}

/** The `audit_log` repository over `db`. */
export function createAuditLog(db: Db, deps: { clock: Clock }): AuditLog {
  return {
    async record(entry) {
      const e = parseInput(EntrySchema, entry, 'audit entry');
      const failure = e.outcome === 'error' ? describe(e.error) : undefined;
      const { rows } = await db.query<Row>(
        `INSERT INTO audit_log (at, surface, slack_user_id, pagerduty_user_id, email, tool, incident_id, input,
                                outcome, error_code, error_message, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10, $11, $12)
         RETURNING *`,
        [
          e.at ?? new Date(deps.clock.now()),
          e.actor.surface,
          e.actor.slackUserId ?? null,
          e.actor.pagerdutyUserId ?? null,
          e.actor.email ?? null,
          e.tool,
          e.incidentId ?? incidentFromInput(e.input),
          inputJson(e.input),
          e.outcome,
          failure?.code ?? null,
          failure ? cleanText(failure.message).slice(0, 4000) : null,
          e.durationMs === undefined ? null : Math.round(e.durationMs),
        ],
      );
      return fromRow(rows[0] as Row);
    },

    async list(options = {}) {
      const o = parseInput(ListSchema, options, 'audit list options');
      const { rows } = await db.query<Row>(
        `SELECT * FROM audit_log
         WHERE ($1::text IS NULL OR incident_id = $1)
           AND ($2::text IS NULL OR tool = $2)
           AND ($3::text IS NULL OR surface = $3)
           AND ($4::timestamptz IS NULL OR at >= $4)
         ORDER BY at DESC, id DESC
         LIMIT $5`,
        [o.incidentId ?? null, o.tool ?? null, o.surface ?? null, o.since ?? null, o.limit ?? 100],
      );
      return rows.map(fromRow);
    },
  };
}
