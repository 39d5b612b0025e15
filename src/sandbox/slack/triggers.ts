import type { Clock } from '../../shared/clock.js';
import type { IdGenerator } from './ids.js';
import { slackError } from './web-api/args.js';

/** Slack's trigger_id lifetime. */
export const TRIGGER_TTL_MS = 3000;

export interface TriggerRegistry {
  /** A fresh trigger_id for an interaction by `userId`. */
  issue(userId: string): string;
  /** Uses a trigger_id once; throws `invalid_trigger_id` / `expired_trigger_id` / `exchanged_trigger_id`. */
  consume(triggerId: string): { userId: string };
}

/** trigger_ids valid for 3 s (by the injected clock) and single use, as views.open / views.push enforce. */
export function createTriggerRegistry(clock: Clock, ids: IdGenerator): TriggerRegistry {
  const triggers = new Map<string, { userId: string; issuedAt: number; used: boolean }>();
  return {
    issue(userId) {
      const now = clock.now();
      const triggerId = ids.triggerId(now);
      triggers.set(triggerId, { userId, issuedAt: now, used: false });
      return triggerId;
    },
    consume(triggerId) {
      const trigger = triggers.get(triggerId);
      if (!trigger) throw slackError('invalid_trigger_id');
      if (trigger.used) throw slackError('exchanged_trigger_id');
      if (clock.now() - trigger.issuedAt > TRIGGER_TTL_MS) throw slackError('expired_trigger_id');
      trigger.used = true;
      return { userId: trigger.userId };
    },
  };
}
