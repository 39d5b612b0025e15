/**
 * The sandbox's saved emulator state: one file under DATA_DIR holding the PagerDuty simulator's and the Slack
 * workspace's snapshots together, so the two (and the bot's store beside them) always come back as a pair.
 *
 * Format: a one-line JSON header (`format`, `version`, `savedAt`, `sha256` and `bytes` of the rest), a newline,
 * then the JSON payload `{ pagerduty, slack }`. Writes go to a temporary file that is flushed and renamed over the
 * old one, so a crash leaves either the previous state or the new one, never half a file.
 */
import { createHash } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { z } from 'zod';
import { isAppError } from '../shared/errors.js';
import { type PagerDutySnapshot, parsePagerDutySnapshot } from './pagerduty/index.js';
import { parseSlackSnapshot, type SlackWorkspaceSnapshot } from './slack/index.js';

export const SANDBOX_STATE_FILE = 'sandbox-state.json';
const FORMAT = 'incident-bot sandbox state';
/** Bump when the file's layout changes; the emulators version their own snapshots inside it. */
export const SANDBOX_STATE_VERSION = 1;

export interface SandboxState {
  pagerduty: PagerDutySnapshot;
  slack: SlackWorkspaceSnapshot;
}

export type SandboxStateRead =
  | { kind: 'missing' }
  | { kind: 'ok'; state: SandboxState; savedAt: string }
  /** The file exists but cannot be used: another version, damaged, or inconsistent (`reason` says which). */
  | { kind: 'unusable'; reason: string };

const Header = z.object({
  format: z.literal(FORMAT),
  version: z.number().int(),
  savedAt: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().min(0),
});

/** Reads and checks the state file; never throws for a bad file (that is `unusable`), only for I/O failures. */
export async function readSandboxState(path: string): Promise<SandboxStateRead> {
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const newline = raw.indexOf(0x0a);
  if (newline < 0) return { kind: 'unusable', reason: 'the file has no header line' };
  let header: z.infer<typeof Header>;
  try {
    const parsed = Header.safeParse(JSON.parse(raw.subarray(0, newline).toString('utf8')));
    if (!parsed.success) return { kind: 'unusable', reason: 'the header is not an incident-bot sandbox state header' };
    header = parsed.data;
  } catch {
    return { kind: 'unusable', reason: 'the header is not JSON' };
  }
  if (header.version !== SANDBOX_STATE_VERSION) {
    return {
      kind: 'unusable',
      reason: `it was saved in format version ${header.version}; this version of incident-bot reads ${SANDBOX_STATE_VERSION}`,
    };
  }
  const body = raw.subarray(newline + 1);
  if (body.length !== header.bytes || createHash('sha256').update(body).digest('hex') !== header.sha256) {
    return { kind: 'unusable', reason: 'the file is damaged (its checksum does not match)' };
  }
  try {
    const payload = z.object({ pagerduty: z.unknown(), slack: z.unknown() }).parse(JSON.parse(body.toString('utf8')));
    return {
      kind: 'ok',
      state: { pagerduty: parsePagerDutySnapshot(payload.pagerduty), slack: parseSlackSnapshot(payload.slack) },
      savedAt: header.savedAt,
    };
  } catch (error) {
    const reason = isAppError(error) ? error.message : 'the payload is not the expected JSON';
    return { kind: 'unusable', reason };
  }
}

/** Writes the state atomically (temporary file, fsync, rename). Returns the bytes written. */
export async function writeSandboxState(path: string, state: SandboxState, savedAt: Date): Promise<number> {
  const body = Buffer.from(JSON.stringify({ pagerduty: state.pagerduty, slack: state.slack }), 'utf8');
  const header = {
    format: FORMAT,
    version: SANDBOX_STATE_VERSION,
    savedAt: savedAt.toISOString(),
    sha256: createHash('sha256').update(body).digest('hex'),
    bytes: body.length,
  };
  const temporary = `${path}.${process.pid}.tmp`;
  const file = await open(temporary, 'w', 0o600);
  try {
    await file.writeFile(`${JSON.stringify(header)}\n`);
    await file.writeFile(body);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return body.length;
}
