import { describe, expect, it } from 'vitest';
import { ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('incidentLinks on %s', (backend) => {
  const t = useTestStore(backend);

  it('creates a link and reads it back with every field', async () => {
    const created = await t.store.incidentLinks.upsert('PABC123', {
      teamId: 'T0001',
      channelId: 'C0INCIDENTS',
      messageTs: '1767225600.000100',
      threadTs: '1767225600.000100',
      cardHash: 'h1',
    });
    expect(created).toMatchObject({
      incidentId: 'PABC123',
      teamId: 'T0001',
      channelId: 'C0INCIDENTS',
      messageTs: '1767225600.000100',
      threadTs: '1767225600.000100',
      incidentChannelId: null,
      commanderUserId: null,
      cardHash: 'h1',
    });
    expect(created.createdAt.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(await t.store.incidentLinks.get('PABC123')).toEqual(created);
    expect(await t.store.incidentLinks.get('PNOTHERE')).toBeUndefined();
  });

  it('updates only the fields given; null clears a field; updatedAt moves, createdAt stays', async () => {
    await t.store.incidentLinks.upsert('PABC123', { channelId: 'C01', messageTs: '1.000001', commanderUserId: 'U01' });
    t.clock.advance(60_000);
    const updated = await t.store.incidentLinks.upsert('PABC123', {
      incidentChannelId: 'C0INC1',
      commsUserId: 'U02',
      commanderUserId: null,
    });
    expect(updated).toMatchObject({
      channelId: 'C01',
      messageTs: '1.000001',
      incidentChannelId: 'C0INC1',
      commsUserId: 'U02',
      commanderUserId: null,
    });
    expect(updated.updatedAt.getTime() - updated.createdAt.getTime()).toBe(60_000);
  });

  it('finds the incident from its card message and from its incident channel', async () => {
    await t.store.incidentLinks.upsert('PONE', {
      channelId: 'C01',
      messageTs: '100.000001',
      incidentChannelId: 'C0INC1',
    });
    await t.store.incidentLinks.upsert('PTWO', { channelId: 'C01', messageTs: '100.000002' });
    expect((await t.store.incidentLinks.findByMessage('C01', '100.000002'))?.incidentId).toBe('PTWO');
    expect(await t.store.incidentLinks.findByMessage('C02', '100.000002')).toBeUndefined();
    expect((await t.store.incidentLinks.findByIncidentChannel('C0INC1'))?.incidentId).toBe('PONE');
    expect(await t.store.incidentLinks.findByIncidentChannel('C0OTHER')).toBeUndefined();
  });

  it('refuses to give one incident channel to two incidents, naming the owner, and changes nothing', async () => {
    await t.store.incidentLinks.upsert('PONE', { incidentChannelId: 'C0INC1' });
    await t.store.incidentLinks.upsert('PTWO', { channelId: 'C01' });
    const error = await t.store.incidentLinks
      .upsert('PTWO', { incidentChannelId: 'C0INC1', channelId: 'C09' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as Error).message).toContain('PONE');
    expect((await t.store.incidentLinks.get('PTWO'))?.channelId).toBe('C01');
  });

  it('tells whether the card changed since the last recorded hash', async () => {
    expect(await t.store.incidentLinks.cardChanged('PABC', 'h1')).toBe(true);
    await t.store.incidentLinks.upsert('PABC', { cardHash: 'h1' });
    expect(await t.store.incidentLinks.cardChanged('PABC', 'h1')).toBe(false);
    expect(await t.store.incidentLinks.cardChanged('PABC', 'h2')).toBe(true);
  });

  it('removes a link', async () => {
    await t.store.incidentLinks.upsert('PABC', { channelId: 'C01' });
    expect(await t.store.incidentLinks.remove('PABC')).toBe(true);
    expect(await t.store.incidentLinks.remove('PABC')).toBe(false);
    expect(await t.store.incidentLinks.get('PABC')).toBeUndefined();
  });

  it('rejects malformed ids and unknown fields with messages naming each, writing nothing', async () => {
    const error = await t.store.incidentLinks
      .upsert('PABC', {
        channelId: 'general',
        messageTs: 'yesterday',
        ...({ colour: 'red' } as object),
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).code).toBe(ErrorCode.InvalidInput);
    const paths = (error as InvalidInputError).issues.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['channelId', 'messageTs']));
    expect((error as Error).message).toMatch(/colour/);
    await expect(t.store.incidentLinks.get('bad id with spaces')).rejects.toBeInstanceOf(InvalidInputError);
    expect(await t.store.incidentLinks.get('PABC')).toBeUndefined();
  });
});
