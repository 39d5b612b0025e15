import { z } from 'zod';

/**
 * Events API v2 (`POST {eventsUrl}/v2/enqueue`), as documented by PagerDuty (developer-docs
 * `events-API-v2/02-Trigger-Events.md`): routing key, action, dedup key (max 255 characters), payload with
 * `summary` (max 1024), `source`, `severity`.
 */
export const EVENT_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
export const EVENT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

export const EventPayloadSchema = z.object({
  summary: z.string().min(1).max(1024),
  source: z.string().min(1),
  severity: z.enum(EVENT_SEVERITIES),
  timestamp: z.iso.datetime({ offset: true }).optional(),
  component: z.string().optional(),
  group: z.string().optional(),
  class: z.string().optional(),
  custom_details: z.record(z.string(), z.unknown()).optional(),
});

export const EnqueueEventSchema = z
  .object({
    routing_key: z.string().min(1),
    event_action: z.enum(EVENT_ACTIONS),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: EventPayloadSchema.optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.object({ href: z.string(), text: z.string().optional() })).optional(),
    images: z.array(z.object({ src: z.string(), href: z.string().optional(), alt: z.string().optional() })).optional(),
  })
  .refine((e) => e.event_action !== 'trigger' || e.payload !== undefined, {
    message: 'a trigger event needs a payload (summary, source, severity)',
    path: ['payload'],
  })
  .refine((e) => e.event_action === 'trigger' || e.dedup_key !== undefined, {
    message: 'acknowledge and resolve events need the dedup_key of the alert',
    path: ['dedup_key'],
  });
export type EnqueueEvent = z.input<typeof EnqueueEventSchema>;

export const EnqueueResultSchema = z.looseObject({
  status: z.string(),
  message: z.string().nullish(),
  dedup_key: z.string().nullish(),
});
export type EnqueueResult = z.infer<typeof EnqueueResultSchema>;
