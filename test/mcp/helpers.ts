import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { createMcpServer, type McpServerOptions } from '../../src/mcp/server.js';
import { createPagerDutyClient, type PagerDutyClient, referenceName } from '../../src/pagerduty/index.js';
import { type Exchange, type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { silentLogger } from '../../src/shared/logger.js';
import { tools } from '../../src/tools/catalogue.js';
import { type AnyTool, defineTool } from '../../src/tools/define-tool.js';

/** A PagerDuty simulator with the seed organisation, the real client pointed at it, and its traffic. */
export interface Sandbox {
  sim: PagerDutySimulator;
  pagerduty: PagerDutyClient;
  exchanges: Exchange[];
  /** A real person of the seed organisation, used as the acting user. */
  actorEmail: string;
  close(): Promise<void>;
}

export async function startSandbox(): Promise<Sandbox> {
  const sim = await startPagerDutySimulator({ seed: 8 });
  const exchanges: Exchange[] = [];
  sim.onExchange((e) => exchanges.push(e));
  const pagerduty = createPagerDutyClient({
    token: sim.token,
    baseUrl: sim.url,
    maxRetries: 1,
    retryBudgetMs: 5_000,
    timeoutMs: 5_000,
  });
  const person = sim.org.users.find((u) => u.email !== sim.org.botUserEmail);
  if (!person) throw new Error('seed organisation has no users');
  return { sim, pagerduty, exchanges, actorEmail: person.email, close: () => sim.close() };
}

/**
 * An AI tool over the heuristic engine, for the MCP tests while the catalogue's AI tools are not there yet: it
 * reads the incident from PagerDuty and triages it, as the catalogue's AI tools do.
 */
export const triageForTest: AnyTool = defineTool({
  name: 'triage_incident',
  title: 'Triage incident (test)',
  description: 'Suggest severity, category and priority for one incident (a suggestion for a human to review).',
  access: 'read',
  input: z.object({
    incident_id: z
      .string()
      .regex(/^[A-Za-z0-9]+$/)
      .describe('PagerDuty incident id; list_incidents finds ids.'),
  }),
  output: z.object({ engine: z.string(), severity: z.string(), category: z.string(), suggested_priority: z.string() }),
  async run(input, ctx) {
    const incident = await ctx.pagerduty.getIncident(input.incident_id, ctx.signal ? { signal: ctx.signal } : {});
    const triage = await ctx.ai.triage({
      incident: {
        id: incident.id,
        title: incident.title ?? incident.id,
        status: incident.status,
        service: { id: incident.service.id, name: referenceName(incident.service) },
        createdAt: incident.created_at,
      },
    });
    return {
      engine: triage.engine,
      severity: triage.result.severity,
      category: triage.result.category,
      suggested_priority: triage.result.suggestedPriority,
    };
  },
});

/** The catalogue's tools plus the test AI tool when the catalogue has no AI tool of that name yet. */
export const testCatalogue: readonly AnyTool[] = tools.some((t) => t.name === triageForTest.name)
  ? tools
  : [...tools, triageForTest];

export interface Connected {
  client: Client;
  close(): Promise<void>;
}

/** An MCP server over `options` and an SDK client, linked in memory. */
export async function connectInMemory(sandbox: Sandbox, options: Partial<McpServerOptions> = {}): Promise<Connected> {
  const server = createMcpServer({
    pagerduty: sandbox.pagerduty,
    ai: createHeuristicEngine(),
    logger: silentLogger(),
    catalogue: testCatalogue,
    ...options,
  });
  const client = new Client({ name: 'incident-bot-test', version: '1.0.0' });
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  await Promise.all([client.connect(clientTransport), server.connect(serverTransport)]);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as CallToolResult).content;
  const first = content[0];
  if (first?.type !== 'text') throw new Error(`expected text content, got ${JSON.stringify(content)}`);
  return first.text;
}

/** Polls `check` until it returns true (generous on a loaded machine), else fails with `what`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
