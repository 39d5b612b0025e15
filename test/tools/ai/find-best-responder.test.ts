import { describe, expect, it } from 'vitest';
import { findBestResponder } from '../../../src/tools/ai/find-best-responder.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { serviceId, useHarness } from './harness.js';

const harness = useHarness();

describe('find_best_responder', () => {
  it('ranks on-calls and past responders of the service with time zones from PagerDuty users', async () => {
    const h = harness();
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /api|checkout/i),
      title: 'Elevated 5xx on checkout',
      urgency: 'high',
    });
    const out = await runTool(findBestResponder, { incident_id: incident.id }, h.ctx);
    expect(out.candidates.length).toBeGreaterThan(0);
    expect(out.best?.personId).toBe(out.candidates[0]?.personId);
    const users = new Map(h.sim.org.users.map((u) => [u.id, u]));
    for (const c of out.candidates) {
      expect(users.has(c.personId)).toBe(true);
      expect(c.localTime).toContain(users.get(c.personId)?.timeZone ?? '?');
    }
    const scores = out.candidates.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('ranks exactly the candidates it is given', async () => {
    const h = harness();
    const incident = h.sim.listIncidents({ statuses: ['triggered'] })[0] ?? h.sim.listIncidents()[0];
    const ids = h.sim.org.users.slice(0, 3).map((u) => u.id);
    const out = await runTool(findBestResponder, { incident_id: incident?.id, candidate_user_ids: ids }, h.ctx);
    expect(new Set(out.candidates.map((c) => c.personId))).toEqual(new Set(ids));
  });
});
