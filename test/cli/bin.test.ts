import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/incident-bot.js', import.meta.url));

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function spawnCli(args: string[], env: Record<string, string> = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'warn', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('bin/incident-bot.js (a real process)', () => {
  it('runs a tool against the sandbox and prints JSON, exiting 0', { timeout: 150_000 }, async () => {
    const { code, stdout, stderr } = await spawnCli(['run', 'list_incidents', '--sandbox', '--statuses', 'triggered']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { items: Array<{ status: string }>; summary: string };
    expect(result.items.length).toBeGreaterThan(0);
    expect(result.items.every((i) => i.status === 'triggered')).toBe(true);
  });

  it('exits 2 on invalid input without starting anything', { timeout: 150_000 }, async () => {
    const { code, stdout, stderr } = await spawnCli(['run', 'get_incident']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'incident-bot run get_incident: invalid input, nothing was sent\n  --incident-id: is required\n',
    );
  });
});
