import { classifyCommand } from './cli/classify.js';
import { mcpCommand } from './cli/mcp.js';
import { runCommand } from './cli/run.js';
import { sandboxCommand, startCommand } from './cli/start.js';
import { toolsCommand } from './cli/tools.js';
import { type CliCommand, type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE, processIo } from './cli/types.js';

export type { CliIo } from './cli/types.js';

/**
 * The subcommands, by name. To add one: create `src/cli/<name>.ts` exporting a `CliCommand`, import it here and
 * add it to this table.
 */
const COMMANDS: Readonly<Record<string, CliCommand>> = {
  start: startCommand,
  sandbox: sandboxCommand,
  tools: toolsCommand,
  run: runCommand,
  mcp: mcpCommand,
  classify: classifyCommand,
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.values(COMMANDS).map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `usage: incident-bot <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nincident-bot <command> --help for details.\n`;
}

/**
 * The `incident-bot` command line. Writes results to `io.stdout`, errors and logs to `io.stderr`, and reports the
 * exit code through `io.exit` (0 done, 1 failed, 2 invalid input or usage).
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(usage());
    io.exit(name === undefined ? EXIT_USAGE : EXIT_OK);
    return;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr.write(`incident-bot: unknown command "${name}"\n\n${usage()}`);
    io.exit(EXIT_USAGE);
    return;
  }
  if (args[0] === '--help' && command.name !== 'run') {
    io.stdout.write(`usage: ${command.usage}\n`);
    io.exit(EXIT_OK);
    return;
  }
  try {
    io.exit(await command.run(args, io));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`incident-bot ${name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    io.exit(EXIT_FAILED);
  }
}
