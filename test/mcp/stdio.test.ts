import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { tools } from '../../src/tools/catalogue.js';
import { textOf, waitFor } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = 'bin/incident-bot.js';

/** A clean environment: nothing from the developer's shell (tokens, API keys) leaks into the server. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, LOG_LEVEL: 'info', ...extra };
}

async function spawnClient(args: string[]): Promise<{ client: Client; stderr: () => string; close(): Promise<void> }> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, ...args],
    cwd: ROOT,
    env: env(),
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const client = new Client({ name: 'incident-bot-stdio-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** Who the CLI's sandbox organisation (seed 1) has: the simulator is deterministic from its seed. */
async function seedPerson(): Promise<{ email: string; name: string }> {
  const sim = await startPagerDutySimulator({ seed: 1 });
  try {
    const person = sim.org.users.find((u) => u.email !== sim.org.botUserEmail);
    if (!person) throw new Error('no users in the seed organisation');
    return { email: person.email, name: person.name };
  } finally {
    await sim.close();
  }
}

describe('incident-bot mcp --sandbox over stdio (spawned, SDK client)', () => {
  it('lists the read tools, calls a PagerDuty and an AI tool, answers bad ids with isError, and refuses writes', async () => {
    const { client, close } = await spawnClient(['mcp', '--sandbox']);
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((t) => t.name)).toEqual(tools.filter((t) => t.access === 'read').map((t) => t.name));
      expect(client.getInstructions()).toMatch(/PagerDuty simulator/);

      const open = (await client.callTool({
        name: 'list_incidents',
        arguments: { statuses: ['triggered'], limit: 5 },
      })) as CallToolResult;
      expect(open.isError).toBeFalsy();
      const items = (open.structuredContent as { items: Array<{ status: string }> }).items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((i) => i.status === 'triggered')).toBe(true);

      const incidentId = (open.structuredContent as { items: Array<{ id: string }> }).items[0]?.id;
      const analysis = (await client.callTool({
        name: 'analyze_incident',
        arguments: { incident_id: incidentId },
      })) as CallToolResult;
      expect(analysis.isError).toBeFalsy();
      expect(analysis.structuredContent).toMatchObject({ engine: 'heuristic' });

      const bad = (await client.callTool({
        name: 'get_service',
        arguments: { service_id: 'payments' },
      })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/service_id 'payments' is not a PagerDuty id; call list_services to find it/);

      await expect(
        client.callTool({ name: 'update_incident', arguments: { incident_id: 'PABCDEF', status: 'resolved' } }),
      ).rejects.toThrow(/--enable-write-tools/);
    } finally {
      await close();
    }
  }, 90_000);

  it('with --enable-write-tools --as: acknowledges an incident in PagerDuty (the simulator) in that person’s name', async () => {
    const { email, name } = await seedPerson();
    const { client, close } = await spawnClient(['mcp', '--sandbox', '--enable-write-tools', '--as', email]);
    try {
      const { tools: listed } = await client.listTools();
      expect(listed).toHaveLength(tools.length);
      expect(client.getInstructions()).toContain(email);
      const open = (await client.callTool({
        name: 'list_incidents',
        arguments: { statuses: ['triggered'], limit: 1 },
      })) as CallToolResult;
      const id = (open.structuredContent as { items: Array<{ id: string }> }).items[0]?.id;
      expect(id).toBeDefined();
      const ack = (await client.callTool({
        name: 'update_incident',
        arguments: { incident_id: id, status: 'acknowledged' },
      })) as CallToolResult;
      expect(ack.isError).toBeFalsy();
      const after = (await client.callTool({ name: 'get_incident', arguments: { incident_id: id } })) as CallToolResult;
      const incident = after.structuredContent as { status: string; acknowledgements: Array<{ by: { name: string } }> };
      expect(incident.status).toBe('acknowledged');
      expect(incident.acknowledgements.map((a) => a.by.name)).toContain(name);
    } finally {
      await close();
    }
  }, 90_000);

  it('writes nothing but JSON-RPC to stdout; logs go to stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'mcp', '--sandbox'], { cwd: ROOT, env: env(), stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const send = (message: object): void => {
      child.stdin.write(`${JSON.stringify(message)}\n`);
    };
    const responses = (): number => stdout.split('\n').filter((l) => l.includes('"id"')).length;
    try {
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      });
      await waitFor(() => responses() >= 1, 'the initialize response', 60_000);
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list_services', arguments: { limit: 2 } } });
      send({
        jsonrpc: '2.0',
        id: 4,
        method: 'tools/call',
        params: { name: 'get_incident', arguments: { incident_id: 'QNOPE000000000' } },
      });
      send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
      await waitFor(() => responses() >= 5, 'five responses', 60_000);
      child.stdin.end();
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGTERM');
    }
    const lines = stdout.split('\n').filter((l) => l.length > 0);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      const message = JSON.parse(line) as { jsonrpc?: string; id?: unknown };
      expect(message.jsonrpc).toBe('2.0');
      expect(typeof message.id).toBe('number');
    }
    const byId = new Map(
      lines
        .map((l) => JSON.parse(l) as { id: number; result?: { isError?: boolean }; error?: unknown })
        .map((m) => [m.id, m]),
    );
    expect(byId.get(3)?.result?.isError).toBeUndefined();
    expect(byId.get(4)?.result?.isError).toBe(true);
    expect(byId.get(5)?.error).toMatchObject({ code: -32602 });
    // The logs went to stderr: one JSON line per tool call among them.
    const logs = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; tool?: string; ok?: boolean });
    expect(
      logs.filter((l) => l.msg === 'tool call' || l.msg === 'tool call failed').map((l) => [l.tool, l.ok]),
    ).toEqual([
      ['list_services', true],
      ['get_incident', false],
    ]);
  }, 90_000);
});
