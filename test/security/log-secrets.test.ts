/**
 * No secret in the logs: the whole bot, as production runs it, with the real pino logger (`createLogger`, its
 * redaction and scrubbing) at `trace` writing to a captured stream, through a representative day — a declared
 * incident, Acknowledge, a note, triage and analyses by Claude (emulated) that answers, refuses the key (401),
 * fails (500, 529), rate limits (429) and answers prose; PagerDuty webhooks (authentic, forged, malformed);
 * forged Slack requests; PagerDuty failing (500) and refusing a revoked API key (401); a resolve and its
 * postmortem; and a start-up against a Postgres `DATABASE_URL` that is down. No line may carry the bot token, the
 * signing secret, the PagerDuty API key, the Anthropic API key, the webhook secret or the database password, nor
 * any `Authorization` / `x-api-key` / signature header value.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, secretValues } from '../../src/config/index.js';
import { startBot } from '../../src/main.js';
import {
  apiError,
  createAutoResponder,
  type RecordedRequest,
  type ScriptedResponse,
  textAnswer,
} from '../../src/sandbox/anthropic/index.js';
import { signWebhookBody } from '../../src/sandbox/pagerduty/index.js';
import { slackSignatureHeaders } from '../../src/sandbox/slack/index.js';
import { createLogger } from '../../src/shared/logger.js';
import { ActionId, CallbackId, InputId } from '../../src/slack/ids.js';
import { card, cmd, ephemeral, pdIncident, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, leakedLines, STACK_SECRETS, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';
import { messageText } from '../reliability/answers.js';

/** A PagerDuty key the simulator does not accept (revoked): every request answers 401. */
const REVOKED_PD_KEY = 'u+RevokedPagerDutyKey-3f9a1c77e2';
const DB_PASSWORD = 'db-Passw0rd-6c2e9a41f7';
const DATABASE_URL = `postgres://incident_bot:${DB_PASSWORD}@127.0.0.1:9/incidents`;

/** Header values that must show as redacted wherever a header object or its JSON lands in a line. */
const HEADER_VALUE =
  /\\?["']?(authorization|x-api-key|x-slack-signature|x-pagerduty-signature|cookie)\\?["']?\s*:\s*\\?["']([^"'\\]*)/gi;
const REDACTED = /^(\[redacted\]|\[\[REDACTED\]\])$/;

/** Lines that show an authorization or signature header value (anything but a redaction marker). */
function headerLeaks(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    for (const m of line.matchAll(HEADER_VALUE)) {
      const value = (m[2] ?? '').trim();
      if (value !== '' && !REDACTED.test(value)) out.push(`${m[1]}=${value.slice(0, 40)} in ${line.slice(0, 300)}`);
    }
  }
  return out;
}

let tracker: ReturnType<typeof trackProcessFaults>;
let s: BotStack;
let revoked: BotStack;
let mode: (req: RecordedRequest) => ScriptedResponse = createAutoResponder();
/** Lines of the start-up against the unreachable Postgres server. */
const dbLines: string[] = [];

beforeAll(async () => {
  tracker = trackProcessFaults();
  [s, revoked] = await Promise.all([
    startBotStack({
      seed: 97,
      webhooks: true,
      logLevel: 'trace',
      anthropic: { mode: 'scripted', handler: (req) => mode(req), timeoutMs: 3000 },
    }),
    startBotStack({ seed: 98, logLevel: 'trace', env: { PAGERDUTY_API_KEY: REVOKED_PD_KEY } }),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([s?.close(), revoked?.close()]);
  tracker?.stop();
});

/** Waits until PagerDuty delivered every webhook and the worker has no job left. */
async function settle(stack: BotStack, timeoutMs = 60_000): Promise<void> {
  await waitAsync(async () => {
    await stack.pd.webhooksIdle();
    const stats = await stack.store.jobs.stats();
    return stats.counts.pending + stats.counts.running === 0;
  }, timeoutMs);
}

/** The finished AI post of `kind` (its title) in the card's thread, the n-th one. */
async function aiPost(stack: BotStack, incidentId: string, title: RegExp, n = 1): Promise<string> {
  const c = await card(stack, incidentId, 60_000);
  const post = await stack.slack.waitFor(
    () => {
      const done = stack.slack
        .replies(c.link.channelId as string, c.link.messageTs as string)
        .filter((m) => m.bot_id && title.test(messageText(m)) && !/Working on/.test(messageText(m)));
      return done.length >= n ? done[n - 1] : undefined;
    },
    { timeoutMs: 60_000 },
  );
  return messageText(post);
}

async function postSigned(url: string, body: string, headers: Record<string, string>): Promise<number> {
  const res = await fetch(url, { method: 'POST', headers, body });
  await res.text();
  return res.status;
}

describe('logs at trace level carry no secret', () => {
  it('through a representative day of the bot, Claude and PagerDuty failing included', async () => {
    const alice = s.users.mapped[0] as string;
    const service = s.pd.org.services[0]?.id as string;

    // Declared from Slack through the form: a PagerDuty write, the card, the triage by Claude.
    await cmd(s, alice, 'declare Checkout latency spike');
    const form = await s.slack.waitFor(
      () => s.slack.openViews(alice).find((v) => v.callback_id === CallbackId.declare && v.submit),
      { timeoutMs: 60_000 },
    );
    await s.slack.submitView({
      userId: alice,
      viewId: form.id,
      values: {
        [InputId.title]: { [InputId.title]: 'Checkout latency spike' },
        [InputId.service]: { [InputId.service]: service },
        [InputId.urgency]: { [InputId.urgency]: 'high' },
        [InputId.description]: { [InputId.description]: 'p99 at 4 s since the 14:00 deploy' },
      },
    });
    const declared = await s.slack.waitFor(
      () => s.pd.listIncidents({ limit: 50 }).find((i) => i.title === 'Checkout latency spike'),
      { timeoutMs: 60_000 },
    );
    const id = declared.id;
    expect(await aiPost(s, id, /AI triage/)).toMatch(/Suggested by Claude/);

    // Acknowledge on the card, and a note.
    const c = await card(s, id);
    await s.slack.clickButton({
      userId: alice,
      channelId: c.link.channelId as string,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.acknowledge,
    });
    await waitAsync(async () => (await pdIncident(s, id)).status === 'acknowledged', 60_000);
    await cmd(s, alice, `note ${id} Rolled back build 4411`);
    await ephemeral(s, alice, /note/i, 60_000);

    // Claude refusing the key, failing, overloaded, rate limiting, answering prose: the heuristics answer.
    const failures: Array<[string, ScriptedResponse]> = [
      ['analyze', apiError('authentication_error', 'invalid x-api-key')],
      ['runbook', apiError('api_error', 'Internal server error')],
      ['analyze', apiError('overloaded_error', 'Overloaded')],
      ['runbook', apiError('rate_limit_error', 'Number of requests has exceeded your rate limit', 1)],
      ['triage', textAnswer('The database is down, probably.')],
    ];
    const seen = new Map<string, number>();
    for (const [kind, failure] of failures) {
      mode = () => failure;
      seen.set(kind, (seen.get(kind) ?? (kind === 'triage' ? 1 : 0)) + 1);
      await cmd(s, alice, `${kind} ${id}`);
      const title = kind === 'analyze' ? /AI analysis/ : kind === 'runbook' ? /[Rr]unbook/ : /AI triage/;
      expect(await aiPost(s, id, title, seen.get(kind))).toMatch(/Claude was unavailable/);
    }
    mode = createAutoResponder();

    // PagerDuty failing (500 to everything) while someone looks at the incident.
    s.pd.setFaults({ errorRate: 1, errorStatus: 500 });
    const shown = s.slack.ephemerals(alice).length;
    await cmd(s, alice, `show ${id}`);
    await s.slack.waitFor(() => s.slack.ephemerals(alice).length > shown || undefined, { timeoutMs: 60_000 });
    s.pd.setFaults({});

    // An incident from monitoring: its authentic webhook brings the card and Claude's triage.
    const monitored = s.pd.triggerIncident({ serviceId: service, title: 'Payments API 502s', urgency: 'high' });
    expect(await aiPost(s, monitored.id, /AI triage/)).toMatch(/Suggested by Claude/);

    // Forged and malformed webhooks, forged Slack requests: refused (and logged).
    const webhook = `${s.url}/pagerduty/webhook`;
    const body = JSON.stringify({ event: { id: 'E1', event_type: 'incident.triggered', data: {} } });
    const forged = signWebhookBody('not-the-webhook-secret', body);
    expect(
      await postSigned(webhook, body, {
        'content-type': 'application/json',
        'x-pagerduty-signature': forged,
        'x-webhook-id': 'forged-1',
      }),
    ).toBe(401);
    const malformed = '{"event": 42}';
    expect(
      await postSigned(webhook, malformed, {
        'content-type': 'application/json',
        'x-pagerduty-signature': signWebhookBody(STACK_SECRETS.webhookSecret, malformed),
        'x-webhook-id': 'malformed-1',
      }),
    ).toBe(400);
    const command = new URLSearchParams({ command: '/incident', text: 'list', user_id: alice }).toString();
    const slackHeaders = slackSignatureHeaders({
      signingSecret: 'not-the-signing-secret',
      nowMs: Date.now(),
      body: command,
    });
    expect(
      await postSigned(`${s.url}/slack/events`, command, {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackHeaders,
      }),
    ).toBe(401);

    // Resolved by command (the confirmation form), then the postmortem draft from PagerDuty's webhook.
    await cmd(s, alice, `resolve ${id} Rolled back; latency normal`);
    const resolveForm = await s.slack.waitFor(
      () => s.slack.openViews(alice).find((v) => v.callback_id === CallbackId.resolve),
      { timeoutMs: 60_000 },
    );
    await s.slack.submitView({
      userId: alice,
      viewId: resolveForm.id,
      values: { [InputId.resolution]: { [InputId.resolution]: 'Rolled back; latency normal' } },
    });
    await waitAsync(async () => (await pdIncident(s, id)).status === 'resolved', 60_000);
    expect(await aiPost(s, id, /[Pp]ostmortem/)).toMatch(/Suggested by Claude/);
    await settle(s);

    // A revoked PagerDuty key: every command answers with the failure, PagerDuty answered 401.
    const bob = revoked.users.mapped[0] as string;
    const existing = revoked.pd.listIncidents({ statuses: ['triggered'], limit: 1 })[0]?.id as string;
    for (const text of ['list', `show ${existing}`, `ack ${existing}`, `triage ${existing}`]) {
      const before = revoked.slack.ephemerals(bob).length;
      await cmd(revoked, bob, text);
      await revoked.slack.waitFor(() => revoked.slack.ephemerals(bob).length > before || undefined, {
        timeoutMs: 60_000,
      });
    }
    await settle(revoked);
    expect(revoked.exchanges.filter((x) => x.status === 401).length).toBeGreaterThan(0);

    // Start-up against a Postgres server that is down (DATABASE_URL with a password).
    const env = {
      SLACK_BOT_TOKEN: STACK_SECRETS.botToken,
      SLACK_SIGNING_SECRET: STACK_SECRETS.signingSecret,
      PAGERDUTY_API_KEY: REVOKED_PD_KEY,
      DATABASE_URL,
      LOG_LEVEL: 'trace',
    };
    const config = loadConfig(env);
    const logger = createLogger({
      level: 'trace',
      secrets: secretValues(config),
      destination: {
        write(line: string) {
          dbLines.push(line);
        },
      },
    });
    logger.debug({ config }, 'configuration');
    await expect(startBot({ config, logger, port: 0 })).rejects.toThrow();
    await startBot({ config, logger, port: 0 }).catch((err: unknown) => logger.fatal({ err }, 'start failed'));

    const lines = [...s.logs, ...revoked.logs, ...dbLines];
    const secrets = [...new Set([...s.secrets, ...revoked.secrets, REVOKED_PD_KEY, DB_PASSWORD, DATABASE_URL])];
    console.info(`log lines checked: ${lines.length} (${s.logs.length} + ${revoked.logs.length} + ${dbLines.length})`);
    // The flows above did log what they are about (so the check below had something to read).
    const all = lines.join('');
    const logged: Array<[string, RegExp]> = [
      ['debug lines', /"level":20/],
      ['Claude refusing the key', /authentication_error/],
      ['Claude overloaded', /overloaded_error/],
      ['PagerDuty answering 401', /"status":401/],
      ['PagerDuty answering 500', /"status":500/],
      ['Slack Web API request headers', /http request headers/],
      ['the Postgres server being down', /127\.0\.0\.1:9\/incidents|ECONNREFUSED/],
    ];
    for (const [what, pattern] of logged) expect(pattern.test(all), what).toBe(true);

    expect(leakedLines(lines, secrets).map((l) => l.slice(0, 400))).toEqual([]);
    for (const secret of secrets) expect(all.includes(secret), `${secret.slice(0, 8)}… in the logs`).toBe(false);
    expect(headerLeaks(lines)).toEqual([]);
    expect(tracker.faults).toEqual([]);
  }, 240_000);
});
