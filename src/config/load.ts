import { AppError, ErrorCode } from '../shared/errors.js';
import { type Config, DEFAULT_ANTHROPIC_MODEL, EnvSchema } from './schema.js';

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown with every problem at once, each naming the variable and what is expected. */
export class ConfigError extends AppError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super(
      ErrorCode.ConfigInvalid,
      `Invalid configuration:\n${problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n')}`,
      { details: { problems } },
    );
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * Reads and validates the environment once. This module is the only place that reads `process.env`; everything
 * else receives the returned frozen object.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => typeof v === 'string' && v.trim() !== ''));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? '(env)'),
      message: issue.message,
    }));
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const config: Config = {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      defaultChannel: e.SLACK_DEFAULT_CHANNEL,
      responderGroup: e.SLACK_RESPONDER_GROUP,
    },
    pagerduty: {
      apiKey: e.PAGERDUTY_API_KEY,
      apiUrl: (e.PAGERDUTY_API_URL ?? 'https://api.pagerduty.com').replace(/\/+$/, ''),
      fromEmail: e.PAGERDUTY_FROM_EMAIL,
      webhookSecrets: (e.PAGERDUTY_WEBHOOK_SECRETS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    },
    anthropic: {
      apiKey: e.ANTHROPIC_API_KEY,
      baseUrl: e.ANTHROPIC_BASE_URL,
      model: e.ANTHROPIC_MODEL ?? DEFAULT_ANTHROPIC_MODEL,
      timeoutMs: e.ANTHROPIC_TIMEOUT_MS ?? 30_000,
    },
    store: {
      databaseUrl: e.DATABASE_URL,
      dataDir: e.DATA_DIR ?? './data',
    },
    http: {
      port: e.PORT ?? 3100,
      sandboxPort: e.SANDBOX_PORT ?? 3000,
    },
    logLevel: e.LOG_LEVEL ?? 'info',
    mcpToken: e.MCP_TOKEN,
    automation: {
      serviceChannelsFile: e.SERVICE_CHANNELS_FILE,
      incidentChannelUrgency: e.INCIDENT_CHANNEL_URGENCY ?? 'high',
    },
  };
  return deepFreeze(config);
}

export type Mode =
  | { kind: 'sandbox' }
  | { kind: 'production'; transport: 'http' | 'socket'; engine: 'claude' | 'heuristic' };

/**
 * Decides how the bot runs. No Slack and no PagerDuty credentials → sandbox. Credentials given → production,
 * and every missing piece is listed (a half-configured bot is an error, never a silent sandbox).
 */
export function resolveMode(config: Readonly<Config>): Mode {
  const { slack, pagerduty } = config;
  const anyCredential = Boolean(slack.botToken || slack.signingSecret || slack.appToken || pagerduty.apiKey);
  if (!anyCredential) return { kind: 'sandbox' };
  const problems: ConfigProblem[] = [];
  if (!slack.botToken) problems.push({ variable: 'SLACK_BOT_TOKEN', message: 'required to run against Slack' });
  if (!slack.appToken && !slack.signingSecret) {
    problems.push({
      variable: 'SLACK_SIGNING_SECRET',
      message: 'required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)',
    });
  }
  if (!pagerduty.apiKey) problems.push({ variable: 'PAGERDUTY_API_KEY', message: 'required to run against PagerDuty' });
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    kind: 'production',
    transport: slack.appToken ? 'socket' : 'http',
    engine: config.anthropic.apiKey ? 'claude' : 'heuristic',
  };
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
