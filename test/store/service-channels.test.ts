import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/shared/errors.js';
import { BACKENDS, useTestStore } from './support.js';

describe.each(BACKENDS)('serviceChannels on %s', (backend) => {
  const t = useTestStore(backend);

  it('subscribes a channel once and routes the service to every subscribed channel in subscription order', async () => {
    const first = await t.store.serviceChannels.subscribe({ serviceId: 'PSVC1', channelId: 'C0OPS', createdBy: 'U01' });
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({ serviceId: 'PSVC1', channelId: 'C0OPS', createdBy: 'U01' });
    t.clock.advance(1000);
    const again = await t.store.serviceChannels.subscribe({ serviceId: 'PSVC1', channelId: 'C0OPS', createdBy: 'U02' });
    expect(again.created).toBe(false);
    expect(again.subscription.createdBy).toBe('U01');
    await t.store.serviceChannels.subscribe({ serviceId: 'PSVC1', channelId: 'C0DB', teamId: 'T01' });
    await t.store.serviceChannels.subscribe({ serviceId: 'PSVC2', channelId: 'C0OPS' });
    expect((await t.store.serviceChannels.channelsFor('PSVC1')).map((s) => s.channelId)).toEqual(['C0OPS', 'C0DB']);
    expect(await t.store.serviceChannels.channelsFor('PNONE')).toEqual([]);
  });

  it('lists all subscriptions or one channel, and unsubscribes', async () => {
    await t.store.serviceChannels.subscribe({ serviceId: 'PSVC1', channelId: 'C0OPS' });
    await t.store.serviceChannels.subscribe({ serviceId: 'PSVC2', channelId: 'C0OPS' });
    await t.store.serviceChannels.subscribe({ serviceId: 'PSVC2', channelId: 'C0DB' });
    expect(await t.store.serviceChannels.list()).toHaveLength(3);
    expect((await t.store.serviceChannels.list({ channelId: 'C0OPS' })).map((s) => s.serviceId)).toEqual([
      'PSVC1',
      'PSVC2',
    ]);
    expect(await t.store.serviceChannels.unsubscribe('PSVC2', 'C0OPS')).toBe(true);
    expect(await t.store.serviceChannels.unsubscribe('PSVC2', 'C0OPS')).toBe(false);
    expect((await t.store.serviceChannels.list({ channelId: 'C0OPS' })).map((s) => s.serviceId)).toEqual(['PSVC1']);
  });

  it('rejects channel names where ids belong and changes nothing', async () => {
    const error = await t.store.serviceChannels
      .subscribe({ serviceId: 'svc one', channelId: '#ops' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => i.path).sort()).toEqual(['channelId', 'serviceId']);
    expect(await t.store.serviceChannels.list()).toEqual([]);
  });
});
