import { ConfigError } from '../config/index.js';
import { prepareRun, runSandboxProcess } from '../startup.js';
import type { CliCommand, CliIo } from './types.js';
import { EXIT_OK, EXIT_USAGE } from './types.js';

/**
 * Reads the configuration and logs the mode before anything heavy is loaded; a configuration problem is listed in
 * full on stderr (exit 2, nothing started). The sandbox path never loads the bot's modules until its console serves.
 */
async function start(io: CliIo, name: string, forceSandbox: boolean): Promise<number> {
  let run: ReturnType<typeof prepareRun>;
  try {
    run = prepareRun(io.env ?? process.env, { forceSandbox });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr.write(`incident-bot ${name}: ${error.message}\n`);
    if (error.problems.some((p) => p.message.startsWith('required'))) {
      io.stderr.write('Unset every Slack and PagerDuty variable to run the sandbox instead (see README.md).\n');
    }
    return EXIT_USAGE;
  }
  if (run.mode.kind === 'sandbox') {
    await runSandboxProcess(run, io.stderr);
  } else {
    const { runProduction } = await import('../main.js');
    await runProduction(run);
  }
  return EXIT_OK;
}

/**
 * `incident-bot start`: the bot, in the mode the environment implies (the sandbox when no Slack and no
 * PagerDuty credentials are set; a half-configured environment is an error listing what is missing).
 */
export const startCommand: CliCommand = {
  name: 'start',
  summary: 'run the bot (the sandbox when no Slack/PagerDuty credentials are set)',
  usage: 'incident-bot start    (configuration from the environment; see README.md)',
  run: (_args, io) => start(io, 'start', false),
};

/** `incident-bot sandbox`: always the sandbox, whatever credentials are set. */
export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'run the bot against built-in emulators of Slack, PagerDuty and Claude, with a browser console',
  usage: 'incident-bot sandbox    (SANDBOX_PORT: console port, default 3000; DATA_DIR: where state is kept)',
  run: (_args, io) => start(io, 'sandbox', true),
};
