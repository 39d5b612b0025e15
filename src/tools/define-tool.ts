import { z } from 'zod';
import type { AiEngine, AiResultCache } from '../ai/contract.js';
import type { PagerDutyClient } from '../pagerduty/client.js';
import type { Clock } from '../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';

export type ToolAccess = 'read' | 'write';

/** The person a tool runs for. Writes are attributed to `email` (PagerDuty `From` header). */
export interface Actor {
  email: string;
  surface: 'slack' | 'mcp' | 'cli' | 'webhook' | 'sandbox';
  slackUserId?: string;
  pagerdutyUserId?: string;
  name?: string;
}

/** What every tool receives besides its input. Fronts build one per request. */
export interface ToolContext {
  pagerduty: PagerDutyClient;
  ai: AiEngine;
  aiCache?: AiResultCache;
  /** Required for write tools; read tools may run without one. */
  actor?: Actor;
  logger: Logger;
  clock: Clock;
  signal?: AbortSignal;
}

/** One catalogue entry: zod in, zod out, read or write. */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  /** snake_case verb_noun, matching PagerDuty's MCP server where the two overlap. */
  name: string;
  /** Short human title ("Get incident"). */
  title: string;
  /** Written for a model: what it does, when to use it, which tool resolves the ids it needs. */
  description: string;
  /** Flat object of described parameters. */
  input: I;
  output: O;
  access: ToolAccess;
  run(input: z.output<I>, ctx: ToolContext): Promise<z.input<O>>;
}

/** A tool of any input and output, as lists of tools hold them. */
export type AnyTool = ToolDefinition<z.ZodObject, z.ZodType>;

const NAME = /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/;

function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    if (current instanceof z.ZodOptional || current instanceof z.ZodNullable || current instanceof z.ZodDefault) {
      current = current.unwrap() as z.ZodType;
    } else {
      return current;
    }
  }
}

/**
 * Declares a tool, checking the catalogue's rules at load time: a snake_case verb_noun name, a description, and a
 * flat input whose every parameter is described (nested objects confuse models and CLI flags alike).
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodType>(
  def: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  if (!NAME.test(def.name)) throw new Error(`Tool name "${def.name}" must be snake_case verb_noun`);
  if (def.description.trim().length < 20) throw new Error(`Tool ${def.name} needs a description written for a model`);
  for (const [key, schema] of Object.entries(def.input.shape)) {
    const field = schema as z.ZodType;
    if (!field.description) throw new Error(`Tool ${def.name}: parameter ${key} needs .describe()`);
    const inner = unwrap(field);
    const element = inner instanceof z.ZodArray ? unwrap(inner.element as z.ZodType) : inner;
    if (element instanceof z.ZodObject || element instanceof z.ZodArray) {
      throw new Error(`Tool ${def.name}: parameter ${key} must be flat (a value or a list of values)`);
    }
  }
  return def;
}

function normalise(key: string): string {
  return key.toLowerCase().replace(/[-_\s[\]]/g, '');
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j] as number;
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

/** The known parameter an unknown one was probably meant to be (`status` → `statuses`, `serviceId` → `service_id`). */
export function suggestParameter(unknown: string, known: readonly string[]): string | undefined {
  const u = normalise(unknown);
  const scored = known
    .map((k) => {
      const n = normalise(k);
      if (n === u) return { k, score: 0 };
      if (n === `${u}s` || u === `${n}s` || n === `${u}es` || n === u.replace(/id$/, 'ids')) return { k, score: 1 };
      const d = distance(u, n);
      return { k, score: d <= Math.max(1, Math.floor(n.length / 4)) ? 1 + d : Number.POSITIVE_INFINITY };
    })
    .filter((s) => Number.isFinite(s.score))
    .sort((a, b) => a.score - b.score);
  return scored[0]?.k;
}

function describeKind(schema: z.ZodType): string {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element as z.ZodType);
    if (element instanceof z.ZodEnum) {
      return `a list such as ${JSON.stringify(element.options.slice(0, 2))}`;
    }
    return 'a list';
  }
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.map((o) => JSON.stringify(o)).join(', ')}`;
  return '';
}

function valueAt(raw: Record<string, unknown>, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/**
 * Validates raw input against a tool's schema: unknown parameters are refused with a hint naming the right one,
 * and every problem is reported at once in an `InvalidInputError`. Returns the parsed input (defaults applied).
 */
export function parseToolInput<I extends z.ZodObject>(
  tool: ToolDefinition<I, z.ZodType>,
  rawInput: unknown,
): z.output<I> {
  const raw = rawInput === undefined || rawInput === null ? {} : rawInput;
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new InvalidInputError(`Invalid input for ${tool.name}: expected an object of named parameters`, [
      { path: '(input)', message: 'expected an object of named parameters' },
    ]);
  }
  const record = raw as Record<string, unknown>;
  const shape = tool.input.shape as Record<string, z.ZodType>;
  const known = Object.keys(shape);
  const issues: Array<{ path: string; message: string }> = [];
  const picked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (Object.hasOwn(shape, key)) {
      picked[key] = value;
      continue;
    }
    const suggestion = suggestParameter(key, known);
    const kind = suggestion ? describeKind(shape[suggestion] as z.ZodType) : '';
    issues.push({
      path: key,
      message: suggestion
        ? `unknown parameter; use \`${suggestion}\`${kind ? ` (${kind})` : ''}`
        : `unknown parameter; ${tool.name} takes ${known.length > 0 ? known.map((k) => `\`${k}\``).join(', ') : 'no parameters'}`,
    });
  }
  const parsed = tool.input.safeParse(picked);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join('.') || '(input)';
      const missing = issue.code === 'invalid_type' && valueAt(picked, issue.path) === undefined;
      issues.push({ path, message: missing ? 'is required' : issue.message });
    }
  }
  if (issues.length > 0 || !parsed.success) {
    const summary = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    throw new InvalidInputError(`Invalid input for ${tool.name}: ${summary}`, issues, { details: { tool: tool.name } });
  }
  return parsed.data as z.output<I>;
}

/**
 * Validates raw input (see `parseToolInput`), requires an actor for write tools, runs the tool, and validates its
 * output. Bad input throws `InvalidInputError` naming every bad parameter, before the tool does anything.
 */
export async function runTool<I extends z.ZodObject, O extends z.ZodType>(
  tool: ToolDefinition<I, O>,
  rawInput: unknown,
  ctx: ToolContext,
): Promise<z.output<O>> {
  const input = parseToolInput(tool, rawInput);
  if (tool.access === 'write' && !ctx.actor?.email) {
    throw new AppError(
      ErrorCode.MissingActor,
      `${tool.name} changes PagerDuty and must be done on behalf of a person; no acting user was given, so nothing was changed`,
      { details: { tool: tool.name } },
    );
  }
  const result = await tool.run(input, ctx);
  const output = tool.output.safeParse(result);
  if (!output.success) {
    const summary = output.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join('.') || '(result)'}: ${i.message}`)
      .join('; ');
    ctx.logger.error({ tool: tool.name, issues: output.error.issues.slice(0, 5) }, 'tool produced an invalid result');
    throw new AppError(ErrorCode.Unknown, `${tool.name} produced an invalid result: ${summary}`, {
      details: { tool: tool.name },
    });
  }
  return output.data;
}
