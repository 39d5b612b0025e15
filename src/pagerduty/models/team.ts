import { z } from 'zod';
import { PaginationShape } from './common.js';

export const TeamSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  name: z.string(),
  description: z.string().nullish(),
});
export type Team = z.infer<typeof TeamSchema>;

export const TeamListSchema = z.looseObject({ ...PaginationShape, teams: z.array(TeamSchema) });
