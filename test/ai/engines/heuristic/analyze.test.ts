import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import {
  alerts,
  channelMessages,
  history,
  incident,
  NOW,
  notes,
  services,
  timeline,
} from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();

describe('heuristic analysis', () => {
  it('ranks the database hypothesis first with evidence, and lists similar incidents with their resolution', async () => {
    const { result, engine: name } = await engine.analyze({
      incident: incident(),
      alerts,
      timeline,
      notes,
      channelMessages,
      history,
      services,
      now: NOW,
    });
    expect(name).toBe('heuristic');
    expect(result.hypotheses[0]?.category).toBe('database');
    expect(result.hypotheses[0]?.evidence.length).toBeGreaterThan(0);
    expect(result.similarIncidents[0]).toMatchObject({ id: 'QOLD001' });
    expect(result.similarIncidents[0]?.resolution).toContain('pg_terminate_backend');
    expect(result.recommendedActions[0]).toContain('QOLD001');
  });

  it('computes impact from the dependency graph and duration from timestamps', async () => {
    const { result } = await engine.analyze({ incident: incident(), alerts, services, now: NOW });
    expect(result.impact.services).toEqual(['checkout-api', 'storefront', 'orders-db']);
    expect(result.impact.customerFacing).toBe(true);
    expect(result.impact.durationMinutes).toBe(35);
    expect(result.impact.ongoing).toBe(true);
  });

  it('estimates time to resolve from similar incidents when there are at least two', async () => {
    const twoSimilar = [
      ...history,
      {
        id: 'QOLD004',
        title: 'Checkout errors: orders-db too many connections again',
        service: { id: 'PAPI001', name: 'checkout-api' },
        createdAt: '2026-02-02T10:00:00Z',
        resolvedAt: '2026-02-02T11:10:00Z',
      },
    ];
    const { result } = await engine.analyze({ incident: incident(), history: twoSimilar, now: NOW });
    expect(result.estimatedResolution.basis).toContain('median time to resolve of 2 similar past incidents is 60 min');
    expect(result.estimatedResolution.minutes).toBe(25);
  });

  it('lifts the deploy hypothesis when a change was announced just before the start', async () => {
    const { result } = await engine.analyze({
      incident: incident({ title: 'Checkout errors elevated', description: undefined, priority: null }),
      channelMessages: [{ at: '2026-03-10T13:50:00Z', author: 'Dee', text: 'Deploying checkout-api v2.14 now' }],
      now: NOW,
    });
    const deploy = result.hypotheses.find((h) => h.category === 'config_deploy');
    expect(deploy?.evidence.join(' ')).toContain('change mentioned near the start');
    expect(result.hypotheses[0]?.category).toBe('config_deploy');
  });
});
