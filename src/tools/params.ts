import { z } from 'zod';

/**
 * Parameter schemas shared by several tools, each with the description a model sees. Ids are refused early
 * when they could not be PagerDuty ids (they end up in URL paths).
 */

const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const ID_MESSAGE = 'expected a PagerDuty id such as PT4KHLK (letters and digits)';

export const pagerDutyId = (): z.ZodString => z.string().trim().regex(ID_PATTERN, ID_MESSAGE);

export const incidentIdParam = (): z.ZodString =>
  pagerDutyId().describe('PagerDuty incident id, e.g. "PT4KHLK" (not the incident number); list_incidents finds ids.');

export const limitParam = (defaultValue: number, max = 1000): z.ZodDefault<z.ZodNumber> =>
  z
    .number()
    .int()
    .min(1)
    .max(max)
    .default(defaultValue)
    .describe(`Most items to return (1-${max}, default ${defaultValue}); the result says when more exist.`);

/** ISO-8601 date-time with a zone, e.g. 2026-01-05T03:00:00Z. */
export const isoDateTime = (): z.ZodISODateTime => z.iso.datetime({ offset: true });

export const messageParam = (max: number): z.ZodString => z.string().trim().min(1, 'must not be empty').max(max);
