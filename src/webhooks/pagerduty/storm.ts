/**
 * Alert-storm policy. A storm is `threshold` incidents triggered in one Slack channel within `windowMs` (default
 * 5 in 2 minutes). Services routed to the same channel are the "related services": they belong to one team, and
 * the channel is what Slack rate-limits (about one message per second).
 *
 * The shared state is the store's `storm_windows` (one window per channel, serialised across replicas): a window
 * holds incidents that each triggered less than a gap after the previous one, and closes after a gap of quiet.
 * With `gap = windowMs / (threshold - 1)`, any `threshold` consecutive members span less than `windowMs`, so a
 * window that reaches `threshold` incidents is always a real storm (span ≤ windowMs) (no false alarm from a slow drizzle, which
 * keeps breaking the chain), and every dense burst — what a storm is in practice — is caught as it happens.
 * The one burst it does not call a storm is `threshold` incidents in `windowMs` with a lull longer than the gap
 * in the middle; those incidents get individual cards, as they would below the threshold.
 */

export interface StormPolicy {
  /** Incidents that make a storm (≥ 2). */
  threshold: number;
  /** Time span those incidents fall within. */
  windowMs: number;
}

export const DEFAULT_STORM_POLICY: StormPolicy = { threshold: 5, windowMs: 2 * 60_000 };

/** Largest gap between consecutive triggers that keeps them in one storm window. */
export function stormGapMs(policy: StormPolicy): number {
  return Math.max(1, Math.floor(policy.windowMs / Math.max(1, policy.threshold - 1)));
}

export interface StormVerdict {
  /** The window is a storm: incidents from the threshold-th on are folded into the summary. */
  storm: boolean;
  /** This trigger turned the window into a storm (exactly one trigger per window sees this). */
  stormStarted: boolean;
  /** 1-based position of the incident in its window. */
  position: number;
}

/**
 * Judges one trigger from the window the store returned after recording it. `position` is the incident's place
 * in arrival order; incidents before the threshold-th keep their individual cards even once the storm starts.
 */
export function judgeTrigger(
  window: { incidentIds: readonly string[] },
  incidentId: string,
  policy: StormPolicy,
): StormVerdict {
  const index = window.incidentIds.indexOf(incidentId);
  const position = index >= 0 ? index + 1 : window.incidentIds.length;
  const storm = position >= policy.threshold;
  return { storm, stormStarted: position === policy.threshold, position };
}
