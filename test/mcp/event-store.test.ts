import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createEventStore } from '../../src/mcp/event-store.js';

const message = (id: number, text = ''): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: { text } });

async function replay(store: ReturnType<typeof createEventStore>, after: string): Promise<Array<[string, unknown]>> {
  const sent: Array<[string, unknown]> = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, m) => {
      sent.push([id, m]);
    },
  });
  sent.push(['stream', stream]);
  return sent;
}

describe('createEventStore', () => {
  it('replays what a stream missed after an event, in order, skipping priming events and other streams', async () => {
    const store = createEventStore();
    const priming = await store.storeEvent('a', {} as JSONRPCMessage);
    const a1 = await store.storeEvent('a', message(1));
    await store.storeEvent('b', message(10));
    const a2 = await store.storeEvent('a', message(2));
    const a3 = await store.storeEvent('a', message(3));
    expect(new Set([priming, a1, a2, a3]).size).toBe(4);
    expect(await store.getStreamIdForEventId?.(a1)).toBe('a');
    expect(await replay(store, priming)).toEqual([
      [a1, message(1)],
      [a2, message(2)],
      [a3, message(3)],
      ['stream', 'a'],
    ]);
    expect(await replay(store, a3)).toEqual([['stream', 'a']]);
  });

  it('keeps at most maxChars of messages, dropping the oldest, and refuses to resume from a dropped event', async () => {
    const store = createEventStore(300);
    const first = await store.storeEvent('a', message(1, 'x'.repeat(80)));
    const second = await store.storeEvent('a', message(2, 'y'.repeat(80)));
    const third = await store.storeEvent('a', message(3, 'z'.repeat(80)));
    expect(await store.getStreamIdForEventId?.(first)).toBeUndefined();
    expect(await store.getStreamIdForEventId?.(second)).toBe('a');
    await expect(replay(store, first)).rejects.toThrow(/unknown or no longer kept/);
    expect(await replay(store, second)).toEqual([
      [third, message(3, 'z'.repeat(80))],
      ['stream', 'a'],
    ]);
  });

  it('keeps the newest event even when it alone is larger than the bound', async () => {
    const store = createEventStore(10);
    const big = await store.storeEvent('a', message(1, 'x'.repeat(100)));
    expect(await store.getStreamIdForEventId?.(big)).toBe('a');
  });
});
