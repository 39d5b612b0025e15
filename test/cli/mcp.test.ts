import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { createMcpCommand } from '../../src/cli/mcp.js';
import { EXIT_OK, EXIT_USAGE } from '../../src/cli/types.js';
import { main } from '../../src/cli.js';
import { readTools } from '../../src/tools/catalogue.js';
import { captureIo } from './capture.js';

const TOKEN = 'cli-test-token-0123456789';

async function refused(argv: string[], env: Record<string, string> = {}): Promise<string> {
  const io = captureIo(env);
  await main(['mcp', ...argv], io);
  expect(io.code).toBe(EXIT_USAGE);
  expect(io.out).toBe('');
  return io.err;
}

describe('incident-bot mcp: refuses to start on a bad command line or configuration', () => {
  it('write tools without an acting person', async () => {
    expect(await refused(['--sandbox', '--enable-write-tools'])).toMatch(
      /^incident-bot mcp: Cannot start the MCP server with write tools: nobody to make the changes as\. Pass --as <your PagerDuty email> or set PAGERDUTY_FROM_EMAIL/,
    );
  });

  it('unknown tool names, listing the valid ones', async () => {
    const err = await refused(['--sandbox', '--tools', 'list_incidents,get_incidnet']);
    expect(err).toMatch(/unknown tool in --tools: get_incidnet \(did you mean get_incident\?\)/);
    for (const tool of readTools) expect(err).toContain(tool.name);
  });

  it('a write tool in --tools without --enable-write-tools', async () => {
    expect(await refused(['--sandbox', '--tools', 'update_incident'])).toMatch(
      /update_incident changes PagerDuty; add --enable-write-tools/,
    );
  });

  it('--http without MCP_TOKEN, and a token that is too short', async () => {
    expect(await refused(['--sandbox', '--http'])).toMatch(/MCP over HTTP needs a bearer token: set MCP_TOKEN/);
    expect(await refused(['--sandbox', '--http'], { MCP_TOKEN: 'short' })).toMatch(
      /MCP_TOKEN: must be at least 16 characters/,
    );
  });

  it('no PagerDuty account and no --sandbox', async () => {
    expect(await refused([])).toMatch(/PAGERDUTY_API_KEY is not set: set it .*or add --sandbox/);
  });

  it('unknown flags, stray words, --port without --http, bad ports, a bad --as', async () => {
    expect(await refused(['--sandbox', '--enable-writes'])).toMatch(
      /Unknown option '--enable-writes'[\s\S]*usage: incident-bot mcp/,
    );
    expect(await refused(['--sandbox', 'now'])).toMatch(/Unexpected argument 'now'/);
    expect(await refused(['--sandbox', '--port', '8080'])).toMatch(/--port only applies with --http/);
    expect(await refused(['--sandbox', '--http', '--port', 'eighty'], { MCP_TOKEN: TOKEN })).toMatch(
      /--port must be a TCP port number/,
    );
    expect(await refused(['--sandbox', '--as', 'jane'])).toMatch(/Invalid --as: "jane" is not an email address/);
  });

  it('prints its usage for --help', async () => {
    const io = captureIo();
    await main(['mcp', '--help'], io);
    expect(io.code).toBe(EXIT_OK);
    expect(io.out).toMatch(/^usage: incident-bot mcp \[--http/);
    expect(io.out).toMatch(/--enable-write-tools/);
  });
});

describe('incident-bot mcp --http --sandbox (in process)', () => {
  it('serves the catalogue on 127.0.0.1 with the token, and stops cleanly', async () => {
    const stop = new AbortController();
    let ready: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      ready = resolve;
    });
    const command = createMcpCommand({ stop: stop.signal, onReady: (info) => ready(info.url ?? '') });
    const io = captureIo({ MCP_TOKEN: TOKEN });
    const running = command.run(['--http', '--port', '0', '--sandbox', '--tools', 'list_services,get_service'], io);
    const endpoint = await Promise.race([
      url,
      running.then((code) => {
        throw new Error(`mcp exited with ${code}: ${io.err}`);
      }),
    ]);
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(io.err).toContain(
      `incident-bot mcp: 2 tools (read-only) against the PagerDuty simulator (sandbox) on ${endpoint}`,
    );

    const client = new Client({ name: 'cli-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(endpoint), {
        requestInit: { headers: { authorization: `Bearer ${TOKEN}` } },
      }),
    );
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['list_services', 'get_service']);
      const result = (await client.callTool({ name: 'list_services', arguments: { limit: 1 } })) as CallToolResult;
      expect((result.structuredContent as { items: unknown[] }).items).toHaveLength(1);
    } finally {
      await client.close();
    }

    stop.abort();
    expect(await running).toBe(EXIT_OK);
    await expect(fetch(endpoint, { method: 'POST' })).rejects.toThrow();
  }, 60_000);
});

describe('incident-bot mcp --http (spawned)', () => {
  it('answers only with the token, and stops cleanly on SIGTERM', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const child = spawn(process.execPath, ['bin/incident-bot.js', 'mcp', '--http', '--port', '0', '--sandbox'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, MCP_TOKEN: TOKEN, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 60 s:\n${stderr}`)), 60_000);
        child.stderr.on('data', (c: Buffer) => {
          stderr += c.toString('utf8');
          const match = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)\n/.exec(stderr);
          if (match?.[1]) {
            clearTimeout(timer);
            resolve(match[1]);
          }
        });
      });
      const anonymous = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(anonymous.status).toBe(401);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    expect(stdout).toBe('');
    expect(stderr).toMatch(/"msg":"MCP request refused: missing or wrong bearer token"/);
    expect(stderr).not.toContain(TOKEN);
  }, 90_000);
});
