import { describe, expect, it } from 'vitest';
import { suggestRunbook } from '../../../src/tools/ai/suggest-runbook.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { serviceId, useHarness } from './harness.js';

const harness = useHarness();

describe('suggest_runbook', () => {
  it('returns phased steps for the incident category, with commands', async () => {
    const h = harness();
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /dns|network|edge/i),
      title: 'NXDOMAIN for internal service names from CoreDNS',
      urgency: 'high',
    });
    const out = await runTool(suggestRunbook, { incident_id: incident.id }, h.ctx);
    expect(out.category).toBe('dns');
    expect(new Set(out.steps.map((s) => s.phase))).toEqual(
      new Set(['diagnosis', 'mitigation', 'verification', 'escalation']),
    );
    expect(out.steps.some((s) => s.command?.startsWith('dig '))).toBe(true);
    expect(out.estimatedMinutes).toBeGreaterThan(0);
  });
});
