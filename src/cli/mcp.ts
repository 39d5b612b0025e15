import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAiEngine } from '../ai/create-engine.js';
import { type Config, loadConfig } from '../config/index.js';
import { startMcpHttpServer } from '../mcp/http.js';
import { createMcpServerFactory, planMcpServer } from '../mcp/server.js';
import { serveMcpStdio } from '../mcp/stdio.js';
import { AppError, ErrorCode, isAppError } from '../shared/errors.js';
import { tools as catalogue } from '../tools/catalogue.js';
import type { Actor } from '../tools/define-tool.js';
import { openSession } from './session.js';
import { type CliCommand, EXIT_OK, EXIT_USAGE } from './types.js';

/** Default port of `mcp --http` (the bot itself defaults to 3100). */
export const MCP_DEFAULT_PORT = 3101;

const USAGE = [
  'incident-bot mcp [--http [--port <n>]] [--enable-write-tools --as <email>] [--tools a,b,c] [--sandbox]',
  '',
  '  (no flag)             serve the tools over stdio, for Claude Desktop, Claude Code and IDE assistants',
  `  --http                serve Streamable HTTP on http://127.0.0.1:<port>/mcp (default port ${MCP_DEFAULT_PORT});`,
  '                        needs MCP_TOKEN, sent by clients as "Authorization: Bearer <token>"',
  '  --enable-write-tools  also serve the tools that change PagerDuty (off by default)',
  '  --as <email>          the person changes are made for (default PAGERDUTY_FROM_EMAIL); required with write tools',
  '  --tools a,b,c         serve only these tools (incident-bot tools lists them)',
  '  --sandbox             use an in-process PagerDuty simulator with a made-up organisation instead of PAGERDUTY_API_KEY',
  '',
  'Logs go to stderr; in stdio mode stdout carries nothing but MCP messages. Stop with Ctrl-C (or close stdin).',
].join('\n');

export interface McpCommandDeps {
  /** Default `process.stdin`. */
  stdin?: Readable;
  /** Default `process.stdout` (protocol only). */
  stdout?: Writable;
  /** Stops serving when aborted; default: SIGINT or SIGTERM. */
  stop?: AbortSignal;
  /** Called once the server accepts clients (tests learn the URL from it). */
  onReady?: (info: { transport: 'stdio' | 'http'; url?: string; tools: string[] }) => void;
}

interface McpFlags {
  http: boolean;
  port: number;
  enableWriteTools: boolean;
  tools: string[] | undefined;
  as: string | undefined;
  sandbox: boolean;
}

function usageError(message: string): AppError {
  return new AppError(ErrorCode.InvalidInput, `${message}\nusage: ${USAGE}`);
}

const OPTIONS = {
  http: { type: 'boolean' },
  port: { type: 'string' },
  'enable-write-tools': { type: 'boolean' },
  tools: { type: 'string' },
  as: { type: 'string' },
  sandbox: { type: 'boolean' },
} as const;

function parseFlags(args: readonly string[]): McpFlags {
  let values: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.port !== undefined && !values.http) throw usageError('--port only applies with --http');
  const port = values.port === undefined ? MCP_DEFAULT_PORT : Number(values.port);
  if (!/^\d{1,5}$/.test(values.port ?? '0') || port > 65_535) {
    throw usageError(`--port must be a TCP port number (0-65535), not "${values.port}"`);
  }
  return {
    http: values.http ?? false,
    port,
    enableWriteTools: values['enable-write-tools'] ?? false,
    tools: values.tools === undefined ? undefined : values.tools.split(','),
    as: values.as,
    sandbox: values.sandbox ?? false,
  };
}

function packageVersion(): string {
  try {
    const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(raw) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Resolves when `signal` aborts, or on SIGINT / SIGTERM when no signal is given. */
function stopped(signal: AbortSignal | undefined): { promise: Promise<void>; dispose(): void } {
  if (signal) {
    return {
      promise: signal.aborted
        ? Promise.resolve()
        : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true })),
      dispose: () => {},
    };
  }
  let onSignal: () => void = () => {};
  const promise = new Promise<void>((resolve) => {
    onSignal = () => resolve();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  return {
    promise,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/**
 * `incident-bot mcp`: serves the tool catalogue to AI agents over stdio (default) or Streamable HTTP on
 * 127.0.0.1 (`--http`, bearer token `MCP_TOKEN`). Every problem with the flags or the configuration (unknown
 * tool names, write tools without an acting person, HTTP without a token) stops it before anything starts.
 */
export function createMcpCommand(deps: McpCommandDeps = {}): CliCommand {
  return {
    name: 'mcp',
    summary: 'Serve the tools to AI agents over MCP (stdio, or --http on 127.0.0.1 with a bearer token)',
    usage: USAGE,
    async run(args, io) {
      let flags: McpFlags;
      let token: string | undefined;
      let actor: Actor | undefined;
      let served: string[];
      let config: Readonly<Config>;
      try {
        flags = parseFlags(args);
        config = io.env ? loadConfig(io.env) : loadConfig();
        if (flags.as !== undefined && !z.email().safeParse(flags.as).success) {
          throw new AppError(ErrorCode.InvalidInput, `Invalid --as: "${flags.as}" is not an email address`);
        }
        const email = flags.as ?? config.pagerduty.fromEmail;
        actor = email ? { email, surface: flags.sandbox ? 'sandbox' : 'mcp' } : undefined;
        served = planMcpServer({
          enableWriteTools: flags.enableWriteTools,
          tools: flags.tools,
          actor,
          sandbox: flags.sandbox,
        }).tools.map((t) => t.name);
        if (!flags.sandbox && !config.pagerduty.apiKey) {
          throw new AppError(
            ErrorCode.ConfigInvalid,
            'PAGERDUTY_API_KEY is not set: set it (a PagerDuty REST API key), or add --sandbox to try the tools ' +
              'against the built-in PagerDuty simulator',
          );
        }
        token = config.mcpToken;
        if (flags.http && !token) {
          throw new AppError(
            ErrorCode.ConfigInvalid,
            'MCP over HTTP needs a bearer token: set MCP_TOKEN (at least 16 characters, e.g. `openssl rand -hex 32`); ' +
              'clients send it as "Authorization: Bearer <token>". Without --http the server uses stdio and needs none.',
          );
        }
      } catch (error) {
        if (isAppError(error) && (error.code === ErrorCode.ConfigInvalid || error.code === ErrorCode.InvalidInput)) {
          io.stderr.write(`incident-bot mcp: ${error.message}\n`);
          return EXIT_USAGE;
        }
        throw error;
      }

      const session = await openSession({
        sandbox: flags.sandbox,
        ...(actor ? { as: actor.email } : {}),
        io,
      });
      const logger = session.logger.child({ transport: flags.http ? 'http' : 'stdio' });
      const stop = stopped(deps.stop);
      try {
        const factory = createMcpServerFactory({
          pagerduty: session.ctx.pagerduty,
          // Claude when ANTHROPIC_API_KEY is set (falling back to the heuristic engine), as in the Slack bot.
          ai: createAiEngine(config, { tools: catalogue, logger }),
          logger,
          clock: session.ctx.clock,
          enableWriteTools: flags.enableWriteTools,
          tools: flags.tools,
          actor,
          sandbox: flags.sandbox,
          version: packageVersion(),
        });
        const mode = flags.enableWriteTools ? `with write tools, as ${actor?.email}` : 'read-only';
        const target = flags.sandbox ? 'the PagerDuty simulator (sandbox)' : 'PagerDuty';
        if (flags.http) {
          const http = await startMcpHttpServer({
            createServer: factory,
            token: token as string,
            port: flags.port,
            logger,
          });
          io.stderr.write(`incident-bot mcp: ${served.length} tools (${mode}) against ${target} on ${http.url}\n`);
          deps.onReady?.({ transport: 'http', url: http.url, tools: served });
          await stop.promise;
          await http.close();
        } else {
          const stdio = await serveMcpStdio({
            server: factory(),
            logger,
            ...(deps.stdin ? { stdin: deps.stdin } : {}),
            ...(deps.stdout ? { stdout: deps.stdout } : {}),
          });
          io.stderr.write(`incident-bot mcp: ${served.length} tools (${mode}) against ${target} on stdio\n`);
          deps.onReady?.({ transport: 'stdio', tools: served });
          await Promise.race([stdio.closed, stop.promise]);
          await stdio.close();
        }
      } finally {
        stop.dispose();
        await session.close();
      }
      return EXIT_OK;
    },
  };
}

/** The `mcp` entry of the CLI's command table. */
export const mcpCommand: CliCommand = createMcpCommand();
