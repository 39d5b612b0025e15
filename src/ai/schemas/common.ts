import { z } from 'zod';

/** Incident severity, most severe first. */
export const SEVERITIES = ['sev1', 'sev2', 'sev3', 'sev4'] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** The twelve incident categories every engine classifies into. */
export const CATEGORIES = [
  'config_deploy',
  'capacity_load',
  'software_bug',
  'hardware_power',
  'network',
  'dns',
  'certificate',
  'database',
  'dependency_third_party',
  'security',
  'time',
  'other',
] as const;
export const CategorySchema = z.enum(CATEGORIES);
export type Category = z.infer<typeof CategorySchema>;

export const UrgencySchema = z.enum(['high', 'low']);
export type Urgency = z.infer<typeof UrgencySchema>;

/** PagerDuty-style priority names (P1 most urgent). */
export const PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
export const PrioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof PrioritySchema>;

export const ConfidenceSchema = z.number().min(0).max(1);

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

function isCalendarDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * ISO-8601 timestamp with a zone (`2026-01-01T03:04:05Z` or `…+02:00`), checked against the calendar (no
 * February 30). A compact check: zod's own datetime pattern is several times slower, which shows when
 * validating 50,000 incidents.
 */
export const IsoDateSchema = z.string().refine(isCalendarDate, {
  message: 'expected an ISO-8601 timestamp with a time zone, e.g. 2026-01-01T03:04:05Z',
});

/** Short human-readable reasons ("why"), shown to responders next to every suggestion. */
export const EvidenceSchema = z.array(z.string().max(1000)).max(30);
