import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import { incident, services } from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();
const onCalls = [
  { person: { id: 'U1', name: 'Ana Lima' }, level: 1 },
  { person: { id: 'U2', name: 'Bo Chen' }, level: 2 },
];

describe('heuristic escalation rules', () => {
  it('escalates a high-urgency incident left unacknowledged past 10 minutes, to the next level', async () => {
    const { result } = await engine.escalationDecision({
      incident: incident({ status: 'triggered', acknowledgedAt: null, createdAt: '2026-03-10T14:00:00Z' }),
      onCalls,
      services,
      now: '2026-03-10T14:11:00Z',
    });
    expect(result.shouldEscalate).toBe(true);
    expect(result.level).toBe(2);
    expect(result.signals).toContain('unacknowledged');
    expect(result.reason).toContain('Bo Chen');
    expect(result.expertiseNeeded).toContain('database administration');
  });

  it('does not escalate the same incident at 9 minutes without other signals', async () => {
    const { result } = await engine.escalationDecision({
      incident: incident({
        status: 'triggered',
        acknowledgedAt: null,
        createdAt: '2026-03-10T14:00:00Z',
        priority: null,
        title: 'Checkout latency slightly up',
        description: undefined,
        urgency: 'low',
        alertCount: 1,
      }),
      onCalls,
      now: '2026-03-10T14:09:00Z',
    });
    expect(result.shouldEscalate).toBe(false);
    expect(result.level).toBeNull();
  });

  it('escalates an acknowledged incident that has stalled with customer impact', async () => {
    const { result } = await engine.escalationDecision({
      incident: incident({ createdAt: '2026-03-10T12:00:00Z', acknowledgedAt: '2026-03-10T12:05:00Z' }),
      timeline: [{ at: '2026-03-10T12:10:00Z', kind: 'note', summary: 'looking' }],
      services,
      onCalls,
      now: '2026-03-10T13:30:00Z',
    });
    expect(result.shouldEscalate).toBe(true);
    expect(result.signals).toEqual(expect.arrayContaining(['stalled', 'customer_impact', 'high_urgency']));
  });

  it('counts repeated triggers and says so when already at the top level', async () => {
    const { result } = await engine.escalationDecision({
      incident: incident({
        status: 'triggered',
        acknowledgedAt: null,
        escalationLevel: 2,
        alertCount: 12,
        createdAt: '2026-03-10T14:00:00Z',
      }),
      onCalls,
      maxLevel: 2,
      now: '2026-03-10T14:20:00Z',
    });
    expect(result.signals).toContain('repeated_triggers');
    expect(result.level).toBe(2);
    expect(result.reason).toContain('already at the top level');
  });

  it('never escalates a resolved incident', async () => {
    const { result } = await engine.escalationDecision({
      incident: incident({ status: 'resolved', resolvedAt: '2026-03-10T14:20:00Z' }),
      now: '2026-03-10T18:00:00Z',
    });
    expect(result).toMatchObject({ shouldEscalate: false, level: null, signals: ['resolved'] });
  });
});
