/**
 * The load generator's sending side, forked by `bench/load.ts` as its own process so that its clock and event loop
 * are not shared with the emulators (whose work would otherwise show up as ack latency). It plays Slack's outbound
 * side: every request is signed at the moment it leaves (`X-Slack-Signature: v0=HMAC-SHA256(secret,
 * "v0:{ts}:{body}")`, `X-Slack-Request-Timestamp`), sent open-loop at the step's rate whatever the bot's answers
 * (a slow answer never delays the next request), and timed from the write of the request to the end of the answer.
 */
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/** One request of a step: the exact body Slack would send, and its content type. */
export interface PlannedRequest {
  id: number;
  body: string;
  contentType: string;
}

export type SenderCommand =
  | { type: 'step'; url: string; signingSecret: string; rate: number; requests: PlannedRequest[] }
  | { type: 'exit' };

export interface SentResult {
  id: number;
  /** Wall clock (ms since the epoch) when the request was written, to match the follow-ups the emulator records. */
  sentAt: number;
  /** Request written → answer read (ms). */
  ms: number;
  /** HTTP status, 0 when there was no answer. */
  status: number;
  error?: string;
}

export type SenderReport = { type: 'ready' } | { type: 'step'; results: SentResult[]; maxLagMs: number };

/** Slack gives up after 3 s; the answer is still awaited (and timed) up to this long. */
const ANSWER_TIMEOUT_MS = 10_000;
const USER_AGENT = 'Slackbot 1.0 (+https://api.slack.com/robots)';

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function sign(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`, 'utf8').digest('hex')}`;
}

function send(url: URL, secret: string, planned: PlannedRequest): Promise<SentResult> {
  return new Promise((resolve) => {
    const sentAt = Date.now();
    const timestamp = String(Math.floor(sentAt / 1000));
    const started = performance.now();
    let settled = false;
    const done = (status: number, error?: string): void => {
      if (settled) return;
      settled = true;
      resolve({
        id: planned.id,
        sentAt,
        ms: performance.now() - started,
        status,
        ...(error !== undefined ? { error } : {}),
      });
    };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': planned.contentType,
          'content-length': Buffer.byteLength(planned.body),
          'user-agent': USER_AGENT,
          accept: 'application/json,*/*',
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': sign(secret, timestamp, planned.body),
        },
        timeout: ANSWER_TIMEOUT_MS,
      },
      (res) => {
        res.on('data', () => undefined);
        res.on('end', () => done(res.statusCode ?? 0));
        res.on('error', (error) => done(0, error.message));
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`));
    });
    req.on('error', (error) => done(0, error.message));
    req.end(planned.body);
  });
}

/** Sends request i at start + i/rate seconds (catching up at once when behind), then waits for every answer. */
async function runStep(command: Extract<SenderCommand, { type: 'step' }>): Promise<SenderReport> {
  const url = new URL(command.url);
  const interval = 1000 / command.rate;
  const pending: Array<Promise<SentResult>> = [];
  let maxLagMs = 0;
  const start = performance.now() + 20;
  for (let i = 0; i < command.requests.length; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait - 0.5));
    while (performance.now() < due) {
      // Sub-millisecond remainder: spin (at most ~1 ms) so the schedule stays exact at high rates.
    }
    maxLagMs = Math.max(maxLagMs, performance.now() - due);
    pending.push(send(url, command.signingSecret, command.requests[i] as PlannedRequest));
  }
  return { type: 'step', results: await Promise.all(pending), maxLagMs };
}

function report(message: SenderReport): void {
  process.send?.(message);
}

process.on('message', (raw) => {
  const command = raw as SenderCommand;
  if (command.type === 'exit') {
    agent.destroy();
    process.disconnect?.();
    return;
  }
  void runStep(command).then(report);
});
report({ type: 'ready' });
