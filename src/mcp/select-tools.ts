import { AppError, ErrorCode } from '../shared/errors.js';
import { type AnyTool, suggestParameter } from '../tools/define-tool.js';

/** Which catalogue tools an MCP server serves. */
export interface ToolSelection {
  /** Serve the tools that change PagerDuty. Off by default: an agent's user opts in explicitly. */
  enableWriteTools: boolean;
  /** Serve only these tools (`--tools a,b,c`); all allowed tools when absent. */
  only?: readonly string[] | undefined;
}

function listNames(tools: readonly AnyTool[]): string {
  return tools.map((t) => t.name).join(', ');
}

/** The valid names, grouped, for an error message a person can act on. */
export function describeValidToolNames(catalogue: readonly AnyTool[]): string {
  const read = catalogue.filter((t) => t.access === 'read');
  const write = catalogue.filter((t) => t.access === 'write');
  return `read tools: ${listNames(read)}; write tools (need --enable-write-tools): ${listNames(write)}`;
}

/**
 * The tools to serve, in catalogue order: read tools, plus write tools when enabled, limited to `only` when given.
 * Throws a `config_invalid` AppError naming every unknown tool (with the closest valid name) and every write tool
 * asked for while write tools are off, so a misspelt `--tools` stops the server at start instead of silently
 * serving less.
 */
export function selectMcpTools(catalogue: readonly AnyTool[], selection: ToolSelection): AnyTool[] {
  const allowed = catalogue.filter((t) => t.access === 'read' || selection.enableWriteTools);
  if (selection.only === undefined) return allowed;

  const wanted = [...new Set(selection.only.map((n) => n.trim()).filter((n) => n.length > 0))];
  if (wanted.length === 0) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `--tools needs at least one tool name (comma-separated); ${describeValidToolNames(catalogue)}`,
    );
  }
  const byName = new Map(catalogue.map((t) => [t.name, t]));
  const problems: string[] = [];
  const unknown = wanted.filter((n) => !byName.has(n));
  if (unknown.length > 0) {
    const names = catalogue.map((t) => t.name);
    const described = unknown.map((n) => {
      const near = suggestParameter(n, names);
      return near ? `${n} (did you mean ${near}?)` : n;
    });
    problems.push(`unknown tool${unknown.length === 1 ? '' : 's'} in --tools: ${described.join(', ')}`);
  }
  const blockedWrites = wanted.filter((n) => byName.get(n)?.access === 'write' && !selection.enableWriteTools);
  if (blockedWrites.length > 0) {
    problems.push(
      `${blockedWrites.join(', ')} ${blockedWrites.length === 1 ? 'changes' : 'change'} PagerDuty; add --enable-write-tools to serve ${blockedWrites.length === 1 ? 'it' : 'them'}, or leave ${blockedWrites.length === 1 ? 'it' : 'them'} out of --tools`,
    );
  }
  if (problems.length > 0) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `Cannot start the MCP server: ${problems.join('; ')}. Valid names: ${describeValidToolNames(catalogue)}`,
      { details: { unknown, blockedWrites } },
    );
  }
  const set = new Set(wanted);
  return allowed.filter((t) => set.has(t.name));
}
