import { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';

/** Flags `run` keeps for itself; no tool parameter may use these names. */
export const RUN_FLAGS = ['sandbox', 'as', 'pretty', 'input', 'help'] as const;

export interface RunFlags {
  sandbox: boolean;
  as?: string;
  pretty: boolean;
  help: boolean;
}

export interface ParsedToolArgs {
  /** Raw tool input, keyed by snake_case parameter name; validated later by `runTool`. */
  input: Record<string, unknown>;
  flags: RunFlags;
  /** Problems found while reading the command line (missing values, stray words). */
  issues: Array<{ path: string; message: string }>;
}

type Kind = 'string' | 'number' | 'boolean' | 'array-string' | 'array-number';

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
    current = current.unwrap() as z.ZodType;
  }
  return current;
}

/** How a parameter is written on the command line, from its schema. */
export function parameterKind(schema: z.ZodType): Kind {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray)
    return unwrap(inner.element as z.ZodType) instanceof z.ZodNumber ? 'array-number' : 'array-string';
  if (inner instanceof z.ZodNumber) return 'number';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  return 'string';
}

/** `--schedule-id` → `schedule_id`. */
export function flagToParameter(flag: string): string {
  return flag.replace(/-/g, '_');
}

/** `schedule_id` → `--schedule-id`. */
export function parameterToFlag(parameter: string): string {
  return `--${parameter.replace(/_/g, '-')}`;
}

function toNumber(value: string): number | string {
  // Leave anything that is not plainly a number as text, so validation names the parameter and the problem.
  return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
}

const TRUE = new Set(['true', 'yes', '1', 'on']);
const FALSE = new Set(['false', 'no', '0', 'off']);

/**
 * Reads `--kebab-flag value` pairs for a tool: arrays by repeating a flag, numbers and booleans coerced per the
 * tool's schema (`--flag`, `--flag=false`, `--no-flag`), `--input '{"json":…}'` merged underneath. Unknown flags
 * are kept (as text) so that the tool's validation names them with a hint.
 */
export function parseToolArgs(tool: AnyTool, args: readonly string[]): ParsedToolArgs {
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const input: Record<string, unknown> = {};
  const fromJson: Record<string, unknown> = {};
  const flags: RunFlags = { sandbox: false, pretty: false, help: false };
  const issues: ParsedToolArgs['issues'] = [];

  for (let i = 0; i < args.length; i += 1) {
    const token = args[i] as string;
    if (!token.startsWith('--') || token === '--') {
      issues.push({ path: token, message: 'unexpected argument; parameters are given as --name value' });
      continue;
    }
    const eq = token.indexOf('=');
    const rawName = eq === -1 ? token.slice(2) : token.slice(2, eq);
    const inlineValue = eq === -1 ? undefined : token.slice(eq + 1);
    const takeValue = (): string | undefined => {
      if (inlineValue !== undefined) return inlineValue;
      const next = args[i + 1];
      if (next === undefined || (next.startsWith('--') && next.length > 2)) return undefined;
      i += 1;
      return next;
    };

    if (rawName === 'sandbox' || rawName === 'pretty' || rawName === 'help') {
      flags[rawName] = true;
      continue;
    }
    if (rawName === 'as') {
      const value = takeValue();
      if (value === undefined) issues.push({ path: '--as', message: 'needs the email of the person acting' });
      else flags.as = value;
      continue;
    }
    if (rawName === 'input') {
      const value = takeValue();
      try {
        const parsed: unknown = value === undefined ? undefined : JSON.parse(value);
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        Object.assign(fromJson, parsed);
      } catch {
        issues.push({ path: '--input', message: 'needs a JSON object, e.g. --input \'{"incident_id":"PT4KHLK"}\'' });
      }
      continue;
    }

    let name = flagToParameter(rawName);
    let negated = false;
    if (!Object.hasOwn(shape, name) && name.startsWith('no_') && Object.hasOwn(shape, name.slice(3))) {
      name = name.slice(3);
      negated = true;
    }
    const schema = shape[name];
    const kind = schema ? parameterKind(schema) : 'string';
    if (kind === 'boolean') {
      const next = inlineValue ?? args[i + 1];
      if (negated) {
        input[name] = false;
      } else if (next !== undefined && (TRUE.has(next.toLowerCase()) || FALSE.has(next.toLowerCase()))) {
        if (inlineValue === undefined) i += 1;
        input[name] = TRUE.has(next.toLowerCase());
      } else if (inlineValue !== undefined) {
        input[name] = inlineValue;
      } else {
        input[name] = true;
      }
      continue;
    }
    const value = takeValue();
    if (value === undefined) {
      issues.push({ path: name, message: `${parameterToFlag(name)} needs a value` });
      continue;
    }
    if (kind === 'array-string' || kind === 'array-number') {
      const list = Array.isArray(input[name]) ? (input[name] as unknown[]) : [];
      list.push(kind === 'array-number' ? toNumber(value) : value);
      input[name] = list;
    } else {
      if (Object.hasOwn(input, name)) {
        issues.push({ path: name, message: `${parameterToFlag(name)} was given more than once` });
        continue;
      }
      input[name] = kind === 'number' ? toNumber(value) : value;
    }
  }
  return { input: { ...fromJson, ...input }, flags, issues };
}
