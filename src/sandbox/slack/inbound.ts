import { performance } from 'node:perf_hooks';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { slackSignatureHeaders } from './signing.js';
import type { InboundError, InboundKind, InboundResult } from './types.js';
import type { Workspace } from './workspace.js';

/** What Slack sends as User-Agent on requests to apps. */
export const SLACK_USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

export interface InboundRequest {
  kind: InboundKind;
  /** What is sent, parsed (slash-command fields, interactivity payload, event envelope). */
  payload: Record<string, unknown>;
  /** 'form' = slash-command fields; 'payload' = `payload=<json>` form; 'json' = Events API body. */
  encoding: 'form' | 'payload' | 'json';
  retry?: { num: number; reason: string };
  eventId?: string;
  triggerId?: string;
  responseUrl?: string;
}

export interface InboundSender {
  send(request: InboundRequest): Promise<InboundResult>;
  /** Every result so far, oldest first. */
  results(): InboundResult[];
  /** Aborts requests in flight and refuses new ones (used by close()). */
  close(): void;
}

export interface InboundSenderOptions {
  requestUrl(): string | undefined;
  signingSecret: string;
  signingClock: Clock;
  fetch: typeof fetch;
  ackTimeoutMs: number;
  logger: Logger;
  onResult(result: InboundResult): void;
}

function encode(request: InboundRequest): { body: string; contentType: string } {
  if (request.encoding === 'json') return { body: JSON.stringify(request.payload), contentType: 'application/json' };
  if (request.encoding === 'payload') {
    return {
      body: new URLSearchParams({ payload: JSON.stringify(request.payload) }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    };
  }
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(request.payload)) {
    if (value !== undefined && value !== null) fields[key] = String(value);
  }
  return { body: new URLSearchParams(fields).toString(), contentType: 'application/x-www-form-urlencoded' };
}

function parseBody(text: string, contentType: string | null): unknown {
  if (text === '') return undefined;
  if ((contentType ?? '').includes('json') || /^\s*[{[]/.test(text)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * Sends signed requests to the bot the way Slack does: `X-Slack-Signature` / `X-Slack-Request-Timestamp`,
 * exactly `application/x-www-form-urlencoded` or `application/json` (Bolt compares the content type verbatim),
 * and a 3 s ack deadline after which the request counts as failed (`operation_timeout`).
 */
export function createInboundSender(options: InboundSenderOptions): InboundSender {
  const log: InboundResult[] = [];
  const inFlight = new Set<AbortController>();
  let closed = false;

  const finish = (result: InboundResult): InboundResult => {
    log.push(result);
    options.onResult(result);
    return result;
  };

  return {
    async send(request) {
      const { body, contentType } = encode(request);
      const base = {
        kind: request.kind,
        payload: request.payload,
        requestBody: body,
        ...(request.eventId !== undefined ? { eventId: request.eventId } : {}),
        ...(request.triggerId !== undefined ? { triggerId: request.triggerId } : {}),
        ...(request.responseUrl !== undefined ? { responseUrl: request.responseUrl } : {}),
        sentAt: Date.now(),
      };
      const url = options.requestUrl();
      const undelivered = (error: InboundError, detail: string): InboundResult =>
        finish({ ...base, delivered: false, ok: false, status: 0, body: undefined, ackMs: 0, error, detail });
      if (closed) return undelivered('connection_failed', 'the emulator is closed');
      if (url === undefined || url === '') return undelivered('no_request_url', 'no request URL is set for the app');
      const headers: Record<string, string> = {
        'content-type': contentType,
        'user-agent': SLACK_USER_AGENT,
        accept: 'application/json,*/*',
        ...slackSignatureHeaders({ signingSecret: options.signingSecret, nowMs: options.signingClock.now(), body }),
      };
      if (request.retry) {
        headers['x-slack-retry-num'] = String(request.retry.num);
        headers['x-slack-retry-reason'] = request.retry.reason;
      }
      const controller = new AbortController();
      inFlight.add(controller);
      const timer = setTimeout(() => controller.abort(new Error('ack deadline')), options.ackTimeoutMs);
      const started = performance.now();
      try {
        const response = await options.fetch(url, {
          method: 'POST',
          headers,
          body,
          signal: controller.signal,
          redirect: 'manual',
        });
        const text = await response.text();
        const ackMs = performance.now() - started;
        const parsed = parseBody(text, response.headers.get('content-type'));
        const ok = response.status >= 200 && response.status < 300;
        let error: InboundError | undefined;
        if (!ok) error = 'dispatch_failed';
        if (ackMs > options.ackTimeoutMs) error = 'operation_timeout';
        return finish({
          ...base,
          delivered: true,
          ok: error === undefined,
          status: response.status,
          body: parsed,
          ackMs,
          ...(error !== undefined
            ? {
                error,
                detail: error === 'dispatch_failed' ? `the app answered HTTP ${response.status}` : 'ack after 3 s',
              }
            : {}),
        });
      } catch (cause) {
        const ackMs = performance.now() - started;
        const timedOut = controller.signal.aborted;
        if (!timedOut) options.logger.debug({ err: cause, kind: request.kind }, 'slack emulator: delivery failed');
        return finish({
          ...base,
          delivered: true,
          ok: false,
          status: 0,
          body: undefined,
          ackMs,
          error: timedOut ? 'operation_timeout' : 'connection_failed',
          detail: timedOut
            ? `no answer within ${options.ackTimeoutMs} ms`
            : `could not reach ${url}: ${cause instanceof Error ? cause.message : String(cause)}`,
        });
      } finally {
        clearTimeout(timer);
        inFlight.delete(controller);
      }
    },
    results: () => [...log],
    close() {
      closed = true;
      for (const controller of inFlight) controller.abort(new Error('emulator closed'));
    },
  };
}

/** Slack's opaque `event_context` (base64 of a small JSON), for fidelity. */
function eventContext(ws: Workspace, eventType: string, channel: string | undefined): string {
  const json = JSON.stringify({
    et: eventType,
    tid: ws.team.id,
    aid: ws.bot.appId,
    ...(channel ? { cid: channel } : {}),
  });
  return `4-${Buffer.from(json).toString('base64url')}`;
}

/** An Events API `event_callback` envelope around `event`, with a fresh event_id. */
export function eventEnvelope(ws: Workspace, event: Record<string, unknown>): Record<string, unknown> {
  const channel = typeof event.channel === 'string' ? event.channel : undefined;
  return {
    token: ws.bot.verificationToken,
    team_id: ws.team.id,
    context_team_id: ws.team.id,
    context_enterprise_id: null,
    api_app_id: ws.bot.appId,
    event,
    type: 'event_callback',
    event_id: ws.ids.id('Ev'),
    event_time: ws.nowSeconds(),
    authorizations: [
      { enterprise_id: null, team_id: ws.team.id, user_id: ws.bot.userId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: eventContext(ws, String(event.type), channel),
  };
}
