/**
 * A loopback Anthropic Messages API: `POST /v1/messages` (and `/v1/messages/count_tokens`) with the real wire
 * format — `x-api-key` / `anthropic-version` checks, JSON error bodies `{type:'error', error:{type, message}}`,
 * 429 with `retry-after`, 500, 529, `request-id` headers, usage with prompt-cache accounting. Scripted mode
 * answers from a queue or a handler and records every request; auto mode answers incident-bot's own prompts
 * (see auto-responder.ts) so the sandbox can show the Claude path offline.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from '../../shared/logger.js';
import { createAutoResponder } from './auto-responder.js';
import type { ContentBlock, RecordedRequest, ScriptedResponse } from './wire.js';
import { messageId } from './wire.js';

export interface AnthropicEmulatorOptions {
  /** `scripted` (default): answer from `responses` / `handler`; `auto`: answer incident-bot prompts. */
  mode?: 'scripted' | 'auto';
  /** Port on 127.0.0.1 (default 0: an ephemeral port). */
  port?: number;
  /** When set, requests must carry this `x-api-key` (or `Authorization: Bearer`). */
  apiKey?: string;
  /** Answers served in order, before `handler` is consulted. */
  responses?: ScriptedResponse[];
  /** Requests kept in `requests` (oldest dropped first), so a long-running sandbox does not grow without bound. */
  maxRecorded?: number;
  /** Answers requests once the queue is empty. */
  handler?: (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;
  logger?: Logger;
}

export interface AnthropicEmulator {
  /** Base URL for the SDK (`baseURL`) or ANTHROPIC_BASE_URL. */
  url: string;
  /** Requests received, in order (the most recent `maxRecorded`, default 500). */
  requests: RecordedRequest[];
  /** Requests to `POST /v1/messages` only. */
  messageRequests(): RecordedRequest[];
  /** Appends scripted answers. */
  enqueue(...responses: ScriptedResponse[]): void;
  setHandler(handler: AnthropicEmulatorOptions['handler']): void;
  close(): Promise<void>;
}

const MAX_BODY = 32 * 1024 * 1024;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': `req_${randomBytes(10).toString('hex')}`,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, headers);
}

function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('request too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Checks the parts of a Messages request the real API refuses with 400. Returns a message, or null. */
function invalidRequest(body: Record<string, unknown> | undefined): string | null {
  if (!body) return 'request body must be a JSON object';
  if (typeof body.model !== 'string' || body.model === '') return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || (body.max_tokens as number) < 1)
    return 'max_tokens: must be a positive integer';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: at least one message is required';
  const messages = body.messages as Array<{ role?: unknown }>;
  if (messages[0]?.role !== 'user') return 'messages: first message must use the "user" role';
  for (let i = 1; i < messages.length; i++) {
    const role = messages[i]?.role;
    if (role !== 'user' && role !== 'assistant') return `messages.${i}.role: must be "user" or "assistant"`;
  }
  if (body.stream === true) return 'stream: the emulator does not implement streaming';
  return null;
}

/** Starts the emulator on 127.0.0.1. */
export async function startAnthropicEmulator(options: AnthropicEmulatorOptions = {}): Promise<AnthropicEmulator> {
  const requests: RecordedRequest[] = [];
  const maxRecorded = options.maxRecorded ?? 500;
  const queue: ScriptedResponse[] = [...(options.responses ?? [])];
  let handler = options.handler ?? (options.mode === 'auto' ? createAutoResponder() : undefined);
  const cachedPrefixes = new Set<string>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const hanging = new Set<ServerResponse>();
  let closed = false;

  const wait = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  function usageFor(
    body: Record<string, unknown>,
    outputText: string,
    override: Record<string, number> = {},
  ): Record<string, unknown> {
    const prefix = JSON.stringify({ tools: body.tools ?? null, system: body.system ?? null });
    const rest = JSON.stringify(body.messages ?? []);
    const cacheable =
      JSON.stringify(body.system ?? '').includes('"cache_control"') || prefix.includes('"cache_control"');
    const prefixTokens = estimateTokens(prefix);
    let cacheRead = 0;
    let cacheWrite = 0;
    let input = estimateTokens(rest);
    if (cacheable) {
      const key = createHash('sha256').update(prefix).digest('hex');
      if (cachedPrefixes.has(key)) cacheRead = prefixTokens;
      else {
        cachedPrefixes.add(key);
        cacheWrite = prefixTokens;
      }
    } else {
      input += prefixTokens;
    }
    return {
      input_tokens: input,
      output_tokens: estimateTokens(outputText),
      cache_creation_input_tokens: cacheWrite,
      cache_read_input_tokens: cacheRead,
      cache_creation: null,
      inference_geo: null,
      output_tokens_details: null,
      server_tool_use: null,
      service_tier: 'standard',
      ...override,
    };
  }

  async function answer(req: RecordedRequest, res: ServerResponse): Promise<void> {
    const next = queue.shift() ?? (handler ? await handler(req) : undefined);
    if (!next) {
      sendError(res, 500, 'api_error', 'Anthropic emulator: no scripted response left for this request');
      return;
    }
    if (next.kind === 'hang') {
      hanging.add(res);
      res.on('close', () => hanging.delete(res));
      return;
    }
    if (next.delayMs) await wait(next.delayMs);
    if (closed || res.destroyed) return;
    if (next.kind === 'error') {
      sendError(
        res,
        next.status,
        next.type,
        next.message,
        next.retryAfterSeconds !== undefined ? { 'retry-after': String(next.retryAfterSeconds) } : {},
      );
      return;
    }
    if (next.kind === 'raw') {
      res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
      res.end(next.body);
      return;
    }
    const body = req.body ?? {};
    const content: ContentBlock[] = next.content;
    const outputText = JSON.stringify(content);
    sendJson(res, 200, {
      id: messageId(),
      type: 'message',
      role: 'assistant',
      model: next.model ?? body.model,
      content,
      stop_reason: next.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      container: null,
      usage: usageFor(body, outputText, next.usage as Record<string, number> | undefined),
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      let rawBody = '';
      try {
        rawBody = await readBody(req);
      } catch {
        sendError(res, 413, 'request_too_large', 'Request exceeds the maximum allowed number of bytes.');
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : (v ?? '');
      let body: Record<string, unknown> | undefined;
      try {
        const parsed = rawBody ? (JSON.parse(rawBody) as unknown) : undefined;
        body =
          parsed && typeof parsed === 'object' && !Array.isArray(parsed)
            ? (parsed as Record<string, unknown>)
            : undefined;
      } catch {
        body = undefined;
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers,
        body,
        rawBody,
        receivedAt: Date.now(),
      };
      requests.push(recorded);
      if (requests.length > maxRecorded) requests.splice(0, requests.length - maxRecorded);

      if (path !== '/v1/messages' && path !== '/v1/messages/count_tokens') {
        sendError(res, 404, 'not_found_error', `Not Found: ${req.method} ${path}`);
        return;
      }
      if (req.method !== 'POST') {
        sendError(res, 405, 'invalid_request_error', `Method ${req.method} not allowed`);
        return;
      }
      const key = headers['x-api-key'] || headers.authorization?.replace(/^Bearer\s+/i, '');
      if (!key) {
        sendError(res, 401, 'authentication_error', 'x-api-key header is required');
        return;
      }
      if (options.apiKey !== undefined && key !== options.apiKey) {
        sendError(res, 401, 'authentication_error', 'invalid x-api-key');
        return;
      }
      if (!headers['anthropic-version']) {
        sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
        return;
      }
      if (rawBody && body === undefined) {
        sendError(res, 400, 'invalid_request_error', 'There was an issue with your request body: invalid JSON');
        return;
      }
      const problem = invalidRequest(body);
      if (problem && !(path.endsWith('count_tokens') && problem.startsWith('max_tokens'))) {
        sendError(res, 400, 'invalid_request_error', problem);
        return;
      }
      if (path.endsWith('count_tokens')) {
        sendJson(res, 200, {
          input_tokens: estimateTokens(JSON.stringify({ s: body?.system, t: body?.tools, m: body?.messages })),
        });
        return;
      }
      try {
        await answer(recorded, res);
      } catch (error) {
        options.logger?.error({ err: error }, 'Anthropic emulator handler failed');
        if (!res.headersSent) sendError(res, 500, 'api_error', 'Anthropic emulator handler failed');
      }
    })();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  options.logger?.info({ port, mode: options.mode ?? 'scripted' }, 'Anthropic emulator listening');

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    messageRequests: () => requests.filter((r) => r.path === '/v1/messages'),
    enqueue: (...responses) => {
      queue.push(...responses);
    },
    setHandler: (h) => {
      handler = h;
    },
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
}
