import type { CliCommand } from './types.js';
import { EXIT_OK } from './types.js';

/**
 * `incident-bot start`: the bot, in the mode the environment implies (the sandbox when no Slack and no
 * PagerDuty credentials are set; a half-configured environment is an error listing what is missing).
 */
export const startCommand: CliCommand = {
  name: 'start',
  summary: 'run the bot (the sandbox when no Slack/PagerDuty credentials are set)',
  usage: 'incident-bot start    (configuration from the environment; see README.md)',
  async run(_args, io) {
    const { runMain } = await import('../main.js');
    await runMain(io.env ?? process.env);
    return EXIT_OK;
  },
};

/** `incident-bot sandbox`: always the sandbox, whatever credentials are set. */
export const sandboxCommand: CliCommand = {
  name: 'sandbox',
  summary: 'run the bot against built-in emulators of Slack, PagerDuty and Claude, with a browser console',
  usage: 'incident-bot sandbox    (SANDBOX_PORT: console port, default 3000; DATA_DIR: where state is kept)',
  async run(_args, io) {
    const { runSandbox } = await import('../main.js');
    await runSandbox(io.env ?? process.env);
    return EXIT_OK;
  },
};
