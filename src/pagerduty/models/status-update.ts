import { z } from 'zod';
import { NamedReferenceSchema } from './common.js';

export const StatusUpdateSchema = z.looseObject({
  id: z.string().min(1),
  message: z.string(),
  subject: z.string().nullish(),
  html_message: z.string().nullish(),
  created_at: z.string().nullish(),
  sender: NamedReferenceSchema.nullish(),
});
export type StatusUpdate = z.infer<typeof StatusUpdateSchema>;

export const StatusUpdateEnvelopeSchema = z.looseObject({ status_update: StatusUpdateSchema });
