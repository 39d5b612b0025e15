import { afterEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { autoTriage } from '../../../src/tools/ai/auto-triage.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { type Harness, serviceId, startHarness } from './harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('auto_triage', () => {
  it('triages a simulator incident with the configured engine and caches the result', async () => {
    h = await startHarness({ cache: true });
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /api|gateway/i),
      title: 'TLS handshake failures: certificate expired on the public API gateway',
      urgency: 'high',
    });
    const first = await runTool(autoTriage, { incident_id: incident.id }, h.ctx);
    expect(first).toMatchObject({
      category: 'certificate',
      engine: 'heuristic',
      model: null,
      fallback: null,
      cached: false,
    });
    expect(first.evidence.join(' ')).toContain('certificate');
    const second = await runTool(autoTriage, { incident_id: incident.id }, h.ctx);
    expect(second).toEqual({ ...first, cached: true });
    expect(h.cache.size()).toBe(1);
  });

  it('refuses a bad incident id before calling anything', async () => {
    h = await startHarness();
    await expect(runTool(autoTriage, { incident_id: 'not an id!' }, h.ctx)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(runTool(autoTriage, { incidentId: 'P1' }, h.ctx)).rejects.toThrow(/incident_id/);
  });
});
