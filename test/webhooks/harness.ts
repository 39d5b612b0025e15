/**
 * Real parts for reaction tests: the PagerDuty simulator with the real client and catalogue tools, the Slack
 * workspace emulator with a real WebClient, in-memory PGlite, and the heuristic AI engine.
 */
import { WebClient } from '@slack/web-api';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { createPagerDutyClient } from '../../src/pagerduty/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { type SlackEmulator, startSlackEmulator } from '../../src/sandbox/slack/index.js';
import type { Clock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { createMetrics } from '../../src/shared/metrics.js';
import { slackWebClientOptions } from '../../src/slack/web-client.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { ToolContext } from '../../src/tools/define-tool.js';
import { createWebhookMetrics, type WebhookMetrics } from '../../src/webhooks/pagerduty/webhook-metrics.js';

export const BOT_TOKEN = 'xoxb-webhook-tests';
export const SIGNING_SECRET = 'webhook-tests-signing-secret';

export interface Harness {
  pd: PagerDutySimulator;
  slack: SlackEmulator;
  client: WebClient;
  store: Store;
  channelId: string;
  tools: (signal?: AbortSignal) => ToolContext;
  metrics: WebhookMetrics;
  close(): Promise<void>;
}

export async function startHarness(options: { clock: Clock; channelName?: string }): Promise<Harness> {
  const logger = silentLogger();
  const [pd, slack, store] = await Promise.all([
    startPagerDutySimulator({ clock: options.clock, webhookRetry: { attempts: 2, delaysMs: [200] } }),
    startSlackEmulator({
      bot: { token: BOT_TOKEN, signingSecret: SIGNING_SECRET },
      channels: [{ name: options.channelName ?? 'payments-oncall' }],
    }),
    openStore({ memory: true, purgeEveryMs: 0, clock: options.clock }),
  ]);
  const channel = slack.channel(options.channelName ?? 'payments-oncall');
  if (!channel) throw new Error('emulator did not create the channel');
  const client = new WebClient(BOT_TOKEN, slackWebClientOptions({ apiUrl: slack.apiUrl, logger }));
  const pagerduty = createPagerDutyClient({ token: pd.token, baseUrl: pd.url, logger });
  const ai = createHeuristicEngine();
  return {
    pd,
    slack,
    client,
    store,
    channelId: channel.id,
    tools: (signal) => ({ pagerduty, ai, logger, clock: options.clock, ...(signal ? { signal } : {}) }),
    metrics: createWebhookMetrics(createMetrics('t_')),
    async close() {
      await Promise.allSettled([pd.close(), slack.close()]);
      await store.close();
    },
  };
}
