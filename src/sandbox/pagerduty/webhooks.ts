/**
 * v3 webhook delivery, as PagerDuty does it (developer-docs `docs/webhooks/02-Behavior.md`, `04-Signatures.md`):
 * - one event per POST, body `{"event":{id, event_type, resource_type, occurred_at, agent, client, data}}`;
 * - headers `Content-Type: application/json`, `User-Agent: PagerDuty-Webhook/V3.0`,
 *   `X-PagerDuty-Signature: v1=<hex HMAC-SHA256(secret, raw body)>`, `X-Webhook-Id` (the same on every retry of
 *   one webhook), `X-Webhook-Subscription`;
 * - in order per subscription and incident: a later webhook for the same incident waits behind a failing one;
 * - retried on timeout (5 s), 429, 5xx and network errors, after the configured delays; other 4xx drop the
 *   webhook without retry;
 * - after 3 consecutive dropped webhooks the subscription is disabled for 24 hours and its queue is dropped.
 */
import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import { type Clock, sleep } from '../../shared/clock.js';
import type { IdFactory } from './ids.js';
import type { DomainEvent } from './incidents.js';
import { agentRef, type RenderContext, webhookRef } from './render.js';

export interface WebhookRetryPolicy {
  /** Deliveries in total, the first one included. */
  attempts: number;
  /** Wait before retry n (the last value repeats when there are more retries than delays). */
  delaysMs: number[];
}

export const DEFAULT_WEBHOOK_RETRY: WebhookRetryPolicy = { attempts: 5, delaysMs: [1_000, 5_000, 15_000, 60_000] };
export const WEBHOOK_TIMEOUT_MS = 5_000;
const DISABLE_AFTER_DROPS = 3;
const DISABLE_FOR_MS = 24 * 3_600_000;

export interface WebhookSubscriptionInput {
  url: string;
  secret: string;
  /** Event types to deliver (all when absent). */
  events?: string[];
  /** Only incidents on these services (all when absent). */
  serviceIds?: string[];
}

interface Subscription extends WebhookSubscriptionInput {
  id: string;
  consecutiveDrops: number;
  disabledUntil: number | null;
  /** Bumped when the subscription is disabled, so queued deliveries of the old generation are dropped. */
  generation: number;
}

/** What happened to one webhook (for logs and tests). */
export interface WebhookDeliveryRecord {
  subscriptionId: string;
  webhookId: string;
  eventType: string;
  incidentId: string;
  attempts: number;
  outcome: 'delivered' | 'dropped' | 'abandoned';
  lastStatus: number | null;
}

export interface WebhookDispatcher {
  subscribe(input: WebhookSubscriptionInput): { id: string };
  dispatch(event: DomainEvent): void;
  /** Resolves when every queued delivery has finished (delivered, dropped or abandoned). */
  idle(): Promise<void>;
  deliveries(): readonly WebhookDeliveryRecord[];
  close(): Promise<void>;
}

/** `v1=<hex HMAC-SHA256(secret, body)>`, the value of `X-PagerDuty-Signature`. */
export function signWebhookBody(secret: string, body: string | Buffer): string {
  return `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export interface WebhookDispatcherOptions {
  clock: Clock;
  ids: IdFactory;
  render: RenderContext;
  retry: WebhookRetryPolicy;
  logger: Logger;
  fetch?: typeof fetch;
  /** Real time between a change and its first delivery attempt (PagerDuty queues webhooks); default 0. */
  latencyMs?: number;
}

/** Millisecond-precision UTC, as PagerDuty writes `occurred_at`. */
function occurredAt(ms: number): string {
  return new Date(ms).toISOString();
}

export function createWebhookDispatcher(options: WebhookDispatcherOptions): WebhookDispatcher {
  const { clock, ids, render, retry, logger } = options;
  const latencyMs = Math.max(0, options.latencyMs ?? 0);
  const doFetch = options.fetch ?? fetch;
  const subscriptions: Subscription[] = [];
  const queues = new Map<string, Promise<void>>();
  const pending = new Set<Promise<void>>();
  const records: WebhookDeliveryRecord[] = [];
  const closing = new AbortController();

  /** Waits before a retry; closing the dispatcher cuts the wait short. */
  const wait = (ms: number): Promise<void> => sleep(ms, closing.signal).catch(() => undefined);

  async function deliver(sub: Subscription, generation: number, event: DomainEvent, body: string): Promise<void> {
    const webhookId = ids.uuid();
    const record: WebhookDeliveryRecord = {
      subscriptionId: sub.id,
      webhookId,
      eventType: event.eventType,
      incidentId: event.incidentId,
      attempts: 0,
      outcome: 'abandoned',
      lastStatus: null,
    };
    records.push(record);
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'PagerDuty-Webhook/V3.0',
      'X-PagerDuty-Signature': signWebhookBody(sub.secret, body),
      'X-Webhook-Id': webhookId,
      'X-Webhook-Subscription': sub.id,
    };
    for (let attempt = 1; attempt <= Math.max(1, retry.attempts); attempt++) {
      if (closing.signal.aborted || sub.generation !== generation) return;
      record.attempts = attempt;
      let status: number | null = null;
      try {
        const response = await doFetch(sub.url, {
          method: 'POST',
          headers,
          body,
          signal: AbortSignal.any([closing.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
        });
        status = response.status;
        await response.arrayBuffer().catch(() => undefined);
      } catch (error) {
        if (closing.signal.aborted) return;
        logger.debug({ err: error, webhookId, attempt }, 'webhook delivery failed');
      }
      record.lastStatus = status;
      if (status !== null && status >= 200 && status < 300) {
        record.outcome = 'delivered';
        sub.consecutiveDrops = 0;
        return;
      }
      const retryable = status === null || status === 429 || status >= 500;
      if (!retryable) break;
      if (attempt < retry.attempts) {
        const delay = retry.delaysMs[Math.min(attempt - 1, retry.delaysMs.length - 1)] ?? 1_000;
        await wait(delay);
      }
    }
    if (closing.signal.aborted) return;
    record.outcome = 'dropped';
    sub.consecutiveDrops++;
    logger.warn({ webhookId, subscription: sub.id, status: record.lastStatus }, 'webhook dropped');
    if (sub.consecutiveDrops >= DISABLE_AFTER_DROPS) {
      sub.disabledUntil = clock.now() + DISABLE_FOR_MS;
      sub.generation++;
      sub.consecutiveDrops = 0;
      logger.warn({ subscription: sub.id }, 'webhook subscription disabled for 24 hours after 3 dropped webhooks');
    }
  }

  function bodyFor(event: DomainEvent): string {
    return JSON.stringify({
      event: {
        id: ids.event(),
        event_type: event.eventType,
        resource_type: 'incident',
        occurred_at: occurredAt(event.occurredAt),
        agent: event.agent ? webhookRef(agentRef(render, event.agent)) : null,
        client: null,
        data: event.data,
      },
    });
  }

  return {
    subscribe(input) {
      const sub: Subscription = { ...input, id: ids.short(), consecutiveDrops: 0, disabledUntil: null, generation: 0 };
      subscriptions.push(sub);
      return { id: sub.id };
    },

    dispatch(event) {
      if (closing.signal.aborted) return;
      for (const sub of subscriptions) {
        if (sub.disabledUntil !== null) {
          if (clock.now() < sub.disabledUntil) continue;
          sub.disabledUntil = null;
        }
        if (sub.events && !sub.events.includes(event.eventType)) continue;
        if (sub.serviceIds && !sub.serviceIds.includes(event.serviceId)) continue;
        const body = bodyFor(event);
        const key = `${sub.id}:${event.incidentId}`;
        const generation = sub.generation;
        const previous = queues.get(key) ?? Promise.resolve();
        // Due a fixed time after the change, not after the previous delivery: a burst is not spread out.
        const due = Date.now() + latencyMs;
        const next = previous
          .then(() => (latencyMs > 0 ? wait(due - Date.now()) : undefined))
          .then(() => deliver(sub, generation, event, body));
        queues.set(key, next);
        pending.add(next);
        next.finally(() => {
          pending.delete(next);
          if (queues.get(key) === next) queues.delete(key);
        });
      }
    },

    async idle() {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },

    deliveries: () => records,

    async close() {
      closing.abort();
      await Promise.allSettled([...pending]);
    },
  };
}
