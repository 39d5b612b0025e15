import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape, ReferenceSchema } from './common.js';

export const ALERT_STATUSES = ['triggered', 'resolved'] as const;

export const AlertSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  created_at: z.string(),
  status: z.enum(ALERT_STATUSES),
  alert_key: z.string().nullish(),
  service: NamedReferenceSchema.nullish(),
  incident: ReferenceSchema.nullish(),
  suppressed: z.boolean().nullish(),
  severity: z.enum(['info', 'warning', 'error', 'critical']).nullish(),
  body: z
    .looseObject({
      type: z.string().nullish(),
      details: z.unknown().optional(),
      contexts: z.array(z.unknown()).nullish(),
    })
    .nullish(),
});
export type Alert = z.infer<typeof AlertSchema>;

export const AlertListSchema = z.looseObject({ ...PaginationShape, alerts: z.array(AlertSchema) });
