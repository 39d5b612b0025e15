import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/sandbox/slack/index.js';
import { ActionId, CallbackId, InputId } from '../../../src/slack/ids.js';
import { startWebhookHarness, until, type WebhookHarness } from './harness.js';

const text = (m: Message | undefined): string => JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');
const T = { timeoutMs: 45_000 };

describe('PagerDuty webhooks drive Slack (end to end)', () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    // Slack's per-channel rate limit is exercised by the storm test; here it would only slow the flow down (and a
    // rate-limited "working…" placeholder currently loses its AI job in the Slack bot's ai-posts service).
    h = await startWebhookHarness({ rateLimit: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('follows an incident from PagerDuty: card, triage, channel, ack, notes (no echo), resolve, one postmortem', async () => {
    const incident = h.trigger('Checkout API 502s after deploy', { urgency: 'high' });

    // New incident → card in the service's channel, triage in its thread, an incident channel (high urgency).
    const card = await h.slack.waitFor(
      () => h.slack.messages(h.channel).find((m) => text(m).includes('Checkout API 502s after deploy')),
      T,
    );
    expect(text(card)).toContain(ActionId.acknowledge);
    const triage = await h.slack.waitFor(
      () => h.slack.replies(h.channel, card.ts).find((m) => /AI triage/.test(text(m)) && !/Working on/.test(text(m))),
      T,
    );
    expect(text(triage)).toMatch(/SEV[1-4]/);
    const incidentChannel = await h.slack.waitFor(
      () => h.slack.channels().find((c) => c.name.startsWith(`inc-${incident.incident_number}-`)),
      T,
    );
    expect(incidentChannel.name).toContain('checkout-api-502s');

    // Acknowledged in PagerDuty → the same card shows it, and the thread says who.
    const acked = h.pd.acknowledge(incident.id);
    const acker =
      (acked.acknowledgements as Array<{ acknowledger: { summary: string } }>)[0]?.acknowledger.summary ?? '';
    expect(acker).not.toBe('');
    await h.slack.waitFor(() => {
      const now = h.slack.message(h.channel, card.ts);
      return now && /Acknowledged/.test(text(now)) && !text(now).includes(ActionId.acknowledge) ? now : undefined;
    }, T);
    await h.slack.waitFor(
      () =>
        h.slack.replies(h.channel, card.ts).find((m) => text(m).includes(`Acknowledged by *${acker}* in PagerDuty`)),
      T,
    );

    // A note written in PagerDuty → mirrored in the thread and kept in the timeline.
    const email = h.pd.org.users[0]?.email as string;
    await h.addNote(incident.id, email, 'Rolled back build 4411; error rate falling');
    await h.slack.waitFor(
      () =>
        h.slack.replies(h.channel, card.ts).find((m) => text(m).includes('Rolled back build 4411; error rate falling')),
      T,
    );
    const timeline = await h.store.timeline.list(incident.id);
    expect(timeline.some((e) => e.source === 'note' && e.text === 'Rolled back build 4411; error rate falling')).toBe(
      true,
    );

    // A note written through the bot is not echoed back from its webhook.
    const slackUser = h.usersByEmail.get(email) as string;
    const command = await h.slack.sendSlashCommand({
      userId: slackUser,
      channelId: h.channel,
      text: `note ${incident.id} Customers notified via status page`,
    });
    expect(command.ok).toBe(true);
    await until(() => h.webhookMetrics.accepted.get({ event_type: 'incident.annotated' }) === 2);
    await h.settle();
    const notes = (await h.store.timeline.list(incident.id)).filter((e) => e.source === 'note');
    expect(notes.map((n) => n.text)).toContain('Customers notified via status page');
    const mirrored = h.slack.replies(h.channel, card.ts).filter((m) => text(m).includes('added a note in PagerDuty'));
    expect(mirrored.map((m) => text(m).includes('Customers notified'))).toEqual([false]);

    // Resolved in PagerDuty → card resolved, postmortem draft in the thread, exactly once.
    h.pd.resolve(incident.id);
    await h.slack.waitFor(() => /Resolved/.test(text(h.slack.message(h.channel, card.ts))), T);
    await h.slack.waitFor(
      () => h.slack.replies(h.channel, card.ts).find((m) => /postmortem/i.test(text(m)) && !/Working on/.test(text(m))),
      T,
    );
    await h.settle();
    const postmortems = h.slack
      .replies(h.channel, card.ts)
      .filter((m) => text(m).includes(ActionId.regeneratePostmortem));
    expect(postmortems).toHaveLength(1);
    // One card in the channel for this incident, never a second.
    expect(
      h.slack
        .messages(h.channel)
        .filter((m) => text(m).includes('Checkout API 502s after deploy') && text(m).includes('incident_')).length,
    ).toBe(1);
    expect(h.webhookMetrics.accepted.get({ event_type: 'incident.triggered' })).toBeGreaterThanOrEqual(1);
    for (const eventType of [
      'incident.triggered',
      'incident.acknowledged',
      'incident.annotated',
      'incident.resolved',
    ]) {
      expect(h.webhookMetrics.processingSeconds.count({ event_type: eventType }), eventType).toBeGreaterThanOrEqual(1);
    }
    const exposition = await h.metrics.render();
    expect(exposition).toMatch(
      /incident_bot_pagerduty_webhook_processing_seconds_count\{event_type="incident.resolved"\} \d+/,
    );
    expect(exposition).toMatch(/incident_bot_pagerduty_webhook_ack_seconds_count \d+/);
  }, 180_000);

  it('posts one postmortem when the incident is resolved from Slack and PagerDuty then reports it', async () => {
    const incident = h.trigger('Payments ledger lagging behind', { urgency: 'low' });
    const card = await h.slack.waitFor(
      () => h.slack.messages(h.channel).find((m) => text(m).includes('Payments ledger lagging behind')),
      T,
    );
    await h.settle();
    // Low urgency: no incident channel.
    expect(h.slack.channels().some((c) => c.name.startsWith(`inc-${incident.incident_number}-`))).toBe(false);
    const user = h.usersByEmail.get(h.pd.org.users[0]?.email as string) as string;
    const click = await h.slack.clickButton({
      userId: user,
      channelId: h.channel,
      messageTs: card.ts,
      actionId: ActionId.resolve,
    });
    expect(click.ok).toBe(true);
    const modal = await h.slack.waitFor(
      () => h.slack.openViews(user).find((v) => v.callback_id === CallbackId.resolve),
      T,
    );
    const submitted = await h.slack.submitView({
      userId: user,
      viewId: modal.id,
      values: { [InputId.resolution]: { [InputId.resolution]: 'Replica caught up after vacuum' } },
    });
    expect(submitted.ok).toBe(true);
    await h.slack.waitFor(() => /Resolved/.test(text(h.slack.message(h.channel, card.ts))), T);
    await h.slack.waitFor(
      () => h.slack.replies(h.channel, card.ts).find((m) => text(m).includes(ActionId.regeneratePostmortem)),
      T,
    );
    // PagerDuty's resolved webhook arrives too; it must not add a second draft.
    await h.slack.waitFor(
      () => h.slack.replies(h.channel, card.ts).find((m) => /Resolved by .* in PagerDuty/.test(m.text)),
      T,
    );
    await h.settle();
    expect(h.pd.listIncidents({ limit: 200 }).find((i) => i.id === incident.id)?.status).toBe('resolved');
    const postmortems = h.slack
      .replies(h.channel, card.ts)
      .filter((m) => text(m).includes(ActionId.regeneratePostmortem));
    expect(postmortems).toHaveLength(1);
    // The resolution note the bot wrote is not echoed as a PagerDuty note.
    expect(h.slack.replies(h.channel, card.ts).some((m) => text(m).includes('added a note in PagerDuty'))).toBe(false);
  }, 180_000);
});
