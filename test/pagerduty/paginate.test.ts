import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collectPages, OFFSET_CAP } from '../../src/pagerduty/index.js';
import { InvalidInputError } from '../../src/shared/errors.js';
import { type LoopbackServer, type SeenRequest, startLoopbackServer } from './loopback-server.js';
import { makeTestClient } from './setup.js';
import { specResponseExample } from './spec-examples.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

/** A PagerDuty that holds `total` log entries and pages them honestly, refusing offset + limit > 10 000 like the API. */
function pagedLogEntries(total: number) {
  const [template] = specResponseExample('GET', '/incidents/{id}/log_entries').log_entries as Array<
    Record<string, unknown>
  >;
  return (request: SeenRequest) => {
    const limit = Number(request.query.get('limit'));
    const offset = Number(request.query.get('offset'));
    if (offset + limit > OFFSET_CAP) {
      return { status: 400, body: { error: { message: 'Offset must be less than 10000', code: 2001 } } };
    }
    const count = Math.max(0, Math.min(limit, total - offset));
    const entries = Array.from({ length: count }, (_, i) => ({ ...template, id: `R${offset + i}` }));
    return { body: { log_entries: entries, limit, offset, more: offset + count < total, total: null } };
  };
}

describe('capped pagination', () => {
  it('collects every page with limit=100 until PagerDuty says there is no more', async () => {
    const { client } = makeTestClient(server);
    server.fallback = pagedLogEntries(250);
    const result = await client.listIncidentLogEntries('PT4KHLK');
    expect(result.items).toHaveLength(250);
    expect(result.truncated).toBe(false);
    expect(server.requests.map((r) => [r.query.get('offset'), r.query.get('limit')])).toEqual([
      ['0', '100'],
      ['100', '100'],
      ['200', '100'],
    ]);
  });

  it('stops at maxItems and says the list was truncated', async () => {
    const { client } = makeTestClient(server);
    server.fallback = pagedLogEntries(5000);
    const result = await client.listIncidentLogEntries('PT4KHLK', { maxItems: 150 });
    expect(result.items).toHaveLength(150);
    expect(result.items.at(-1)?.id).toBe('R149');
    expect(result.truncated).toBe(true);
    expect(server.requests).toHaveLength(2);
  });

  it('never asks for offset + limit above 10 000, even when PagerDuty has more', async () => {
    const { client } = makeTestClient(server);
    server.fallback = pagedLogEntries(50_000);
    const result = await client.listIncidentLogEntries('PT4KHLK', { maxItems: 10_000 });
    const asked = server.requests.map((r) => Number(r.query.get('offset')) + Number(r.query.get('limit')));
    expect(Math.max(...asked)).toBe(OFFSET_CAP);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(result.items).toHaveLength(10_000);
    expect(result.truncated).toBe(true);
  });

  it('uses a smaller page when maxItems is below 100', async () => {
    const { client } = makeTestClient(server);
    server.fallback = pagedLogEntries(500);
    const result = await client.listIncidentLogEntries('PT4KHLK', { maxItems: 10 });
    expect(result.items).toHaveLength(10);
    expect(result.truncated).toBe(true);
    expect(server.requests.map((r) => r.query.get('limit'))).toEqual(['10']);
  });

  it('refuses a maxItems outside 1..10 000 before sending', async () => {
    const { client } = makeTestClient(server);
    for (const maxItems of [0, -1, 10_001, 2.5]) {
      await expect(client.listIncidents({ maxItems })).rejects.toBeInstanceOf(InvalidInputError);
    }
    expect(server.requests).toHaveLength(0);
  });
});

describe('collectPages', () => {
  it('stops on an empty page that claims there is more (no endless loop)', async () => {
    const offsets: number[] = [];
    const result = await collectPages(async (offset) => {
      offsets.push(offset);
      return { items: offset === 0 ? [1, 2] : [], more: true };
    }, 1000);
    expect(result).toEqual({ items: [1, 2], truncated: true });
    expect(offsets).toEqual([0, 100]);
  });
});
