/**
 * `createSlackApp(deps)`: the Bolt app of incident-bot. HTTP receiver on `POST /slack/events` (commands,
 * interactivity and events) sharing its server with `customRoutes` (`POST /pagerduty/webhook`, `GET /healthz`,
 * `GET /metrics`), or Socket Mode when an app token is given. The Web API client has an explicit timeout and a
 * short retry policy (`SLACK_API_URL` overrides its base URL), every call is counted in the metrics, and every
 * request is acknowledged before any PagerDuty or AI call (never `processBeforeResponse`).
 */
import { App, type CustomRoute } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { instrumentSlackFetch } from '../observability/instrument-slack-fetch.js';
import type { JobHandler } from '../store/index.js';
import type { SlackDeps, SlackRuntime } from './deps.js';
import { slackJobHandlers } from './jobs/handlers.js';
import { registerListeners } from './listeners/index.js';
import { createInstrumentedReceiver, type InstrumentedReceiver } from './receiver.js';
import { createSlackServices, type SlackServices } from './services/index.js';
import { slackLogger, slackWebClientOptions } from './web-client.js';

export interface SlackAppOptions extends SlackDeps {
  /** Extra HTTP routes served by the same server (HTTP mode). */
  customRoutes?: CustomRoute[] | undefined;
}

export interface SlackApp {
  app: App;
  client: WebClient;
  services: SlackServices;
  receiver: InstrumentedReceiver;
  /** The job kinds of the Slack front, for `createJobWorker({ handlers })`. */
  jobHandlers: Record<string, JobHandler>;
  /** Verifies the token (`auth.test`) and starts listening (port 0 = ephemeral). Returns the port (null in Socket Mode). */
  start(port?: number): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

/** Builds the app (listeners registered, nothing listening yet). */
export function createSlackApp(options: SlackAppOptions): SlackApp {
  const receiver = createInstrumentedReceiver({
    signingSecret: options.slack.signingSecret,
    appToken: options.slack.appToken,
    customRoutes: options.customRoutes,
    logger: options.logger,
    metrics: options.metrics,
    observer: options.observe,
  });
  const app = new App({
    token: options.slack.botToken,
    receiver,
    logger: slackLogger(options.logger),
    clientOptions: {
      ...slackWebClientOptions({
        apiUrl: options.slack.apiUrl,
        timeoutMs: options.webApi?.timeoutMs,
        retries: options.webApi?.retries,
        logger: options.logger,
      }),
      // Every Web API request is counted, timed and its failures named (see instrumentSlackFetch).
      ...(options.metrics ? { fetch: instrumentSlackFetch(globalThis.fetch, options.metrics) } : {}),
    },
    deferInitialization: true,
    ignoreSelf: true,
  });
  const rt: SlackRuntime = { ...options, client: app.client };
  const services = createSlackServices(rt);
  const deps = { rt, services };
  registerListeners(app, deps);
  app.error(async (error) => {
    options.logger.error({ err: error }, 'unhandled Slack listener error');
  });

  let started = false;
  return {
    app,
    client: app.client,
    services,
    receiver,
    jobHandlers: slackJobHandlers(deps),
    async start(port = 0) {
      await app.init();
      await app.start(port);
      started = true;
      return { port: receiver.port() };
    },
    async stop() {
      if (!started) return;
      started = false;
      await app.stop();
    },
  };
}
