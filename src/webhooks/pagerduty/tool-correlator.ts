import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { correlateIncidents } from '../../tools/ai/correlate-incidents.js';
import { runTool } from '../../tools/define-tool.js';
import type { Correlation, Correlator, ToolContextFactory } from './ports.js';

/** Up to this many incidents are read one by one (exact, resolved ones included); beyond, one list call. */
export const EXACT_CORRELATION_MAX = 25;

/** Keeps only the window's incidents in every group and merge suggestion. */
export function restrictCorrelation(result: Correlation, incidentIds: readonly string[]): Correlation {
  const members = new Set(incidentIds);
  const groups = result.groups
    .map((g) => {
      const incidentIds = g.incidentIds.filter((id) => members.has(id));
      const root = members.has(g.rootCauseIncidentId)
        ? g.rootCauseIncidentId
        : (incidentIds[0] ?? g.rootCauseIncidentId);
      return { ...g, incidentIds, rootCauseIncidentId: root };
    })
    .filter((g) => g.incidentIds.length >= 2);
  const mergeRecommendations = result.mergeRecommendations
    .filter((m) => members.has(m.targetIncidentId))
    .map((m) => ({
      ...m,
      sourceIncidentIds: m.sourceIncidentIds.filter((id) => members.has(id) && id !== m.targetIncidentId),
    }))
    .filter((m) => m.sourceIncidentIds.length > 0);
  const grouped = new Set(groups.flatMap((g) => g.incidentIds));
  return {
    groups,
    mergeRecommendations,
    ungroupedCount: incidentIds.filter((id) => !grouped.has(id)).length,
    engine: result.engine,
    fallback: result.fallback,
  };
}

/**
 * Correlation through the catalogue's `correlate_incidents` tool (heuristic or Claude engine, with fallback).
 * Small windows are correlated by id; large ones through the tool's "open incidents of the last N minutes" mode
 * (one paged list instead of one read per incident, which would cost hundreds of PagerDuty calls per update),
 * then restricted to the window.
 */
export function createToolCorrelator(tools: ToolContextFactory, clock: Clock, logger: Logger): Correlator {
  return async ({ incidentIds, since }, signal) => {
    const ctx = tools(signal);
    const input =
      incidentIds.length <= EXACT_CORRELATION_MAX
        ? { incident_ids: [...incidentIds] }
        : { since_minutes: Math.min(10_080, Math.max(5, Math.ceil((clock.now() - since) / 60_000) + 5)) };
    const output = await runTool(correlateIncidents, input, ctx);
    const result = restrictCorrelation(
      {
        groups: output.groups,
        mergeRecommendations: output.mergeRecommendations,
        ungroupedCount: output.ungroupedCount,
        engine: output.engine,
        fallback: output.fallback ? { reason: output.fallback.reason } : undefined,
      },
      incidentIds,
    );
    logger.debug(
      { incidents: incidentIds.length, groups: result.groups.length, engine: result.engine },
      'storm correlated',
    );
    return result;
  };
}
