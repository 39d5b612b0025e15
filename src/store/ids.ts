/** zod shapes for the identifiers the store keeps, shared by the repositories. */
import { z } from 'zod';

/** A PagerDuty object id (incident, service, user), e.g. `PABC123`. */
export const PagerDutyId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z0-9_-]+$/, 'expected a PagerDuty id (letters, digits, _ or -)');

/** A Slack id: team `T…`, channel `C…`/`G…`/`D…`, user `U…`/`W…`, enterprise `E…`. */
export const SlackId = z
  .string()
  .trim()
  .regex(/^[A-Z][A-Z0-9]{1,63}$/, 'expected a Slack id (upper-case letters and digits, e.g. C0123ABCD)');

/** A Slack message timestamp, e.g. `1712345678.000200`. */
export const SlackTs = z
  .string()
  .trim()
  .regex(/^\d{1,12}\.\d{1,9}$/, 'expected a Slack message ts such as 1712345678.000200');

/** Epoch milliseconds or a Date, as a Date. */
export const Instant = z
  .union([z.date(), z.number().finite()])
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine((d) => !Number.isNaN(d.getTime()), 'expected a valid time');

/** The time a Slack ts stands for. */
export function slackTsToDate(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}
