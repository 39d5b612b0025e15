import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape } from './common.js';

export const UserSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  name: z.string(),
  email: z.string(),
  time_zone: z.string().nullish(),
  role: z.string().nullish(),
  job_title: z.string().nullish(),
  teams: z.array(NamedReferenceSchema).nullish(),
});
export type User = z.infer<typeof UserSchema>;

export const UserEnvelopeSchema = z.looseObject({ user: UserSchema });
export const UserListSchema = z.looseObject({ ...PaginationShape, users: z.array(UserSchema) });
