import { z } from 'zod';
import type { Store } from '../../store/index.js';
import type { WebhookDelivery, WebhookIntake } from './receiver.js';
import type { IncidentEventType } from './schemas.js';

/** Job kinds of the webhook reactions (registered by `createWebhookJobHandlers`). */
export const WebhookJobKind = {
  triggered: 'webhook.incident_triggered',
  cardUpdate: 'webhook.incident_updated',
  resolved: 'webhook.incident_resolved',
  annotated: 'webhook.incident_annotated',
  stormSummary: 'webhook.storm_summary',
} as const;
export type WebhookJobKind = (typeof WebhookJobKind)[keyof typeof WebhookJobKind];

/** The job kind that reacts to an incident event type. */
export function jobKindFor(eventType: IncidentEventType | 'incident.annotated'): WebhookJobKind {
  if (eventType === 'incident.triggered') return WebhookJobKind.triggered;
  if (eventType === 'incident.resolved') return WebhookJobKind.resolved;
  if (eventType === 'incident.annotated') return WebhookJobKind.annotated;
  return WebhookJobKind.cardUpdate;
}

/** Dedupe keys (store `processed_keys`). */
export const webhookKey = (webhookId: string): string => `pagerduty:webhook:${webhookId}`;
export const eventKey = (eventId: string): string => `pagerduty:event:${eventId}`;
/** Events of one incident run one at a time, in the order PagerDuty delivered them. */
export const incidentOrderingKey = (incidentId: string): string => `pagerduty:incident:${incidentId}`;

/** What a webhook job carries: the event exactly as validated at the edge, plus delivery facts. */
export const WebhookJobPayloadSchema = z.object({
  webhookId: z.string().min(1).max(300),
  /** Epoch ms the delivery arrived (for the processing-latency metric). */
  receivedAt: z.number().int().nonnegative(),
  /** The envelope's `event` object; handlers re-validate it with `classifyEnvelope`. */
  event: z.record(z.string(), z.unknown()),
});
export type WebhookJobPayload = z.infer<typeof WebhookJobPayloadSchema>;

/** Attempts before a reaction is dead-lettered (backoff 1 s doubling: about 8 minutes of Slack/PagerDuty outage). */
export const WEBHOOK_JOB_MAX_ATTEMPTS = 10;

/**
 * Stores deliveries in the store, atomically: the `X-Webhook-Id` claim, the event-id claim (the same event sent
 * by two subscriptions is one event) and the job commit together, so a crash can neither lose an accepted event
 * nor leave a claim without its job.
 */
export function createStoreWebhookIntake(store: Pick<Store, 'transaction'>): WebhookIntake {
  return {
    async accept(delivery: WebhookDelivery) {
      const event = delivery.value.event;
      const eventType = delivery.value.kind === 'note' ? 'incident.annotated' : delivery.value.eventType;
      return store.transaction(async (tx) => {
        if (!(await tx.processedKeys.claimOnce(webhookKey(delivery.webhookId)))) return 'duplicate';
        if (!(await tx.processedKeys.claimOnce(eventKey(event.id)))) return 'duplicate';
        const payload: WebhookJobPayload = {
          webhookId: delivery.webhookId,
          receivedAt: delivery.receivedAt,
          event: event as Record<string, unknown>,
        };
        await tx.jobs.enqueue(jobKindFor(eventType), payload, {
          orderingKey: incidentOrderingKey(delivery.incidentId),
          maxAttempts: WEBHOOK_JOB_MAX_ATTEMPTS,
        });
        return 'stored';
      });
    },
  };
}
