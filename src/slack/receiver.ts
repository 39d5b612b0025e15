/**
 * The Bolt receiver, instrumented: HTTP (`POST /slack/events` for commands, interactivity and events, plus the
 * custom routes that share the server) or Socket Mode when an app token is set. Every `ack()` is timed from the
 * moment Bolt hands the request to the app, recorded in the metrics and reported to the observer, so tests can
 * prove the ack left before any PagerDuty or AI call started.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import {
  type App,
  type CustomRoute,
  HTTPReceiver,
  type Receiver,
  type ReceiverEvent,
  SocketModeReceiver,
} from '@slack/bolt';

import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { AckObserver } from './deps.js';
import { slackLogger } from './web-client.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export interface InstrumentedReceiver extends Receiver {
  /** The HTTP port once started (null in Socket Mode or before start). */
  port(): number | null;
  readonly mode: 'http' | 'socket';
}

/** The kind of an inbound request, for metrics (`slash_command`, `block_actions`, `view_submission`, `event:<type>`). */
export function inboundKind(body: Record<string, unknown>): string {
  if (typeof body.command === 'string') return 'slash_command';
  if (body.type === 'event_callback') {
    const event = body.event as { type?: unknown } | undefined;
    return `event:${typeof event?.type === 'string' ? event.type : 'unknown'}`;
  }
  return typeof body.type === 'string' ? body.type : 'unknown';
}

export interface ReceiverOptions {
  signingSecret?: string | undefined;
  appToken?: string | undefined;
  customRoutes?: CustomRoute[] | undefined;
  logger: Logger;
  metrics?: Metrics | undefined;
  observer?: AckObserver | undefined;
}

/** Creates the receiver: Socket Mode when `appToken` is given, else HTTP (which needs the signing secret). */
export function createInstrumentedReceiver(options: ReceiverOptions): InstrumentedReceiver {
  const log = slackLogger(options.logger);
  const acks = options.metrics?.counter('slack_acks_total', 'Slack requests acknowledged, by kind');
  const ackSeconds = options.metrics?.histogram(
    'slack_ack_seconds',
    'Time from receiving a Slack request to acknowledging it',
    [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3],
  );
  const inbound = options.metrics?.counter('slack_requests_total', 'Slack requests received, by kind');
  const handled = options.metrics?.histogram(
    'slack_handler_seconds',
    'Time from receiving a Slack request until its listeners finished (work done after the ack included)',
  );

  // Socket Mode: the receiver is built at start, when the port of the custom routes' HTTP server is known.
  let inner: HTTPReceiver | SocketModeReceiver | undefined;
  let mode: 'http' | 'socket';
  if (options.appToken) {
    mode = 'socket';
  } else {
    if (!options.signingSecret) throw new Error('SLACK_SIGNING_SECRET is required for the HTTP receiver');
    mode = 'http';
    inner = new HTTPReceiver({
      signingSecret: options.signingSecret,
      endpoints: SLACK_EVENTS_PATH,
      customRoutes: options.customRoutes ?? [],
      logger: log,
      processBeforeResponse: false,
    });
  }
  let proxy: App | undefined;
  let socketPort: number | null = null;

  let server: Server | undefined;

  return {
    mode,
    init(app: App): void {
      const instrumented = {
        processEvent: (event: ReceiverEvent): Promise<void> => {
          const started = performance.now();
          const kind = inboundKind(event.body);
          inbound?.inc({ kind });
          let acked = false;
          const ack: ReceiverEvent['ack'] = async (response?: unknown) => {
            await event.ack(response);
            if (acked) return;
            acked = true;
            const at = performance.now();
            acks?.inc({ kind });
            ackSeconds?.observe((at - started) / 1000, { kind });
            options.observer?.onAck?.(kind, at, at - started);
          };
          const done = (): void => {
            const at = performance.now();
            handled?.observe((at - started) / 1000, { kind });
            options.observer?.onHandled?.(kind, at, at - started);
          };
          return app.processEvent({ ...event, ack }).then(done, (error: unknown) => {
            done();
            throw error;
          });
        },
      };
      proxy = instrumented as unknown as App;
      inner?.init(proxy);
    },
    async start(port?: number): Promise<unknown> {
      if (inner instanceof HTTPReceiver) {
        server = (await inner.start(port ?? 0)) as Server;
        return server;
      }
      if (!inner) {
        const routes = options.customRoutes ?? [];
        socketPort = routes.length > 0 ? (port ?? 3000) : null;
        inner = new SocketModeReceiver({
          appToken: options.appToken as string,
          logger: log,
          customRoutes: routes,
          ...(socketPort !== null ? { installerOptions: { port: socketPort } } : {}),
        });
        if (proxy) inner.init(proxy);
      }
      return inner.start();
    },
    async stop(): Promise<unknown> {
      if (inner instanceof HTTPReceiver) {
        if (server) {
          server.closeAllConnections?.();
          await inner.stop().catch(() => undefined);
          server = undefined;
        }
        return undefined;
      }
      return inner?.stop();
    },
    port(): number | null {
      if (mode === 'socket') return socketPort;
      const address = server?.address() as AddressInfo | string | null | undefined;
      return address && typeof address === 'object' ? address.port : null;
    },
  };
}
