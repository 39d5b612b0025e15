/**
 * `incident-bot classify`: batch triage of texts. Reads JSON lines `{"id", "title"?, "text"}` on stdin and writes
 * one JSON line `{"id", "category", "severity", "urgency", "confidence"}` per input line on stdout, in input
 * order, with the configured engine (Claude when ANTHROPIC_API_KEY is set, else the offline heuristic). A bad
 * line produces `{"line": n, "id"?: …, "error": "…"}` instead and processing continues; the exit code is then 1.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { AiEngine } from '../ai/contract.js';
import { createAiEngine } from '../ai/create-engine.js';
import { textToTriageInput } from '../ai/text-input.js';
import { loadConfig, secretValues } from '../config/index.js';
import { systemClock } from '../shared/clock.js';
import { describeError } from '../shared/errors.js';
import { componentLogger, createLogger } from '../shared/logger.js';
import { type CliCommand, type CliIo, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './types.js';

/** Longest accepted input line (characters). */
export const MAX_LINE = 1_000_000;

const LineSchema = z.object({
  id: z.union([z.string().trim().min(1).max(200), z.number().int().transform(String)]),
  title: z.string().max(20_000).optional(),
  text: z.string().max(200_000),
});

export interface ClassifyDeps {
  /** Input lines; default `process.stdin`. */
  stdin?: NodeJS.ReadableStream;
  /** The engine; default the configured one (config read from `io.env` or the process environment). */
  engine?: AiEngine;
  /** Lines classified at once (keeps order); default 1 for the heuristic, 4 for Claude. */
  concurrency?: number;
}

type Outcome = Record<string, unknown>;

async function classifyLine(engine: AiEngine, raw: string, lineNo: number): Promise<Outcome> {
  if (raw.length > MAX_LINE) return { line: lineNo, error: `line longer than ${MAX_LINE} characters` };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { line: lineNo, error: `not JSON: ${describeError(error)}` };
  }
  const parsed = LineSchema.safeParse(json);
  if (!parsed.success) {
    const id = (json as { id?: unknown } | null)?.id;
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(line)'}: ${i.message}`).join('; ');
    return {
      line: lineNo,
      ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}),
      error: `expected {"id", "title"?, "text"}: ${issues}`,
    };
  }
  const item = parsed.data;
  try {
    const r = await engine.triage(textToTriageInput(item, new Date(systemClock.now()).toISOString()));
    return {
      id: item.id,
      category: r.result.category,
      severity: r.result.severity,
      urgency: r.result.urgency,
      confidence: r.result.confidence,
    };
  } catch (error) {
    return { line: lineNo, id: item.id, error: describeError(error) };
  }
}

/** The classify command, with injectable stdin and engine (tests). */
export function createClassifyCommand(deps: ClassifyDeps = {}): CliCommand {
  return {
    name: 'classify',
    summary:
      'Classify incident texts: JSON lines {id, title?, text} in, {id, category, severity, urgency, confidence} out',
    usage:
      'incident-bot classify < incidents.jsonl > labels.jsonl\n\n' +
      '  Each input line: {"id": "...", "title": "...", "text": "..."} (title optional).\n' +
      '  Each output line: {"id", "category", "severity", "urgency", "confidence"}, or {"line", "error"} for a bad line.\n' +
      '  Uses Claude when ANTHROPIC_API_KEY is set, else the offline heuristic engine. Exit 1 if any line failed.',
    async run(args: readonly string[], io: CliIo): Promise<number> {
      if (args.length > 0) {
        io.stderr.write(
          `incident-bot classify: unexpected ${args.map((a) => `"${a}"`).join(', ')}\nusage: ${this.usage}\n`,
        );
        return EXIT_USAGE;
      }
      let engine = deps.engine;
      if (!engine) {
        const config = io.env ? loadConfig(io.env) : loadConfig();
        const logger = createLogger({
          level: config.logLevel,
          destination: { write: (line: string) => io.stderr.write(line) },
          secrets: secretValues(config),
          base: { surface: 'cli' },
        });
        engine = createAiEngine(config, { logger: componentLogger(logger, 'ai') });
      }
      const concurrency = deps.concurrency ?? (engine.name === 'claude' ? 4 : 1);
      const lines = createInterface({ input: deps.stdin ?? process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
      let lineNo = 0;
      let failed = 0;
      let pending: Array<Promise<Outcome>> = [];
      const flush = async (): Promise<void> => {
        for (const outcome of await Promise.all(pending)) {
          if ('error' in outcome) failed++;
          io.stdout.write(`${JSON.stringify(outcome)}\n`);
        }
        pending = [];
      };
      for await (const raw of lines) {
        lineNo++;
        if (raw.trim() === '') continue;
        pending.push(classifyLine(engine, raw, lineNo));
        if (pending.length >= concurrency) await flush();
      }
      await flush();
      return failed > 0 ? EXIT_FAILED : EXIT_OK;
    },
  };
}

/** `incident-bot classify`, reading process.stdin with the configured engine. */
export const classifyCommand: CliCommand = createClassifyCommand();
