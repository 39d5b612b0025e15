import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError, ErrorCode } from '../../src/shared/errors.js';
import { acquireDataDirLock, LOCK_FILE_NAME } from '../../src/store/data-dir-lock.js';
import { waitFor } from './support.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(child.stdout.toString());
}

function writeLock(dir: string, content: unknown, ageMs = 0): void {
  const file = join(dir, LOCK_FILE_NAME);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  if (ageMs > 0) {
    const then = new Date(Date.now() - ageMs);
    utimesSync(file, then, then);
  }
}

function lockedError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.StoreFailed);
    expect((error as AppError).details.reason).toBe('data_dir_locked');
    return error as AppError;
  }
  throw new Error('expected the lock to be refused');
}

describe('data dir lock', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ib-lock-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the directory and a lock naming this process; a second open in this process is refused', () => {
    const nested = join(dir, 'a', 'b');
    const lock = acquireDataDirLock(nested);
    const content = JSON.parse(readFileSync(lock.lockFile, 'utf8')) as { pid: number; host: string };
    expect(content).toMatchObject({ pid: process.pid, host: hostname() });
    const error = lockedError(() => acquireDataDirLock(nested));
    expect(error.message).toContain(`process ${process.pid}`);
    lock.release();
    expect(existsSync(lock.lockFile)).toBe(false);
    acquireDataDirLock(nested).release();
  });

  it('takes over a lock whose owner on this host is gone, even if the lock is fresh', () => {
    writeLock(dir, { pid: deadPid(), host: hostname(), token: 'old', startedAt: 'then' });
    const lock = acquireDataDirLock(dir);
    expect(JSON.parse(readFileSync(lock.lockFile, 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over a lock left by an earlier incarnation with our own pid (restarted container)', () => {
    writeLock(dir, { pid: process.pid, host: hostname(), token: 'previous-boot', startedAt: 'then' });
    acquireDataDirLock(dir).release();
  });

  it('respects a fresh lock from another host, and takes over one that stopped being refreshed', () => {
    writeLock(dir, { pid: 1, host: 'other-host', token: 't', startedAt: 'then' });
    expect(lockedError(() => acquireDataDirLock(dir, { staleAfterMs: 20_000 })).message).toContain('other-host');
    writeLock(dir, { pid: 1, host: 'other-host', token: 't', startedAt: 'then' }, 60_000);
    acquireDataDirLock(dir, { staleAfterMs: 20_000 }).release();
  });

  it('judges an unreadable lock file by its age alone', () => {
    writeLock(dir, 'garbage{');
    expect(lockedError(() => acquireDataDirLock(dir)).message).toContain('another process');
    writeLock(dir, 'garbage{', 60_000);
    acquireDataDirLock(dir).release();
  });

  it('refreshes the lock while held, and release never deletes a lock that is no longer ours', async () => {
    const lock = acquireDataDirLock(dir, { heartbeatMs: 20 });
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock.lockFile, old, old);
    await waitFor(() => Date.now() - statSync(lock.lockFile).mtimeMs < 30_000, 'heartbeat to refresh the lock');
    writeLock(dir, { pid: 1, host: 'other-host', token: 'someone-else', startedAt: 'now' });
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE_NAME))).toBe(true);
  });
});
