/**
 * The PagerDuty v3 webhook front: `POST /pagerduty/webhook` (on the Slack app's HTTP server) stores each
 * authentic event once as a job; the job reactions keep Slack true to PagerDuty (cards, thread notes, triage,
 * postmortem, storm summary). `src/main.ts`: build the receiver first and pass its `route` in the Slack app's
 * `customRoutes`; then build the reactions over `app.services.incidentSide` and merge them into the job worker's
 * handlers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../../shared/clock.js';
import { componentLogger, type Logger } from '../../shared/logger.js';
import type { Metrics } from '../../shared/metrics.js';
import type { JobHandler, Store } from '../../store/index.js';
import { createChannelRouter } from './channel-router.js';
import { createStoreWebhookIntake } from './intake.js';
import type { Correlator, IncidentSlackSide, SlackMessages, ToolContextFactory } from './ports.js';
import { createWebhookJobHandlers, DEFAULT_REACTION_OPTIONS } from './reactions/index.js';
import { createPagerDutyWebhookHandler, pagerDutyWebhookRoute, type WebhookHandler } from './receiver.js';
import type { ServiceChannelMap } from './service-channels-file.js';
import { DEFAULT_STORM_POLICY, type StormPolicy } from './storm.js';
import { createToolCorrelator } from './tool-correlator.js';
import { createWebhookMetrics, type WebhookMetrics } from './webhook-metrics.js';

export { markBotNote } from './bot-notes.js';
export { type ChannelRoute, type ChannelRouter, createChannelRouter } from './channel-router.js';
export { WebhookJobKind } from './intake.js';
export type { Correlator, IncidentSlackSide, SlackMessages, ToolContextFactory } from './ports.js';
export { MAX_WEBHOOK_BODY_BYTES, PAGERDUTY_WEBHOOK_PATH } from './receiver.js';
export { loadServiceChannelsFile, parseServiceChannels, type ServiceChannelMap } from './service-channels-file.js';
export { createSlackMessages } from './slack-messages.js';
export { DEFAULT_STORM_POLICY, type StormPolicy } from './storm.js';
export { createToolCorrelator } from './tool-correlator.js';

export interface WebhookReceiverFrontDeps {
  /** `Config.pagerduty.webhookSecrets`. */
  webhookSecrets: readonly string[];
  store: Pick<Store, 'transaction'>;
  metrics: Metrics;
  logger: Logger;
  clock?: Clock;
}

export interface WebhookReceiverFront {
  /** Bolt `customRoutes` entry for `POST /pagerduty/webhook`. */
  route: { path: string; method: string[]; handler: (req: IncomingMessage, res: ServerResponse) => void };
  /** The same handler, for a bare node:http server. */
  handler: WebhookHandler;
  metrics: WebhookMetrics;
}

/**
 * The receiving half: verifies, parses and stores each delivery as a job. Built before the Slack app, whose
 * HTTP server serves `route`. Logs a warning now if no webhook secret is configured.
 */
export function createPagerDutyWebhookReceiver(deps: WebhookReceiverFrontDeps): WebhookReceiverFront {
  const metrics = createWebhookMetrics(deps.metrics);
  const handler = createPagerDutyWebhookHandler({
    secrets: deps.webhookSecrets,
    intake: createStoreWebhookIntake(deps.store),
    logger: componentLogger(deps.logger, 'webhooks'),
    metrics,
    clock: deps.clock ?? systemClock,
  });
  return { route: pagerDutyWebhookRoute(handler), handler, metrics };
}

export interface WebhookReactionsFrontDeps {
  /** `Config.slack.defaultChannel`. */
  defaultChannel: string | undefined;
  /** `Config.automation.incidentChannelUrgency`. */
  incidentChannelUrgency: 'high' | 'low' | 'never';
  /** `SERVICE_CHANNELS_FILE`, loaded with `loadServiceChannelsFile`. */
  serviceChannels: ServiceChannelMap;
  store: Pick<Store, 'incidentLinks' | 'timeline' | 'processedKeys' | 'stormWindows' | 'jobs' | 'serviceChannels'>;
  /** The Slack bot's `services.incidentSide`. */
  slack: IncidentSlackSide;
  /** `createSlackMessages(app.client)`. */
  messages: SlackMessages;
  /** A read-only catalogue context (no actor: reactions never write to PagerDuty). */
  tools: ToolContextFactory;
  /** Default: `createToolCorrelator(tools, clock, logger)`. */
  correlate?: Correlator;
  metrics: Metrics;
  logger: Logger;
  clock?: Clock;
  /** Default 5 incidents within 2 minutes per channel. */
  storm?: StormPolicy;
  /** Storm summary debounce and minimum update interval (defaults 1 s and 3 s). */
  summary?: { debounceMs?: number; minIntervalMs?: number };
}

/** The reacting half: job handlers by kind (`webhook.*`), to merge into the job worker's handlers. */
export function createPagerDutyWebhookReactions(deps: WebhookReactionsFrontDeps): Record<string, JobHandler> {
  const logger = componentLogger(deps.logger, 'webhooks');
  const clock = deps.clock ?? systemClock;
  const router = createChannelRouter({
    subscribedChannels: async (serviceId) =>
      (await deps.store.serviceChannels.channelsFor(serviceId)).map((s) => s.channelId),
    fileRoutes: deps.serviceChannels,
    defaultChannel: deps.defaultChannel,
    logger,
  });
  return createWebhookJobHandlers({
    store: deps.store,
    slack: deps.slack,
    messages: deps.messages,
    router,
    tools: deps.tools,
    correlate: deps.correlate ?? createToolCorrelator(deps.tools, clock, logger),
    metrics: createWebhookMetrics(deps.metrics),
    clock,
    logger,
    options: {
      storm: deps.storm ?? DEFAULT_STORM_POLICY,
      incidentChannelUrgency: deps.incidentChannelUrgency,
      summaryDebounceMs: deps.summary?.debounceMs ?? DEFAULT_REACTION_OPTIONS.summaryDebounceMs,
      summaryMinIntervalMs: deps.summary?.minIntervalMs ?? DEFAULT_REACTION_OPTIONS.summaryMinIntervalMs,
    },
  });
}
