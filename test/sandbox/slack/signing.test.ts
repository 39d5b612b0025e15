import { readFileSync } from 'node:fs';
import { verifySlackRequest } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { signSlackRequest, slackSignatureHeaders } from '../../../src/sandbox/slack/index.js';

const DIR = '/work/shared/specs/slack-signing';
interface Vector {
  name: string;
  file: string;
  signing_secret: string;
  x_slack_request_timestamp: string;
  x_slack_signature: string;
  now?: number;
  expect: string;
}
const vectors = (JSON.parse(readFileSync(`${DIR}/test-vectors.json`, 'utf8')) as { vectors: Vector[] }).vectors;
const bodyOf = (v: Vector): string => readFileSync(`${DIR}/${v.file.replace(/^slack-signing\//, '')}`, 'utf8');

describe('signSlackRequest against Slack’s published vectors', () => {
  it('reproduces the published signature byte for byte', () => {
    const v = vectors.find((x) => x.expect.startsWith('valid'));
    if (!v) throw new Error('no valid vector');
    const body = bodyOf(v);
    expect(body.endsWith('\n')).toBe(false);
    expect(signSlackRequest({ signingSecret: v.signing_secret, timestamp: v.x_slack_request_timestamp, body })).toBe(
      v.x_slack_signature,
    );
  });

  it('differs from the tampered vector, and from any change of secret, timestamp or body', () => {
    const tampered = vectors.find((x) => x.expect.includes('mismatch'));
    if (!tampered) throw new Error('no tampered vector');
    const body = bodyOf(tampered);
    const good = signSlackRequest({
      signingSecret: tampered.signing_secret,
      timestamp: tampered.x_slack_request_timestamp,
      body,
    });
    expect(good).not.toBe(tampered.x_slack_signature);
    expect(
      signSlackRequest({
        signingSecret: `${tampered.signing_secret}x`,
        timestamp: tampered.x_slack_request_timestamp,
        body,
      }),
    ).not.toBe(good);
    expect(signSlackRequest({ signingSecret: tampered.signing_secret, timestamp: '1531420619', body })).not.toBe(good);
    expect(
      signSlackRequest({
        signingSecret: tampered.signing_secret,
        timestamp: tampered.x_slack_request_timestamp,
        body: `${body} `,
      }),
    ).not.toBe(good);
  });

  it('every vector gets the expected verdict from Bolt’s own verifier (the one the bot runs)', () => {
    for (const v of vectors) {
      const nowMilliseconds = (v.now ?? Number(v.x_slack_request_timestamp)) * 1000;
      const verify = (): void =>
        verifySlackRequest({
          signingSecret: v.signing_secret,
          body: bodyOf(v),
          headers: {
            'x-slack-signature': v.x_slack_signature,
            'x-slack-request-timestamp': Number(v.x_slack_request_timestamp),
          },
          nowMilliseconds,
        });
      if (v.expect.startsWith('valid')) expect(verify, v.name).not.toThrow();
      else if (v.expect.includes('stale')) expect(verify, v.name).toThrow(/stale/);
      else expect(verify, v.name).toThrow(/signature mismatch/);
    }
  });

  it('headers the emulator sends pass Bolt’s verifier at the edges of its 5-minute window', () => {
    const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D';
    const sentAt = Date.UTC(2026, 0, 1, 12, 0, 0);
    const headers = slackSignatureHeaders({ signingSecret: 's3cret', nowMs: sentAt, body });
    const check = (nowMilliseconds: number): void =>
      verifySlackRequest({
        signingSecret: 's3cret',
        body,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'],
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
        nowMilliseconds,
      });
    expect(() => check(sentAt + 300_000)).not.toThrow();
    expect(() => check(sentAt + 301_000)).toThrow(/stale/);
    expect(headers['X-Slack-Request-Timestamp']).toBe(String(sentAt / 1000));
  });
});
