import { type DestinationStream, type Logger, pino } from 'pino';

export type { Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Boundaries that get their own child logger (`component` field). */
export type Component =
  | 'main'
  | 'config'
  | 'slack'
  | 'pagerduty'
  | 'ai'
  | 'store'
  | 'jobs'
  | 'webhooks'
  | 'mcp'
  | 'cli'
  | 'sandbox'
  | 'http';

/**
 * Key paths whose values are replaced by "[redacted]" wherever they appear (one or two levels deep, and in
 * HTTP header objects). Values that leak into free text are caught by `scrubSecrets` below.
 */
export const REDACT_PATHS: readonly string[] = [
  'token',
  'apiKey',
  'api_key',
  'password',
  'secret',
  'secrets',
  'signingSecret',
  'authorization',
  'Authorization',
  '*.token',
  '*.apiKey',
  '*.api_key',
  '*.password',
  '*.secret',
  '*.secrets',
  '*.signingSecret',
  '*.authorization',
  '*.Authorization',
  '*.headers.authorization',
  '*.headers.Authorization',
  '*.headers["x-slack-signature"]',
  '*.headers["x-pagerduty-signature"]',
  'headers.authorization',
  'headers.Authorization',
  'config.slackBotToken',
  'config.slackSigningSecret',
  'config.slackAppToken',
  'config.pagerdutyApiKey',
  'config.pagerdutyWebhookSecrets',
  'config.anthropicApiKey',
  'config.mcpToken',
  'config.databaseUrl',
  // The loaded `Config` itself (src/config/schema.ts) nests them.
  'config.slack.botToken',
  'config.slack.signingSecret',
  'config.slack.appToken',
  'config.pagerduty.apiKey',
  'config.pagerduty.webhookSecrets',
  'config.anthropic.apiKey',
  'config.store.databaseUrl',
];

/** Token shapes that must never reach a log line even inside free text. */
const TOKEN_PATTERNS: readonly RegExp[] = [
  /xox[abposr]-[A-Za-z0-9-]{6,}/g,
  /xapp-[A-Za-z0-9-]{6,}/g,
  /sk-ant-[A-Za-z0-9_-]{6,}/g,
  /Token token=[^\s"',]+/g,
  /Bearer [A-Za-z0-9._~+/=-]{8,}/g,
  /(postgres(?:ql)?:\/\/[^:/\s"]+:)[^@\s"]+@/g,
];

export function scrubSecrets(line: string, secrets: readonly string[]): string {
  let out = line;
  for (const secret of secrets) {
    if (secret.length >= 6) out = out.split(secret).join('[redacted]');
  }
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith('postgres') ? `${prefix}[redacted]@` : '[redacted]',
    );
  }
  return out;
}

export interface CreateLoggerOptions {
  level?: LogLevel;
  /** Known secret values (from config) scrubbed from every line, wherever they appear. */
  secrets?: readonly string[];
  /** Where lines go. Defaults to stdout; MCP stdio mode passes stderr (fd 2). */
  destination?: DestinationStream | 'stdout' | 'stderr';
  /** Extra fields on every line. */
  base?: Record<string, unknown>;
}

export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s) => s.length > 0);
  const destination =
    options.destination === undefined || options.destination === 'stdout'
      ? pino.destination({ fd: 1, sync: false })
      : options.destination === 'stderr'
        ? pino.destination({ fd: 2, sync: false })
        : options.destination;
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'incident-bot', ...options.base },
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: { streamWrite: (line: string) => scrubSecrets(line, secrets) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Child logger for one boundary. */
export function componentLogger(root: Logger, component: Component, bindings: Record<string, unknown> = {}): Logger {
  return root.child({ component, ...bindings });
}

/** A logger that writes nothing, for tests that do not inspect logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
