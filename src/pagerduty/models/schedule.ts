import { z } from 'zod';
import { NamedReferenceSchema, PaginationShape } from './common.js';

export const ScheduleEntrySchema = z.looseObject({
  user: NamedReferenceSchema.nullish(),
  start: z.string(),
  end: z.string(),
});
export type ScheduleEntry = z.infer<typeof ScheduleEntrySchema>;

const SubScheduleSchema = z.looseObject({
  name: z.string().nullish(),
  rendered_schedule_entries: z.array(ScheduleEntrySchema).nullish(),
  rendered_coverage_percentage: z.number().nullish(),
});

export const ScheduleLayerSchema = z.looseObject({
  id: z.string().nullish(),
  name: z.string().nullish(),
  start: z.string().nullish(),
  end: z.string().nullish(),
  users: z.array(z.looseObject({ user: NamedReferenceSchema })).nullish(),
  rendered_schedule_entries: z.array(ScheduleEntrySchema).nullish(),
});

export const ScheduleSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: z.string().nullish(),
  html_url: z.string().nullish(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  time_zone: z.string(),
  schedule_layers: z.array(ScheduleLayerSchema).nullish(),
  final_schedule: SubScheduleSchema.nullish(),
  overrides_subschedule: SubScheduleSchema.nullish(),
  escalation_policies: z.array(NamedReferenceSchema).nullish(),
  users: z.array(NamedReferenceSchema).nullish(),
  teams: z.array(NamedReferenceSchema).nullish(),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

export const ScheduleEnvelopeSchema = z.looseObject({ schedule: ScheduleSchema });
export const ScheduleListSchema = z.looseObject({ ...PaginationShape, schedules: z.array(ScheduleSchema) });
