import { z } from 'zod';
import { PaginationShape } from './common.js';

export const PrioritySchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
});
export type Priority = z.infer<typeof PrioritySchema>;

export const PriorityListSchema = z.looseObject({ ...PaginationShape, priorities: z.array(PrioritySchema) });
