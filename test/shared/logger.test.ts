import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { componentLogger, createLogger, scrubSecrets } from '../../src/shared/logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(String(chunk));
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('logger', () => {
  it('never writes a token, key, secret or authorization header', () => {
    const out = capture();
    const secret = 'verysecretsigningvalue123';
    const logger = createLogger({ destination: out.stream, secrets: [secret], level: 'debug' });
    const child = componentLogger(logger, 'slack');
    child.info({ token: 'xoxb-123456-abcdef', headers: { authorization: 'Token token=pdkey123456' } }, 'start');
    child.info({ config: { slackSigningSecret: secret, pagerdutyApiKey: 'pdkey123456' } }, 'config');
    child.warn(`free text with xoxb-999999-zzzzzz and ${secret} and sk-ant-api03-abcdefgh`);
    child.error({ err: new Error(`failed with Token token=pdkey123456`) }, 'boom');
    child.info({ url: 'postgres://bot:hunter2hunter2@db:5432/x' }, 'db');
    const text = out.text();
    expect(text).toContain('"component":"slack"');
    expect(text).toContain('[redacted]');
    for (const leaked of ['xoxb-123456', 'pdkey123456', secret, 'xoxb-999999', 'sk-ant-api03', 'hunter2hunter2']) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('postgres://bot:[redacted]@db:5432/x');
  });

  it('scrubs known secret values wherever they appear', () => {
    expect(scrubSecrets('a=abcdef123 b', ['abcdef123'])).toBe('a=[redacted] b');
    expect(scrubSecrets('short', ['abc'])).toBe('short');
  });
});
