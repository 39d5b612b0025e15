import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../../src/shared/metrics.js';
import { createWebhookMetrics } from '../../../src/webhooks/pagerduty/webhook-metrics.js';

describe('webhook metrics', () => {
  it('records into one set of series per registry, however many parts ask for it', async () => {
    const registry = createMetrics('t_');
    const receiverSide = createWebhookMetrics(registry);
    const reactionSide = createWebhookMetrics(registry);
    expect(reactionSide).toBe(receiverSide);
    receiverSide.rejected.inc({ reason: 'bad_signature' });
    reactionSide.processingSeconds.observe(0.12, { event_type: 'incident.triggered' });
    const text = await registry.render();
    expect(text).toContain('t_pagerduty_webhooks_rejected_total{reason="bad_signature"} 1');
    expect(text).toContain('t_pagerduty_webhook_processing_seconds_count{event_type="incident.triggered"} 1');
    expect(createWebhookMetrics(createMetrics('u_'))).not.toBe(receiverSide);
  });
});
