import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { createChannelRouter } from '../../../src/webhooks/pagerduty/channel-router.js';
import {
  loadServiceChannelsFile,
  parseServiceChannels,
} from '../../../src/webhooks/pagerduty/service-channels-file.js';

describe('SERVICE_CHANNELS_FILE', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'svc-channels-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads JSON and YAML maps', async () => {
    const json = join(dir, 'routes.json');
    await writeFile(json, JSON.stringify({ PNE3JZM: 'C0123ABCD', P7Q2XK1: 'G0456EFGH' }));
    expect([...(await loadServiceChannelsFile(json))]).toEqual([
      ['PNE3JZM', 'C0123ABCD'],
      ['P7Q2XK1', 'G0456EFGH'],
    ]);
    const yaml = join(dir, 'routes.yaml');
    await writeFile(yaml, '# payments\nPNE3JZM: C0123ABCD\nP7Q2XK1: C0456EFGH # checkout\n');
    expect((await loadServiceChannelsFile(yaml)).get('P7Q2XK1')).toBe('C0456EFGH');
    await writeFile(join(dir, 'empty.yml'), '');
    expect((await loadServiceChannelsFile(join(dir, 'empty.yml'))).size).toBe(0);
    expect((await loadServiceChannelsFile(undefined)).size).toBe(0);
  });

  it('lists every bad entry with a coded config error', () => {
    let caught: unknown;
    try {
      parseServiceChannels('PNE3JZM: "#payments"\n"bad id!": C0123ABCD\nPOK: C0123ABCD\n');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('config_invalid');
    expect((caught as AppError).message).toMatch(/PNE3JZM: expected a Slack channel id/);
    expect((caught as AppError).message).toMatch(/bad id!/);
    expect(() => parseServiceChannels('- C0123ABCD\n')).toThrow(/expected a map of service id/);
    expect(() => parseServiceChannels('{ "a": ')).toThrow(/not valid JSON or YAML/);
  });

  it('names a missing file and a wrong extension', async () => {
    await expect(loadServiceChannelsFile(join(dir, 'nope.json'))).rejects.toThrow(/cannot read .*ENOENT/);
    const txt = join(dir, 'routes.txt');
    await writeFile(txt, 'PNE3JZM: C0123ABCD');
    await expect(loadServiceChannelsFile(txt)).rejects.toThrow(/should be .json, .yaml or .yml/);
  });
});

describe('channel router', () => {
  const fileRoutes = new Map([
    ['PFILE01', 'CFILE0001'],
    ['PBOTH01', 'CFILE0002'],
  ]);
  const subscriptions: Record<string, string[]> = { PBOTH01: ['CSUB00001', 'CSUB00002'], PSUB001: ['CSUB00003'] };
  const router = (defaultChannel?: string) =>
    createChannelRouter({
      subscribedChannels: async (id) => subscriptions[id] ?? [],
      fileRoutes,
      defaultChannel,
      logger: silentLogger(),
    });

  it('prefers a Slack subscription, then the file, then the default channel', async () => {
    const r = router('CDEFAULT1');
    expect(await r.channelFor('PBOTH01')).toEqual({ channelId: 'CSUB00001', source: 'subscription' });
    expect(await r.channelFor('PSUB001')).toEqual({ channelId: 'CSUB00003', source: 'subscription' });
    expect(await r.channelFor('PFILE01')).toEqual({ channelId: 'CFILE0001', source: 'file' });
    expect(await r.channelFor('PNONE01')).toEqual({ channelId: 'CDEFAULT1', source: 'default' });
  });

  it('skips unrouted services when no default channel is set', async () => {
    expect(await router(undefined).channelFor('PNONE01', 'search')).toBeNull();
  });
});
