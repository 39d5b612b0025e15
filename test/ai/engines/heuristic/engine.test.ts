import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import {
  AnalyzeResultSchema,
  CorrelateResultSchema,
  PostmortemResultSchema,
  TriageResultSchema,
} from '../../../../src/ai/schemas/results.js';
import { InvalidInputError } from '../../../../src/shared/errors.js';
import { alerts, history, incident, NOW, notes, services, timeline } from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();

describe('heuristic engine', () => {
  it('identifies itself for cache keys', () => {
    expect(engine.name).toBe('heuristic');
    expect(engine.cacheId).toMatch(/^heuristic@\d+$/);
  });

  it('rejects bad input with InvalidInputError naming every bad field, before doing any work', async () => {
    const bad = {
      incident: { ...incident(), createdAt: '2026-02-30T10:00:00Z', status: 'open' },
      alerts: [{ id: 'A' }],
    };
    const error = await engine.triage(bad as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['incident.createdAt', 'incident.status', 'alerts.0.summary', 'alerts.0.createdAt']),
    );
    expect((error as InvalidInputError).code).toBe('invalid_input');
  });

  it('produces schema-valid, deterministic results for every operation', async () => {
    const input = { incident: incident(), alerts, timeline, notes, history, services, now: NOW };
    const triage = await engine.triage(input);
    expect(TriageResultSchema.safeParse(triage.result).success).toBe(true);
    expect(await engine.triage(input)).toEqual(triage);
    expect(AnalyzeResultSchema.safeParse((await engine.analyze(input)).result).success).toBe(true);
    expect(PostmortemResultSchema.safeParse((await engine.postmortem(input)).result).success).toBe(true);
    const corr = await engine.correlate({
      incidents: [incident(), incident({ id: 'Q2', createdAt: '2026-03-10T13:58:00Z' })],
    });
    expect(CorrelateResultSchema.safeParse(corr.result).success).toBe(true);
    expect(corr.result.groups).toHaveLength(1);
    for (const r of [triage, corr]) {
      expect(r.engine).toBe('heuristic');
      expect(r.fallback).toBeUndefined();
    }
  });

  it('accepts an empty correlation and a single incident', async () => {
    expect((await engine.correlate({ incidents: [] })).result).toEqual({
      groups: [],
      mergeRecommendations: [],
      ungroupedCount: 0,
    });
    expect((await engine.correlate({ incidents: [incident()] })).result.ungroupedCount).toBe(1);
  });
});
