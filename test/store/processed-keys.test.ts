import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/shared/errors.js';
import { DEDUPE_WINDOW_MS } from '../../src/store/processed-keys.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('processedKeys on %s', (backend) => {
  const t = useTestStore(backend);

  it('claims a key exactly once', async () => {
    expect(await t.store.processedKeys.claimOnce('slack:event:Ev01')).toBe(true);
    expect(await t.store.processedKeys.claimOnce('slack:event:Ev01')).toBe(false);
    expect(await t.store.processedKeys.claimOnce('slack:event:Ev02')).toBe(true);
    expect(await t.store.processedKeys.has('slack:event:Ev01')).toBe(true);
    expect(await t.store.processedKeys.has('slack:event:Ev03')).toBe(false);
  });

  it('gives exactly one win to 50 simultaneous claims of one key', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, () => t.store.processedKeys.claimOnce('pagerduty:webhook:01HXYZ')),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets keys after 7 days: claimable again even before purge, and purge deletes them', async () => {
    await t.store.processedKeys.claimOnce('old');
    t.clock.advance(DEDUPE_WINDOW_MS - 1);
    expect(await t.store.processedKeys.claimOnce('old')).toBe(false);
    await t.store.processedKeys.claimOnce('newer');
    t.clock.advance(2);
    expect(await t.store.processedKeys.has('old')).toBe(false);
    expect(await t.store.processedKeys.purge()).toBe(1);
    expect(await t.store.processedKeys.has('newer')).toBe(true);
    expect(await t.store.processedKeys.claimOnce('old')).toBe(true);
    // Re-claimed after expiry: the window restarts from the new claim.
    expect(await t.store.processedKeys.claimOnce('old')).toBe(false);
  });

  it('re-claims an expired key that was never purged', async () => {
    await t.store.processedKeys.claimOnce('stale');
    t.clock.advance(DEDUPE_WINDOW_MS + 1000);
    expect(await t.store.processedKeys.claimOnce('stale')).toBe(true);
  });

  it('releases a claim so a redelivery is handled again', async () => {
    await t.store.processedKeys.claimOnce('k');
    expect(await t.store.processedKeys.release('k')).toBe(true);
    expect(await t.store.processedKeys.release('k')).toBe(false);
    expect(await t.store.processedKeys.claimOnce('k')).toBe(true);
  });

  it('un-claims when the surrounding store transaction rolls back', async () => {
    await expect(
      t.store.transaction(async (tx) => {
        expect(await tx.processedKeys.claimOnce('in-tx')).toBe(true);
        throw new Error('enqueue failed');
      }),
    ).rejects.toThrow('enqueue failed');
    expect(await t.store.processedKeys.claimOnce('in-tx')).toBe(true);
  });

  it('rejects empty, oversized and NUL-bearing keys', async () => {
    for (const bad of ['', 'x'.repeat(513), 'a\u0000b']) {
      await expect(t.store.processedKeys.claimOnce(bad)).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});
