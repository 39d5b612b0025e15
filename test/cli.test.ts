import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { tools } from '../src/tools/catalogue.js';
import { captureIo } from './cli/capture.js';

describe('incident-bot main()', () => {
  it('prints usage and exits 2 without a command, 0 with --help', async () => {
    const none = captureIo();
    await main([], none);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^usage: incident-bot <command>/);
    expect(none.err).toMatch(/\n {2}tools +List the tools/);
    expect(none.err).toMatch(/\n {2}run +Run one tool/);
    const help = captureIo();
    await main(['--help'], help);
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^usage: incident-bot <command>/);
  });

  it('refuses an unknown command with exit 2', async () => {
    const io = captureIo();
    await main(['deploy'], io);
    expect(io.code).toBe(2);
    expect(io.err).toMatch(/^incident-bot: unknown command "deploy"/);
    expect(io.out).toBe('');
  });

  it('lists every tool with its access and first sentence', async () => {
    const io = captureIo();
    await main(['tools'], io);
    expect(io.code).toBe(0);
    const lines = io.out.trim().split('\n');
    expect(lines).toHaveLength(tools.length);
    expect(lines.find((l) => l.startsWith('escalate_incident '))).toMatch(/ write {2}Escalate a PagerDuty incident/);
    expect(lines.find((l) => l.startsWith('list_priorities '))).toMatch(/\(e\.g\. P1 to P5, most urgent first\)/);
  });

  it('prints JSON schemas with --json', async () => {
    const io = captureIo();
    await main(['tools', '--json'], io);
    expect(io.code).toBe(0);
    const described = JSON.parse(io.out) as Array<{
      name: string;
      access: string;
      input_schema: { properties: Record<string, unknown>; required?: string[] };
    }>;
    expect(described.map((d) => d.name)).toEqual(tools.map((t) => t.name));
    const escalate = described.find((d) => d.name === 'escalate_incident');
    expect(escalate?.access).toBe('write');
    expect(Object.keys(escalate?.input_schema.properties ?? {})).toEqual(['incident_id', 'escalation_level', 'reason']);
    expect(escalate?.input_schema.required).toEqual(['incident_id']);
  });

  it('refuses stray arguments to tools', async () => {
    const io = captureIo();
    await main(['tools', '--yaml'], io);
    expect(io.code).toBe(2);
    expect(io.err).toMatch(/unexpected "--yaml"/);
  });
});
