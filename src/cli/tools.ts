import { z } from 'zod';
import { tools } from '../tools/catalogue.js';
import { type CliCommand, EXIT_OK, EXIT_USAGE } from './types.js';

function firstSentence(text: string): string {
  const match = /^(.+?(?<!\b(?:e\.g|i\.e))[.!?])(\s+[A-Z(]|$)/.exec(text);
  return match?.[1] ?? text;
}

/** `incident-bot tools [--json]`: the catalogue, as a table or as JSON schemas. */
export const toolsCommand: CliCommand = {
  name: 'tools',
  summary: 'List the tools (name, access, description); --json for their JSON schemas',
  usage: 'incident-bot tools [--json]',
  async run(args, io) {
    const unknown = args.filter((a) => a !== '--json');
    if (unknown.length > 0) {
      io.stderr.write(
        `incident-bot tools: unexpected ${unknown.map((a) => `"${a}"`).join(', ')}\nusage: ${this.usage}\n`,
      );
      return EXIT_USAGE;
    }
    if (args.includes('--json')) {
      const described = tools.map((t) => ({
        name: t.name,
        title: t.title,
        access: t.access,
        description: t.description,
        input_schema: z.toJSONSchema(t.input, { io: 'input' }),
        output_schema: z.toJSONSchema(t.output, { io: 'output' }),
      }));
      io.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
      return EXIT_OK;
    }
    const width = Math.max(...tools.map((t) => t.name.length));
    const lines = tools.map((t) => `${t.name.padEnd(width)}  ${t.access.padEnd(5)}  ${firstSentence(t.description)}`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
};
