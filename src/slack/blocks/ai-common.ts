/**
 * Pieces shared by the AI posts: the engine footer (which engine answered, fallbacks said out loud), the
 * incident line, bullet lists with a bounded number of items, and PagerDuty links for other incidents.
 */
import { isHttpUrl, mrkdwn } from '../text.js';
import { incidentLabel } from './incident-card.js';
import type { IncidentView } from './model.js';

/** Who produced an AI result (mirrors `AiResult` without the result). */
export interface AiMeta {
  engine: 'heuristic' | 'claude';
  model?: string | undefined;
  fallback?: { from: 'claude'; reason: string } | undefined;
  cached?: boolean | undefined;
}

/** The incident an AI post is about. */
export type IncidentBrief = Pick<
  IncidentView,
  'id' | 'number' | 'title' | 'status' | 'urgency' | 'escalationLevel' | 'htmlUrl'
>;

export function engineNote(meta: AiMeta): string {
  const who =
    meta.engine === 'claude' ? `Claude${meta.model ? ` (${mrkdwn(meta.model, 60)})` : ''}` : 'offline heuristics';
  const parts = [`✨ Suggested by ${who}`];
  if (meta.fallback)
    parts.push(`Claude was unavailable (${mrkdwn(meta.fallback.reason, 200)}), so the heuristics answered`);
  if (meta.cached) parts.push('cached');
  parts.push('a human decides');
  return parts.join(' · ');
}

export function percent(value: number): string {
  return `${Math.round(Math.max(0, Math.min(1, value)) * 100)}%`;
}

/** `• item` lines, escaped, at most `max` items (with "+N more"), each at most `each` characters. */
export function bullets(items: readonly string[], max = 5, each = 300): string {
  if (items.length === 0) return '_none_';
  const lines = items.slice(0, max).map((i) => `• ${mrkdwn(i, each)}`);
  if (items.length > max) lines.push(`_+${items.length - max} more_`);
  return lines.join('\n');
}

/** The PagerDuty web URL of another incident, derived from this incident's `html_url` (trusted origin). */
export function incidentUrl(base: string | null, id: string): string | null {
  if (!isHttpUrl(base) || !/^[A-Z0-9]{1,20}$/.test(id)) return null;
  const m = /^(https?:\/\/[^/]+)\//.exec(base);
  return m ? `${m[1]}/incidents/${id}` : null;
}

/** `*#42 Title*` for the first line of a post about an incident. */
export function incidentTitleLine(incident: IncidentBrief, maxTitle = 200): string {
  return `*${incidentLabel(incident)}* ${mrkdwn(incident.title.replace(/\s+/g, ' '), maxTitle)}`;
}
