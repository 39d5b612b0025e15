import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import type { Store } from '../../../store/index.js';
import type { ChannelRouter } from '../channel-router.js';
import type { Correlator, IncidentSlackSide, SlackMessages, ToolContextFactory } from '../ports.js';
import type { StormPolicy } from '../storm.js';
import type { WebhookMetrics } from '../webhook-metrics.js';

export interface ReactionOptions {
  storm: StormPolicy;
  /** Lowest urgency that opens an incident channel on `incident.triggered` (`INCIDENT_CHANNEL_URGENCY`). */
  incidentChannelUrgency: 'high' | 'low' | 'never';
  /** Wait after the trigger that starts a storm before the first summary, so the first burst lands in one post. */
  summaryDebounceMs: number;
  /**
   * While a storm grows, a summary update waits this long after it is asked for, and everything that arrives
   * meanwhile joins it: at most one update per interval (Slack's `chat.update` is Tier 3, about 50 a minute).
   */
  summaryMinIntervalMs: number;
}

export const DEFAULT_REACTION_OPTIONS: Omit<ReactionOptions, 'storm' | 'incidentChannelUrgency'> = {
  summaryDebounceMs: 1_000,
  summaryMinIntervalMs: 3_000,
};

/** Everything the webhook reactions use, injected by the composition root. */
export interface ReactionDeps {
  store: Pick<Store, 'incidentLinks' | 'timeline' | 'processedKeys' | 'stormWindows' | 'jobs'>;
  slack: IncidentSlackSide;
  messages: SlackMessages;
  router: ChannelRouter;
  tools: ToolContextFactory;
  correlate: Correlator;
  metrics: WebhookMetrics;
  clock: Clock;
  logger: Logger;
  options: ReactionOptions;
}

/** Records the webhook's end-to-end latency (arrival → reaction done). */
export function observeProcessed(deps: ReactionDeps, eventType: string, receivedAt: number): void {
  deps.metrics.processingSeconds.observe(Math.max(0, deps.clock.now() - receivedAt) / 1000, { event_type: eventType });
}
