/**
 * Catalogue tools offered to Claude: read-only tools only (a write tool is never offered, whatever the caller
 * passes), minus the AI tools themselves (no recursion). The model's calls run through the catalogue's
 * `runTool`, with the calling tool's context, so validation and logging are the same as on every other surface.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { z } from 'zod';
import { describeError } from '../../../shared/errors.js';
import type { AnyTool, ToolContext } from '../../../tools/define-tool.js';
import { runTool } from '../../../tools/define-tool.js';
import { safeJson } from './prompt.js';

/** Names of the AI catalogue tools: never offered to the model (they would call the model again). */
export const AI_TOOL_NAMES: ReadonlySet<string> = new Set([
  'analyze_incident',
  'auto_triage',
  'correlate_incidents',
  'generate_postmortem',
  'suggest_runbook',
  'smart_escalation',
  'find_best_responder',
  'predict_fatigue',
]);

/** Longest tool result passed back to the model. */
export const MAX_TOOL_RESULT_CHARS = 12_000;

/** The tools the model may call: read access only, no AI tools. */
export function offerableTools(tools: readonly AnyTool[]): AnyTool[] {
  return tools.filter((t) => t.access === 'read' && !AI_TOOL_NAMES.has(t.name));
}

/** Anthropic tool definitions for catalogue tools, the last one marked for prompt caching. */
export function toAnthropicTools(tools: readonly AnyTool[]): Anthropic.Messages.Tool[] {
  const defs = tools.map((t): Anthropic.Messages.Tool => {
    const schema = z.toJSONSchema(t.input, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
    const { $schema: _schema, ...rest } = schema;
    return {
      name: t.name,
      description: t.description.slice(0, 1024),
      input_schema: { ...rest, type: 'object' } as Anthropic.Messages.Tool.InputSchema,
    };
  });
  const last = defs[defs.length - 1];
  if (last) last.cache_control = { type: 'ephemeral' };
  return defs;
}

/** True when a value has the shape of a catalogue ToolContext. */
export function isToolContext(value: unknown): value is ToolContext {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.pagerduty === 'object' &&
    v.pagerduty !== null &&
    typeof v.logger === 'object' &&
    typeof v.clock === 'object'
  );
}

/** Runs one tool call of the model; errors become an error result the model can read, never an exception. */
export async function runToolCall(
  tools: readonly AnyTool[],
  call: { id: string; name: string; input: unknown },
  ctx: ToolContext,
): Promise<Anthropic.Messages.ToolResultBlockParam> {
  const tool = tools.find((t) => t.name === call.name);
  if (tool?.access !== 'read' || AI_TOOL_NAMES.has(tool.name)) {
    return {
      type: 'tool_result',
      tool_use_id: call.id,
      is_error: true,
      content: `Tool "${call.name}" is not available.`,
    };
  }
  try {
    const output = await runTool(tool, call.input, ctx);
    let text = safeJson(output);
    if (text.length > MAX_TOOL_RESULT_CHARS) text = `${text.slice(0, MAX_TOOL_RESULT_CHARS)}…[truncated]`;
    return { type: 'tool_result', tool_use_id: call.id, content: `<tool_data>${text}</tool_data>` };
  } catch (error) {
    return { type: 'tool_result', tool_use_id: call.id, is_error: true, content: describeError(error).slice(0, 2000) };
  }
}
