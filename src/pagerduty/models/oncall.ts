import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape } from './common.js';

/** One on-call entry: a user at an escalation level of a policy, possibly through a schedule. */
export const OnCallSchema = z.looseObject({
  escalation_policy: NamedReferenceSchema,
  user: NamedReferenceSchema,
  schedule: NamedReferenceSchema.nullish(),
  escalation_level: z.number().int().min(1),
  /** `null` for permanent on-calls (a user targeted directly by an escalation rule). */
  start: z.string().nullish(),
  end: z.string().nullish(),
});
export type OnCall = z.infer<typeof OnCallSchema>;

export const OnCallListSchema = z.looseObject({ ...PaginationShape, oncalls: z.array(OnCallSchema) });
