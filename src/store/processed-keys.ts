/**
 * `processed_keys`: at-least-once deliveries (Slack `event_id`, action payloads, PagerDuty `X-Webhook-Id`) are
 * handled once. `claimOnce` is a single atomic statement, so exactly one caller wins across processes and
 * replicas; keys are remembered for 7 days (Slack retries for minutes, PagerDuty for hours).
 */
import { z } from 'zod';
import type { Clock } from '../shared/clock.js';
import type { Db } from './db.js';
import { parseInput } from './validate.js';

/** How long a claimed key blocks a repeat. */
export const DEDUPE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface ProcessedKeys {
  /**
   * True exactly once per key within the window, whoever asks (use a prefix per source, e.g.
   * `slack:event:Ev123`, `pagerduty:webhook:<X-Webhook-Id>`). Inside `store.transaction`, a rollback un-claims.
   */
  claimOnce(key: string): Promise<boolean>;
  /** Whether the key is claimed within the window. */
  has(key: string): Promise<boolean>;
  /** Forgets a claim so a redelivery is handled again (use when handling failed before anything was kept). */
  release(key: string): Promise<boolean>;
  /** Deletes keys older than the window; returns how many. */
  purge(): Promise<number>;
}

const Key = z
  .string()
  .min(1, 'must not be empty')
  .max(512, 'must be at most 512 characters')
  .refine((k) => !k.includes('\u0000'), 'must not contain NUL');

/** The `processed_keys` repository over `db`. */
export function createProcessedKeys(db: Db, deps: { clock: Clock; windowMs?: number }): ProcessedKeys {
  const windowMs = deps.windowMs ?? DEDUPE_WINDOW_MS;
  const cutoff = (): Date => new Date(deps.clock.now() - windowMs);

  return {
    async claimOnce(key) {
      const k = parseInput(Key, key, 'dedupe key');
      // A key older than the window counts as new even before `purge` has removed it.
      const { rows } = await db.query(
        `INSERT INTO processed_keys (key, claimed_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET claimed_at = EXCLUDED.claimed_at WHERE processed_keys.claimed_at < $3
         RETURNING 1 AS won`,
        [k, new Date(deps.clock.now()), cutoff()],
      );
      return rows.length === 1;
    },

    async has(key) {
      const k = parseInput(Key, key, 'dedupe key');
      const { rows } = await db.query('SELECT 1 FROM processed_keys WHERE key = $1 AND claimed_at >= $2', [
        k,
        cutoff(),
      ]);
      return rows.length === 1;
    },

    async release(key) {
      const k = parseInput(Key, key, 'dedupe key');
      const { rowCount } = await db.query('DELETE FROM processed_keys WHERE key = $1', [k]);
      return rowCount > 0;
    },

    async purge() {
      const { rowCount } = await db.query('DELETE FROM processed_keys WHERE claimed_at < $1', [cutoff()]);
      return rowCount;
    },
  };
}
