/**
 * Similar past incidents: TF-IDF cosine over title (counted twice) and description, boosted for the same
 * service and the same category, over the history the tools gathered.
 */
import type { Category } from '../../schemas/common.js';
import type { PastIncident } from '../../schemas/inputs.js';
import type { SimilarIncident } from '../../schemas/results.js';
import { buildTfIdf, cosine } from './similarity.js';
import { tokenize } from './text.js';

export interface SimilarQuery {
  id?: string | undefined;
  title: string;
  description?: string | undefined;
  serviceId?: string | undefined;
  category?: Category | undefined;
}

export interface RankedPastIncident {
  incident: PastIncident;
  similarity: number;
}

function documentTokens(title: string, description: string | undefined): string[] {
  const t = tokenize(title);
  return [...t, ...t, ...tokenize((description ?? '').slice(0, 2000))];
}

/** Ranks history by similarity to the query; returns those at or above `minSimilarity`, best first. */
export function rankSimilarIncidents(
  query: SimilarQuery,
  history: readonly PastIncident[],
  options: { limit?: number; minSimilarity?: number } = {},
): RankedPastIncident[] {
  const limit = options.limit ?? 5;
  const min = options.minSimilarity ?? 0.2;
  const candidates = history.filter((h) => h.id !== query.id);
  if (candidates.length === 0) return [];
  const docs = candidates.map((h) => documentTokens(h.title, h.description));
  const queryTokens = documentTokens(query.title, query.description);
  const model = buildTfIdf([...docs, queryTokens]);
  const q = model.vector(queryTokens);
  const ranked: RankedPastIncident[] = [];
  candidates.forEach((incident, i) => {
    const text = cosine(q, model.vector(docs[i] as string[]));
    const sameService = query.serviceId !== undefined && incident.service?.id === query.serviceId ? 1 : 0;
    const sameCategory = query.category !== undefined && incident.category === query.category ? 1 : 0;
    const similarity = Math.min(1, 0.75 * text + 0.15 * sameService * (text > 0 ? 1 : 0.5) + 0.1 * sameCategory);
    if (similarity >= min) ranked.push({ incident, similarity: Number(similarity.toFixed(3)) });
  });
  ranked.sort((a, b) => b.similarity - a.similarity || a.incident.id.localeCompare(b.incident.id));
  return ranked.slice(0, limit);
}

/** The result-schema view of a ranked past incident. */
export function toSimilarIncident(r: RankedPastIncident): SimilarIncident {
  return {
    id: r.incident.id,
    title: r.incident.title.slice(0, 2000),
    similarity: r.similarity,
    resolution: r.incident.resolution ? r.incident.resolution.slice(0, 8000) : null,
  };
}

/** Minutes from creation to resolution of a past incident, when known. */
export function resolutionMinutes(p: PastIncident): number | null {
  if (!p.resolvedAt) return null;
  const m = (Date.parse(p.resolvedAt) - Date.parse(p.createdAt)) / 60_000;
  return Number.isFinite(m) && m >= 0 ? m : null;
}
