import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { Logger } from '../../../shared/logger.js';
import type { ApiCall } from '../types.js';
import { SlackMethodError } from './args.js';
import { authMethods } from './auth.js';
import { bookmarksMethods } from './bookmarks.js';
import { chatMethods } from './chat.js';
import type { MethodContext, MethodSpec } from './context.js';
import { conversationsMethods } from './conversations.js';
import { pinsMethods } from './pins.js';
import { reactionsMethods } from './reactions.js';
import { usersMethods } from './users.js';
import { viewsMethods } from './views.js';

/** Every Web API method the emulator implements. */
export const METHODS: Readonly<Record<string, MethodSpec>> = {
  ...authMethods,
  ...chatMethods,
  ...conversationsMethods,
  ...pinsMethods,
  ...reactionsMethods,
  ...usersMethods,
  ...viewsMethods,
  ...bookmarksMethods,
};

/** Scopes granted when the options name none: what every method needs, except chat:write.public. */
export const DEFAULT_SCOPES: readonly string[] = [
  ...new Set([
    ...Object.values(METHODS)
      .map((m) => m.scope)
      .filter((s): s is string => s !== undefined),
    'commands',
    'app_mentions:read',
    'channels:history',
    'groups:history',
    'groups:read',
    'groups:write',
    'im:history',
    'im:write',
    'reactions:read',
    'pins:read',
  ]),
];

/** Fields the SDK JSON-encodes in form bodies; decoded in the recorded call. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'metadata'];

export interface WebApiDeps {
  ctx: MethodContext;
  record(call: ApiCall): void;
  logger: Logger;
}

type Args = Record<string, unknown>;

/** Query and body arguments; `error` is Slack's answer for a body it cannot read. */
async function readArgs(
  req: IncomingMessage,
  body: Buffer,
  query: URLSearchParams,
): Promise<{ args: Args; error?: string }> {
  const args: Args = Object.fromEntries(query.entries());
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (body.length === 0) return { args };
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return { args, error: 'invalid_json' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      return { args, error: 'json_not_object' };
    return { args: { ...args, ...(parsed as Args) } };
  }
  if (type === 'application/x-www-form-urlencoded' || type === '') {
    for (const [key, value] of Object.entries(parseQuery(body.toString('utf8')))) {
      args[key] = Array.isArray(value) ? value.join(',') : value;
    }
    return { args };
  }
  if (type === 'multipart/form-data') {
    try {
      const form = await new Response(new Uint8Array(body), {
        headers: { 'content-type': String(req.headers['content-type']) },
      }).formData();
      for (const [key, value] of form.entries()) args[key] = typeof value === 'string' ? value : '[file]';
      return { args };
    } catch {
      return { args, error: 'invalid_form_data' };
    }
  }
  return { args, error: 'invalid_form_data' };
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  return match?.[1];
}

function recordedArgs(args: Args): Args {
  const out: Args = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === 'token') continue;
    if (JSON_FIELDS.includes(key) && typeof value === 'string') {
      try {
        out[key] = JSON.parse(value) as unknown;
        continue;
      } catch {
        // Keep the malformed string as sent.
      }
    }
    out[key] = value;
  }
  return out;
}

function send(
  res: ServerResponse,
  status: number,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    ...headers,
  });
  res.end(json);
}

/**
 * Answers one Web API request like slack.com/api/<method>: any HTTP verb the SDKs use, form / JSON / multipart bodies
 * and query arguments, Bearer or `token` auth, HTTP 200 with `ok` true/false, HTTP 429 + Retry-After when limited.
 */
export async function handleWebApiRequest(
  req: IncomingMessage,
  res: ServerResponse,
  method: string,
  body: Buffer,
  query: URLSearchParams,
  deps: WebApiDeps,
): Promise<void> {
  const { ctx } = deps;
  const at = ctx.ws.clock.now();
  const { args, error: bodyError } = await readArgs(req, body, query);
  const finish = (status: number, response: Record<string, unknown>, headers: Record<string, string> = {}): void => {
    deps.record({
      method,
      args: recordedArgs(args),
      status,
      response,
      ok: response.ok === true,
      ...(typeof response.error === 'string' ? { error: response.error } : {}),
      at,
    });
    ctx.ws.emit({ type: 'api', method });
    send(res, status, response, headers);
  };
  if (bodyError !== undefined) {
    finish(200, { ok: false, error: bodyError });
    return;
  }

  const token = bearer(req) ?? (typeof args.token === 'string' ? args.token : undefined);
  if (token === undefined || token === '') {
    finish(200, { ok: false, error: 'not_authed' });
    return;
  }
  if (token !== ctx.ws.bot.token) {
    finish(200, { ok: false, error: 'invalid_auth' });
    return;
  }
  const spec = METHODS[method];
  if (!spec) {
    finish(200, { ok: false, error: 'unknown_method', req_method: method });
    return;
  }
  if (spec.scope !== undefined && !ctx.ws.bot.scopes.has(spec.scope)) {
    finish(200, { ok: false, error: 'missing_scope', needed: spec.scope, provided: [...ctx.ws.bot.scopes].join(',') });
    return;
  }
  try {
    const result = spec.handler(ctx, args);
    finish(200, { ok: true, ...result });
  } catch (error) {
    if (error instanceof SlackMethodError) {
      if (error.error === 'ratelimited') {
        const retryAfter = String(error.extra.retryAfter ?? 1);
        finish(429, { ok: false, error: 'ratelimited' }, { 'retry-after': retryAfter });
        return;
      }
      finish(200, { ok: false, error: error.error, ...error.extra });
      return;
    }
    deps.logger.error({ err: error, method }, 'slack emulator: method failed');
    finish(200, { ok: false, error: 'fatal_error' });
  }
}
