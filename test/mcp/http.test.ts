import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { type McpHttpServer, startMcpHttpServer } from '../../src/mcp/http.js';
import { createMcpServerFactory, type McpServerOptions } from '../../src/mcp/server.js';
import { ErrorCode } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/logger.js';
import { type Sandbox, startSandbox, textOf } from './helpers.js';

const TOKEN = 'test-token-0123456789abcdef';

let sandbox: Sandbox;
let readOnly: McpHttpServer;
let writer: McpHttpServer;

function factory(options: Partial<McpServerOptions> = {}): ReturnType<typeof createMcpServerFactory> {
  return createMcpServerFactory({
    pagerduty: sandbox.pagerduty,
    ai: createHeuristicEngine(),
    logger: silentLogger(),
    ...options,
  });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  readOnly = await startMcpHttpServer({ createServer: factory(), token: TOKEN, port: 0, logger: silentLogger() });
  writer = await startMcpHttpServer({
    createServer: factory({ enableWriteTools: true, actor: { email: sandbox.actorEmail, surface: 'mcp' } }),
    token: TOKEN,
    port: 0,
    logger: silentLogger(),
  });
});

afterAll(async () => {
  await readOnly?.close();
  await writer?.close();
  await sandbox?.close();
});

async function connect(url: string, token: string | null = TOKEN): Promise<Client> {
  const client = new Client({ name: 'incident-bot-http-test', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: token === null ? {} : { headers: { authorization: `Bearer ${token}` } },
  });
  await client.connect(transport);
  return client;
}

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A request through node:http, which (unlike fetch) lets a test set any Host header. */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        // An SSE response stays open; the first event is all these tests need.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) res.destroy();
      });
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Opens a request whose answer is an SSE stream and resolves with what arrived once `until` holds for it; then the
 * connection is destroyed, as a client whose network broke would see it.
 */
function sse(
  url: string,
  options: { method: string; headers: Record<string, string>; body?: string },
  until: (text: string) => boolean,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching SSE data within 30 s')), 30_000);
    const req = request(url, { method: options.method, headers: options.headers }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        if (until(text)) {
          clearTimeout(timer);
          res.destroy();
          resolve({ status: res.statusCode ?? 0, text });
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, text });
      });
      res.on('error', () => {});
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const INITIALIZE = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${TOKEN}`,
    ...extra,
  };
}

describe('MCP over Streamable HTTP (127.0.0.1, bearer token)', () => {
  it('refuses to start without a token of at least 16 characters', async () => {
    for (const token of ['', 'short-token']) {
      await expect(
        startMcpHttpServer({ createServer: factory(), token, port: 0, logger: silentLogger() }),
      ).rejects.toMatchObject({ code: ErrorCode.ConfigInvalid, message: expect.stringMatching(/MCP_TOKEN/) });
    }
  });

  it('listens on 127.0.0.1 only, at /mcp', () => {
    expect(readOnly.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('with the token: lists and calls read, AI and failing tools, and refuses writes on a read-only server', async () => {
    const client = await connect(readOnly.url);
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('list_incidents');
      expect(tools.some((t) => t.annotations?.readOnlyHint === false)).toBe(false);

      const services = (await client.callTool({ name: 'list_services', arguments: { limit: 2 } })) as CallToolResult;
      expect(services.isError).toBeFalsy();
      expect((services.structuredContent as { items: unknown[] }).items).toHaveLength(2);

      const incident = sandbox.sim.listIncidents({ statuses: ['triggered', 'acknowledged'] })[0];
      const triage = (await client.callTool({
        name: 'auto_triage',
        arguments: { incident_id: incident?.id },
      })) as CallToolResult;
      expect(triage.structuredContent).toMatchObject({ engine: 'heuristic' });

      const bad = (await client.callTool({
        name: 'get_service',
        arguments: { service_id: 'payments' },
      })) as CallToolResult;
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/service_id 'payments' is not a PagerDuty id; call list_services to find it/);

      await expect(
        client.callTool({ name: 'add_incident_note', arguments: { incident_id: incident?.id, content: 'x' } }),
      ).rejects.toThrow(/not enabled on this server/);
    } finally {
      await client.close();
    }
  });

  it('with write tools enabled: a write goes to PagerDuty in the acting person’s name', async () => {
    const client = await connect(writer.url);
    try {
      const incident = sandbox.sim.listIncidents({ statuses: ['acknowledged'] })[0];
      if (!incident) throw new Error('no acknowledged incident in the seed organisation');
      const result = (await client.callTool({
        name: 'add_incident_note',
        arguments: { incident_id: incident.id, content: 'Bridge open: https://meet.example.com/inc' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      const post = sandbox.exchanges.findLast(
        (e) => e.method === 'POST' && e.path === `/incidents/${incident.id}/notes`,
      );
      expect(post?.requestHeaders.from).toBe(sandbox.actorEmail);
    } finally {
      await client.close();
    }
  });

  it('without the token, or with a wrong one: 401 with WWW-Authenticate, no session opened', async () => {
    const before = readOnly.sessionCount();
    const { authorization: _omit, ...noToken } = headers();
    const missing = await raw(readOnly.url, { headers: noToken, body: INITIALIZE });
    expect(missing.status).toBe(401);
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="incident-bot"');
    expect(JSON.parse(missing.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32001 }, id: null });

    const wrong = await raw(readOnly.url, {
      headers: headers({ authorization: `Bearer ${TOKEN.slice(0, -1)}x` }),
      body: INITIALIZE,
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="incident-bot", error="invalid_token"');

    const basic = await raw(readOnly.url, { headers: headers({ authorization: `Basic ${TOKEN}` }), body: INITIALIZE });
    expect(basic.status).toBe(401);

    await expect(connect(readOnly.url, null)).rejects.toThrow(/401|Unauthorized/);
    expect(readOnly.sessionCount()).toBe(before);
  });

  it('refuses a foreign Host or Origin (DNS rebinding) with 403, and accepts loopback names and pages', async () => {
    const port = String(readOnly.port);
    const evilHost = await raw(readOnly.url, {
      headers: headers({ host: `evil.example.com:${port}` }),
      body: INITIALIZE,
    });
    expect(evilHost.status).toBe(403);
    const noPort = await raw(readOnly.url, { headers: headers({ host: 'localhost' }), body: INITIALIZE });
    expect(noPort.status).toBe(403);
    const evilOrigin = await raw(readOnly.url, {
      headers: headers({ origin: 'http://evil.example.com' }),
      body: INITIALIZE,
    });
    expect(evilOrigin.status).toBe(403);
    // A rebinding page has no token, but the Host check comes first and does not depend on it.
    const evilNoToken = await raw(readOnly.url, {
      headers: { host: 'evil.example.com', origin: 'http://evil.example.com', 'content-type': 'application/json' },
      body: INITIALIZE,
    });
    expect(evilNoToken.status).toBe(403);

    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
      const ok = await raw(readOnly.url, {
        headers: headers({ host, origin: 'http://localhost:6274' }),
        body: INITIALIZE,
      });
      expect(ok.status, host).toBe(200);
      expect(ok.headers['mcp-session-id']).toMatch(/^[0-9a-f-]{36}$/);
      const id = ok.headers['mcp-session-id'] as string;
      const deleted = await raw(readOnly.url, { method: 'DELETE', headers: headers({ 'mcp-session-id': id }) });
      expect(deleted.status).toBe(200);
    }
  });

  it('keeps sessions apart: no id → 400, unknown or closed id → 404, DELETE closes', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
    const noSession = await raw(readOnly.url, { headers: headers(), body: list });
    expect(noSession.status).toBe(400);
    const unknown = await raw(readOnly.url, {
      headers: headers({ 'mcp-session-id': '00000000-0000-4000-8000-000000000000' }),
      body: list,
    });
    expect(unknown.status).toBe(404);

    const opened = await raw(readOnly.url, { headers: headers(), body: INITIALIZE });
    const id = opened.headers['mcp-session-id'] as string;
    const count = readOnly.sessionCount();
    const deleted = await raw(readOnly.url, { method: 'DELETE', headers: headers({ 'mcp-session-id': id }) });
    expect(deleted.status).toBe(200);
    expect(readOnly.sessionCount()).toBe(count - 1);
    const after = await raw(readOnly.url, { headers: headers({ 'mcp-session-id': id }), body: list });
    expect(after.status).toBe(404);
  });

  it('primes each SSE stream with an event id, and replays a result missed by a broken stream (Last-Event-ID)', async () => {
    const init = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    const opened = await raw(readOnly.url, { headers: headers(), body: init });
    const session = opened.headers['mcp-session-id'] as string;
    const common = headers({ 'mcp-session-id': session, 'mcp-protocol-version': '2025-11-25' });
    await raw(readOnly.url, {
      headers: common,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
    });

    const call = JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'tools/call',
      params: { name: 'list_services', arguments: { limit: 1 } },
    });
    // Break the stream right after the priming event, before the result.
    const first = await sse(readOnly.url, { method: 'POST', headers: common, body: call }, (t) => /\n\n/.test(t));
    expect(first.status).toBe(200);
    const priming = /^id: (\S+)\nretry: 1000\ndata: \n\n/.exec(first.text);
    expect(priming, first.text).not.toBeNull();

    const resumed = await sse(
      readOnly.url,
      {
        method: 'GET',
        headers: { ...common, accept: 'text/event-stream', 'last-event-id': priming?.[1] as string },
      },
      (t) => t.includes('"id":7'),
    );
    expect(resumed.status).toBe(200);
    const data = /data: (\{.*"id":7.*\})/.exec(resumed.text)?.[1];
    const result = JSON.parse(data as string) as { result: { structuredContent: { items: unknown[] } } };
    expect(result.result.structuredContent.items).toHaveLength(1);

    const stale = await raw(readOnly.url, {
      method: 'GET',
      headers: { ...common, accept: 'text/event-stream', 'last-event-id': 'no-such-event' },
    });
    expect(stale.status).toBe(400);
    await raw(readOnly.url, { method: 'DELETE', headers: common });
  });

  it('answers malformed requests plainly: bad JSON 400, huge body 413, other paths 404, other methods 405', async () => {
    expect((await raw(readOnly.url, { headers: headers(), body: '{"jsonrpc":' })).status).toBe(400);
    expect((await raw(readOnly.url, { headers: headers(), body: 'x'.repeat(1_100_000) })).status).toBe(413);
    expect((await raw(readOnly.url.replace('/mcp', '/other'), { headers: headers(), body: INITIALIZE })).status).toBe(
      404,
    );
    const put = await raw(readOnly.url, { method: 'PUT', headers: headers(), body: INITIALIZE });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, POST, DELETE');
  });

  it('closes the least recently used session when too many are open', async () => {
    const small = await startMcpHttpServer({
      createServer: factory(),
      token: TOKEN,
      port: 0,
      logger: silentLogger(),
      maxSessions: 2,
    });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        const opened = await raw(small.url, { headers: headers(), body: INITIALIZE });
        ids.push(opened.headers['mcp-session-id'] as string);
      }
      expect(small.sessionCount()).toBe(2);
      const ping = JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping' });
      const accept = { 'mcp-protocol-version': '2025-06-18' };
      expect(
        (await raw(small.url, { headers: headers({ 'mcp-session-id': ids[0] as string, ...accept }), body: ping }))
          .status,
      ).toBe(404);
      expect(
        (await raw(small.url, { headers: headers({ 'mcp-session-id': ids[2] as string, ...accept }), body: ping }))
          .status,
      ).toBe(200);
    } finally {
      await small.close();
    }
  });
});
