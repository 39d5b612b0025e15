import { createHmac } from 'node:crypto';

/**
 * Slack's request signature: `v0=` + hex(HMAC-SHA256(signingSecret, `v0:${timestamp}:${rawBody}`)).
 * `timestamp` is Unix seconds, sent as `X-Slack-Request-Timestamp`.
 */
export function signSlackRequest(input: { signingSecret: string; timestamp: number | string; body: string }): string {
  const base = `v0:${input.timestamp}:${input.body}`;
  return `v0=${createHmac('sha256', input.signingSecret).update(base, 'utf8').digest('hex')}`;
}

/** The two headers Slack adds to every request it sends to an app. */
export function slackSignatureHeaders(input: { signingSecret: string; nowMs: number; body: string }): {
  'X-Slack-Request-Timestamp': string;
  'X-Slack-Signature': string;
} {
  const timestamp = String(Math.floor(input.nowMs / 1000));
  return {
    'X-Slack-Request-Timestamp': timestamp,
    'X-Slack-Signature': signSlackRequest({ signingSecret: input.signingSecret, timestamp, body: input.body }),
  };
}
