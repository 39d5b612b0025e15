import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorResult, successResult } from '../../src/mcp/tool-result.js';
import { type AnyTool, defineTool } from '../../src/tools/define-tool.js';
import { listShape, listSummary } from '../../src/tools/shapes.js';

const Item = z.object({ id: z.string(), title: z.string() });
const listTool: AnyTool = defineTool({
  name: 'list_things',
  title: 'List things',
  description: 'Lists things for the result-capping tests of the MCP server.',
  access: 'read',
  input: z.object({}),
  output: listShape(Item),
  run: async () => ({ items: [], truncated: false, summary: '' }),
});

function list(count: number, truncated = false) {
  const items = Array.from({ length: count }, (_, i) => ({
    id: `P${String(i).padStart(6, '0')}`,
    title: `Thing ${i} ${'x'.repeat(80)}`,
  }));
  return { items, truncated, summary: listSummary(count, 'thing', truncated) };
}

describe('successResult', () => {
  it('returns structured content and the same JSON as text', () => {
    const value = list(3);
    const result = successResult(listTool, value);
    expect(result.structuredContent).toEqual(value);
    expect(JSON.parse((result.content[0] as { text: string }).text)).toEqual(value);
    expect(result.isError).toBeUndefined();
  });

  it('cuts a list to the largest prefix that fits, marks it truncated and says how many are shown', () => {
    const result = successResult(listTool, list(200), 5_000);
    const structured = result.structuredContent as {
      items: Array<{ id: string }>;
      truncated: boolean;
      summary: string;
    };
    const text = (result.content[0] as { text: string }).text;
    expect(text.length).toBeLessThanOrEqual(5_000);
    expect(structured.truncated).toBe(true);
    expect(structured.items[0]?.id).toBe('P000000');
    const n = structured.items.length;
    expect(structured.summary).toBe(
      `${n} of 200 shown: the full list is too large for one response; narrow the filters or lower limit to see the rest.`,
    );
    // One more item would not have fitted.
    const bigger = { ...structured, items: list(n + 1).items };
    expect(JSON.stringify(bigger).length).toBeGreaterThan(5_000);
  });

  it('says when PagerDuty had more than the tool fetched', () => {
    const result = successResult(listTool, list(200, true), 5_000);
    expect((result.structuredContent as { summary: string }).summary).toMatch(
      / of 200 shown \(and more exist in PagerDuty\)/,
    );
  });

  it('leaves results that fit untouched', () => {
    const value = list(10, true);
    expect(successResult(listTool, value, 100_000).structuredContent).toEqual(value);
  });

  it('returns text only for a tool whose output is not an object', () => {
    const arrayTool: AnyTool = { ...listTool, output: z.array(z.string()) };
    const result = successResult(arrayTool, ['a', 'b']);
    expect(result.structuredContent).toBeUndefined();
    expect((result.content[0] as { text: string }).text).toBe('["a","b"]');
  });
});

describe('errorResult', () => {
  it('is an isError result with the message as text', () => {
    expect(errorResult('incident_id is required')).toEqual({
      content: [{ type: 'text', text: 'incident_id is required' }],
      isError: true,
    });
  });
});
