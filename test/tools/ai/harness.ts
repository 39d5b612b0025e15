/** A tool context on a real PagerDuty simulator (seed organisation) with the heuristic engine, for AI tool tests. */
import { afterAll, beforeAll } from 'vitest';
import type { AiCacheKey, AiEngine, AiResultCache } from '../../../src/ai/contract.js';
import { createHeuristicEngine } from '../../../src/ai/engines/heuristic/engine.js';
import { createPagerDutyClient } from '../../../src/pagerduty/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../../src/sandbox/pagerduty/index.js';
import { createManualClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';
import type { ToolContext } from '../../../src/tools/define-tool.js';

export interface Harness {
  sim: PagerDutySimulator;
  ctx: ToolContext;
  clock: ReturnType<typeof createManualClock>;
  cache: AiResultCache & { size(): number };
  close(): Promise<void>;
}

export function memoryCache(): AiResultCache & { size(): number } {
  const rows = new Map<string, unknown>();
  const id = (k: AiCacheKey): string => JSON.stringify(k);
  return {
    async get(k) {
      return rows.get(id(k));
    },
    async put(k, v) {
      rows.set(id(k), v);
    },
    size: () => rows.size,
  };
}

export async function startHarness(options: { ai?: AiEngine; cache?: boolean } = {}): Promise<Harness> {
  const clock = createManualClock(Date.UTC(2026, 2, 10, 14, 0, 0));
  const sim = await startPagerDutySimulator({ clock, logger: silentLogger() });
  const cache = memoryCache();
  const ctx: ToolContext = {
    pagerduty: createPagerDutyClient({ token: sim.token, baseUrl: sim.url, clock, logger: silentLogger() }),
    ai: options.ai ?? createHeuristicEngine(),
    logger: silentLogger(),
    clock,
    actor: { email: sim.org.botUserEmail, surface: 'sandbox' },
    ...(options.cache ? { aiCache: cache } : {}),
  };
  return { sim, ctx, clock, cache, close: () => sim.close() };
}

/** A service of the seed organisation by a word in its name. */
export function serviceId(h: Harness, word: RegExp): string {
  const s = h.sim.org.services.find((x) => word.test(x.name)) ?? h.sim.org.services[0];
  if (!s) throw new Error('seed organisation has no services');
  return s.id;
}

/** One harness shared by the tests of a file: started before them, closed after them. */
export function useHarness(options: Parameters<typeof startHarness>[0] = {}): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await startHarness(options);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  });
  return () => {
    if (!h) throw new Error('the test harness did not start');
    return h;
  };
}
