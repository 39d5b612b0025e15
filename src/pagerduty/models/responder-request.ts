import { z } from 'zod';
import { NamedReferenceSchema, ReferenceSchema } from './common.js';

const ResponderSchema = z.looseObject({
  state: z.string().nullish(),
  user: NamedReferenceSchema.nullish(),
});

/**
 * A target as PagerDuty returns it. The API wraps each one (`{ responder_request_target: {…} }`); the
 * published schema shows them flat, so both forms are accepted.
 */
const TargetSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  incidents_responders: z.array(ResponderSchema).nullish(),
  incident_responders: z.array(ResponderSchema).nullish(),
});
export const ResponderRequestTargetSchema = z.union([
  z.looseObject({ responder_request_target: TargetSchema }).transform((w) => w.responder_request_target),
  TargetSchema,
]);

export const ResponderRequestSchema = z.looseObject({
  incident: ReferenceSchema.nullish(),
  requester: NamedReferenceSchema.nullish(),
  requested_at: z.string().nullish(),
  message: z.string().nullish(),
  responder_request_targets: z.array(ResponderRequestTargetSchema).nullish(),
});
export type ResponderRequest = z.infer<typeof ResponderRequestSchema>;

export const ResponderRequestEnvelopeSchema = z.looseObject({ responder_request: ResponderRequestSchema });
