import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** Characters of messages one session keeps for resumption, by default (oldest dropped first). */
export const DEFAULT_EVENT_STORE_CHARS = 2_000_000;

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
  size: number;
}

/**
 * The events of one HTTP session's SSE streams, kept so a client whose stream broke mid-call (a long AI
 * analysis, a laptop waking up) can reconnect with `Last-Event-ID` and receive what it missed instead of calling
 * again. Bounded by total message size: the oldest events go first, and a client asking to resume from one of
 * them is refused (it then re-sends its request). With a store the SDK also sends each stream a priming event
 * (an event id and a `retry` hint), as the 2025-11-25 protocol recommends.
 */
export function createEventStore(maxChars = DEFAULT_EVENT_STORE_CHARS): EventStore {
  const events: StoredEvent[] = [];
  const byId = new Map<EventId, StoredEvent>();
  let size = 0;
  let counter = 0;

  return {
    async storeEvent(streamId, message) {
      counter += 1;
      const event: StoredEvent = {
        id: `${streamId}:${counter}`,
        streamId,
        message,
        size: JSON.stringify(message).length,
      };
      events.push(event);
      byId.set(event.id, event);
      size += event.size;
      while (size > maxChars && events.length > 1) {
        const dropped = events.shift() as StoredEvent;
        byId.delete(dropped.id);
        size -= dropped.size;
      }
      return event.id;
    },

    async getStreamIdForEventId(eventId) {
      return byId.get(eventId)?.streamId;
    },

    async replayEventsAfter(lastEventId, { send }) {
      const last = byId.get(lastEventId);
      if (!last) throw new Error(`Event ${lastEventId} is unknown or no longer kept; send the request again`);
      const start = events.indexOf(last) + 1;
      for (const event of events.slice(start)) {
        // Priming events carry no message; only real ones are replayed, on the stream that was interrupted.
        if (event.streamId === last.streamId && Object.keys(event.message).length > 0) {
          await send(event.id, event.message);
        }
      }
      return last.streamId;
    },
  };
}
