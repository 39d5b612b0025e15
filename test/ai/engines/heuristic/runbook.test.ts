import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import { history, incident } from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();

describe('heuristic runbook', () => {
  it('fills the category playbook for the incident and puts past fixes first among mitigations', async () => {
    const { result } = await engine.runbook({ incident: incident(), history });
    expect(result.category).toBe('database');
    const phases = result.steps.map((s) => s.phase);
    expect(phases[0]).toBe('diagnosis');
    expect(new Set(phases)).toEqual(new Set(['diagnosis', 'mitigation', 'verification', 'escalation']));
    const firstMitigation = result.steps.find((s) => s.phase === 'mitigation');
    expect(firstMitigation?.source).toBe('past_incident');
    expect(firstMitigation?.action).toContain('QOLD001');
    expect(firstMitigation?.command).toContain('pg_terminate_backend');
    expect(result.basedOn.map((b) => b.id)).toContain('QOLD001');
    expect(result.estimatedMinutes).toBe(
      result.steps.filter((s) => s.phase !== 'escalation').reduce((a, s) => a + s.estimatedMinutes, 0),
    );
  });

  it('substitutes the service slug and the host named in the incident', async () => {
    const { result } = await engine.runbook({
      incident: incident({
        title: 'Certificate expired on api.shop.example.com',
        description: undefined,
        service: { id: 'S', name: 'Edge Proxy' },
      }),
    });
    expect(result.category).toBe('certificate');
    const commands = result.steps.map((s) => s.command ?? '').join('\n');
    expect(commands).toContain('openssl s_client -connect api.shop.example.com:443');
    expect(result.steps.every((s) => s.source === 'playbook')).toBe(true);
  });
});
