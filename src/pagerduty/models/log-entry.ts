import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape, ReferenceSchema } from './common.js';

/**
 * A log entry (`trigger_log_entry`, `acknowledge_log_entry`, `escalate_log_entry`, …). The type is kept as a
 * string: PagerDuty sends types its own schema does not list (`priority_change_log_entry`, …).
 */
export const LogEntrySchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().min(1),
  summary: z.string().nullish(),
  created_at: z.string(),
  agent: NamedReferenceSchema.nullish(),
  channel: z
    .looseObject({
      type: z.string().nullish(),
      summary: z.string().nullish(),
      subject: z.string().nullish(),
      details: z.unknown().optional(),
    })
    .nullish(),
  note: z.string().nullish(),
  incident: ReferenceSchema.nullish(),
  service: NamedReferenceSchema.nullish(),
  assignees: z.array(NamedReferenceSchema).nullish(),
  event_details: z.looseObject({ description: z.string().nullish() }).nullish(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const LogEntryListSchema = z.looseObject({ ...PaginationShape, log_entries: z.array(LogEntrySchema) });
