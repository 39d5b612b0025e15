import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Clock, systemClock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { type ClassifiedEvent, incidentIdOf, parseWebhookBody } from './schemas.js';
import { verifyPagerDutySignature } from './verify-signature.js';
import type { RejectReason, WebhookMetrics } from './webhook-metrics.js';

/** The stable path PagerDuty subscriptions point at (DESIGN.md, "Contract with the outside"). */
export const PAGERDUTY_WEBHOOK_PATH = '/pagerduty/webhook';

/** PagerDuty drops anything above 256 KB itself; we refuse it before reading further. */
export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;

/** An authentic, well-formed delivery we react to, ready to be stored as a job. */
export interface WebhookDelivery {
  /** `X-Webhook-Id` (the same on every retry), or `event:<event.id>` when a sender omits the header. */
  webhookId: string;
  /** `X-Webhook-Subscription`, when sent. */
  subscriptionId: string | null;
  /** The incident the event is about (job ordering key). */
  incidentId: string;
  /** Epoch ms at which the request arrived. */
  receivedAt: number;
  value: Extract<ClassifiedEvent, { kind: 'incident' } | { kind: 'note' }>;
}

/** Stores a delivery exactly once (dedupe + job in one transaction). */
export interface WebhookIntake {
  accept(delivery: WebhookDelivery): Promise<'stored' | 'duplicate'>;
}

export interface WebhookReceiverDeps {
  /** `PAGERDUTY_WEBHOOK_SECRETS`; empty → every delivery is refused with 401 (warned about at creation). */
  secrets: readonly string[];
  intake: WebhookIntake;
  logger: Logger;
  metrics: WebhookMetrics;
  clock?: Clock;
  maxBodyBytes?: number;
  /** How long a body may take to arrive before the request is answered 408 (default 10 s). */
  bodyTimeoutMs?: number;
  /**
   * Events older than this are answered 200 and dropped (default 6 days). Nothing time-based is signed, so this
   * bounds replays of a captured delivery to less than the 7 days the dedupe keys are kept; PagerDuty itself
   * retries for 48 hours at most.
   */
  maxEventAgeMs?: number;
}

export const DEFAULT_MAX_EVENT_AGE_MS = 6 * 24 * 60 * 60 * 1000;

/** `(req, res)` over node:http, usable as a Bolt custom route or on a bare server. */
export type WebhookHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

type BodyRead = { ok: true; body: Buffer } | { ok: false; reason: 'too_large' | 'body_incomplete' | 'timeout' };

const WEBHOOK_ID = /^[\x21-\x7e]{1,200}$/;

function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Reads the raw body, stopping as soon as it exceeds `max` bytes (declared or actual). */
function readBody(req: IncomingMessage, max: number, timeoutMs: number): Promise<BodyRead> {
  const declared = Number(headerValue(req, 'content-length'));
  if (Number.isFinite(declared) && declared > max) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyRead): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
      if (!result.ok) req.pause();
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > max) finish({ ok: false, reason: 'too_large' });
      else chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks, size) });
    const onError = (): void => finish({ ok: false, reason: 'body_incomplete' });
    const onAborted = (): void => finish({ ok: false, reason: 'body_incomplete' });
    const timer = setTimeout(() => finish({ ok: false, reason: 'timeout' }), timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

/**
 * The `POST /pagerduty/webhook` handler. In order: body read raw (≤ 256 KB, else 413), signature checked against
 * every configured secret (else 401, nothing else happens), envelope parsed with zod (else 400), then
 * `pagey.ping` and events we do not react to answered 200 with no effect, and everything else stored once as a
 * job (202) or recognised as a replay (200). A store failure answers 503 so PagerDuty retries later.
 */
export function createPagerDutyWebhookHandler(deps: WebhookReceiverDeps): WebhookHandler {
  const clock = deps.clock ?? systemClock;
  const max = deps.maxBodyBytes ?? MAX_WEBHOOK_BODY_BYTES;
  const bodyTimeoutMs = deps.bodyTimeoutMs ?? 10_000;
  const maxEventAgeMs = deps.maxEventAgeMs ?? DEFAULT_MAX_EVENT_AGE_MS;
  const { logger, metrics } = deps;
  const secrets = deps.secrets.filter((s) => s.length > 0);
  if (secrets.length === 0) {
    logger.warn(
      'PAGERDUTY_WEBHOOK_SECRETS is not set: every PagerDuty webhook delivery will be refused with 401. Set it to the subscription secret(s), comma-separated during rotation.',
    );
  }

  return async (req, res) => {
    const started = process.hrtime.bigint();
    const receivedAt = clock.now();
    const respond = (status: number, body: Record<string, unknown>, headers: Record<string, string> = {}): void => {
      if (!res.headersSent) {
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(body));
      }
      metrics.ackSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    };
    const reject = (
      status: number,
      reason: RejectReason,
      message: string,
      extra: Record<string, unknown> = {},
    ): void => {
      metrics.rejected.inc({ reason });
      const level = status >= 500 ? 'error' : 'warn';
      logger[level](
        { reason, status, remote: req.socket.remoteAddress, ...extra },
        `PagerDuty webhook refused: ${message}`,
      );
      // Do not keep reading a body we refused; close the connection once the answer is out.
      const headers: Record<string, string> = status === 413 || status === 408 ? { connection: 'close' } : {};
      respond(status, { error: message }, status === 503 ? { ...headers, 'retry-after': '5' } : headers);
    };

    if (req.method !== 'POST') {
      metrics.rejected.inc({ reason: 'method_not_allowed' });
      respond(405, { error: 'use POST' }, { allow: 'POST' });
      return;
    }

    const read = await readBody(req, max, bodyTimeoutMs);
    if (!read.ok) {
      if (read.reason === 'too_large') reject(413, 'too_large', `body larger than ${max} bytes`);
      else if (read.reason === 'timeout') reject(408, 'body_incomplete', 'body not received in time');
      else reject(400, 'body_incomplete', 'body incomplete');
      return;
    }

    const signature = verifyPagerDutySignature({
      secrets,
      rawBody: read.body,
      header: req.headers['x-pagerduty-signature'],
    });
    if (!signature.ok) {
      const reason: RejectReason =
        signature.reason === 'no_secrets'
          ? 'no_secrets'
          : signature.reason === 'missing_header'
            ? 'missing_signature'
            : signature.reason === 'malformed_header'
              ? 'malformed_signature'
              : 'bad_signature';
      reject(401, reason, signature.reason === 'no_secrets' ? 'webhook secrets not configured' : 'invalid signature');
      return;
    }

    const parsed = parseWebhookBody(read.body);
    if (!parsed.ok) {
      reject(400, 'malformed_body', parsed.message);
      return;
    }
    const value = parsed.value;
    const eventType = value.event.event_type;

    if (value.kind === 'ping' || value.kind === 'unused' || value.kind === 'unknown') {
      metrics.ignored.inc({ event_type: value.kind === 'unknown' ? 'unknown' : eventType });
      const log = value.kind === 'unknown' ? logger.info.bind(logger) : logger.debug.bind(logger);
      log({ eventType, eventId: value.event.id }, `PagerDuty webhook ${eventType} received; no reaction configured`);
      respond(200, { status: 'ignored', event_type: eventType });
      return;
    }

    const age = receivedAt - Date.parse(value.event.occurred_at);
    if (age > maxEventAgeMs) {
      metrics.ignored.inc({ event_type: 'stale' });
      logger.warn(
        { eventType, eventId: value.event.id, occurredAt: value.event.occurred_at },
        'PagerDuty webhook older than the replay window ignored',
      );
      respond(200, { status: 'ignored', reason: 'stale' });
      return;
    }

    const rawWebhookId = headerValue(req, 'x-webhook-id');
    if (rawWebhookId !== undefined && !WEBHOOK_ID.test(rawWebhookId)) {
      reject(400, 'malformed_body', 'X-Webhook-Id must be 1-200 printable characters');
      return;
    }
    const webhookId = rawWebhookId ?? `event:${value.event.id}`;
    const incidentId = incidentIdOf(value);
    if (incidentId === null) {
      reject(400, 'malformed_body', 'event names no incident');
      return;
    }

    let outcome: 'stored' | 'duplicate';
    try {
      outcome = await deps.intake.accept({
        webhookId,
        subscriptionId: headerValue(req, 'x-webhook-subscription') ?? null,
        incidentId,
        receivedAt,
        value,
      });
    } catch (error) {
      reject(503, 'store_unavailable', 'could not store the event; retry later', { err: error, webhookId, eventType });
      return;
    }
    if (outcome === 'duplicate') {
      metrics.duplicates.inc();
      logger.info(
        { webhookId, eventType, eventId: value.event.id },
        'PagerDuty webhook replay ignored (already processed)',
      );
      respond(200, { status: 'duplicate' });
      return;
    }
    metrics.accepted.inc({ event_type: eventType });
    logger.debug({ webhookId, eventType, incidentId }, 'PagerDuty webhook stored as a job');
    respond(202, { status: 'accepted' });
  };
}

/** A Bolt `customRoutes` entry (`HTTPReceiver` hands custom routes the untouched request, body unread). */
export function pagerDutyWebhookRoute(handler: WebhookHandler): {
  path: string;
  method: string[];
  handler: (req: IncomingMessage, res: ServerResponse) => void;
} {
  return {
    path: PAGERDUTY_WEBHOOK_PATH,
    method: ['POST'],
    handler: (req, res) => {
      handler(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
  };
}
