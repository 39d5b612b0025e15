import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AnyTool } from '../tools/define-tool.js';

/**
 * Most characters of JSON one tool result may carry. A model's context is the scarce resource (Claude Code warns
 * above ~10k tokens per tool result and cuts at 25k by default), so a list that would exceed this is cut further
 * than the tool's own `limit`, and says so.
 */
export const MAX_RESULT_CHARS = 60_000;

interface CappedList {
  items: unknown[];
  truncated: boolean;
  summary: string;
}

function isCappedList(value: unknown): value is CappedList {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.items) && typeof v.truncated === 'boolean' && typeof v.summary === 'string';
}

function shorten(list: CappedList & Record<string, unknown>, maxChars: number): CappedList & Record<string, unknown> {
  const total = list.items.length;
  const make = (n: number): CappedList & Record<string, unknown> => ({
    ...list,
    items: list.items.slice(0, n),
    truncated: true,
    summary:
      `${n} of ${total} shown${list.truncated ? ' (and more exist in PagerDuty)' : ''}: the full list is too large ` +
      'for one response; narrow the filters or lower limit to see the rest.',
  });
  let low = 0;
  let high = total;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (JSON.stringify(make(mid)).length <= maxChars) low = mid;
    else high = mid - 1;
  }
  return make(low);
}

/**
 * A successful `tools/call` result: `structuredContent` (for clients that read the output schema) and the same
 * JSON as text (for those that do not, as the MCP spec recommends). A list longer than `maxChars` is cut to
 * fit, with `truncated: true` and a summary saying how many are shown and how to see the rest.
 */
export function successResult(tool: AnyTool, output: unknown, maxChars = MAX_RESULT_CHARS): CallToolResult {
  let value = output;
  if (isCappedList(output) && JSON.stringify(output).length > maxChars) {
    const shortened = shorten(output as CappedList & Record<string, unknown>, maxChars);
    if (tool.output.safeParse(shortened).success) value = shortened;
  }
  const text = JSON.stringify(value);
  if (tool.output instanceof z.ZodObject && value && typeof value === 'object' && !Array.isArray(value)) {
    return { content: [{ type: 'text', text }], structuredContent: value as Record<string, unknown> };
  }
  return { content: [{ type: 'text', text }] };
}

/** A tool error the model can read and act on (`isError: true`; never a protocol error). */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
