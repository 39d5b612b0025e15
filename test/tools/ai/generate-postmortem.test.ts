import { describe, expect, it } from 'vitest';
import { generatePostmortem } from '../../../src/tools/ai/generate-postmortem.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { serviceId, useHarness } from './harness.js';

const harness = useHarness();

describe('generate_postmortem', () => {
  it('drafts from the real timeline: metrics from PagerDuty timestamps, root cause from a note, Slack messages merged', async () => {
    const h = harness();
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /checkout|payment|api/i),
      title: 'Checkout 503s after deploy',
      urgency: 'high',
    });
    h.clock.advance(4 * 60_000);
    h.sim.acknowledge(incident.id);
    h.clock.advance(10 * 60_000);
    await h.ctx.pagerduty.createIncidentNote(
      incident.id,
      'Root cause: release 7.3 shipped a config change that halved the connection pool.\nAction item: add a canary check on pool saturation (owner: Ana Lima)',
      { from: h.sim.org.botUserEmail },
    );
    h.clock.advance(6 * 60_000);
    h.sim.resolve(incident.id);
    const out = await runTool(
      generatePostmortem,
      { incident_id: incident.id, channel_messages: ['2026-03-10T14:05:00Z Bo Chen: rolling back release 7.3 now'] },
      h.ctx,
    );
    expect(out.metrics.timeToAcknowledgeMinutes).toBe(4);
    expect(out.metrics.timeToResolveMinutes).toBe(20);
    expect(out.rootCause).toContain('halved the connection pool');
    expect(out.actionItems).toContainEqual({
      title: 'Add a canary check on pool saturation',
      owner: 'Ana Lima',
      priority: 'medium',
    });
    expect(out.timeline.some((t) => t.source === 'slack' && t.event.includes('rolling back'))).toBe(true);
    expect(out.markdown).toContain('## Root cause');
    expect(out.engine).toBe('heuristic');
  });
});
