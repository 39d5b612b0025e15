import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import { history, incident, NOW } from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();

describe('heuristic best responder', () => {
  it('prefers expertise on this service and category, then load, on-call level and local time', async () => {
    const { result } = await engine.bestResponder({
      incident: incident(),
      history,
      now: NOW,
      candidates: [
        { person: { id: 'U1', name: 'Ana Lima', timeZone: 'America/Sao_Paulo' }, onCallLevel: 1, openIncidents: 2 },
        { person: { id: 'U2', name: 'Bo Chen', timeZone: 'Asia/Shanghai' }, onCallLevel: 2, openIncidents: 0 },
        { person: { id: 'U3', name: 'Cleo Park' }, onCallLevel: null, openIncidents: 0 },
      ],
    });
    expect(result.best?.personId).toBe('U2');
    expect(result.candidates.map((c) => c.personId)).toEqual(['U2', 'U1', 'U3']);
    expect(result.best?.reasons.join(' ')).toContain('on checkout-api');
    expect(result.best?.localTime).toBe('22:30 Asia/Shanghai');
    expect(result.candidates[2]?.localTime).toBeNull();
  });

  it('breaks a tie in expertise with local time: the person who is awake wins', async () => {
    const { result } = await engine.bestResponder({
      incident: incident(),
      now: '2026-03-10T03:00:00Z',
      candidates: [
        { person: { id: 'N', name: 'Night Owl', timeZone: 'Europe/Berlin' }, onCallLevel: 1, openIncidents: 0 },
        { person: { id: 'D', name: 'Day Person', timeZone: 'Australia/Sydney' }, onCallLevel: 1, openIncidents: 0 },
      ],
    });
    expect(result.best?.personId).toBe('D');
    expect(result.candidates[1]?.reasons.join(' ')).toContain('night time');
  });

  it('returns no best match for no candidates', async () => {
    const { result } = await engine.bestResponder({ incident: incident(), now: NOW, candidates: [] });
    expect(result).toEqual({ best: null, candidates: [] });
  });
});
