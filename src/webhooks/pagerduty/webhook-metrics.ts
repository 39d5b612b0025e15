import type { Counter, Histogram, Metrics } from '../../shared/metrics.js';

/** Why a delivery was refused (label values of `pagerduty_webhooks_rejected_total`). */
export type RejectReason =
  | 'method_not_allowed'
  | 'no_secrets'
  | 'missing_signature'
  | 'malformed_signature'
  | 'bad_signature'
  | 'too_large'
  | 'body_incomplete'
  | 'malformed_body'
  | 'store_unavailable';

/** The webhook front's Prometheus series (prefix `incident_bot_`). */
export interface WebhookMetrics {
  accepted: Counter;
  rejected: Counter;
  duplicates: Counter;
  ignored: Counter;
  /** Time from the request's arrival to our answer. */
  ackSeconds: Histogram;
  /** Time from the request's arrival to the end of its job (the Slack side effect done). */
  processingSeconds: Histogram;
}

const byRegistry = new WeakMap<Metrics, WebhookMetrics>();

/**
 * The webhook series of `metrics`, registered once per registry: the receiver and the reactions are built
 * separately but must record into the same series (a histogram registered twice would not be).
 */
export function createWebhookMetrics(metrics: Metrics): WebhookMetrics {
  const existing = byRegistry.get(metrics);
  if (existing) return existing;
  const created: WebhookMetrics = {
    accepted: metrics.counter(
      'pagerduty_webhooks_accepted_total',
      'PagerDuty webhook deliveries stored as jobs, by event type',
    ),
    rejected: metrics.counter('pagerduty_webhooks_rejected_total', 'PagerDuty webhook deliveries refused, by reason'),
    duplicates: metrics.counter(
      'pagerduty_webhooks_duplicates_total',
      'PagerDuty webhook deliveries already seen (same X-Webhook-Id or event id), answered 2xx with no effect',
    ),
    ignored: metrics.counter(
      'pagerduty_webhooks_ignored_total',
      'Authentic PagerDuty webhook deliveries we do not react to (pagey.ping, unused or unknown event types)',
    ),
    ackSeconds: metrics.histogram(
      'pagerduty_webhook_ack_seconds',
      'Seconds from a PagerDuty webhook request arriving to the response being sent',
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    ),
    processingSeconds: metrics.histogram(
      'pagerduty_webhook_processing_seconds',
      'Seconds from a PagerDuty webhook arriving to its reaction finishing (card posted or updated), by event type',
    ),
  };
  byRegistry.set(metrics, created);
  return created;
}
