import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import { createClassifyCommand } from '../../src/cli/classify.js';
import {
  type AnthropicEmulator,
  apiError,
  jsonAnswer,
  startAnthropicEmulator,
} from '../../src/sandbox/anthropic/index.js';
import { captureIo } from './capture.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'incident-bot.js');
const lines = (out: string): Array<Record<string, unknown>> =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

let emulator: AnthropicEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe('incident-bot classify', () => {
  it('writes one result per line in input order, and an error line naming each bad line, then exits 1', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: 'TLS certificate expired on api', text: 'Browsers show warnings.' }),
      '',
      'this is not json',
      JSON.stringify({ id: 'b', text: 'Postgres replication lag at 900 seconds\nreports are stale' }),
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 7, text: 'Packet loss on the core switch' }),
    ].join('\n');
    const io = captureIo();
    const code = await createClassifyCommand({ stdin: Readable.from([input]), engine: createHeuristicEngine() }).run(
      [],
      io,
    );
    expect(code).toBe(1);
    const out = lines(io.out);
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({
      id: 'a',
      category: 'certificate',
      severity: expect.any(String),
      urgency: expect.any(String),
      confidence: expect.any(Number),
    });
    expect(out[1]).toMatchObject({ line: 3, error: expect.stringContaining('not JSON') });
    expect(out[2]).toMatchObject({ id: 'b', category: 'database' });
    expect(out[3]).toMatchObject({ line: 5, id: 'c', error: expect.stringContaining('text') });
    expect(out[4]).toMatchObject({ id: '7', category: 'network' });
    expect(Object.keys(out[0] ?? {})).toEqual(['id', 'category', 'severity', 'urgency', 'confidence']);
  });

  it('exits 0 when every line is fine, and refuses arguments', async () => {
    const io = captureIo();
    const ok = await createClassifyCommand({
      stdin: Readable.from([`${JSON.stringify({ id: 'x', text: 'DNS SERVFAIL' })}\n`]),
      engine: createHeuristicEngine(),
    }).run([], io);
    expect(ok).toBe(0);
    expect(lines(io.out)[0]).toMatchObject({ id: 'x', category: 'dns' });
    const bad = captureIo();
    expect(await createClassifyCommand({ stdin: Readable.from([]) }).run(['--fast'], bad)).toBe(2);
    expect(bad.err).toContain('unexpected "--fast"');
  });

  it('uses Claude when configured, in input order, and falls back per line when Claude fails', async () => {
    emulator = await startAnthropicEmulator();
    const answer = (category: string) =>
      jsonAnswer({
        severity: 'sev2',
        category,
        team: null,
        urgency: 'high',
        suggestedPriority: 'P2',
        confidence: 0.9,
        evidence: ['x'],
        alternatives: [],
      });
    // The configured engine retries once: line b fails twice, then falls back to the heuristic.
    emulator.enqueue(
      answer('security'),
      apiError('overloaded_error', 'Overloaded'),
      apiError('overloaded_error', 'Overloaded'),
      answer('time'),
    );
    const input = ['a', 'b', 'c']
      .map((id) => JSON.stringify({ id, text: 'Certificate expired on the API' }))
      .join('\n');
    const io = captureIo({
      ANTHROPIC_API_KEY: 'sk-test',
      ANTHROPIC_BASE_URL: emulator.url,
      ANTHROPIC_TIMEOUT_MS: '5000',
    });
    const code = await createClassifyCommand({ stdin: Readable.from([input]), concurrency: 1 }).run([], io);
    expect(code).toBe(0);
    expect(lines(io.out).map((l) => [l.id, l.category])).toEqual([
      ['a', 'security'],
      ['b', 'certificate'],
      ['c', 'time'],
    ]);
  });

  it('runs as a real process through the bin, reading stdin', async () => {
    const child = spawn(process.execPath, [bin, 'classify'], {
      env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent' },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stdin.end(
      `${JSON.stringify({ id: 'p1', text: 'NTP stopped syncing and clocks drifted, tokens rejected' })}\n`,
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(lines(out)).toEqual([expect.objectContaining({ id: 'p1', category: 'time' })]);
  }, 60_000);
});
