import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, resolveMode } from '../../src/config/index.js';

describe('loadConfig', () => {
  it('applies defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.pagerduty.apiUrl).toBe('https://api.pagerduty.com');
    expect(config.store.dataDir).toBe('./data');
    expect(config.http.sandboxPort).toBe(3000);
    expect(config.anthropic.model).toBe('claude-sonnet-5-5');
    expect(config.pagerduty.webhookSecrets).toEqual([]);
    expect(Object.isFrozen(config.slack)).toBe(true);
  });

  it('reports every problem at once, each with the variable name', () => {
    let caught: unknown;
    try {
      loadConfig({
        SLACK_BOT_TOKEN: 'not-a-token',
        PORT: 'eighty',
        PAGERDUTY_API_URL: 'ftp://x',
        PAGERDUTY_FROM_EMAIL: 'nobody',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        SLACK_DEFAULT_CHANNEL: '#general',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const problems = (caught as ConfigError).problems.map((p) => p.variable).sort();
    expect(problems).toEqual(
      [
        'DATABASE_URL',
        'LOG_LEVEL',
        'PAGERDUTY_API_URL',
        'PAGERDUTY_FROM_EMAIL',
        'PORT',
        'SLACK_BOT_TOKEN',
        'SLACK_DEFAULT_CHANNEL',
      ].sort(),
    );
    expect((caught as ConfigError).message).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
  });

  it('splits webhook secrets for rotation and trims the API URL', () => {
    const config = loadConfig({ PAGERDUTY_WEBHOOK_SECRETS: ' a1 , b2,,', PAGERDUTY_API_URL: 'http://127.0.0.1:9/' });
    expect(config.pagerduty.webhookSecrets).toEqual(['a1', 'b2']);
    expect(config.pagerduty.apiUrl).toBe('http://127.0.0.1:9');
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ SLACK_BOT_TOKEN: '', PORT: '' });
    expect(config.slack.botToken).toBeUndefined();
    expect(config.http.port).toBe(3100);
  });
});

describe('resolveMode', () => {
  it('runs the sandbox with no credentials', () => {
    expect(resolveMode(loadConfig({}))).toEqual({ kind: 'sandbox' });
  });

  it('refuses a half-configured bot and lists what is missing', () => {
    expect(() => resolveMode(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-3' }))).toThrow(
      /SLACK_SIGNING_SECRET[\s\S]*PAGERDUTY_API_KEY/,
    );
  });

  it('picks Socket Mode and the Claude engine from the credentials present', () => {
    const mode = resolveMode(
      loadConfig({
        SLACK_BOT_TOKEN: 'xoxb-1-2-3',
        SLACK_APP_TOKEN: 'xapp-1-2-3',
        PAGERDUTY_API_KEY: 'pd-key',
        ANTHROPIC_API_KEY: 'sk-ant-xyz',
      }),
    );
    expect(mode).toEqual({ kind: 'production', transport: 'socket', engine: 'claude' });
    const http = resolveMode(
      loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', PAGERDUTY_API_KEY: 'k' }),
    );
    expect(http).toEqual({ kind: 'production', transport: 'http', engine: 'heuristic' });
  });
});
