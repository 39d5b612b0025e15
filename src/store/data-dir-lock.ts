/**
 * PGlite is a single-process database: two processes opening one data directory silently diverge and corrupt it.
 * This lock file makes the second one fail with a clear message instead. The holder refreshes the file's mtime
 * every few seconds, so a lock left by a killed process is taken over when its owner is gone (same host) or when
 * it has not been refreshed for `staleAfterMs` (any host, e.g. a rescheduled container on a shared volume).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { AppError, ErrorCode } from '../shared/errors.js';

export const LOCK_FILE_NAME = 'incident-bot.lock';

export interface DataDirLock {
  readonly lockFile: string;
  /** Stops the heartbeat and removes the lock file if it is still ours; idempotent. */
  release(): void;
}

export interface DataDirLockOptions {
  /** A lock not refreshed for this long is stale (default 20 s). */
  staleAfterMs?: number;
  /** How often the holder refreshes the lock (default 5 s). */
  heartbeatMs?: number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  startedAt: string;
}

/** Directories locked by this process, so a second open in the same process is refused too. */
const heldHere = new Map<string, string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): { content: LockContent | undefined; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(path).mtimeMs;
    let content: LockContent | undefined;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockContent>;
      if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') {
        content = parsed as LockContent;
      }
    } catch {
      content = undefined; // half-written or foreign file: judged by its age alone
    }
    return { content, mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function lockedError(dir: string, lockFile: string, owner: LockContent | undefined): AppError {
  const who = owner ? `process ${owner.pid} on ${owner.host} (since ${owner.startedAt})` : 'another process';
  return new AppError(
    ErrorCode.StoreFailed,
    `Data directory ${dir} is in use by ${who}; lock file ${lockFile}. PGlite allows one process per data ` +
      'directory: stop the other process, give this one its own DATA_DIR, or set DATABASE_URL so replicas share ' +
      'a Postgres server.',
    { details: { reason: 'data_dir_locked', lockFile, owner: owner ?? null } },
  );
}

/** Takes the lock on `dataDir` (created if missing) or throws `store_failed` with reason `data_dir_locked`. */
export function acquireDataDirLock(dataDir: string, options: DataDirLockOptions = {}): DataDirLock {
  const dir = resolve(dataDir);
  const lockFile = join(dir, LOCK_FILE_NAME);
  const staleAfterMs = options.staleAfterMs ?? 20_000;
  const heartbeatMs = options.heartbeatMs ?? 5_000;
  const host = hostname();
  mkdirSync(dir, { recursive: true });

  if (heldHere.has(dir)) {
    throw lockedError(dir, lockFile, readLock(lockFile)?.content);
  }

  const token = randomUUID();
  const content: LockContent = { pid: process.pid, host, token, startedAt: new Date().toISOString() };
  for (let attempt = 0; ; attempt += 1) {
    try {
      writeFileSync(lockFile, JSON.stringify(content), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const existing = readLock(lockFile);
    if (!existing) continue; // released between our attempt and the read
    const owner = existing.content;
    const fresh = Date.now() - existing.mtimeMs < staleAfterMs;
    const ownerGone =
      owner !== undefined && owner.host === host && (owner.pid === process.pid || !processAlive(owner.pid));
    if ((fresh && !ownerGone) || attempt >= 3) throw lockedError(dir, lockFile, owner);
    // Stale: move it aside atomically (only one contender's rename succeeds), then try to create ours again.
    const aside = `${lockFile}.stale-${process.pid}-${token}`;
    try {
      renameSync(lockFile, aside);
      unlinkSync(aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  heldHere.set(dir, token);
  const timer = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(lockFile, now, now);
    } catch {
      // The next open will judge the lock by its age; nothing useful to do here.
    }
  }, heartbeatMs);
  timer.unref();

  let released = false;
  return {
    lockFile,
    release(): void {
      if (released) return;
      released = true;
      clearInterval(timer);
      if (heldHere.get(dir) === token) heldHere.delete(dir);
      const current = readLock(lockFile);
      if (current?.content?.token === token) {
        try {
          unlinkSync(lockFile);
        } catch {
          // already gone
        }
      }
    },
  };
}
