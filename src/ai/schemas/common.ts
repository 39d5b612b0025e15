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

/** ISO-8601 timestamp with a zone (`2026-01-01T03:04:05Z` or `…+02:00`). */
export const IsoDateSchema = z.iso.datetime({ offset: true });

/** Short human-readable reasons ("why"), shown to responders next to every suggestion. */
export const EvidenceSchema = z.array(z.string().max(1000)).max(30);
