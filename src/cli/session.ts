import { createAiEngine } from '../ai/create-engine.js';
import { loadConfig, secretValues } from '../config/index.js';
import { createPagerDutyClient } from '../pagerduty/index.js';
import { systemClock } from '../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import { componentLogger, createLogger, type Logger } from '../shared/logger.js';
import { tools } from '../tools/catalogue.js';
import type { Actor, ToolContext } from '../tools/define-tool.js';
import type { CliIo } from './types.js';

/** A tool context for one CLI invocation, plus what must be closed afterwards. */
export interface CliSession {
  ctx: ToolContext;
  /** `sandbox` = the in-process simulator; `pagerduty` = the configured PagerDuty account. */
  target: 'sandbox' | 'pagerduty';
  logger: Logger;
  close(): Promise<void>;
}

export interface OpenSessionOptions {
  sandbox: boolean;
  /** Email of the person writes are done for (`--as`). */
  as?: string;
  io: CliIo;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads the configuration, and connects either to PagerDuty (`PAGERDUTY_API_KEY`, `PAGERDUTY_API_URL`) or to a
 * fresh in-process simulator with the seed organisation (`--sandbox`). The acting person is `--as`, else
 * `PAGERDUTY_FROM_EMAIL`, else (sandbox only) the seed organisation's bot user.
 */
export async function openSession(options: OpenSessionOptions): Promise<CliSession> {
  const { io } = options;
  if (options.as !== undefined && !EMAIL.test(options.as)) {
    throw new InvalidInputError(`Invalid --as: "${options.as}" is not an email address`, [
      { path: '--as', message: 'expected the email of the person acting' },
    ]);
  }
  const config = io.env ? loadConfig(io.env) : loadConfig();
  const root = createLogger({
    level: config.logLevel,
    destination: { write: (line: string) => io.stderr.write(line) },
    secrets: secretValues(config),
    base: { surface: 'cli' },
  });
  const logger = componentLogger(root, 'cli');

  let token: string;
  let baseUrl: string;
  let eventsUrl: string | undefined;
  let defaultActor: string | undefined = config.pagerduty.fromEmail;
  let close = async (): Promise<void> => {};
  if (options.sandbox) {
    const { startPagerDutySimulator } = await import('../sandbox/pagerduty/index.js');
    const simulator = await startPagerDutySimulator({ logger: componentLogger(root, 'sandbox') });
    token = simulator.token;
    baseUrl = simulator.url;
    eventsUrl = simulator.eventsUrl;
    defaultActor = config.pagerduty.fromEmail ?? simulator.org.botUserEmail;
    close = () => simulator.close();
  } else {
    if (!config.pagerduty.apiKey) {
      throw new AppError(
        ErrorCode.ConfigInvalid,
        'PAGERDUTY_API_KEY is not set; set it (and PAGERDUTY_FROM_EMAIL for changes), or add --sandbox to use the built-in simulator',
      );
    }
    token = config.pagerduty.apiKey;
    baseUrl = config.pagerduty.apiUrl;
  }

  const email = options.as ?? defaultActor;
  const actor: Actor | undefined = email ? { email, surface: 'cli' } : undefined;
  const ctx: ToolContext = {
    pagerduty: createPagerDutyClient({
      token,
      baseUrl,
      ...(eventsUrl ? { eventsUrl } : {}),
      logger: componentLogger(root, 'pagerduty'),
    }),
    ai: createAiEngine(config, { tools, logger: componentLogger(root, 'ai') }),
    logger,
    clock: systemClock,
    ...(actor ? { actor } : {}),
  };
  return { ctx, target: options.sandbox ? 'sandbox' : 'pagerduty', logger, close };
}
