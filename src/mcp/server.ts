import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  McpError,
  ErrorCode as McpErrorCode,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AiEngine, AiResultCache } from '../ai/contract.js';
import type { PagerDutyClient } from '../pagerduty/client.js';
import { type Clock, systemClock } from '../shared/clock.js';
import { AppError, asAppError, ErrorCode } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { tools as catalogueTools } from '../tools/catalogue.js';
import { type Actor, type AnyTool, runTool, type ToolContext } from '../tools/define-tool.js';
import { toolAnnotations } from './annotations.js';
import { serverInstructions } from './instructions.js';
import { selectMcpTools } from './select-tools.js';
import { describeToolError } from './tool-errors.js';
import { errorResult, MAX_RESULT_CHARS, successResult } from './tool-result.js';

export const MCP_SERVER_NAME = 'incident-bot';

export interface McpServerOptions {
  pagerduty: PagerDutyClient;
  ai: AiEngine;
  aiCache?: AiResultCache | undefined;
  logger: Logger;
  clock?: Clock | undefined;
  /** Serve the tools that change PagerDuty (`--enable-write-tools`). Default false. */
  enableWriteTools?: boolean | undefined;
  /** Serve only these tools (`--tools a,b,c`). */
  tools?: readonly string[] | undefined;
  /** The person PagerDuty changes are made for (`--as` / `PAGERDUTY_FROM_EMAIL`); required with write tools. */
  actor?: Actor | undefined;
  /** Served against the PagerDuty simulator (said in the instructions). */
  sandbox?: boolean | undefined;
  /** Reported as `serverInfo.version`. */
  version?: string | undefined;
  /** Every tool that may be served; default the catalogue (tests pass their own). */
  catalogue?: readonly AnyTool[] | undefined;
  /** Cap on one result's JSON (default `MAX_RESULT_CHARS`). */
  maxResultChars?: number | undefined;
}

/** The options that decide what is served (checked before any client, simulator or listener starts). */
export type McpServePolicy = Pick<McpServerOptions, 'catalogue' | 'enableWriteTools' | 'tools' | 'actor' | 'sandbox'>;

/** What a validated configuration serves: checked once at start, shared by every session. */
export interface McpServerPlan {
  tools: readonly AnyTool[];
  instructions: string;
}

/**
 * Checks the options and decides what to serve. Throws a `config_invalid` AppError, before anything listens, for
 * unknown or disallowed `tools` names and for write tools without an acting person.
 */
export function planMcpServer(options: McpServePolicy): McpServerPlan {
  const catalogue = options.catalogue ?? catalogueTools;
  const enableWriteTools = options.enableWriteTools ?? false;
  if (enableWriteTools && !options.actor?.email) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      'Cannot start the MCP server with write tools: nobody to make the changes as. Pass --as <your PagerDuty ' +
        'email> or set PAGERDUTY_FROM_EMAIL, so that every change is recorded in PagerDuty in your name ' +
        '(or leave out --enable-write-tools to serve read tools only).',
    );
  }
  const tools = selectMcpTools(catalogue, { enableWriteTools, only: options.tools });
  if (tools.length === 0) {
    throw new AppError(ErrorCode.ConfigInvalid, 'Cannot start the MCP server: no tools to serve');
  }
  return {
    tools,
    instructions: serverInstructions({
      tools,
      actorEmail: enableWriteTools ? options.actor?.email : undefined,
      sandbox: options.sandbox,
    }),
  };
}

function refusal(name: string, served: ReadonlySet<string>, catalogue: readonly AnyTool[]): string {
  const known = catalogue.find((t) => t.name === name);
  if (known?.access === 'write') {
    return (
      `${name} changes PagerDuty and is not enabled on this server (it was started without ` +
      '--enable-write-tools, or without this tool in --tools). Nothing was changed; the user can do it in ' +
      'PagerDuty or Slack, or restart the server with write tools enabled.'
    );
  }
  if (known) return `${name} is not served here (the server was started with --tools ${[...served].join(',')}).`;
  return `Unknown tool ${JSON.stringify(name)}; this server serves: ${[...served].join(', ')}.`;
}

/**
 * Returns a factory of MCP servers over the tool catalogue (one server per connection or HTTP session), after
 * checking the options once (see `planMcpServer`).
 *
 * Each tool is registered with `registerTool`: its flat zod input and output schemas, title, description and
 * annotations. Calls go through the catalogue's `runTool`, the validator every front shares: the SDK's own
 * pre-parse is bypassed (it would silently drop unknown parameters such as `status` for `statuses`, and word
 * errors its own way), so a model gets the same messages as a Slack user, made actionable by
 * `describeToolError`. Every failure is an `isError` result; unknown or disabled tools are protocol errors.
 */
export function createMcpServerFactory(options: McpServerOptions): () => McpServer {
  const plan = planMcpServer(options);
  const catalogue = options.catalogue ?? catalogueTools;
  const clock = options.clock ?? systemClock;
  const maxChars = options.maxResultChars ?? MAX_RESULT_CHARS;
  const actor = options.enableWriteTools ? options.actor : undefined;
  const served = new Set(plan.tools.map((t) => t.name));

  async function invoke(tool: AnyTool, raw: unknown, signal: AbortSignal): Promise<CallToolResult> {
    const started = performance.now();
    const ctx: ToolContext = {
      pagerduty: options.pagerduty,
      ai: options.ai,
      ...(options.aiCache ? { aiCache: options.aiCache } : {}),
      ...(actor ? { actor } : {}),
      logger: options.logger.child({ tool: tool.name }),
      clock,
      signal,
    };
    try {
      const output = await runTool(tool, raw, ctx);
      options.logger.info({ tool: tool.name, ok: true, ms: Math.round(performance.now() - started) }, 'tool call');
      return successResult(tool, output, maxChars);
    } catch (error) {
      const app = asAppError(error);
      const fields = { tool: tool.name, ok: false, code: app.code, ms: Math.round(performance.now() - started) };
      if (app.code === ErrorCode.Unknown) options.logger.error({ ...fields, err: error }, 'tool call failed');
      else options.logger.warn({ ...fields, reason: app.message }, 'tool call failed');
      // Only tools this server serves are suggested as the way to find valid ids.
      return errorResult(describeToolError(tool, error, raw, plan.tools));
    }
  }

  return () => {
    const server = new McpServer(
      {
        name: MCP_SERVER_NAME,
        title: 'incident-bot (PagerDuty incident response)',
        version: options.version ?? '0.0.0',
      },
      { instructions: plan.instructions },
    );
    const handlers = new Map<string, (raw: unknown, signal: AbortSignal) => Promise<CallToolResult>>();
    for (const tool of plan.tools) {
      const handler = (raw: unknown, signal: AbortSignal): Promise<CallToolResult> => invoke(tool, raw, signal);
      handlers.set(tool.name, handler);
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema: tool.input,
          ...(tool.output instanceof z.ZodObject ? { outputSchema: tool.output } : {}),
          annotations: toolAnnotations(tool),
        },
        (args: unknown, extra: { signal: AbortSignal }) => handler(args, extra.signal),
      );
    }
    // Replaces the SDK's tools/call handler (public API of the underlying Server) so that raw arguments reach
    // runTool; tools/list stays the SDK's, built from the schemas registered above.
    server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
      const handler = handlers.get(request.params.name);
      if (!handler) throw new McpError(McpErrorCode.InvalidParams, refusal(request.params.name, served, catalogue));
      return handler(request.params.arguments ?? {}, extra.signal);
    });
    return server;
  };
}

/** One MCP server over the catalogue (see `createMcpServerFactory`). */
export function createMcpServer(options: McpServerOptions): McpServer {
  return createMcpServerFactory(options)();
}
