import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape, ReferenceSchema } from './common.js';

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export const IncidentStatusSchema = z.enum(INCIDENT_STATUSES);
export type IncidentStatus = z.infer<typeof IncidentStatusSchema>;

export const URGENCIES = ['high', 'low'] as const;
export const UrgencySchema = z.enum(URGENCIES);
export type Urgency = z.infer<typeof UrgencySchema>;

export const PriorityRefSchema = ReferenceSchema.extend({
  name: z.string().nullish(),
  description: z.string().nullish(),
});

export const AssignmentSchema = z.looseObject({
  at: z.string().nullish(),
  assignee: NamedReferenceSchema,
});

export const AcknowledgementSchema = z.looseObject({
  at: z.string().nullish(),
  acknowledger: NamedReferenceSchema,
});

/** An incident as `GET /incidents/{id}` and `GET /incidents` return it. */
export const IncidentSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  self: z.string().nullish(),
  html_url: z.string().nullish(),
  incident_number: z.number().int().nullish(),
  /** Always sent by the API; PagerDuty's own examples sometimes omit it, so `summary` stands in. */
  title: z.string().nullish(),
  status: IncidentStatusSchema,
  urgency: UrgencySchema.nullish(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
  last_status_change_at: z.string().nullish(),
  resolved_at: z.string().nullish(),
  incident_key: z.string().nullish(),
  service: NamedReferenceSchema,
  assignments: z.array(AssignmentSchema).nullish(),
  acknowledgements: z.array(AcknowledgementSchema).nullish(),
  escalation_policy: NamedReferenceSchema.nullish(),
  teams: z.array(NamedReferenceSchema).nullish(),
  priority: PriorityRefSchema.nullish(),
  alert_counts: z
    .looseObject({
      triggered: z.number().int().nullish(),
      resolved: z.number().int().nullish(),
      all: z.number().int().nullish(),
    })
    .nullish(),
  body: z.looseObject({ type: z.string().nullish(), details: z.unknown().optional() }).nullish(),
  /**
   * Not part of PagerDuty's documented incident object (the API does not say which level is current); some
   * deployments and our simulator send it. When absent, the level is derived from on-calls (see tools).
   */
  escalation_level: z.number().int().nullish(),
  last_status_change_by: NamedReferenceSchema.nullish(),
  is_mergeable: z.boolean().nullish(),
});
export type Incident = z.infer<typeof IncidentSchema>;

export const IncidentEnvelopeSchema = z.looseObject({ incident: IncidentSchema });
export const IncidentListSchema = z.looseObject({ ...PaginationShape, incidents: z.array(IncidentSchema) });

/** `PUT /incidents/{id}/merge` answers with a reference to the surviving incident. */
export const IncidentReferenceEnvelopeSchema = z.looseObject({ incident: ReferenceSchema });
