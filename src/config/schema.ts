import { z } from 'zod';

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^https?:\/\/[^\s]+$/.test(v), { message: `expected an http(s) URL for ${what}` });

const optionalUrl = (what: string) =>
  z
    .string()
    .trim()
    .transform((v) => (v === '' ? undefined : v))
    .pipe(url(what).optional())
    .optional();

const port = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,5}$/, { message: `${name} must be a TCP port number (0-65535)` })
    .transform(Number)
    .refine((n) => n >= 0 && n <= 65535, { message: `${name} must be between 0 and 65535` })
    .optional();

const positiveInt = (name: string) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { message: `${name} must be a positive whole number` })
    .transform(Number)
    .optional();

const email = z
  .string()
  .trim()
  .pipe(z.email({ message: 'expected an email address' }));

/**
 * The environment, exactly as DESIGN.md lists it (plus a few tuning knobs). Every variable is optional at this
 * level; which ones are required depends on the mode (see `resolveMode`).
 */
export const EnvSchema = z.object({
  SLACK_BOT_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xoxb-/, { message: 'expected a bot token starting with xoxb-' })
      .optional(),
  ),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString.pipe(
    z
      .string()
      .regex(/^xapp-/, { message: 'expected an app-level token starting with xapp- (Socket Mode)' })
      .optional(),
  ),
  SLACK_API_URL: optionalUrl('SLACK_API_URL'),
  SLACK_DEFAULT_CHANNEL: optionalString.pipe(
    z
      .string()
      .regex(/^[CGD][A-Z0-9]{2,}$/, { message: 'expected a Slack channel id such as C0123456789' })
      .optional(),
  ),
  SLACK_RESPONDER_GROUP: optionalString.pipe(
    z
      .string()
      .regex(/^S[A-Z0-9]{2,}$/, { message: 'expected a Slack user group id such as S0123456789' })
      .optional(),
  ),
  PAGERDUTY_API_KEY: optionalString,
  PAGERDUTY_API_URL: optionalUrl('PAGERDUTY_API_URL'),
  PAGERDUTY_FROM_EMAIL: optionalString.pipe(email.optional()),
  PAGERDUTY_WEBHOOK_SECRETS: optionalString,
  ANTHROPIC_API_KEY: optionalString,
  ANTHROPIC_BASE_URL: optionalUrl('ANTHROPIC_BASE_URL'),
  ANTHROPIC_MODEL: optionalString,
  ANTHROPIC_TIMEOUT_MS: positiveInt('ANTHROPIC_TIMEOUT_MS'),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'expected a postgres:// connection URL' })
      .optional(),
  ),
  DATA_DIR: optionalString,
  PORT: port('PORT'),
  SANDBOX_PORT: port('SANDBOX_PORT'),
  LOG_LEVEL: optionalString.pipe(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional()),
  MCP_TOKEN: optionalString.pipe(z.string().min(16, { message: 'must be at least 16 characters' }).optional()),
  SERVICE_CHANNELS_FILE: optionalString,
  INCIDENT_CHANNEL_URGENCY: optionalString.pipe(z.enum(['high', 'low', 'never']).optional()),
});

export type Env = z.input<typeof EnvSchema>;

export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

export interface Config {
  slack: {
    botToken: string | undefined;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string | undefined;
    defaultChannel: string | undefined;
    responderGroup: string | undefined;
  };
  pagerduty: {
    apiKey: string | undefined;
    apiUrl: string;
    fromEmail: string | undefined;
    webhookSecrets: string[];
  };
  anthropic: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    model: string;
    timeoutMs: number;
  };
  store: {
    databaseUrl: string | undefined;
    dataDir: string;
  };
  http: {
    port: number;
    sandboxPort: number;
  };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  mcpToken: string | undefined;
  automation: {
    serviceChannelsFile: string | undefined;
    /** Lowest urgency that opens an incident channel automatically on `incident.triggered`. */
    incidentChannelUrgency: 'high' | 'low' | 'never';
  };
}

/** Every secret value in the config, for log scrubbing. */
export function secretValues(config: Config): string[] {
  return [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.pagerduty.apiKey,
    ...config.pagerduty.webhookSecrets,
    config.anthropic.apiKey,
    config.mcpToken,
  ].filter((v): v is string => typeof v === 'string' && v.length > 0);
}
