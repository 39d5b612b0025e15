import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../../../src/ai/engines/heuristic/engine.js';
import type { TimelineEntryInput } from '../../../../src/ai/schemas/inputs.js';
import { alerts, channelMessages, history, incident, notes, services, timeline } from '../../../fixtures/ai-inputs.js';

const engine = createHeuristicEngine();

describe('heuristic postmortem', () => {
  it('computes metrics from the real timeline', async () => {
    const { result } = await engine.postmortem({
      incident: incident(),
      alerts,
      timeline,
      notes,
      channelMessages,
      services,
    });
    expect(result.metrics.timeToAcknowledgeMinutes).toBe(7);
    expect(result.metrics.timeToResolveMinutes).toBe(45);
    expect(result.metrics.escalations).toBe(1);
    expect(result.metrics.responders).toEqual(['Ana Lima', 'Bo Chen']);
  });

  it('takes root cause, resolution, action items with owners and lessons from what people wrote', async () => {
    const { result } = await engine.postmortem({
      incident: incident(),
      alerts,
      timeline,
      notes,
      channelMessages,
      services,
      history,
    });
    expect(result.rootCause).toContain('reconciliation job was started by hand');
    expect(result.resolution).toContain('Killed the reconciliation sessions');
    expect(result.actionItems).toEqual([
      { title: 'Cap the reconciliation job at 50 connections', owner: 'Bo Chen', priority: 'medium' },
      { title: 'Alert on idle-in-transaction sessions older than 5 minutes', owner: 'ana', priority: 'medium' },
    ]);
    expect(result.lessonsLearned[0]).toContain('manual runs of batch jobs');
    expect(result.contributingFactors.join(' ')).toContain('QOLD001');
    expect(result.detection).toContain('checkout-api 5xx rate 23%');
  });

  it('merges PagerDuty, notes, Slack and alerts in time order', async () => {
    const { result } = await engine.postmortem({ incident: incident(), alerts, timeline, notes, channelMessages });
    const sources = new Set(result.timeline.map((t) => t.source));
    expect(sources).toEqual(new Set(['pagerduty', 'alert', 'slack', 'note']));
    const times = result.timeline.map((t) => t.at);
    expect([...times].sort()).toEqual(times);
  });

  it('renders Markdown with every section', async () => {
    const { result } = await engine.postmortem({ incident: incident(), alerts, timeline, notes, channelMessages });
    for (const heading of [
      '## Summary',
      '## Impact',
      '## Metrics',
      '## Timeline (UTC)',
      '## Root cause',
      '## Contributing factors',
      '## Detection',
      '## Resolution',
      '## Action items',
      '## Lessons learned',
    ]) {
      expect(result.markdown).toContain(heading);
    }
    expect(result.markdown).toContain('| time to acknowledge | 7 min |');
  });

  it('falls back to a hypothesis and category action items when nobody wrote anything', async () => {
    const { result } = await engine.postmortem({
      incident: incident({
        title: 'TLS certificate expired on api.example.com',
        description: undefined,
        acknowledgedAt: null,
      }),
      timeline: [{ at: '2026-03-10T13:55:00Z', kind: 'trigger', summary: 'Triggered' }],
    });
    expect(result.rootCause).toMatch(/^Not established/);
    expect(result.rootCause).toContain('TLS certificate');
    expect(result.actionItems.map((a) => a.title)).toContain(
      'Alert 30, 14 and 7 days before every certificate expires',
    );
    expect(result.metrics.timeToAcknowledgeMinutes).toBeNull();
  });

  it('summarises 5,000 log entries into a bounded timeline that keeps the milestones', async () => {
    const start = Date.parse('2026-03-10T10:00:00Z');
    const entries: TimelineEntryInput[] = [
      { at: new Date(start).toISOString(), kind: 'trigger', summary: 'Triggered' },
    ];
    for (let i = 1; i < 4999; i++) {
      entries.push({
        at: new Date(start + i * 1000).toISOString(),
        kind: i % 3 === 0 ? 'notify' : 'message',
        summary: `status check ${i}: still investigating the queue consumers on shard ${i % 17}`,
        actor: `person${i % 7}`,
        source: 'slack',
      });
    }
    entries.push({
      at: new Date(start + 5000 * 1000).toISOString(),
      kind: 'resolve',
      summary: 'Resolved',
      actor: 'person1',
    });
    const { result } = await engine.postmortem({
      incident: incident({ createdAt: new Date(start).toISOString(), acknowledgedAt: null, resolvedAt: null }),
      timeline: entries,
    });
    expect(result.timeline.length).toBeLessThanOrEqual(60);
    expect(result.timeline[0]?.event).toContain('Triggered');
    expect(result.timeline.at(-1)?.event).toContain('Resolved');
    expect(result.metrics.timeToResolveMinutes).toBeCloseTo(83.3, 1);
    // The assignee plus the seven people who wrote.
    expect(result.metrics.responders).toHaveLength(8);
  });

  it('keeps untrusted text as data: pipes and newlines cannot break the Markdown tables', async () => {
    const { result } = await engine.postmortem({
      incident: incident({ title: 'Evil | title\n## Injected heading' }),
      timeline: [{ at: '2026-03-10T13:55:00Z', kind: 'note', summary: 'x | y\n# z', source: 'note' }],
    });
    expect(result.markdown).toContain('# Postmortem: Evil | title ## Injected heading');
    expect(result.markdown).toContain('x \\| y # z');
    expect(result.markdown.split('\n').filter((l) => /^#+ Injected/.test(l))).toEqual([]);
    expect(result.markdown).toContain('\\## Injected heading');
  });
});
