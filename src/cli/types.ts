/** Where the CLI reads and writes, injected so tests run `main()` in-process. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  /** Errors and logs (stdout carries only results). */
  stderr: { write(text: string): unknown };
  /** Sets the process exit code (never exits abruptly, so output is flushed). */
  exit(code: number): void;
  /** Environment for the config loader; default: the process environment (read by `src/config/` only). */
  env?: Record<string, string | undefined>;
}

/** Exit codes: 0 done, 1 failed, 2 invalid input or usage (nothing was sent). */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** One subcommand, e.g. `tools` or `run`. */
export interface CliCommand {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage text shown by `--help`. */
  usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** The default `CliIo`: the real streams, and `process.exitCode`. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    exit: (code) => {
      process.exitCode = code;
    },
  };
}
