import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { analyzeIncident } from '../../../src/tools/ai/analyze-incident.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { serviceId, useHarness } from './harness.js';

const harness = useHarness();

describe('analyze_incident', () => {
  it('gathers alerts, timeline, history and channel messages from PagerDuty and analyses them', async () => {
    const h = harness();
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /db|database|postgres|data/i),
      title: 'Database primary: too many connections, queries timing out',
      urgency: 'high',
    });
    h.clock.advance(5 * 60_000);
    const out = await runTool(
      analyzeIncident,
      {
        incident_id: incident.id,
        channel_messages: ['2026-03-10T14:03:00Z Ana Lima: pg_stat_activity shows 400 idle in transaction sessions'],
      },
      h.ctx,
    );
    expect(out.engine).toBe('heuristic');
    expect(out.hypotheses[0]?.category).toBe('database');
    expect(out.impact.durationMinutes).toBe(5);
    expect(out.impact.ongoing).toBe(true);
    // Similar incidents come from the simulator's resolved history and exist there.
    const history = new Set(h.sim.listIncidents({ statuses: ['resolved'], limit: 100_000 }).map((i) => i.id));
    expect(out.similarIncidents.length).toBeGreaterThan(0);
    for (const s of out.similarIncidents) expect(history.has(s.id)).toBe(true);
    expect(out.recommendedActions.length).toBeGreaterThan(0);
  });

  it('names every malformed channel message and sends nothing', async () => {
    const h = harness();
    const error = await runTool(
      analyzeIncident,
      {
        incident_id: 'PABC123',
        channel_messages: ['2026-03-10T14:03:00Z Ana: ok', 'no timestamp here', 'yesterday Bob: hi'],
      },
      h.ctx,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues.map((i) => i.path)).toEqual([
      'channel_messages.1',
      'channel_messages.2',
    ]);
  });
});
