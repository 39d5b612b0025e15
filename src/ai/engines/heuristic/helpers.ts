/** Small helpers shared by the heuristic algorithms. */
import type { Category } from '../../schemas/common.js';

/** Human names of the categories. */
export const CATEGORY_LABEL: Readonly<Record<Category, string>> = {
  config_deploy: 'configuration or deploy change',
  capacity_load: 'capacity or load',
  software_bug: 'software bug',
  hardware_power: 'hardware or power',
  network: 'network',
  dns: 'DNS',
  certificate: 'TLS certificate',
  database: 'database',
  dependency_third_party: 'third-party dependency',
  security: 'security',
  time: 'time or clock',
  other: 'other / unclassified',
};

/** The hypothesis each category stands for, phrased for a responder. */
export const CATEGORY_CAUSE: Readonly<Record<Category, string>> = {
  config_deploy: 'A recent deploy, configuration or feature-flag change to {service} introduced the failure',
  capacity_load: '{service} ran out of capacity (traffic surge, saturation or exhausted resources)',
  software_bug: 'A defect in the code of {service} fails on some inputs or code paths',
  hardware_power: 'Failing hardware, power or cooling under {service} took capacity offline',
  network: 'Network loss, routing or connectivity problems between {service} and its peers',
  dns: 'Name resolution for {service} or its dependencies is failing (resolver, zone or record problem)',
  certificate: 'A TLS certificate used by {service} expired, is invalid or has an incomplete chain',
  database: 'The database behind {service} is slow or failing (locks, queries, replication or connection limits)',
  dependency_third_party: 'A third-party provider {service} depends on is failing or degraded',
  security: 'Malicious or unauthorised activity is affecting {service}',
  time: 'Clock skew, time-zone or date-boundary handling is breaking {service}',
  other: 'No specific failure class stands out for {service}; more evidence is needed',
};

/** Expertise to bring in, by category. */
export const CATEGORY_EXPERTISE: Readonly<Record<Category, readonly string[]>> = {
  config_deploy: ['release engineering', 'owner of the recent change'],
  capacity_load: ['capacity planning', 'platform / infrastructure'],
  software_bug: ['service owners (application developers)'],
  hardware_power: ['data-centre operations', 'infrastructure'],
  network: ['network engineering'],
  dns: ['DNS / network engineering'],
  certificate: ['PKI / certificate management', 'platform / edge'],
  database: ['database administration'],
  dependency_third_party: ['vendor management', 'integration owners'],
  security: ['security incident response'],
  time: ['platform / infrastructure (time sync)', 'service owners'],
  other: ['incident commander'],
};

/** Splits free text into sentences (and lines). */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z0-9@`"'(])|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `2026-01-01T03:04:05.000Z` → `2026-01-01 03:04`. */
export function formatTime(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso.slice(0, 40);
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

export function minutesBetween(fromIso: string, toIso: string): number | null {
  const m = (Date.parse(toIso) - Date.parse(fromIso)) / 60_000;
  return Number.isFinite(m) && m >= 0 ? Number(m.toFixed(1)) : null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length <= max ? t : `${t.slice(0, max - 1)}…`;
}

/** A host name or domain mentioned in the text (`api.example.com`), if any. */
export function extractHost(text: string): string | null {
  const m = /\b((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24})\b/i.exec(text);
  return m ? (m[1] as string).toLowerCase() : null;
}

/** A Kubernetes-style name for a service (`Checkout API` → `checkout-api`). */
export function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 63) || 'service'
  );
}

/** Fills `{service}` / `<service>`, `<host>`, `<domain>` placeholders. */
export function fillPlaceholders(text: string, serviceName: string, host: string | null): string {
  return text
    .replace(/\{service\}/g, serviceName)
    .replace(/<service>/g, slug(serviceName))
    .replace(/<domain>|<host>/g, host ?? '<host>');
}
