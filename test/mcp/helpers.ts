import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { createMcpServer, type McpServerOptions } from '../../src/mcp/server.js';
import { createPagerDutyClient, type PagerDutyClient } from '../../src/pagerduty/index.js';
import { type Exchange, type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { silentLogger } from '../../src/shared/logger.js';

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
