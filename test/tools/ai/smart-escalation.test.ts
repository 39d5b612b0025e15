import { describe, expect, it } from 'vitest';
import { smartEscalation } from '../../../src/tools/ai/smart-escalation.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { serviceId, useHarness } from './harness.js';

const harness = useHarness();

describe('smart_escalation', () => {
  it('advises escalating a high-urgency incident nobody acknowledged, naming the next level from on-calls', async () => {
    const h = harness();
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /api|checkout/i),
      title: 'Checkout API down for all customers',
      urgency: 'high',
    });
    const early = await runTool(smartEscalation, { incident_id: incident.id }, h.ctx);
    expect(early.signals).not.toContain('unacknowledged');
    h.clock.advance(12 * 60_000);
    const late = await runTool(smartEscalation, { incident_id: incident.id }, h.ctx);
    expect(late.shouldEscalate).toBe(true);
    expect(late.signals).toContain('unacknowledged');
    expect(late.level).toBeGreaterThanOrEqual(1);
    expect(late.expertiseNeeded.length).toBeGreaterThan(0);
  });
});
