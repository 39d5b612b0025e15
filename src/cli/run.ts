import type { z } from 'zod';
import { AppError, ErrorCode, InvalidInputError, isAppError } from '../shared/errors.js';
import { getTool, tools } from '../tools/catalogue.js';
import { type AnyTool, parseToolInput, runTool, suggestParameter } from '../tools/define-tool.js';
import { parameterKind, parameterToFlag, parseToolArgs } from './args.js';
import { renderPretty } from './render.js';
import { openSession } from './session.js';
import { type CliCommand, type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './types.js';

const USAGE = [
  'incident-bot run <tool> [--param value …] [--sandbox] [--as <email>] [--pretty] [--input <json>]',
  '',
  '  --param value    a tool parameter, e.g. --incident-id PT4KHLK; repeat a flag for a list (--statuses triggered',
  '                   --statuses acknowledged); booleans: --flag, --flag=false, --no-flag',
  '  --sandbox        run against an in-process PagerDuty simulator with the seed organisation',
  '  --as <email>     the person changes are made for (default PAGERDUTY_FROM_EMAIL; in --sandbox a seed user)',
  '  --pretty         a readable table instead of JSON',
  '  --input <json>   parameters as a JSON object (flags win)',
  '',
  'incident-bot run <tool> --help shows the parameters of one tool; incident-bot tools lists the tools.',
].join('\n');

/** Writes `snake_case` parameter names inside messages as the `--kebab-case` flags a CLI user types. */
function asFlags(text: string): string {
  return text.replace(/`([a-z][a-z0-9_]*)`/g, (_m, name: string) => `\`${parameterToFlag(name)}\``);
}

function issuePath(path: string): string {
  if (path.startsWith('--') || path === '(input)') return path;
  const [head, ...rest] = path.split('.');
  return [parameterToFlag(head ?? path), ...rest].join('.');
}

function reportInvalid(io: CliIo, toolName: string, issues: ReadonlyArray<{ path: string; message: string }>): number {
  const lines = issues.map((i) => `  ${issuePath(i.path)}: ${asFlags(i.message)}`);
  io.stderr.write(`incident-bot run ${toolName}: invalid input, nothing was sent\n${lines.join('\n')}\n`);
  return EXIT_USAGE;
}

function toolHelp(tool: AnyTool): string {
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const params = Object.entries(shape).map(([name, schema]) => {
    const kind = parameterKind(schema);
    const value = kind === 'boolean' ? '' : kind.startsWith('array') ? ' <value> (repeatable)' : ' <value>';
    const optional = schema.safeParse(undefined).success ? '' : ' (required)';
    return `  ${parameterToFlag(name)}${value}${optional}\n      ${schema.description ?? ''}`;
  });
  return [
    `incident-bot run ${tool.name}  [${tool.access}]`,
    '',
    tool.description,
    '',
    params.length > 0 ? params.join('\n') : '  (no parameters)',
    '',
  ].join('\n');
}

/** `incident-bot run <tool> …`: runs one catalogue tool and prints its result as JSON (or `--pretty`). */
export const runCommand: CliCommand = {
  name: 'run',
  summary: 'Run one tool, e.g. incident-bot run list_incidents --statuses triggered (--sandbox: simulator)',
  usage: USAGE,
  async run(args, io) {
    const [name, ...rest] = args;
    if (name === undefined || name === '--help' || name === '-h') {
      (name === undefined ? io.stderr : io.stdout).write(`usage: ${USAGE}\n`);
      return name === undefined ? EXIT_USAGE : EXIT_OK;
    }
    const tool = getTool(name);
    if (!tool) {
      const guess = suggestParameter(
        name,
        tools.map((t) => t.name),
      );
      io.stderr.write(
        `incident-bot run: unknown tool "${name}"${guess ? `; did you mean "${guess}"?` : ''} (incident-bot tools lists them)\n`,
      );
      return EXIT_USAGE;
    }
    const parsed = parseToolArgs(tool, rest);
    if (parsed.flags.help) {
      io.stdout.write(toolHelp(tool));
      return EXIT_OK;
    }
    const issues = [...parsed.issues];
    try {
      parseToolInput(tool, parsed.input);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      issues.push(...error.issues);
    }
    if (issues.length > 0) return reportInvalid(io, tool.name, issues);

    let session: Awaited<ReturnType<typeof openSession>> | undefined;
    try {
      session = await openSession({
        sandbox: parsed.flags.sandbox,
        ...(parsed.flags.as !== undefined ? { as: parsed.flags.as } : {}),
        io,
      });
      const result = await runTool(tool, parsed.input, session.ctx);
      io.stdout.write(parsed.flags.pretty ? `${renderPretty(result)}\n` : `${JSON.stringify(result, null, 2)}\n`);
      return EXIT_OK;
    } catch (error) {
      if (error instanceof InvalidInputError) return reportInvalid(io, tool.name, error.issues);
      if (isAppError(error) && error.code === ErrorCode.MissingActor) {
        io.stderr.write(
          `incident-bot run ${tool.name}: ${error.message}. Pass --as <email> or set PAGERDUTY_FROM_EMAIL.\n`,
        );
        return EXIT_USAGE;
      }
      const message = error instanceof AppError || error instanceof Error ? error.message : String(error);
      session?.logger.debug({ err: error }, 'tool failed');
      io.stderr.write(`incident-bot run ${tool.name}: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT_FAILED;
    } finally {
      await session?.close();
    }
  },
};
