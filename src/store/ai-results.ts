/**
 * `ai_results`: AI outputs cached by (incident, kind, engine, input hash), with the tokens they cost. Implements
 * the AI contract's `AiResultCache` (src/ai/contract.ts) structurally. Entries older than the TTL (30 days by
 * default) read as missing and are deleted by `purge`.
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { Instant, PagerDutyId } from './ids.js';
import { parseInput, toJsonParam } from './validate.js';

export const AI_RESULT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export interface AiResultKey {
  incidentId: string | null;
  kind: string;
  /** The engine's cache id (engine + model/version). */
  engine: string;
  inputHash: string;
}

export interface AiTokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

export interface AiUsageTotals {
  results: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
}

export interface AiResults {
  /** The cached value (any JSON, `null` included), or undefined when absent or expired. */
  get(key: AiResultKey): Promise<unknown | undefined>;
  /** Stores or replaces the value for `key`. */
  put(key: AiResultKey, value: unknown, usage?: AiTokenUsage): Promise<void>;
  /** Token totals of results stored since `since` (all when omitted), by the engine that spent them. */
  usage(options?: { since?: Date | number; engine?: string }): Promise<AiUsageTotals>;
  /** Deletes entries older than the TTL; returns how many. */
  purge(): Promise<number>;
}

const KeySchema = z.object({
  incidentId: PagerDutyId.nullable(),
  kind: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'expected a snake_case kind'),
  engine: z.string().min(1, 'must not be empty').max(200).regex(/^\S+$/, 'must not contain spaces'),
  inputHash: z.string().min(1, 'must not be empty').max(256).regex(/^\S+$/, 'must not contain spaces'),
});

const Tokens = z.number().int().min(0).max(2_147_483_647);
const UsageSchema = z.object({
  inputTokens: Tokens,
  outputTokens: Tokens,
  cacheReadTokens: Tokens.optional(),
  cacheWriteTokens: Tokens.optional(),
});

const UsageOptions = z.strictObject({ since: Instant.optional(), engine: z.string().max(200).optional() });

/** The `ai_results` repository over `db`. */
export function createAiResults(db: Db, deps: { clock: Clock; ttlMs?: number }): AiResults {
  const ttlMs = deps.ttlMs ?? AI_RESULT_TTL_MS;
  const cutoff = (): Date => new Date(deps.clock.now() - ttlMs);

  return {
    async get(key) {
      const k = parseInput(KeySchema, key, 'AI cache key');
      const { rows } = await db.query<{ value: unknown }>(
        `SELECT value FROM ai_results
         WHERE incident_id IS NOT DISTINCT FROM $1 AND kind = $2 AND engine = $3 AND input_hash = $4
           AND created_at >= $5`,
        [k.incidentId, k.kind, k.engine, k.inputHash, cutoff()],
      );
      return rows[0] ? rows[0].value : undefined;
    },

    async put(key, value, usage) {
      const k = parseInput(KeySchema, key, 'AI cache key');
      const u = usage === undefined ? undefined : parseInput(UsageSchema, usage, 'token usage');
      const json = toJsonParam(value, 'AI result', 4_000_000);
      await db.query(
        `INSERT INTO ai_results (incident_id, kind, engine, input_hash, value, input_tokens, output_tokens,
                                 cache_read_tokens, cache_write_tokens, created_at)
         VALUES ($1, $2, $3, $4, $5::text::jsonb, $6, $7, $8, $9, $10)
         ON CONFLICT ON CONSTRAINT ai_results_key DO UPDATE SET
           value = EXCLUDED.value, input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
           cache_read_tokens = EXCLUDED.cache_read_tokens, cache_write_tokens = EXCLUDED.cache_write_tokens,
           created_at = EXCLUDED.created_at`,
        [
          k.incidentId,
          k.kind,
          k.engine,
          k.inputHash,
          json,
          u?.inputTokens ?? 0,
          u?.outputTokens ?? 0,
          u?.cacheReadTokens ?? 0,
          u?.cacheWriteTokens ?? 0,
          new Date(deps.clock.now()),
        ],
      );
    },

    async usage(options = {}) {
      const o = parseInput(UsageOptions, options, 'AI usage options');
      const { rows } = await db.query<Record<keyof AiUsageTotals, number>>(
        `SELECT count(*)::int AS results,
                coalesce(sum(input_tokens), 0)::float8 AS "inputTokens",
                coalesce(sum(output_tokens), 0)::float8 AS "outputTokens",
                coalesce(sum(cache_read_tokens), 0)::float8 AS "cacheReadTokens",
                coalesce(sum(cache_write_tokens), 0)::float8 AS "cacheWriteTokens"
         FROM ai_results
         WHERE ($1::timestamptz IS NULL OR created_at >= $1) AND ($2::text IS NULL OR engine = $2)`,
        [o.since ?? null, o.engine ?? null],
      );
      const r = rows[0];
      return {
        results: Number(r?.results ?? 0),
        inputTokens: Number(r?.inputTokens ?? 0),
        outputTokens: Number(r?.outputTokens ?? 0),
        cacheReadTokens: Number(r?.cacheReadTokens ?? 0),
        cacheWriteTokens: Number(r?.cacheWriteTokens ?? 0),
      };
    },

    async purge() {
      const { rowCount } = await db.query('DELETE FROM ai_results WHERE created_at < $1', [cutoff()]);
      return rowCount;
    },
  };
}
