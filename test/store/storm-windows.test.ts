import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/shared/errors.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('stormWindows on %s', (backend) => {
  const t = useTestStore(backend);

  it('groups incidents arriving less than windowMs apart, then opens a new window after a quiet gap', async () => {
    const windowMs = 60_000;
    const a = await t.store.stormWindows.record('C0OPS', 'PINC1', { windowMs });
    expect(a).toMatchObject({ opened: true, added: true });
    t.clock.advance(50_000);
    const b = await t.store.stormWindows.record('C0OPS', 'PINC2', { windowMs });
    expect(b).toMatchObject({ opened: false, added: true });
    expect(b.window.id).toBe(a.window.id);
    t.clock.advance(50_000); // 100 s after the first, 50 s after the last: still the same window
    const c = await t.store.stormWindows.record('C0OPS', 'PINC3', { windowMs });
    expect(c.window.incidentIds).toEqual(['PINC1', 'PINC2', 'PINC3']);
    expect(c.window.openedAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    t.clock.advance(windowMs + 1);
    const d = await t.store.stormWindows.record('C0OPS', 'PINC4', { windowMs });
    expect(d.opened).toBe(true);
    expect(d.window.id).not.toBe(a.window.id);
    expect(d.window.incidentIds).toEqual(['PINC4']);
  });

  it('counts a redelivered incident once and keeps channels apart', async () => {
    await t.store.stormWindows.record('C0OPS', 'PINC1');
    const again = await t.store.stormWindows.record('C0OPS', 'PINC1');
    expect(again).toMatchObject({ opened: false, added: false });
    expect(again.window.incidentIds).toEqual(['PINC1']);
    const other = await t.store.stormWindows.record('C0DB', 'PINC1');
    expect(other.opened).toBe(true);
  });

  it('agrees on one window when many incidents arrive at once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => t.store.stormWindows.record('C0OPS', `PINC${i}`)),
    );
    expect(results.filter((r) => r.opened)).toHaveLength(1);
    expect(new Set(results.map((r) => r.window.id)).size).toBe(1);
    const window = await t.store.stormWindows.get(results[0]?.window.id ?? '');
    expect(window?.incidentIds).toHaveLength(20);
  });

  it('records the summary message once', async () => {
    const { window } = await t.store.stormWindows.record('C0OPS', 'PINC1');
    expect(await t.store.stormWindows.setMessageTs(window.id, '1767225600.000100')).toBe(true);
    expect(await t.store.stormWindows.setMessageTs(window.id, '1767225600.000999')).toBe(false);
    expect((await t.store.stormWindows.get(window.id))?.messageTs).toBe('1767225600.000100');
  });

  it('purges idle windows', async () => {
    await t.store.stormWindows.record('C0OPS', 'PINC1');
    t.clock.advance(86_400_000 + 1);
    await t.store.stormWindows.record('C0DB', 'PINC2');
    expect(await t.store.stormWindows.purge()).toBe(1);
  });

  it('rejects bad ids and window sizes', async () => {
    await expect(t.store.stormWindows.record('ops', 'PINC1')).rejects.toBeInstanceOf(InvalidInputError);
    await expect(t.store.stormWindows.record('C0OPS', 'PINC1', { windowMs: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(t.store.stormWindows.setMessageTs('1', 'soon')).rejects.toBeInstanceOf(InvalidInputError);
  });
});
