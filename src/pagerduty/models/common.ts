import { z } from 'zod';

/**
 * Building blocks shared by every PagerDuty model. Models are deliberately lenient where the real API is
 * (optional or `null` for fields it may omit) and strict where our code depends on a value (ids, statuses).
 * Unknown fields are kept (`z.looseObject`), so a newer API version never breaks parsing.
 */

const nullableString = z.string().nullish();

/** `{ id, type, summary, self, html_url }`: how PagerDuty points at another object. */
export const ReferenceSchema = z.looseObject({
  id: z.string().min(1),
  type: z.string().nullish(),
  summary: nullableString,
  self: nullableString,
  html_url: nullableString,
});
export type Reference = z.infer<typeof ReferenceSchema>;

/** A reference that may also be the full object (when `include[]` expands it), so it may carry a `name`. */
export const NamedReferenceSchema = ReferenceSchema.extend({
  name: nullableString,
  email: nullableString,
});
export type NamedReference = z.infer<typeof NamedReferenceSchema>;

/** Classic (offset) pagination fields present on every list response. */
export const PaginationShape = {
  offset: z.number().int().nullish(),
  limit: z.number().int().nullish(),
  more: z.boolean().nullish(),
  total: z.number().int().nullish(),
};

/** The display name of a reference: its `name` when expanded, else its `summary`, else its id. */
export function referenceName(ref: { id: string; summary?: string | null; name?: string | null }): string {
  return ref.name ?? ref.summary ?? ref.id;
}
