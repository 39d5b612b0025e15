import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/shared/metrics.js';

describe('metrics', () => {
  it('renders counters, gauges and histograms in Prometheus text format', async () => {
    const metrics = createMetrics('t_');
    const acks = metrics.counter('slack_acks_total', 'Slack requests acknowledged');
    acks.inc({ kind: 'command' });
    acks.inc({ kind: 'command' });
    acks.inc({ kind: 'action' }, 3);
    metrics.gauge('queue_depth', 'Jobs waiting', async () => [{ labels: { state: 'pending' }, value: 7 }]);
    const latency = metrics.histogram('ack_seconds', 'Ack latency', [0.01, 0.1]);
    latency.observe(0.005);
    latency.observe(0.05);
    latency.observe(1);
    const text = await metrics.render();
    expect(text).toContain('# TYPE t_slack_acks_total counter');
    expect(text).toContain('t_slack_acks_total{kind="command"} 2');
    expect(text).toContain('t_slack_acks_total{kind="action"} 3');
    expect(text).toContain('t_queue_depth{state="pending"} 7');
    expect(text).toContain('t_ack_seconds_bucket{le="0.01"} 1');
    expect(text).toContain('t_ack_seconds_bucket{le="0.1"} 2');
    expect(text).toContain('t_ack_seconds_bucket{le="+Inf"} 3');
    expect(text).toContain('t_ack_seconds_count 3');
    expect(acks.get({ kind: 'command' })).toBe(2);
  });

  it('escapes label values and returns the same family when registered twice', async () => {
    const metrics = createMetrics('t_');
    metrics.counter('x_total', 'x').inc({ path: 'a"b\\c\nd' });
    metrics.counter('x_total', 'x').inc({ path: 'a"b\\c\nd' });
    const text = await metrics.render();
    expect(text).toContain('t_x_total{path="a\\"b\\\\c\\nd"} 2');
    expect(() => metrics.gauge('x_total', 'x')).toThrow(/other types/);
  });

  it('returns the same handle when a histogram or gauge is registered again', async () => {
    const metrics = createMetrics('t_');
    metrics.histogram('h_seconds', 'h', [1]).observe(0.5);
    metrics.histogram('h_seconds', 'h', [1]).observe(2);
    metrics.gauge('g', 'g').set(3);
    expect(metrics.gauge('g', 'g').get()).toBe(3);
    const text = await metrics.render();
    expect(text).toContain('t_h_seconds_count 2');
    expect(text).toContain('t_h_seconds_bucket{le="1"} 1');
    expect(text.match(/# TYPE t_h_seconds histogram/g)).toHaveLength(1);
  });
});
