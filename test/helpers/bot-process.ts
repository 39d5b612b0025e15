/**
 * The bot as a separate OS process (`node bin/incident-bot.js start` from the checkout, or `node dist/main.js`
 * from a build), for tests of what only a real process shows: signals, exit codes, several replicas.
 */
import { type ChildProcess, spawn } from 'node:child_process';

export interface BotProcess {
  child: ChildProcess;
  /** Every stdout line, parsed when it is JSON. */
  lines: Array<Record<string, unknown>>;
  /** Resolves with the first log line matching `predicate` (seen already or later). */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<Record<string, unknown>>;
  /** Resolves with the exit code, or 'timeout'. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null | 'timeout'>;
}

export function spawnBot(
  args: string[],
  options: { cwd: string; env: Record<string, string | undefined> },
): BotProcess {
  const child = spawn('node', args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{
    predicate: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }> = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const text = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.predicate(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.resume();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    lines,
    waitForLog(predicate, timeoutMs) {
      const seen = lines.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching log line within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`the bot exited (code ${code}) before logging what was expected`));
        });
      });
    },
    async stop(signal, timeoutMs) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill(signal);
      const result = await Promise.race([
        exited,
        new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), timeoutMs)),
      ]);
      if (result === 'timeout') child.kill('SIGKILL');
      return result;
    },
  };
}
