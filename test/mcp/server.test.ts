import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planMcpServer } from '../../src/mcp/server.js';
import { createPagerDutyClient } from '../../src/pagerduty/index.js';
import { ErrorCode } from '../../src/shared/errors.js';
import { tools } from '../../src/tools/catalogue.js';
import { connectInMemory, type Sandbox, startSandbox, textOf } from './helpers.js';

/**
 * Size of the `tools` array served by tools/list with every tool enabled (names, titles, descriptions, input and
 * output schemas, annotations). Measured: 77,689 characters for the 29 tools (21 PagerDuty + 8 AI), i.e. 2,679 per
 * tool; 52,860 for the 21 PagerDuty tools alone (2,517 per tool). The reference server allows 150,000. Raise these
 * only on purpose: every character is paid in each agent's context.
 */
const SCHEMA_BUDGET_CHARS = 82_000;
const SCHEMA_BUDGET_PER_TOOL = 2_800;
/** Of which the input schemas (what a model reads to call the tools): measured 17,617 for 29 tools (607 each). */
const INPUT_SCHEMA_BUDGET_CHARS = 19_000;
const INPUT_SCHEMA_BUDGET_PER_TOOL = 700;

let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox();
});

afterAll(async () => {
  await sandbox.close();
});

function writeExchanges(): number {
  return sandbox.exchanges.filter((e) => e.method !== 'GET').length;
}

function openIncidentId(status: 'triggered' | 'acknowledged' = 'triggered'): string {
  const incident = sandbox.sim.listIncidents({ statuses: [status] })[0];
  if (!incident) throw new Error(`seed organisation has no ${status} incident`);
  return incident.id;
}

function nestedObjects(tool: Tool): string[] {
  const properties = (tool.inputSchema.properties ?? {}) as Record<
    string,
    { type?: unknown; items?: { type?: unknown } }
  >;
  return Object.entries(properties)
    .filter(([, p]) => p.type === 'object' || p.items?.type === 'object' || p.items?.type === 'array')
    .map(([name]) => name);
}

describe('MCP server over the catalogue (in memory, against the PagerDuty simulator)', () => {
  it('serves only the read tools by default, flat, with output schemas, read-only hints and a read-only policy', async () => {
    const { client, close } = await connectInMemory(sandbox);
    try {
      const { tools: listed } = await client.listTools();
      const expected = tools.filter((t) => t.access === 'read').map((t) => t.name);
      expect(listed.map((t) => t.name)).toEqual(expected);
      for (const tool of listed) {
        expect(tool.inputSchema.type).toBe('object');
        expect(nestedObjects(tool), `${tool.name} has nested parameters`).toEqual([]);
        expect(tool.outputSchema?.type, `${tool.name} output schema`).toBe('object');
        expect(tool.description?.length ?? 0).toBeGreaterThan(20);
        expect(tool.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false, openWorldHint: true });
      }
      const instructions = client.getInstructions() ?? '';
      expect(instructions).toMatch(/read-only/);
      expect(instructions).toMatch(/suggestions for a human/);
      expect(client.getServerVersion()?.name).toBe('incident-bot');
    } finally {
      await close();
    }
  });

  it('serves write tools only when enabled, each annotated for what it does, with the acting person in the policy', async () => {
    const { client, close } = await connectInMemory(sandbox, {
      enableWriteTools: true,
      actor: { email: sandbox.actorEmail, surface: 'mcp' },
    });
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
      const byName = new Map(listed.map((t) => [t.name, t.annotations]));
      expect(byName.get('add_incident_note')).toEqual({
        title: 'Add incident note',
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      });
      expect(byName.get('update_incident')).toMatchObject({ destructiveHint: true, idempotentHint: true });
      expect(byName.get('escalate_incident')).toMatchObject({ destructiveHint: true, idempotentHint: false });
      expect(byName.get('create_incident')).toMatchObject({ destructiveHint: false, idempotentHint: false });
      const instructions = client.getInstructions() ?? '';
      expect(instructions).toContain(sandbox.actorEmail);
      expect(instructions).toMatch(/confirm with the user before calling a write tool/i);
    } finally {
      await close();
    }
  });

  it('limits the list to --tools', async () => {
    const { client, close } = await connectInMemory(sandbox, { tools: ['list_incidents', 'get_incident'] });
    try {
      const { tools: listed } = await client.listTools();
      expect(listed.map((t) => t.name)).toEqual(['get_incident', 'list_incidents']);
      await expect(client.callTool({ name: 'list_services', arguments: {} })).rejects.toThrow(
        /not served here .*--tools get_incident,list_incidents/,
      );
      const bad = (await client.callTool({
        name: 'get_incident',
        arguments: { incident_id: '#12' },
      })) as CallToolResult;
      expect(textOf(bad)).toMatch(
        /incident_id '#12' looks like an incident number.*; call list_incidents to find it\.$/,
      );
    } finally {
      await close();
    }
  });

  it('refuses to be built with unknown tools, disallowed writes, or writes without an acting person', () => {
    expect(() => planMcpServer({ tools: ['list_incident'], catalogue: tools })).toThrow(
      /unknown tool in --tools: list_incident \(did you mean list_incidents\?\).*Valid names: read tools: get_incident/,
    );
    expect(() => planMcpServer({ tools: ['update_incident'], catalogue: tools })).toThrow(
      /update_incident changes PagerDuty; add --enable-write-tools/,
    );
    expect(() => planMcpServer({ enableWriteTools: true, catalogue: tools })).toThrow(
      expect.objectContaining({
        code: ErrorCode.ConfigInvalid,
        message: expect.stringMatching(/--as <your PagerDuty email>/),
      }),
    );
  });

  it('calls a read tool: structured content (checked by the client against the output schema) and the same JSON as text', async () => {
    const { client, close } = await connectInMemory(sandbox);
    try {
      const result = (await client.callTool({
        name: 'list_incidents',
        arguments: { statuses: ['triggered', 'acknowledged'], limit: 3 },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as {
        items: Array<{ id: string; status: string }>;
        truncated: boolean;
      };
      expect(JSON.parse(textOf(result))).toEqual(structured);
      expect(structured.items.length).toBeGreaterThan(0);
      expect(structured.items.length).toBeLessThanOrEqual(3);
      const open = new Set(
        sandbox.sim.listIncidents({ statuses: ['triggered', 'acknowledged'], limit: 500 }).map((i) => i.id),
      );
      for (const item of structured.items) expect(open.has(item.id)).toBe(true);
    } finally {
      await close();
    }
  });

  it('calls write tools in the acting person’s name (PagerDuty From header) and changes PagerDuty', async () => {
    const { client, close } = await connectInMemory(sandbox, {
      enableWriteTools: true,
      actor: { email: sandbox.actorEmail, surface: 'mcp' },
    });
    try {
      const id = openIncidentId('triggered');
      const note = (await client.callTool({
        name: 'add_incident_note',
        arguments: { incident_id: id, content: 'Rolled back deploy 412; error rate recovering.' },
      })) as CallToolResult;
      expect(note.isError).toBeFalsy();
      expect(note.structuredContent).toMatchObject({ content: 'Rolled back deploy 412; error rate recovering.' });
      const post = sandbox.exchanges.find((e) => e.method === 'POST' && e.path === `/incidents/${id}/notes`);
      expect(post?.requestHeaders.from).toBe(sandbox.actorEmail);

      const ack = (await client.callTool({
        name: 'update_incident',
        arguments: { incident_id: id, status: 'acknowledged' },
      })) as CallToolResult;
      expect(ack.isError).toBeFalsy();
      expect(ack.structuredContent).toMatchObject({ id, status: 'acknowledged' });
      expect(sandbox.sim.listIncidents({ limit: 500 }).find((i) => i.id === id)?.status).toBe('acknowledged');
    } finally {
      await close();
    }
  });

  it('refuses a write tool on a read-only server with a protocol error that says how to enable it, and sends nothing', async () => {
    const { client, close } = await connectInMemory(sandbox);
    try {
      const before = writeExchanges();
      await expect(
        client.callTool({ name: 'update_incident', arguments: { incident_id: openIncidentId(), status: 'resolved' } }),
      ).rejects.toThrow(/update_incident changes PagerDuty and is not enabled on this server .*--enable-write-tools/);
      await expect(client.callTool({ name: 'drop_database', arguments: {} })).rejects.toThrow(
        /Unknown tool "drop_database"; this server serves: get_incident/,
      );
      expect(writeExchanges()).toBe(before);
    } finally {
      await close();
    }
  });

  it('runs AI tools over live incident data, labelled as suggestions from a named engine', async () => {
    const { client, close } = await connectInMemory(sandbox);
    try {
      const id = openIncidentId('acknowledged');
      const triage = (await client.callTool({ name: 'auto_triage', arguments: { incident_id: id } })) as CallToolResult;
      expect(triage.isError).toBeFalsy();
      expect(triage.structuredContent).toMatchObject({ engine: 'heuristic', fallback: null });
      expect(String((triage.structuredContent as { severity: string }).severity)).toMatch(/^sev[1-4]$/);
      const { tools: listed } = await client.listTools();
      const ai = listed.find((t) => t.name === 'analyze_incident');
      expect(ai?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
      const analysis = (await client.callTool({
        name: 'analyze_incident',
        arguments: { incident_id: id },
      })) as CallToolResult;
      expect(analysis.isError).toBeFalsy();
      expect(analysis.structuredContent).toMatchObject({ engine: 'heuristic' });
      const wrong = (await client.callTool({
        name: 'auto_triage',
        arguments: { incident_id: 'checkout is down' },
      })) as CallToolResult;
      expect(textOf(wrong)).toBe(
        "Invalid input for auto_triage: incident_id 'checkout is down' is not a PagerDuty id; call list_incidents to find it.",
      );
    } finally {
      await close();
    }
  });

  it('answers bad input with isError naming the parameter, the right name, and the tool that finds ids; nothing is sent', async () => {
    const { client, close } = await connectInMemory(sandbox, {
      enableWriteTools: true,
      actor: { email: sandbox.actorEmail, surface: 'mcp' },
    });
    try {
      const before = sandbox.exchanges.length;
      const unknownParam = (await client.callTool({
        name: 'list_incidents',
        arguments: { status: 'resolved' },
      })) as CallToolResult;
      expect(unknownParam.isError).toBe(true);
      expect(textOf(unknownParam)).toBe(
        'Invalid input for list_incidents: status: unknown parameter; use `statuses` (a list such as ["triggered","acknowledged"]).',
      );
      const badId = (await client.callTool({
        name: 'get_incident',
        arguments: { incident_id: 'INC 42' },
      })) as CallToolResult;
      expect(textOf(badId)).toBe(
        "Invalid input for get_incident: incident_id 'INC 42' is not a PagerDuty id; call list_incidents to find it.",
      );
      const missing = (await client.callTool({ name: 'add_incident_note', arguments: {} })) as CallToolResult;
      expect(textOf(missing)).toBe(
        'Invalid input for add_incident_note: incident_id: is required; content: is required. Nothing was changed.',
      );
      const wrongType = (await client.callTool({
        name: 'snooze_incident',
        arguments: { incident_id: openIncidentId(), duration_minutes: 'an hour' },
      })) as CallToolResult;
      expect(textOf(wrongType)).toMatch(
        /^Invalid input for snooze_incident: duration_minutes: .*number.*Nothing was changed\.$/,
      );
      expect(sandbox.exchanges.length).toBe(before);
    } finally {
      await close();
    }
  });

  it('answers an unknown id with what was wrong and which tool finds valid ones', async () => {
    const { client, close } = await connectInMemory(sandbox);
    try {
      const notAnId = (await client.callTool({
        name: 'get_service',
        arguments: { service_id: 'payments' },
      })) as CallToolResult;
      expect(notAnId.isError).toBe(true);
      expect(textOf(notAnId)).toBe(
        "Service payments not found in PagerDuty: service_id 'payments' is not a PagerDuty id; call list_services to find it.",
      );
      const missing = (await client.callTool({
        name: 'get_incident',
        arguments: { incident_id: 'Q0ZZZZZZZZZZZZ' },
      })) as CallToolResult;
      expect(textOf(missing)).toBe(
        "Incident Q0ZZZZZZZZZZZZ not found in PagerDuty: check incident_id 'Q0ZZZZZZZZZZZZ'; call list_incidents to find valid ids.",
      );
    } finally {
      await close();
    }
  });

  it('reports PagerDuty failures as isError: reads say retry, writes say to check before repeating', async () => {
    const readOnly = await connectInMemory(sandbox);
    const writer = await connectInMemory(sandbox, {
      enableWriteTools: true,
      actor: { email: sandbox.actorEmail, surface: 'mcp' },
    });
    const id = openIncidentId('acknowledged');
    sandbox.sim.setFaults({ errorRate: 1, errorStatus: 503 });
    try {
      const read = (await readOnly.client.callTool({ name: 'list_services', arguments: {} })) as CallToolResult;
      expect(read.isError).toBe(true);
      expect(textOf(read)).toMatch(
        /^list_services could not complete: PagerDuty is having trouble \(503\).*Try again in a minute/,
      );
      const write = (await writer.client.callTool({
        name: 'update_incident',
        arguments: { incident_id: id, status: 'resolved' },
      })) as CallToolResult;
      expect(write.isError).toBe(true);
      expect(textOf(write)).toMatch(/It is not certain whether the change was applied: read the current state/);
    } finally {
      sandbox.sim.setFaults({});
      await readOnly.close();
      await writer.close();
    }

    const unreachable = await connectInMemory(sandbox, {
      pagerduty: createPagerDutyClient({ token: 'x', baseUrl: 'http://127.0.0.1:9', maxRetries: 0, timeoutMs: 2_000 }),
    });
    try {
      const down = (await unreachable.client.callTool({ name: 'list_services', arguments: {} })) as CallToolResult;
      expect(down.isError).toBe(true);
      expect(textOf(down)).toMatch(/^list_services could not complete: .*Try again in a minute/);
    } finally {
      await unreachable.close();
    }
  });

  it('cuts a list that is too large for one response and says how many are shown', async () => {
    const { client, close } = await connectInMemory(sandbox, { maxResultChars: 4_000 });
    try {
      const result = (await client.callTool({
        name: 'list_incidents',
        arguments: { statuses: ['resolved'], limit: 40 },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const structured = result.structuredContent as { items: unknown[]; truncated: boolean; summary: string };
      expect(structured.truncated).toBe(true);
      expect(structured.items.length).toBeGreaterThan(0);
      expect(structured.items.length).toBeLessThan(40);
      expect(structured.summary).toMatch(new RegExp(`^${structured.items.length} of \\d+ shown`));
      expect(structured.summary).toMatch(/narrow the filters or lower limit/);
      expect(textOf(result).length).toBeLessThanOrEqual(4_000);
    } finally {
      await close();
    }
  });

  it(`keeps the served tool schemas within ${SCHEMA_BUDGET_CHARS} characters (${SCHEMA_BUDGET_PER_TOOL} a tool)`, async () => {
    const { client, close } = await connectInMemory(sandbox, {
      catalogue: tools,
      enableWriteTools: true,
      actor: { email: sandbox.actorEmail, surface: 'mcp' },
    });
    try {
      const { tools: listed } = await client.listTools();
      expect(listed).toHaveLength(tools.length);
      const total = JSON.stringify(listed).length;
      const inputs = JSON.stringify(listed.map((t) => t.inputSchema)).length;
      expect(total).toBeLessThanOrEqual(SCHEMA_BUDGET_CHARS);
      expect(total / listed.length).toBeLessThanOrEqual(SCHEMA_BUDGET_PER_TOOL);
      expect(inputs).toBeLessThanOrEqual(INPUT_SCHEMA_BUDGET_CHARS);
      expect(inputs / listed.length).toBeLessThanOrEqual(INPUT_SCHEMA_BUDGET_PER_TOOL);
    } finally {
      await close();
    }
  });
});
