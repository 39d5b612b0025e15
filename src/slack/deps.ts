/**
 * What the Slack front needs from the rest of the bot, as narrow interfaces. `src/main.ts` (and the tests) pass
 * the real store, a `ToolContext` factory over the real PagerDuty client and AI engine, a logger, a clock and the
 * metrics registry. Nothing here reaches PagerDuty or Claude except through catalogue tools.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { Store, StoreRepositories } from '../store/index.js';
import type { Actor, ToolContext } from '../tools/define-tool.js';

/** The repositories the Slack front uses. */
export type SlackStore = Pick<
  StoreRepositories,
  'incidentLinks' | 'timeline' | 'processedKeys' | 'audit' | 'serviceChannels' | 'jobs'
> &
  Partial<Pick<Store, 'transaction'>>;

/** Slack settings (from `Config.slack`). */
export interface SlackSettings {
  botToken: string;
  signingSecret?: string | undefined;
  /** Socket Mode when set (xapp-…). */
  appToken?: string | undefined;
  /** Web API base URL override (`SLACK_API_URL`), e.g. the emulator's `apiUrl`. */
  apiUrl?: string | undefined;
  /** Where incidents go when nothing else says (`SLACK_DEFAULT_CHANNEL`). */
  defaultChannel?: string | undefined;
  /** Only members of this user group may resolve or escalate (`SLACK_RESPONDER_GROUP`). */
  responderGroup?: string | undefined;
}

/** Observes tool runs (tests compare these with ack times; benchmarks measure them). */
export interface ToolObserver {
  onToolStart?(name: string, at: number): void;
  onToolEnd?(name: string, at: number, ok: boolean): void;
}

/** Observes acknowledgements (the instrumented receiver calls it right after Bolt sent the ack). */
export interface AckObserver {
  onAck?(kind: string, at: number, latencyMs: number): void;
  /** Called when the listeners of a request finished (after the ack), with how long they took in total. */
  onHandled?(kind: string, at: number, durationMs: number): void;
}

export interface SlackDeps {
  slack: SlackSettings;
  store: SlackStore;
  /** Builds the catalogue context for one request; `actor` is set for writes. */
  toolContext: (actor?: Actor, signal?: AbortSignal) => ToolContext;
  logger: Logger;
  clock: Clock;
  metrics?: Metrics | undefined;
  /** Test and benchmark hooks (monotonic `performance.now()` times). */
  observe?: (ToolObserver & AckObserver) | undefined;
  /** Web API timeout per attempt (default 10 s) and retries (default 2) — never the SDK's ~30 min defaults. */
  webApi?: { timeoutMs?: number; retries?: number } | undefined;
}

/** What services and listeners share once the app exists. */
export interface SlackRuntime extends SlackDeps {
  client: WebClient;
}
