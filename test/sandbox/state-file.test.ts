import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { startSlackEmulator } from '../../src/sandbox/slack/index.js';
import {
  readSandboxState,
  SANDBOX_STATE_VERSION,
  type SandboxState,
  writeSandboxState,
} from '../../src/sandbox/state-file.js';
import { createManualClock } from '../../src/shared/clock.js';

const clock = createManualClock(Date.UTC(2026, 4, 12, 14, 5, 0));

/** Rewrites a state file's payload (and, unless told otherwise, its checksum), as a tamperer or an old version would. */
function rewrite(path: string, change: (payload: { pagerduty: Record<string, unknown> }) => void, fixSum = true): void {
  const raw = readFileSync(path, 'utf8');
  const newline = raw.indexOf('\n');
  const header = JSON.parse(raw.slice(0, newline));
  const payload = JSON.parse(raw.slice(newline + 1));
  change(payload);
  const body = Buffer.from(JSON.stringify(payload));
  if (fixSum) {
    header.sha256 = createHash('sha256').update(body).digest('hex');
    header.bytes = body.length;
  }
  writeFileSync(path, `${JSON.stringify(header)}\n${body}`);
}

describe('sandbox state file', () => {
  let dir: string;
  let state: SandboxState;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'h10-state-'));
    const pagerduty = await startPagerDutySimulator({ clock, org: 'empty', seed: 3 });
    const slack = await startSlackEmulator({
      bot: { token: 'xoxb-state', signingSecret: 'state-secret' },
      users: [{ name: 'alice', realName: 'Alice Ops', email: 'alice@example.com' }],
      channels: [{ name: 'incidents' }],
      clock,
      console: false,
    });
    pagerduty.triggerIncident({ serviceId: pagerduty.org.services[0]?.id as string, title: 'Disk full on db-3' });
    state = { pagerduty: pagerduty.snapshot(), slack: slack.snapshot() };
    await Promise.all([pagerduty.close(), slack.close()]);
  }, 60_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads nothing when there is no file', async () => {
    expect(await readSandboxState(join(dir, 'absent.json'))).toEqual({ kind: 'missing' });
  });

  it('writes atomically (0600, no temporary file left) and reads back exactly what was saved', async () => {
    const path = join(dir, 'round-trip.json');
    const bytes = await writeSandboxState(path, state, new Date(clock.now()));
    expect(bytes).toBeGreaterThan(1000);
    expect(readdirSync(dir).filter((f) => f.startsWith('round-trip'))).toEqual(['round-trip.json']);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const header = JSON.parse(readFileSync(path, 'utf8').split('\n', 1)[0] as string);
    expect(header).toMatchObject({ format: 'incident-bot sandbox state', version: SANDBOX_STATE_VERSION, bytes });
    const read = await readSandboxState(path);
    expect(read).toEqual({ kind: 'ok', state: JSON.parse(JSON.stringify(state)), savedAt: '2026-05-12T14:05:00.000Z' });
  });

  it('calls a damaged file unusable: a changed byte, a cut-off end, a foreign file', async () => {
    const path = join(dir, 'damaged.json');
    await writeSandboxState(path, state, new Date(clock.now()));
    rewrite(path, (p) => Object.assign(p.pagerduty, { seed: 4 }), false);
    expect(await readSandboxState(path)).toEqual({
      kind: 'unusable',
      reason: 'the file is damaged (its checksum does not match)',
    });
    await writeSandboxState(path, state, new Date(clock.now()));
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, whole.length - 100));
    expect(await readSandboxState(path)).toMatchObject({ kind: 'unusable', reason: /damaged/ });
    writeFileSync(path, '{"hello":"world"}\n{}');
    expect(await readSandboxState(path)).toEqual({
      kind: 'unusable',
      reason: 'the header is not an incident-bot sandbox state header',
    });
    writeFileSync(path, 'not json at all\n');
    expect(await readSandboxState(path)).toEqual({ kind: 'unusable', reason: 'the header is not JSON' });
    writeFileSync(path, '');
    expect(await readSandboxState(path)).toEqual({ kind: 'unusable', reason: 'the file has no header line' });
  });

  it('calls a file of another version unusable, saying which versions', async () => {
    const path = join(dir, 'versions.json');
    await writeSandboxState(path, state, new Date(clock.now()));
    const raw = readFileSync(path, 'utf8');
    writeFileSync(path, raw.replace(`"version":${SANDBOX_STATE_VERSION}`, '"version":0'));
    expect(await readSandboxState(path)).toEqual({
      kind: 'unusable',
      reason: `it was saved in format version 0; this version of incident-bot reads ${SANDBOX_STATE_VERSION}`,
    });
    // An emulator snapshot inside the file from another version, with a valid checksum.
    await writeSandboxState(path, state, new Date(clock.now()));
    rewrite(path, (p) => Object.assign(p.pagerduty, { version: 99 }));
    const read = await readSandboxState(path);
    expect(read).toMatchObject({ kind: 'unusable', reason: /PagerDuty simulator snapshot: version: is 99/ });
  });
});
