import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { startMcpHttpServer } from '../../src/mcp/http.js';
import { createMcpServerFactory } from '../../src/mcp/server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { readTools } from '../../src/tools/catalogue.js';
import { startSandbox } from './helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// inspector-cli 1.0.3 looks for "../package.json" relative to the working directory (and then imports it relative
// to itself), so it must run one level below a directory that has a package.json: here test/.
const CWD = join(ROOT, 'test');

/** `npx mcp-inspector-cli --cli …`: the MCP inspector's own client, which we did not write. */
async function inspector(args: string[]): Promise<unknown> {
  const { stdout } = await run('npx', ['--no-install', 'mcp-inspector-cli', '--cli', ...args], {
    cwd: CWD,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, LOG_LEVEL: 'warn' },
    timeout: 120_000,
    maxBuffer: 10_000_000,
  });
  return JSON.parse(stdout);
}

describe('@modelcontextprotocol/inspector-cli against incident-bot mcp', () => {
  it('lists the tools of `node bin/incident-bot.js mcp --sandbox` over stdio', async () => {
    const listed = (await inspector([
      'node',
      '../bin/incident-bot.js',
      'mcp',
      '--sandbox',
      '--method',
      'tools/list',
    ])) as {
      tools: Array<{ name: string; inputSchema: { type: string }; annotations: { readOnlyHint: boolean } }>;
    };
    expect(listed.tools.map((t) => t.name)).toEqual(readTools.map((t) => t.name));
    expect(listed.tools.every((t) => t.inputSchema.type === 'object' && t.annotations.readOnlyHint)).toBe(true);
  }, 150_000);

  it('calls a tool over Streamable HTTP with the bearer token', async () => {
    const sandbox = await startSandbox();
    const token = 'inspector-token-0123456789';
    const http = await startMcpHttpServer({
      createServer: createMcpServerFactory({
        pagerduty: sandbox.pagerduty,
        ai: createHeuristicEngine(),
        logger: silentLogger(),
      }),
      token,
      port: 0,
      logger: silentLogger(),
    });
    try {
      const result = (await inspector([
        http.url,
        '--transport',
        'http',
        '--header',
        `Authorization: Bearer ${token}`,
        '--method',
        'tools/call',
        '--tool-name',
        'list_services',
        '--tool-arg',
        'limit=2',
      ])) as { structuredContent: { items: Array<{ id: string }>; truncated: boolean } };
      expect(result.structuredContent.items).toHaveLength(2);
      expect(result.structuredContent.truncated).toBe(true);
      const refused = run(
        'npx',
        ['--no-install', 'mcp-inspector-cli', '--cli', http.url, '--transport', 'http', '--method', 'tools/list'],
        {
          cwd: CWD,
          timeout: 120_000,
        },
      );
      await expect(refused).rejects.toMatchObject({ stderr: expect.stringMatching(/401|Unauthorized/) });
    } finally {
      await http.close();
      await sandbox.close();
    }
  }, 150_000);
});
