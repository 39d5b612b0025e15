/**
 * Messages API wire shapes used by the emulator, and helpers to script responses: a message (text and/or
 * tool_use blocks), an API error (`{type:'error', error:{type, message}}` with its status and `retry-after`), a
 * raw body, or a request that never answers.
 */
import { randomBytes } from 'node:crypto';

export type StopReason = 'end_turn' | 'tool_use' | 'max_tokens' | 'stop_sequence' | 'refusal' | 'pause_turn';

export type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: Record<string, unknown> };

export interface UsageOverride {
  input_tokens?: number;
  output_tokens?: number;
  cache_creation_input_tokens?: number;
  cache_read_input_tokens?: number;
}

/** One scripted answer. `delayMs` waits before answering (the client may time out first). */
export type ScriptedResponse =
  | {
      kind: 'message';
      content: ContentBlock[];
      stopReason?: StopReason;
      usage?: UsageOverride;
      model?: string;
      delayMs?: number;
    }
  | { kind: 'error'; status: number; type: string; message: string; retryAfterSeconds?: number; delayMs?: number }
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string>; delayMs?: number }
  | { kind: 'hang' };

/** A request the emulator received. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body (undefined when it was not JSON). */
  body: Record<string, unknown> | undefined;
  rawBody: string;
  receivedAt: number;
}

/** Error types and statuses of the Messages API. */
export const API_ERRORS = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
} as const;

export function toolUseId(): string {
  return `toolu_${randomBytes(12).toString('hex')}`;
}

export function messageId(): string {
  return `msg_${randomBytes(12).toString('hex')}`;
}

/** A final answer whose text is `value` as JSON (what structured output produces). */
export function jsonAnswer(
  value: unknown,
  extra: Partial<Extract<ScriptedResponse, { kind: 'message' }>> = {},
): ScriptedResponse {
  return {
    kind: 'message',
    content: [{ type: 'text', text: JSON.stringify(value) }],
    stopReason: 'end_turn',
    ...extra,
  };
}

/** A plain text answer (e.g. malformed output). */
export function textAnswer(
  text: string,
  extra: Partial<Extract<ScriptedResponse, { kind: 'message' }>> = {},
): ScriptedResponse {
  return { kind: 'message', content: [{ type: 'text', text }], stopReason: 'end_turn', ...extra };
}

/** A tool call. */
export function toolCall(name: string, input: Record<string, unknown>, id = toolUseId()): ScriptedResponse {
  return { kind: 'message', content: [{ type: 'tool_use', id, name, input }], stopReason: 'tool_use' };
}

/** An API error with the status the real API uses for its type. */
export function apiError(type: keyof typeof API_ERRORS, message: string, retryAfterSeconds?: number): ScriptedResponse {
  return {
    kind: 'error',
    status: API_ERRORS[type],
    type,
    message,
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  };
}
