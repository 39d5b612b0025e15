/**
 * Events API plumbing: Bolt acknowledges events before listeners run; here each delivery is deduplicated by its
 * `event_id` (Slack retries with `X-Slack-Retry-Num` carry the same id), and handler failures are logged with
 * the event type rather than crashing the receiver.
 */
import type { App } from '@slack/bolt';
import { claim, dedupeKey, type ListenerDeps } from '../shared.js';

export interface EventMeta {
  eventId: string | null;
  retryNum: number | null;
  botUserId: string | null;
  teamId: string | null;
}

/** Registers a handler for an event type, run at most once per `event_id`. */
export function onEvent(
  app: App,
  deps: ListenerDeps,
  type: 'message' | 'reaction_added' | 'app_mention' | 'member_joined_channel',
  handler: (event: Record<string, unknown>, meta: EventMeta) => Promise<void>,
): void {
  app.event(type, async ({ event, body, context }) => {
    const b = body as { event_id?: unknown; team_id?: unknown };
    const eventId = typeof b.event_id === 'string' ? b.event_id : null;
    const retryNum = typeof context.retryNum === 'number' ? context.retryNum : null;
    if (eventId && !(await claim(deps, dedupeKey('event', eventId)))) return;
    try {
      await handler(event as unknown as Record<string, unknown>, {
        eventId,
        retryNum,
        botUserId: typeof context.botUserId === 'string' ? context.botUserId : null,
        teamId: typeof b.team_id === 'string' ? b.team_id : null,
      });
    } catch (error) {
      deps.rt.logger.error({ err: error, type, eventId }, 'event handler failed');
    }
  });
}
