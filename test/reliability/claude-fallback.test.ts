/**
 * Claude failing — hanging, 500, 529 overloaded, 429 asking for a minute's wait, output that is not the asked-for
 * JSON, a model that never stops calling tools — still gets the person an AI post from the offline heuristics,
 * within the configured time budget (ANTHROPIC_TIMEOUT_MS per call, twice that in total), and the post says
 * Claude was unavailable and why. With Claude healthy the same post says Claude answered.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  createAutoResponder,
  type RecordedRequest,
  type ScriptedResponse,
  textAnswer,
  toolCall,
} from '../../src/sandbox/anthropic/index.js';
import { card, cmd } from '../e2e/slack/harness.js';
import { type BotStack, metricValue, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';
import { messageText } from './answers.js';

/** ANTHROPIC_TIMEOUT_MS for this suite: one call may take 1.5 s, an operation 3 s in total. */
const CALL_TIMEOUT_MS = 1500;
const BUDGET_MS = 2 * CALL_TIMEOUT_MS;
/** Generous room for the rest of the path on a loaded machine (PagerDuty reads, the job queue, Slack posts). */
const PATH_ALLOWANCE_MS = 15_000;

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;
let mode: (req: RecordedRequest) => ScriptedResponse = createAutoResponder();
const measured: Array<{ failure: string; ms: number }> = [];

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({
    seed: 61,
    anthropic: { mode: 'scripted', handler: (req) => mode(req), timeoutMs: CALL_TIMEOUT_MS },
  });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

/** Runs `/incident triage` on a fresh incident and returns the finished triage post and how long it took. */
async function triage(title: string): Promise<{ text: string; ms: number }> {
  const alice = s.users.mapped[0] as string;
  const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title });
  await cmd(s, alice, `show ${incident.id}`);
  const c = await card(s, incident.id, 60_000);
  const ts = c.link.messageTs as string;
  const started = Date.now();
  await cmd(s, alice, `triage ${incident.id}`);
  const post = await s.slack.waitFor(
    () =>
      s.slack
        .replies(s.channel, ts)
        .find((m) => m.bot_id && /AI triage/.test(messageText(m)) && !/Working on/.test(messageText(m))),
    { timeoutMs: 120_000 },
  );
  return { text: messageText(post), ms: Date.now() - started };
}

describe('Claude failing: the heuristics answer within the budget, labelled', () => {
  const failures: Array<[string, (req: RecordedRequest) => ScriptedResponse, RegExp]> = [
    ['hangs', () => ({ kind: 'hang' }), /time budget|timed out/],
    ['answers 500', () => apiError('api_error', 'Internal server error'), /Claude API error 500 api_error/],
    ['is overloaded (529)', () => apiError('overloaded_error', 'Overloaded'), /Claude API error 529 overloaded_error/],
    ['rate limits for a minute (429)', () => apiError('rate_limit_error', 'Slow down', 60), /time budget|429/],
    ['answers prose instead of JSON', () => textAnswer('I think the database is down.'), /invalid structured output/],
    [
      'calls tools forever',
      () => toolCall('get_incident', { incident_id: 'PNOPE00' }),
      /kept calling tools|time budget/,
    ],
  ];

  for (const [failure, respond, reason] of failures) {
    it(`Claude ${failure}`, async () => {
      mode = respond;
      const before = s.anthropic?.messageRequests().length ?? 0;
      const { text, ms } = await triage(`Claude ${failure}: checkout latency`);
      measured.push({ failure, ms });
      expect(s.anthropic?.messageRequests().length ?? 0).toBeGreaterThan(before);
      expect(text).toMatch(/Suggested by offline heuristics/);
      expect(text).toMatch(/Claude was unavailable \(/);
      expect(text).toMatch(reason);
      expect(text).toMatch(/Severity|SEV\d/i);
      expect(ms).toBeLessThan(BUDGET_MS + PATH_ALLOWANCE_MS);
    }, 180_000);
  }

  it('with Claude healthy the same post says Claude answered (control), and nothing went unhandled', async () => {
    mode = createAutoResponder();
    const { text } = await triage('Claude healthy: checkout latency');
    expect(text).toMatch(/Suggested by Claude/);
    expect(text).not.toMatch(/Claude was unavailable/);
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metricValue(metrics, 'incident_bot_ai_requests_total', { engine: 'claude', outcome: 'fallback' })).toBe(
      measured.length,
    );
    expect(metricValue(metrics, 'incident_bot_ai_requests_total', { engine: 'claude', outcome: 'ok' })).toBe(1);
    expect(metricValue(metrics, 'incident_bot_ai_tokens_total', { direction: 'input' })).toBeGreaterThan(0);
    console.info(
      `Claude fallback, command to finished post (budget ${BUDGET_MS} ms): ${measured.map((m) => `${m.failure} ${m.ms} ms`).join('; ')}`,
    );
    expect(tracker.faults).toEqual([]);
  }, 180_000);
});
