import { describe, expect, it } from 'vitest';
import { correlateIncidents } from '../../../src/tools/ai/correlate-incidents.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { useHarness } from './harness.js';

const harness = useHarness();

describe('correlate_incidents', () => {
  it('groups an alert storm cascading along the simulator’s service dependencies', async () => {
    const h = harness();
    const storm = h.sim.alertStorm({ count: 12, withinMs: 6 * 60_000 });
    const out = await runTool(correlateIncidents, { incident_ids: storm.map((i) => i.id) }, h.ctx);
    expect(out.engine).toBe('heuristic');
    expect(out.groups.length).toBeGreaterThan(0);
    const grouped = out.groups.reduce((a, g) => a + g.incidentIds.length, 0);
    expect(grouped + out.ungroupedCount).toBe(new Set(storm.map((i) => i.id)).size);
    for (const g of out.groups) expect(g.incidentIds).toContain(g.rootCauseIncidentId);
  });

  it('looks at open incidents of the last since_minutes when no ids are given', async () => {
    const h = harness();
    const out = await runTool(correlateIncidents, { since_minutes: 60 }, h.ctx);
    const open = h.sim
      .listIncidents({ statuses: ['triggered', 'acknowledged'] })
      .filter((i) => Date.parse(String(i.created_at)) >= h.clock.now() - 60 * 60_000);
    const grouped = out.groups.reduce((a, g) => a + g.incidentIds.length, 0);
    expect(grouped + out.ungroupedCount).toBe(open.length);
  });
});
