/**
 * Runs the official MCP conformance suite (@modelcontextprotocol/conformance, server scenarios) against
 * `incident-bot mcp --http --sandbox`, the real command, over Streamable HTTP.
 *
 *   npx tsx scripts/mcp-conformance.ts            # every server scenario; exit 1 if one that applies fails
 *   npx tsx scripts/mcp-conformance.ts --verbose  # also print each check
 *
 * Two things stand between the suite and our server, both explained in docs/MCP.md:
 * - the suite needs Node >= 22 (it imports fs.globSync); on an older Node the script runs it with the Node 22
 *   binary from the npm registry (`npx -p node-<platform>-<arch>@22`), or with $CONFORMANCE_NODE when set;
 * - the suite's client cannot send a bearer token, so the script puts a loopback proxy in front that adds
 *   `Authorization: Bearer $MCP_TOKEN` and maps its own port to the server's in loopback Host headers. Every other
 *   header (a foreign Host or Origin above all) passes unchanged, so the server's own checks are what is tested.
 *
 * Scenarios that need test fixtures a tools-only server does not have (test_* tools, prompts, resources,
 * completion, logging, sampling, elicitation) are listed in NOT_APPLICABLE with the reason; they still run, and the
 * script reports them separately instead of failing on them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SUITE = join(ROOT, 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
const NODE_22 = '22.23.3';

/** Scenario → why it does not apply to a server that offers only tools over a real catalogue. */
export const NOT_APPLICABLE: Readonly<Record<string, string>> = {
  'logging-set-level': 'the server declares no logging capability (logs go to stderr, never to the client)',
  'completion-complete': 'no prompts or resource templates, so nothing to complete',
  'tools-call-simple-text': 'calls the fixture tool test_simple_text',
  'tools-call-image': 'calls the fixture tool test_image_content',
  'tools-call-audio': 'calls the fixture tool test_audio_content',
  'tools-call-embedded-resource': 'calls the fixture tool test_embedded_resource',
  'tools-call-mixed-content': 'calls the fixture tool test_multiple_content_types',
  'tools-call-with-logging': 'calls the fixture tool test_tool_with_logging',
  'tools-call-error': 'calls the fixture tool test_error_handling (our isError results are tested in test/mcp)',
  'tools-call-with-progress': 'calls the fixture tool test_tool_with_progress',
  'tools-call-sampling': 'calls the fixture tool test_sampling; the server never asks the client for sampling',
  'tools-call-elicitation': 'calls the fixture tool test_elicitation; the server never elicits',
  'json-schema-2020-12': 'lists the fixture tool json_schema_2020_12_tool',
  'elicitation-sep1034-defaults': 'calls the fixture tool test_elicitation_sep1034_defaults',
  'elicitation-sep1330-enums': 'calls the fixture tool test_elicitation_sep1330_enums',
  'server-sse-polling': 'calls the fixture tool test_reconnection (SSE resumption needs an event store we do not keep)',
  'resources-list': 'no resources',
  'resources-read-text': 'no resources',
  'resources-read-binary': 'no resources',
  'resources-templates-read': 'no resource templates',
  'resources-subscribe': 'no resources',
  'resources-unsubscribe': 'no resources',
  'prompts-list': 'no prompts',
  'prompts-get-simple': 'no prompts',
  'prompts-get-with-args': 'no prompts',
  'prompts-get-embedded-resource': 'no prompts',
  'prompts-get-with-image': 'no prompts',
};

function nodeForSuite(): string {
  if (process.env.CONFORMANCE_NODE) return process.env.CONFORMANCE_NODE;
  if (Number(process.versions.node.split('.')[0]) >= 22) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}@${NODE_22}`;
  console.error(`Node ${process.version} is too old for the conformance suite; using ${pkg} from the npm registry`);
  return execFileSync('npx', ['-y', '-p', pkg, '--', 'node', '-e', 'process.stdout.write(process.execPath)'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

async function startServer(token: string): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, ['bin/incident-bot.js', 'mcp', '--http', '--port', '0', '--sandbox'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? ROOT, MCP_TOKEN: token, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  const url = await new Promise<URL>((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s:\n${seen}`)), 120_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      const match = /on (http:\/\/127\.0\.0\.1:\d+\/mcp)/.exec(seen);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(new URL(match[1]));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${seen}`));
    });
  });
  return { child, url };
}

/** A loopback proxy that adds the bearer token and maps its own port to the server's in loopback Host headers. */
async function startAuthProxy(target: URL, token: string): Promise<{ server: Server; port: number }> {
  let port = 0;
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    headers.authorization ??= `Bearer ${token}`;
    const host = /^(localhost|127\.0\.0\.1|\[::1\]):(\d+)$/i.exec(headers.host ?? '');
    if (host && Number(host[2]) === port) headers.host = `${host[1]}:${target.port}`;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  return { server, port };
}

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
}

function readChecks(dir: string): Map<string, Check[]> {
  const out = new Map<string, Check[]>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!entry.endsWith('checks.json')) continue;
    const scenario = /server-(.+?)-\d{4}-\d{2}-\d{2}T/.exec(entry)?.[1] ?? entry;
    out.set(scenario, JSON.parse(readFileSync(join(dir, entry), 'utf8')) as Check[]);
  }
  return out;
}

async function main(): Promise<number> {
  const verbose = process.argv.includes('--verbose');
  const node = nodeForSuite();
  const token = randomBytes(24).toString('hex');
  const { child, url } = await startServer(token);
  const proxy = await startAuthProxy(url, token);
  const output = mkdtempSync(join(tmpdir(), 'mcp-conformance-'));
  try {
    const suiteUrl = `http://localhost:${proxy.port}/mcp`;
    console.log(`incident-bot mcp --http --sandbox at ${url.href}; conformance suite via ${suiteUrl}`);
    const run = spawn(node, [SUITE, 'server', '--url', suiteUrl, '--suite', 'all', '-o', output], {
      cwd: ROOT,
      stdio: ['ignore', verbose ? 'inherit' : 'ignore', 'inherit'],
    });
    await new Promise((resolve) => run.on('exit', resolve));
    const results = readChecks(output);
    let unexpected = 0;
    const lines: string[] = [];
    for (const [scenario, checks] of [...results].sort(([a], [b]) => a.localeCompare(b))) {
      const failed = checks.filter((c) => c.status === 'FAILURE');
      const warned = checks.filter((c) => c.status === 'WARNING');
      const passed = checks.filter((c) => c.status === 'SUCCESS');
      const reason = NOT_APPLICABLE[scenario];
      let verdict: string;
      if (failed.length === 0) verdict = reason ? 'passed (not applicable)' : 'passed';
      else if (reason) verdict = `not applicable: ${reason}`;
      else {
        verdict = 'FAILED';
        unexpected += 1;
      }
      lines.push(
        `${scenario.padEnd(30)} ${String(passed.length).padStart(2)} ok ${String(failed.length).padStart(2)} failed ${String(warned.length).padStart(2)} warn  ${verdict}`,
      );
      if (verbose || (verdict === 'FAILED' && failed.length > 0)) {
        for (const c of [...failed, ...warned]) lines.push(`    ${c.status} ${c.id}: ${c.errorMessage ?? ''}`);
      }
    }
    console.log(lines.join('\n'));
    console.log(`\n${results.size} scenarios ran; ${unexpected} applicable scenario(s) failed; results in ${output}`);
    return unexpected === 0 && results.size > 0 ? 0 : 1;
  } finally {
    proxy.server.close();
    proxy.server.closeAllConnections();
    child.kill('SIGTERM');
  }
}

process.exitCode = await main();
