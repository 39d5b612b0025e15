/**
 * zod schemas for the request bodies the simulator accepts, after PagerDuty's OpenAPI spec (required fields,
 * enums, reference shapes). Unknown fields are ignored, as the API does.
 */
import { z } from 'zod';

const id = z.string().min(1, 'must be a non-empty id');

/** A `{id, type}` reference whose type is one of the given names. */
export function referenceOf(
  ...types: [string, ...string[]]
): z.ZodObject<{ id: z.ZodString; type: z.ZodEnum<Record<string, string>> }> {
  return z.object({ id, type: z.enum(types) });
}

const conferenceBridge = z
  .object({ conference_number: z.string().optional(), conference_url: z.string().optional() })
  .nullable();

const assignments = z.array(z.object({ assignee: referenceOf('user_reference', 'user') })).min(1, 'must not be empty');

const priority = z.union([
  z.object({ id, type: z.enum(['priority', 'priority_reference']), name: z.string().optional() }),
  z.string().min(1),
  z.null(),
]);

export const createIncidentBody = z.object({
  incident: z.object({
    type: z.literal('incident'),
    title: z.string().trim().min(1, 'must not be empty').max(1024, 'must be at most 1024 characters'),
    service: referenceOf('service_reference', 'service'),
    // Creation takes a priority reference only (updates also take a name).
    priority: referenceOf('priority_reference', 'priority').nullable().optional(),
    urgency: z.enum(['high', 'low']).optional(),
    body: z.object({ type: z.string().optional(), details: z.unknown().optional() }).optional(),
    incident_key: z.string().min(1).max(255).optional(),
    assignments: assignments.optional(),
    escalation_policy: referenceOf('escalation_policy_reference', 'escalation_policy').optional(),
    conference_bridge: conferenceBridge.optional(),
    incident_type: z.object({ name: z.string().min(1) }).optional(),
  }),
});

const updateFields = {
  type: z.enum(['incident', 'incident_reference']),
  status: z.enum(['triggered', 'acknowledged', 'resolved']).optional(),
  priority: priority.optional(),
  resolution: z.string().optional(),
  title: z.string().trim().min(1, 'must not be empty').max(1024).optional(),
  escalation_level: z.number().int('must be an integer').optional(),
  assignments: assignments.optional(),
  escalation_policy: referenceOf('escalation_policy_reference', 'escalation_policy').optional(),
  urgency: z.enum(['high', 'low']).optional(),
  conference_bridge: conferenceBridge.optional(),
  incident_type: z.object({ name: z.string().min(1) }).optional(),
  service: referenceOf('service_reference').optional(),
};

export const incidentUpdate = z.object(updateFields);
export type IncidentUpdate = z.infer<typeof incidentUpdate>;

export const updateIncidentBody = z.object({ incident: incidentUpdate });

export const MAX_BULK_UPDATE = 250;

export const bulkUpdateBody = z.object({
  incidents: z.array(z.object({ id, ...updateFields })).min(1, 'must name at least one incident'),
});

export const mergeBody = z.object({
  source_incidents: z.array(referenceOf('incident_reference', 'incident')).min(1, 'must name at least one incident'),
});

export const snoozeBody = z.object({
  duration: z.number().int('must be an integer number of seconds'),
});

export const noteBody = z.object({
  note: z.object({ content: z.string() }),
});

export const statusUpdateBody = z.object({
  message: z.string().min(1, 'must not be empty'),
  subject: z.string().optional(),
  html_message: z.string().optional(),
});

const responderTarget = z.object({
  id,
  type: z.enum(['user_reference', 'user', 'escalation_policy_reference', 'escalation_policy']),
});

export const responderRequestBody = z.object({
  requester_id: id,
  message: z.string().min(1, 'must not be empty'),
  responder_request_targets: z
    .array(z.union([z.object({ responder_request_target: responderTarget }), responderTarget]))
    .min(1, 'must name at least one target'),
});

/** Events API v2 (`POST /v2/enqueue`), after PagerDuty/api-schema `reference/events-v2/openapiv3.json`. */
export const eventsApiBody = z
  .object({
    routing_key: z.string({ error: "'routing_key' is missing or not a string" }),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve'], {
      error: "'event_action' must be one of trigger, acknowledge, resolve",
    }),
    dedup_key: z.string().max(255, "'dedup_key' must be at most 255 characters").optional(),
    payload: z
      .object({
        summary: z
          .string()
          .min(1, "'payload.summary' is missing")
          .max(1024, "'payload.summary' must be at most 1024 characters"),
        source: z.string().min(1, "'payload.source' is missing"),
        severity: z.enum(['critical', 'error', 'warning', 'info'], {
          error: "'payload.severity' must be one of critical, error, warning, info",
        }),
        timestamp: z.string().optional(),
        component: z.string().optional(),
        group: z.string().optional(),
        class: z.string().optional(),
        custom_details: z.record(z.string(), z.unknown()).optional(),
      })
      .optional(),
    client: z.string().optional(),
    client_url: z.string().optional(),
    links: z.array(z.object({ href: z.string(), text: z.string().optional() })).optional(),
    images: z.array(z.object({ src: z.string(), href: z.string().optional(), alt: z.string().optional() })).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.routing_key.length !== 32) {
      ctx.addIssue({ code: 'custom', message: "Length of 'routing_key' is incorrect (should be 32 characters)" });
    }
    if (event.event_action === 'trigger' && !event.payload) {
      ctx.addIssue({ code: 'custom', message: "'payload' is missing or is not an object" });
    }
    if (event.event_action !== 'trigger' && !event.dedup_key) {
      ctx.addIssue({ code: 'custom', message: "'dedup_key' is required for acknowledge and resolve events" });
    }
  });
