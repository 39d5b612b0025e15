/**
 * The sandbox: the real bot, unchanged, against emulators of PagerDuty (seed organisation), Slack (a workspace
 * whose people match PagerDuty's users, with a browser console) and the Anthropic Messages API (auto mode), all
 * on 127.0.0.1. `npm start` with no credentials lands here.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/index.js';
import { type RunningBot, startBot } from '../main.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { componentLogger, type Logger } from '../shared/logger.js';
import { type AnthropicEmulator, startAnthropicEmulator } from './anthropic/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from './pagerduty/index.js';
import { type SidePanelAdapter, type SlackEmulator, startSlackEmulator } from './slack/index.js';

export interface StartSandboxOptions {
  config: Readonly<Config>;
  logger: Logger;
  clock?: Clock;
  /** Console port (default `config.http.sandboxPort`, 3000; 0 = ephemeral). */
  consolePort?: number;
  /** Store in memory instead of under DATA_DIR (tests). */
  memoryStore?: boolean;
}

export interface Sandbox {
  consoleUrl: string;
  bot: RunningBot;
  pagerduty: PagerDutySimulator;
  slack: SlackEmulator;
  anthropic: AnthropicEmulator;
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/** Channels of the sandbox workspace: where incidents land, by PagerDuty service name. */
const SERVICE_CHANNELS: Record<string, string> = {
  'payments-api': 'payments-oncall',
  'checkout-web': 'checkout-oncall',
};

/** The fields of a simulator incident the console side panel shows. */
const Reference = z.object({ id: z.string(), summary: z.string().optional() });
const ConsoleIncident = z.object({
  id: z.string(),
  incident_number: z.number(),
  title: z.string(),
  status: z.string(),
  urgency: z.string(),
  created_at: z.string(),
  service: Reference,
  assignments: z.array(z.object({ assignee: Reference })),
});

function secret(): string {
  return randomBytes(16).toString('hex');
}

function sidePanel(pd: PagerDutySimulator): SidePanelAdapter {
  const nameOf = (email: string | undefined): string =>
    pd.org.users.find((u) => u.email === email)?.name ?? email ?? 'unknown';
  return {
    services: () => pd.org.services.map((s) => ({ id: s.id, name: s.name })),
    incidents: () =>
      pd.listIncidents({ limit: 50 }).map((raw) => {
        const i = ConsoleIncident.parse(raw);
        return {
          id: i.id,
          number: i.incident_number,
          title: i.title,
          status: i.status,
          urgency: i.urgency,
          service: i.service.summary ?? i.service.id,
          assignees: i.assignments.map((a) => a.assignee.summary ?? a.assignee.id),
          createdAt: i.created_at,
        };
      }),
    oncallNow: () =>
      pd.oncallNow().map((o) => ({ schedule: o.scheduleName ?? '', level: o.level, user: nameOf(o.user.email) })),
    triggerIncident: (input) => {
      pd.triggerIncident(input);
    },
    alertStorm: (input) => {
      pd.alertStorm({ count: input.count });
    },
    acknowledge: (id) => {
      pd.acknowledge(id);
    },
    resolve: (id) => {
      pd.resolve(id);
    },
  };
}

/** Starts the emulators, then the real bot pointed at them, and wires webhooks and the console. */
export async function startSandbox(options: StartSandboxOptions): Promise<Sandbox> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const log = componentLogger(options.logger, 'sandbox');
  const botToken = `xoxb-sandbox-${secret()}`;
  const signingSecret = secret();
  const webhookSecret = secret();
  const anthropicKey = `sk-ant-sandbox-${secret()}`;
  const started: Array<{ close(): Promise<void> }> = [];
  try {
    const pagerduty = await startPagerDutySimulator({ clock, logger: log });
    started.push(pagerduty);
    const anthropic = await startAnthropicEmulator({ mode: 'auto', apiKey: anthropicKey, logger: log });
    started.push(anthropic);
    const channelNames = ['incidents', ...Object.values(SERVICE_CHANNELS), 'general'];
    const slack = await startSlackEmulator({
      port: options.consolePort ?? config.http.sandboxPort,
      team: { id: 'T0SANDBOX', name: 'Sandbox Inc.', domain: 'sandbox' },
      users: pagerduty.org.users.map((u) => ({
        name: u.email.split('@')[0] ?? u.key,
        realName: u.name,
        email: u.email,
        tz: u.timeZone,
      })),
      channels: channelNames.map((name) => ({ name, topic: name === 'incidents' ? 'Where new incidents land' : '' })),
      bot: { token: botToken, signingSecret, name: 'incident-bot' },
      clock,
      console: { sidePanel: sidePanel(pagerduty) },
      logger: log,
    });
    started.push(slack);
    const incidents = slack.channel('incidents');
    if (!incidents) throw new Error('sandbox workspace has no #incidents channel');

    const botConfig: Config = {
      ...config,
      slack: {
        ...config.slack,
        botToken,
        signingSecret,
        appToken: undefined,
        apiUrl: slack.apiUrl,
        defaultChannel: incidents.id,
        responderGroup: undefined,
      },
      pagerduty: {
        ...config.pagerduty,
        apiKey: pagerduty.token,
        apiUrl: pagerduty.url,
        fromEmail: pagerduty.org.botUserEmail,
        webhookSecrets: [webhookSecret],
      },
      anthropic: { ...config.anthropic, apiKey: anthropicKey, baseUrl: anthropic.url },
      store: { databaseUrl: undefined, dataDir: join(config.store.dataDir, 'sandbox') },
    };
    const bot = await startBot({
      config: botConfig,
      logger: options.logger,
      clock,
      port: 0,
      ...(options.memoryStore ? { store: { memory: true } } : {}),
    });
    started.push({ close: () => bot.close() });
    slack.setRequestUrl(`${bot.url}/slack/events`);
    pagerduty.addWebhookSubscription({ url: `${bot.url}/pagerduty/webhook`, secret: webhookSecret });
    for (const [serviceName, channelName] of Object.entries(SERVICE_CHANNELS)) {
      const service = pagerduty.org.services.find((s) => s.name === serviceName);
      const channel = slack.channel(channelName);
      if (service && channel) {
        await bot.store.serviceChannels.subscribe({
          serviceId: service.id,
          channelId: channel.id,
          createdBy: slack.bot.userId,
        });
      }
    }

    log.info(
      {
        mode: 'sandbox',
        console: slack.url,
        bot: bot.url,
        pagerduty: pagerduty.url,
        anthropic: anthropic.url,
        engine: bot.engine,
        store: `${bot.store.db.kind} (${options.memoryStore ? 'in memory' : botConfig.store.dataDir})`,
      },
      `incident-bot sandbox: open ${slack.url} (emulated Slack, PagerDuty and Claude on 127.0.0.1; ${bot.engine} engine)`,
    );

    let closing: Promise<void> | undefined;
    return {
      consoleUrl: slack.url,
      bot,
      pagerduty,
      slack,
      anthropic,
      close() {
        closing ??= (async () => {
          // Stop taking inbound traffic first, then the bot (jobs finished or released), then the emulators.
          await bot.close();
          await Promise.allSettled([slack.close(), pagerduty.close(), anthropic.close()]);
        })();
        return closing;
      },
    };
  } catch (error) {
    await Promise.allSettled(started.reverse().map((s) => s.close()));
    throw error;
  }
}
