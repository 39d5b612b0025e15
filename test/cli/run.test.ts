import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type LoopbackServer, startLoopbackServer } from '../pagerduty/loopback-server.js';
import { lastPage, specResponseExample } from '../pagerduty/spec-examples.js';
import { captureIo } from './capture.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

const env = (extra: Record<string, string> = {}) => ({
  PAGERDUTY_API_KEY: 'u+clitesttoken123',
  PAGERDUTY_API_URL: server.url,
  ...extra,
});

describe('incident-bot run', () => {
  it('sends repeated flags as PagerDuty list parameters and prints JSON', async () => {
    server.enqueue({ body: lastPage('GET', '/incidents') }, { body: lastPage('GET', '/oncalls') });
    const io = captureIo(env());
    await main(['run', 'list_incidents', '--statuses', 'triggered', '--statuses', 'acknowledged', '--limit', '10'], io);
    expect(io.err).toBe('');
    expect(io.code).toBe(0);
    const result = JSON.parse(io.out) as { items: Array<{ id: string }>; summary: string };
    expect(result.items.map((i) => i.id)).toEqual(['PT4KHLK']);
    expect(server.requests[0]?.query.getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
    expect(server.requests[0]?.query.get('limit')).toBe('10');
    expect(server.requests[0]?.headers.authorization).toBe('Token token=u+clitesttoken123');
  });

  it('prints a readable table with --pretty', async () => {
    server.enqueue({ body: lastPage('GET', '/priorities') });
    const io = captureIo(env());
    await main(['run', 'list_priorities', '--pretty'], io);
    expect(io.code).toBe(0);
    expect(io.out.split('\n')[0]).toMatch(/^ID +NAME +DESCRIPTION$/);
    expect(io.out).toMatch(/\n\n5 priorities\n$/);
  });

  it('exits 2 naming every bad parameter (as flags) and sends nothing', async () => {
    const io = captureIo(env());
    await main(['run', 'list_incidents', '--status', 'triggered', '--limit', 'ten', '--urgencies', 'urgent'], io);
    expect(io.code).toBe(2);
    expect(io.out).toBe('');
    expect(io.err).toBe(
      [
        'incident-bot run list_incidents: invalid input, nothing was sent',
        '  --status: unknown parameter; use `--statuses` (a list such as ["triggered","acknowledged"])',
        '  --urgencies.0: Invalid option: expected one of "high"|"low"',
        '  --limit: Invalid input: expected number, received string',
        '',
      ].join('\n'),
    );
    expect(server.requests).toHaveLength(0);
  });

  it('exits 2 for a write with nobody to act as, and sends nothing', async () => {
    const io = captureIo(env());
    await main(['run', 'add_incident_note', '--incident-id', 'PT4KHLK', '--content', 'hello'], io);
    expect(io.code).toBe(2);
    expect(io.err).toMatch(/Pass --as <email> or set PAGERDUTY_FROM_EMAIL/);
    expect(server.requests).toHaveLength(0);
  });

  it('writes as --as, or as PAGERDUTY_FROM_EMAIL', async () => {
    server.fallback = () => ({ body: specResponseExample('POST', '/incidents/{id}/notes') });
    const asFlag = captureIo(env({ PAGERDUTY_FROM_EMAIL: 'default@example.com' }));
    await main(
      ['run', 'add_incident_note', '--incident-id', 'PT4KHLK', '--content', 'hello', '--as', 'jane@example.com'],
      asFlag,
    );
    const fromEnv = captureIo(env({ PAGERDUTY_FROM_EMAIL: 'default@example.com' }));
    await main(['run', 'add_incident_note', '--incident-id', 'PT4KHLK', '--content', 'hello'], fromEnv);
    expect([asFlag.code, fromEnv.code]).toEqual([0, 0]);
    expect(server.requests.map((r) => r.headers.from)).toEqual(['jane@example.com', 'default@example.com']);
    expect(server.requests[0]?.json).toEqual({ note: { content: 'hello' } });
  });

  it('exits 2 for --as that is not an email', async () => {
    const io = captureIo(env());
    await main(['run', 'add_incident_note', '--incident-id', 'PT4KHLK', '--content', 'x', '--as', 'jane'], io);
    expect(io.code).toBe(2);
    expect(io.err).toMatch(/--as: expected the email of the person acting/);
    expect(server.requests).toHaveLength(0);
  });

  it('exits 1 with one line on stderr when PagerDuty refuses', async () => {
    server.enqueue({ status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } });
    const io = captureIo(env());
    await main(['run', 'get_incident', '--incident-id', 'PT4KHLK'], io);
    expect(io.code).toBe(1);
    expect(io.out).toBe('');
    expect(io.err).toBe(
      'incident-bot run get_incident: PagerDuty rejected the API key (401): check PAGERDUTY_API_KEY\n',
    );
  });

  it('exits 1 explaining how to connect when there is no API key', async () => {
    const io = captureIo({});
    await main(['run', 'list_priorities'], io);
    expect(io.code).toBe(1);
    expect(io.err).toMatch(/PAGERDUTY_API_KEY is not set.*--sandbox/);
  });

  it('exits 2 for an unknown tool, suggesting the close one', async () => {
    const io = captureIo(env());
    await main(['run', 'list_incident'], io);
    expect(io.code).toBe(2);
    expect(io.err).toBe(
      'incident-bot run: unknown tool "list_incident"; did you mean "list_incidents"? (incident-bot tools lists them)\n',
    );
  });

  it('shows one tool’s parameters with --help', async () => {
    const io = captureIo(env());
    await main(['run', 'escalate_incident', '--help'], io);
    expect(io.code).toBe(0);
    expect(io.out).toMatch(/^incident-bot run escalate_incident {2}\[write\]/);
    expect(io.out).toMatch(/ {2}--incident-id <value> \(required\)\n/);
    expect(io.out).toMatch(/ {2}--escalation-level <value>\n/);
    expect(server.requests).toHaveLength(0);
  });
});
