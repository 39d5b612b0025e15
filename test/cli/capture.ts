import type { CliIo } from '../../src/cli/types.js';

export interface Captured extends CliIo {
  out: string;
  err: string;
  code: number | undefined;
}

/** A `CliIo` that records what the CLI writes and the exit code it sets. */
export function captureIo(env: Record<string, string | undefined> = {}): Captured {
  const io: Captured = {
    out: '',
    err: '',
    code: undefined,
    stdout: { write: (text: string) => (io.out += text) },
    stderr: { write: (text: string) => (io.err += text) },
    exit: (code: number) => {
      io.code = code;
    },
    env: { LOG_LEVEL: 'warn', ...env },
  };
  return io;
}
