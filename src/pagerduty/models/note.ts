import { z } from 'zod';
import { NamedReferenceSchema } from './common.js';

export const NoteSchema = z.looseObject({
  id: z.string().min(1),
  user: NamedReferenceSchema.nullish(),
  channel: z.looseObject({ summary: z.string().nullish(), type: z.string().nullish() }).nullish(),
  content: z.string(),
  created_at: z.string(),
  updated_at: z.string().nullish(),
});
export type Note = z.infer<typeof NoteSchema>;

export const NoteEnvelopeSchema = z.looseObject({ note: NoteSchema });
/** `GET /incidents/{id}/notes` is not paginated (an incident holds at most 2000 notes). */
export const NoteListSchema = z.looseObject({ notes: z.array(NoteSchema) });
