import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { captureIo } from './capture.js';

describe('incident-bot start / sandbox: a bad configuration is listed, and nothing starts', () => {
  it('half-configured credentials: exit 2, every missing variable named, a hint, no log line', async () => {
    const io = captureIo({ SLACK_BOT_TOKEN: 'xoxb-1-2-3', LOG_LEVEL: 'info' });
    await main(['start'], io);
    expect(io.code).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toBe(
      [
        'incident-bot start: Invalid configuration:',
        '  - SLACK_SIGNING_SECRET: required for the HTTP receiver (or set SLACK_APP_TOKEN for Socket Mode)',
        '  - PAGERDUTY_API_KEY: required to run against PagerDuty',
        'Unset every Slack and PagerDuty variable to run the sandbox instead (see README.md).',
        '',
      ].join('\n'),
    );
  });

  it('a malformed variable stops the sandbox too, naming it', async () => {
    const io = captureIo({ SANDBOX_PORT: 'eighty', LOG_LEVEL: 'bogus' });
    await main(['sandbox'], io);
    expect(io.code).toBe(2);
    expect(io.err).toContain('incident-bot sandbox: Invalid configuration:');
    expect(io.err).toContain('  - SANDBOX_PORT: SANDBOX_PORT must be a TCP port number (0-65535)');
    expect(io.err).toContain('  - LOG_LEVEL: ');
    expect(io.err).not.toContain('Unset every Slack');
  });
});
