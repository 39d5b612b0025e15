import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape } from './common.js';

export const EscalationRuleSchema = z.looseObject({
  id: z.string().nullish(),
  escalation_delay_in_minutes: z.number().int().nullish(),
  targets: z.array(NamedReferenceSchema),
});
export type EscalationRule = z.infer<typeof EscalationRuleSchema>;

export const EscalationPolicySchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
  num_loops: z.number().int().nullish(),
  escalation_rules: z.array(EscalationRuleSchema),
  services: z.array(NamedReferenceSchema).nullish(),
  teams: z.array(NamedReferenceSchema).nullish(),
});
export type EscalationPolicy = z.infer<typeof EscalationPolicySchema>;

export const EscalationPolicyEnvelopeSchema = z.looseObject({ escalation_policy: EscalationPolicySchema });
export const EscalationPolicyListSchema = z.looseObject({
  ...PaginationShape,
  escalation_policies: z.array(EscalationPolicySchema),
});
