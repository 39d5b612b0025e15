import type { z } from 'zod';
import { PagerDutyApiError } from '../pagerduty/index.js';
import { type AppError, asAppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import type { AnyTool } from '../tools/define-tool.js';

/**
 * Turns whatever a tool threw into one message a model can act on: which parameter is wrong, what was given,
 * which tool finds valid ids, whether anything changed, and whether retrying makes sense.
 */

/** The tool that finds ids of each kind, used when a parameter's description names none. */
const FINDERS: Readonly<Record<string, string>> = {
  incident: 'list_incidents',
  service: 'list_services',
  escalation_policy: 'list_escalation_policies',
  user: 'find_user_by_email',
  schedule: 'list_oncalls',
  priority: 'list_priorities',
};

/** PagerDuty ids are upper-case letters and digits (`PT4KHLK`, `Q0RIJJZL24RC6W`). */
const LOOKS_LIKE_ID = /^[A-Z0-9]{5,}$/;

interface IdParameter {
  name: string;
  /** `incident`, `service`, `escalation_policy`, … */
  noun: string;
  /** The tool that finds valid values, when known. */
  finder: string | undefined;
}

function idNoun(parameter: string): string | undefined {
  if (parameter === 'priority') return 'priority';
  const match = /^(?:(?:target|source|from|to)_)?([a-z_]+?)_ids?$/.exec(parameter);
  return match?.[1];
}

/** The parameters of `tool` that take PagerDuty ids, each with the tool that finds them. */
export function idParameters(tool: AnyTool, catalogue: readonly AnyTool[]): IdParameter[] {
  const names = catalogue.map((t) => t.name);
  const out: IdParameter[] = [];
  for (const [name, schema] of Object.entries(tool.input.shape as Record<string, z.ZodType>)) {
    const noun = idNoun(name);
    if (!noun) continue;
    const description = schema.description ?? '';
    const named = names.find((n) => n !== tool.name && new RegExp(`\\b${n}\\b`).test(description));
    const fallback = FINDERS[noun];
    out.push({ name, noun, finder: named ?? (fallback && names.includes(fallback) ? fallback : undefined) });
  }
  return out;
}

function valuesOf(raw: unknown, name: string): string[] {
  if (!raw || typeof raw !== 'object') return [];
  const value = (raw as Record<string, unknown>)[name];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function quote(value: string): string {
  const short = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  return `'${short}'`;
}

/** "service_id 'payments' is not a PagerDuty id; call list_services to find it". */
function notAnIdSentence(parameter: IdParameter, value: string): string {
  const find = parameter.finder ? `; call ${parameter.finder} to find it` : '';
  if (parameter.noun === 'incident' && /^#?\d+$/.test(value.trim())) {
    return `${parameter.name} ${quote(value)} looks like an incident number, not a PagerDuty incident id (e.g. "Q0RIJJZL24RC6W")${find}`;
  }
  if (parameter.noun === 'priority') return `priority ${quote(value)} is not a priority of this account${find}`;
  return `${parameter.name} ${quote(value)} is not a PagerDuty id${find}`;
}

function invalidInputMessage(
  tool: AnyTool,
  error: InvalidInputError,
  raw: unknown,
  catalogue: readonly AnyTool[],
): string {
  const ids = new Map(idParameters(tool, catalogue).map((p) => [p.name, p]));
  const parts = error.issues.map((issue) => {
    const [head, index] = issue.path.split(/[.[\]]/).filter((s) => s.length > 0);
    const parameter = head ? ids.get(head) : undefined;
    const values = head ? valuesOf(raw, head) : [];
    const value = index !== undefined && /^\d+$/.test(index) ? values[Number(index)] : values[0];
    if (parameter && value !== undefined && parameter.noun !== 'priority' && !LOOKS_LIKE_ID.test(value.trim())) {
      return notAnIdSentence(parameter, value);
    }
    if (parameter?.finder && parameter.noun === 'priority') {
      return `${issue.path}: ${issue.message}; call ${parameter.finder} to see them`;
    }
    return `${issue.path}: ${issue.message}`;
  });
  return `Invalid input for ${tool.name}: ${parts.join('; ')}.`;
}

function endpointNouns(endpoint: string): string[] {
  return endpoint
    .split('/')
    .filter((s) => s.length > 0 && !s.startsWith('{'))
    .map((s) => s.replace(/ies$/, 'y').replace(/s$/, ''));
}

function notFoundMessage(tool: AnyTool, error: PagerDutyApiError, raw: unknown, catalogue: readonly AnyTool[]): string {
  const endpoint = typeof error.details.endpoint === 'string' ? error.details.endpoint : '';
  const nouns = endpointNouns(endpoint);
  const candidates = idParameters(tool, catalogue).filter((p) =>
    nouns.some((n) => n === p.noun || n.endsWith(`_${p.noun}`)),
  );
  const sentences: string[] = [];
  for (const parameter of candidates) {
    for (const value of valuesOf(raw, parameter.name)) {
      if (!LOOKS_LIKE_ID.test(value.trim())) sentences.push(notAnIdSentence(parameter, value));
    }
  }
  if (sentences.length > 0) return `${error.message}: ${sentences.join('; ')}.`;
  const named = candidates.filter((p) => valuesOf(raw, p.name).length > 0);
  if (named.length === 0) return `${error.message}.`;
  const which = named.map((p) => `${p.name} ${valuesOf(raw, p.name).map(quote).join(', ')}`).join(' or ');
  const finders = [...new Set(named.map((p) => p.finder).filter((f): f is string => !!f))];
  const find = finders.length > 0 ? `; call ${finders.join(' or ')} to find valid ids` : '';
  return `${error.message}: check ${which}${find}.`;
}

function unavailableMessage(tool: AnyTool, error: AppError): string {
  const write = tool.access === 'write';
  const retry = write
    ? 'It is not certain whether the change was applied: read the current state (e.g. get_incident) before trying again.'
    : 'Try again in a minute; if it keeps failing, tell the user PagerDuty cannot be reached from this server.';
  return `${tool.name} could not complete: ${error.message}. ${retry}`;
}

/**
 * The message of an `isError` tool result for `error`, thrown by `tool` called with `raw` arguments. Input
 * problems name each parameter and the tool that finds valid ids; PagerDuty failures say whether to retry; write
 * tools say whether anything changed.
 */
export function describeToolError(tool: AnyTool, error: unknown, raw: unknown, catalogue: readonly AnyTool[]): string {
  const nothingChanged = tool.access === 'write' ? ' Nothing was changed.' : '';
  if (error instanceof InvalidInputError) {
    return `${invalidInputMessage(tool, error, raw, catalogue)}${nothingChanged}`;
  }
  if (error instanceof PagerDutyApiError) {
    if (error.status === 404) return `${notFoundMessage(tool, error, raw, catalogue)}${nothingChanged}`;
    if (error.status === 429 || error.status >= 500) return unavailableMessage(tool, error);
    if (error.status === 401) {
      return `${error.message}. This is a problem with the server's configuration, not with the request: tell the user.`;
    }
    return `${error.message}.${nothingChanged}`;
  }
  const app = asAppError(error);
  switch (app.code) {
    case ErrorCode.PagerDutyUnavailable:
    case ErrorCode.Timeout:
      return unavailableMessage(tool, app);
    case ErrorCode.MissingActor:
    case ErrorCode.UnmappedUser:
      return `${app.message}. Restart the MCP server with --as <the user's PagerDuty email> to make changes in their name.`;
    case ErrorCode.Unknown:
      return `${tool.name} failed unexpectedly: ${app.message}`;
    default:
      return app.message;
  }
}
