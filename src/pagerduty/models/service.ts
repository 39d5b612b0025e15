import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape } from './common.js';

export const ServiceSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  status: z.string().nullish(),
  created_at: z.string().nullish(),
  last_incident_timestamp: z.string().nullish(),
  escalation_policy: NamedReferenceSchema.nullish(),
  teams: z.array(NamedReferenceSchema).nullish(),
  acknowledgement_timeout: z.number().int().nullish(),
  auto_resolve_timeout: z.number().int().nullish(),
});
export type Service = z.infer<typeof ServiceSchema>;

export const ServiceEnvelopeSchema = z.looseObject({ service: ServiceSchema });
export const ServiceListSchema = z.looseObject({ ...PaginationShape, services: z.array(ServiceSchema) });

const DependencyEndSchema = z.looseObject({ id: z.string().min(1), type: z.string().nullish() });

/** One edge of the service graph: `dependent_service` depends on `supporting_service`. */
export const ServiceDependencySchema = z.looseObject({
  id: z.string().nullish(),
  type: z.string().nullish(),
  supporting_service: DependencyEndSchema,
  dependent_service: DependencyEndSchema,
});
export type ServiceDependency = z.infer<typeof ServiceDependencySchema>;

export const ServiceDependencyListSchema = z.looseObject({ relationships: z.array(ServiceDependencySchema) });
