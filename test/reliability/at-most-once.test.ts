/**
 * "Does nothing twice": every inbound source delivers at least once, people double-click, and a slow PagerDuty
 * widens every race. Slack event retries (`X-Slack-Retry-Num`, same `event_id`) arriving while the first delivery
 * is still being handled, PagerDuty webhook redeliveries (same `X-Webhook-Id`, or the same event through a second
 * subscription), double and triple clicks, and a modal submission delivered twice each have exactly one effect.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhookBody } from '../../src/sandbox/pagerduty/index.js';
import { type InboundResult, slackSignatureHeaders } from '../../src/sandbox/slack/index.js';
import { encodeOverflow } from '../../src/slack/action-values.js';
import { ActionId, CallbackId, InputId, OverflowChoice, PIN_REACTION } from '../../src/slack/ids.js';
import { card, cmd, pdLogEntries, pdNotes, threadOf, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, STACK_SECRETS, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;

/** PagerDuty answers writes slowly, so duplicates arrive while the first one is still being handled. */
const SLOW_WRITES = {
  rules: [{ path: '**', methods: ['POST', 'PUT'], latencyMs: { min: 400, max: 900 } }],
};

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({ seed: 53 });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

/** Sends exactly what Slack sent before, freshly signed, as a retry (`X-Slack-Retry-Num`) or a plain duplicate. */
async function resend(original: InboundResult, retryNum?: number): Promise<number> {
  const body = original.requestBody;
  const headers: Record<string, string> = {
    'content-type': original.kind === 'event_callback' ? 'application/json' : 'application/x-www-form-urlencoded',
    ...slackSignatureHeaders({ signingSecret: STACK_SECRETS.signingSecret, nowMs: Date.now(), body }),
  };
  if (retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(retryNum);
    headers['x-slack-retry-reason'] = 'http_timeout';
  }
  const res = await fetch(`${s.url}/slack/events`, { method: 'POST', headers, body });
  await res.text();
  return res.status;
}

/** Deliveries the bot recognised as duplicates and dropped, so far. */
const duplicates = (): number => s.metrics.counter('slack_duplicates_total', '').get();

/** Waits until `n` more duplicates than `before` were dropped: every copy has been told apart by then. */
async function dropped(before: number, n: number): Promise<void> {
  await waitAsync(async () => duplicates() - before >= n, 60_000);
}

/** Waits until no job is pending or running (the effects of what was sent have all happened). */
async function settled(): Promise<void> {
  await s.pd.webhooksIdle();
  await waitAsync(async () => {
    const stats = await s.store.jobs.stats();
    return stats.counts.pending + stats.counts.running === 0;
  }, 120_000);
}

async function freshCard(title: string): Promise<{ id: string; number: number; ts: string }> {
  const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title });
  await cmd(s, s.users.mapped[0] as string, `show ${incident.id}`);
  const c = await card(s, incident.id, 60_000);
  return { id: incident.id, number: incident.incident_number, ts: c.link.messageTs as string };
}

describe('Slack Events API retries of the same event', () => {
  it('a 📌 retried three times while the first is still being written makes one PagerDuty note', async () => {
    const alice = s.users.mapped[0] as string;
    const c = await freshCard('Retry drill pin');
    const posted = await s.slack.postUserMessage({
      userId: alice,
      channelId: s.channel,
      threadTs: c.ts,
      text: 'Found it: the connection pool is capped at 10',
    });
    const message = await s.slack.waitFor(() => s.slack.message(s.channel, posted.ts));
    s.pd.setFaults(SLOW_WRITES);
    const original = await s.slack.addReaction({
      userId: alice,
      channelId: s.channel,
      ts: message.ts,
      name: PIN_REACTION,
    });
    expect(original.ok).toBe(true);
    const before = duplicates();
    const retries = await Promise.all([resend(original, 1), resend(original, 2), resend(original, 3)]);
    expect(retries).toEqual([200, 200, 200]);
    await dropped(before, 3);
    await s.slack.waitFor(() => threadOf(s, s.channel, c.ts).find((m) => m.text.includes('Added to the PagerDuty')), {
      timeoutMs: 60_000,
    });
    await settled();
    s.pd.setFaults({});
    const notes = (await pdNotes(s, c.id)).filter((n) => n.content.includes('connection pool is capped'));
    expect(notes).toHaveLength(1);
    expect(threadOf(s, s.channel, c.ts).filter((m) => m.text.includes('Added to the PagerDuty'))).toHaveLength(1);
  }, 120_000);

  it('an @mention retried by Slack is answered once, and a retried channel message is captured once', async () => {
    const bob = s.users.mapped[1] as string;
    const c = await freshCard('Retry drill mention');
    const mention = await s.slack.postUserMessage({
      userId: bob,
      channelId: s.channel,
      threadTs: c.ts,
      text: `<@${s.slack.bot.userId}> who is on call?`,
    });
    const said = await s.slack.postUserMessage({
      userId: bob,
      channelId: s.channel,
      threadTs: c.ts,
      text: 'Rolling back release 42 now',
    });
    const deliveries = [...mention.deliveries, ...said.deliveries];
    expect(deliveries.map((d) => d.ok)).toEqual([true, true, true]);
    const before = duplicates();
    expect(await Promise.all(deliveries.flatMap((d) => [resend(d, 1), resend(d, 2)]))).toEqual([
      200, 200, 200, 200, 200, 200,
    ]);
    await dropped(before, 6);
    const onCallAnswers = () =>
      s.slack.replies(s.channel, c.ts).filter((m) => m.bot_id && m.text.startsWith('On call for'));
    await s.slack.waitFor(() => onCallAnswers().length > 0, { timeoutMs: 60_000 });
    await settled();
    expect(onCallAnswers()).toHaveLength(1);
    const captured = await s.store.timeline.list(c.id, { limit: 100 });
    expect(captured.filter((e) => e.text.includes('Rolling back release 42'))).toHaveLength(1);
  }, 120_000);
});

describe('PagerDuty webhook redeliveries', () => {
  it('the same delivery three times, and the same event through a second subscription, post one card', async () => {
    const serviceId = s.pd.org.services[1]?.id as string;
    const incident = s.pd.triggerIncident({ serviceId, title: 'Redelivery drill' });
    // An authentic incident.triggered delivery for that incident, as PagerDuty would redeliver it.
    const capture = JSON.parse(
      readFileSync('/work/shared/specs/pagerduty-webhooks/signed-captures/incident.triggered.body.json', 'utf8'),
    ) as { event: Record<string, unknown> & { data: Record<string, unknown> } };
    capture.event.id = 'REDELIVERY-EVENT-1';
    capture.event.occurred_at = new Date().toISOString();
    capture.event.data = {
      ...capture.event.data,
      id: incident.id,
      title: incident.title,
      service: { id: serviceId, type: 'service_reference' },
    };
    const body = JSON.stringify(capture);
    const post = async (webhookId: string): Promise<number> => {
      const res = await fetch(`${s.url}/pagerduty/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-pagerduty-signature': signWebhookBody(STACK_SECRETS.webhookSecret, body),
          'x-webhook-id': webhookId,
          'user-agent': 'PagerDuty-Webhook/V3.0',
        },
        body,
      });
      await res.text();
      return res.status;
    };
    const statuses = await Promise.all([post('WH-A'), post('WH-A'), post('WH-A'), post('WH-B')]);
    expect(statuses.filter((x) => x === 202)).toHaveLength(1);
    expect(statuses.filter((x) => x === 200)).toHaveLength(3);
    await settled();
    const cards = s.slack
      .messages(s.channel)
      .filter((m) => JSON.stringify(m.blocks ?? []).includes('Redelivery drill'));
    expect(cards).toHaveLength(1);
  }, 120_000);
});

describe('double clicks and duplicate submissions while PagerDuty is slow', () => {
  it("Acknowledge clicked three times at once acknowledges once, in the clicker's name", async () => {
    const carol = s.users.mapped[2] as string;
    const c = await freshCard('Double click drill ack');
    s.pd.setFaults(SLOW_WRITES);
    const click = () =>
      s.slack.clickButton({ userId: carol, channelId: s.channel, messageTs: c.ts, actionId: ActionId.acknowledge });
    const before = duplicates();
    const results = await Promise.all([click(), click(), click()]);
    expect(results.every((r) => r.ok)).toBe(true);
    await dropped(before, 2);
    await waitAsync(
      async () => (await s.store.audit.list({ incidentId: c.id, tool: 'update_incident' })).length > 0,
      60_000,
    );
    await settled();
    s.pd.setFaults({});
    const acks = (await pdLogEntries(s, c.id)).filter((e) => e.type === 'acknowledge_log_entry');
    expect(acks).toHaveLength(1);
    expect((await s.store.audit.list({ incidentId: c.id, tool: 'update_incident' })).length).toBe(1);
  }, 120_000);

  it('the escalate choice sent twice escalates once; Open channel clicked twice opens one channel', async () => {
    const dan = s.users.mapped[3] as string;
    const c = await freshCard('Double click drill escalate');
    const json = JSON.stringify(s.slack.message(s.channel, c.ts)?.blocks ?? []);
    const level2 = /"value":"([^"]*\|2)"/.exec(json)?.[1];
    if (!level2) throw new Error('no level-2 option');
    s.pd.setFaults(SLOW_WRITES);
    const select = () =>
      s.slack.selectOption({
        userId: dan,
        channelId: s.channel,
        messageTs: c.ts,
        actionId: ActionId.escalate,
        value: level2,
      });
    const open = () =>
      s.slack.clickButton({ userId: dan, channelId: s.channel, messageTs: c.ts, actionId: ActionId.openChannel });
    const before = duplicates();
    await Promise.all([select(), select(), open(), open()]);
    await dropped(before, 2);
    await waitAsync(
      async () => (await s.store.audit.list({ incidentId: c.id, tool: 'escalate_incident' })).length > 0,
      60_000,
    );
    await waitAsync(async () => (await s.store.incidentLinks.get(c.id))?.incidentChannelId, 60_000);
    await settled();
    s.pd.setFaults({});
    const escalations = (await pdLogEntries(s, c.id)).filter((e) => e.type === 'escalate_log_entry');
    expect(escalations).toHaveLength(1);
    const channels = s.slack.channels().filter((ch) => ch.name.startsWith(`inc-${c.number}-`));
    expect(channels).toHaveLength(1);
    expect(
      s.slack.calls('conversations.create').filter((x) => String(x.args.name).startsWith(`inc-${c.number}-`)),
    ).toHaveLength(1);
  }, 120_000);

  it('a note form and a declare form delivered twice write once', async () => {
    const erin = s.users.mapped[4] as string;
    const c = await freshCard('Double submit drill');
    await s.slack.selectOption({
      userId: erin,
      channelId: s.channel,
      messageTs: c.ts,
      actionId: ActionId.overflow,
      value: encodeOverflow(OverflowChoice.note, c.id),
    });
    const noteView = await s.slack.waitFor(
      () => s.slack.openViews(erin).find((v) => v.callback_id === CallbackId.note),
      { timeoutMs: 60_000 },
    );
    const declarer = s.users.mapped[5] as string;
    await cmd(s, declarer, 'declare Double submit declared');
    const declareView = await s.slack.waitFor(
      () => s.slack.openViews(declarer).find((v) => v.callback_id === CallbackId.declare && v.submit),
      { timeoutMs: 60_000 },
    );
    s.pd.setFaults(SLOW_WRITES);
    const note = await s.slack.submitView({
      userId: erin,
      viewId: noteView.id,
      values: { [InputId.note]: { [InputId.note]: 'double submitted note' } },
    });
    const declared = await s.slack.submitView({
      userId: declarer,
      viewId: declareView.id,
      values: {
        [InputId.title]: { [InputId.title]: 'Double submit declared' },
        [InputId.service]: { [InputId.service]: s.pd.org.services[0]?.id as string },
        [InputId.urgency]: { [InputId.urgency]: 'low' },
      },
    });
    expect(note.ok && declared.ok).toBe(true);
    const before = duplicates();
    expect(await Promise.all([resend(note), resend(note), resend(declared), resend(declared)])).toEqual([
      200, 200, 200, 200,
    ]);
    await dropped(before, 4);
    await waitAsync(
      async () => (await pdNotes(s, c.id)).some((n) => n.content.includes('double submitted note')),
      60_000,
    );
    await settled();
    s.pd.setFaults({});
    expect((await pdNotes(s, c.id)).filter((n) => n.content.includes('double submitted note'))).toHaveLength(1);
    expect(s.pd.listIncidents({ limit: 500 }).filter((i) => i.title === 'Double submit declared')).toHaveLength(1);
    expect(tracker.faults).toEqual([]);
  }, 120_000);
});
