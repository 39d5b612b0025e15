/**
 * Nobody writes to PagerDuty in someone else's name: a Slack user without a PagerDuty account is refused every
 * write — by command, button, form, 📌 or declare — with a message saying why and that nothing changed; with
 * SLACK_RESPONDER_GROUP set, people outside the group may not resolve or escalate (by command, card button or
 * form), while a member may. Refused attempts send PagerDuty no write at all and leave no audit row.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackSignatureHeaders } from '../../src/sandbox/slack/index.js';
import { ActionId, CallbackId, InputId, PIN_REACTION } from '../../src/slack/ids.js';
import { card, cmd, ephemeral, pdIncident, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, pdWrites, STACK_SECRETS, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({ seed: 89, responderGroup: true });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

async function freshCard(title: string): Promise<{ id: string; ts: string }> {
  const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title });
  await cmd(s, s.users.mapped[0] as string, `show ${incident.id}`);
  const c = await card(s, incident.id, 60_000);
  return { id: incident.id, ts: c.link.messageTs as string };
}

/** The text of every ephemeral `user` received since `from`, waiting until there are `n` more. */
async function refusals(user: string, from: number, n: number): Promise<string[]> {
  await s.slack.waitFor(() => s.slack.ephemerals(user).length >= from + n, { timeoutMs: 60_000 });
  return s.slack
    .ephemerals(user)
    .slice(from)
    .map((m) => m.text);
}

describe('a person without a PagerDuty account', () => {
  it('is refused every write, told why, and PagerDuty receives nothing', async () => {
    const vera = s.users.unmapped;
    const bob = s.users.mapped[1] as string;
    const target = await freshCard('Authorization drill');
    const acked = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Authorization acked' });
    s.pd.acknowledge(acked.id);
    const writesBefore = pdWrites(s).length;
    const auditBefore = (await s.store.audit.list({})).length;
    const start = s.slack.ephemerals(vera).length;

    const commands = [
      `ack ${target.id}`,
      `note ${target.id} I am not on call`,
      `reassign ${target.id} <@${bob}|bob>`,
      `page ${target.id} <@${bob}|bob>`,
      `snooze ${acked.id} 1h`,
      `update ${target.id} All good, trust me`,
    ];
    for (const text of commands) await cmd(s, vera, text);
    await s.slack.clickButton({
      userId: vera,
      channelId: s.channel,
      messageTs: target.ts,
      actionId: ActionId.acknowledge,
    });
    // 📌 on a message in the card's thread.
    const said = await s.slack.postUserMessage({
      userId: bob,
      channelId: s.channel,
      threadTs: target.ts,
      text: 'db restarted',
    });
    await s.slack.addReaction({ userId: vera, channelId: s.channel, ts: said.ts, name: PIN_REACTION });
    // Declaring through the form.
    await cmd(s, vera, 'declare Not my incident');
    const view = await s.slack.waitFor(
      () => s.slack.openViews(vera).find((v) => v.callback_id === CallbackId.declare && v.submit),
      { timeoutMs: 60_000 },
    );
    await s.slack.submitView({
      userId: vera,
      viewId: view.id,
      values: {
        [InputId.title]: { [InputId.title]: 'Not my incident' },
        [InputId.service]: { [InputId.service]: s.pd.org.services[0]?.id as string },
        [InputId.urgency]: { [InputId.urgency]: 'high' },
      },
    });

    const texts = await refusals(vera, start, commands.length + 3);
    for (const text of texts) {
      expect(text).toMatch(/no PagerDuty user has the email vera@\u2060?elsewhere\.example/);
      expect(text).toMatch(/Nothing was changed/);
    }
    expect(pdWrites(s).length).toBe(writesBefore);
    expect((await s.store.audit.list({})).length).toBe(auditBefore);
    expect((await pdIncident(s, target.id)).status).toBe('triggered');
    expect((await pdIncident(s, acked.id)).status).toBe('acknowledged');
    expect(s.pd.listIncidents({ limit: 500 }).filter((i) => i.title === 'Not my incident')).toHaveLength(0);
  }, 180_000);
});

describe('SLACK_RESPONDER_GROUP', () => {
  it('keeps resolve and escalate to its members, by command, button and form; members may', async () => {
    const alice = s.users.mapped[0] as string; // the only member
    const bob = s.users.mapped[1] as string;
    const target = await freshCard('Responder group drill');
    const writesBefore = pdWrites(s).length;
    const start = s.slack.ephemerals(bob).length;

    await cmd(s, bob, `escalate ${target.id}`);
    await cmd(s, bob, `resolve ${target.id} fixed`);
    await s.slack.clickButton({ userId: bob, channelId: s.channel, messageTs: target.ts, actionId: ActionId.resolve });
    const json = JSON.stringify(s.slack.message(s.channel, target.ts)?.blocks ?? []);
    const level2 = /"value":"([^"]*\|2)"/.exec(json)?.[1];
    if (!level2) throw new Error('no level-2 option');
    await s.slack.selectOption({
      userId: bob,
      channelId: s.channel,
      messageTs: target.ts,
      actionId: ActionId.escalate,
      value: level2,
    });
    // The member opens the resolve form (submitted below, once the refusals are checked).
    await cmd(s, alice, `resolve ${target.id}`);
    const view = await s.slack.waitFor(
      () => s.slack.openViews(alice).find((v) => v.callback_id === CallbackId.resolve),
      { timeoutMs: 60_000 },
    );
    // Bob submitting that form himself (a crafted, correctly signed view_submission) is refused as well.
    const forged = new URLSearchParams({
      payload: JSON.stringify({
        type: 'view_submission',
        team: { id: s.slack.team.id },
        user: { id: bob },
        view: {
          ...view,
          id: 'V0BOBSCOPY',
          state: {
            values: { [InputId.resolution]: { [InputId.resolution]: { type: 'plain_text_input', value: 'me' } } },
          },
        },
      }),
    }).toString();
    const submitted = await fetch(`${s.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...slackSignatureHeaders({ signingSecret: STACK_SECRETS.signingSecret, nowMs: Date.now(), body: forged }),
      },
      body: forged,
    });
    expect(submitted.status).toBe(200);
    const texts = await refusals(bob, start, 5);
    for (const text of texts)
      expect(text).toMatch(
        /Only members of the incident responder group can (resolve|escalate) incidents\. .*Nothing was changed/,
      );
    expect(s.slack.openViews(bob).filter((v) => v.callback_id === CallbackId.resolve)).toHaveLength(0);
    expect(pdWrites(s).length).toBe(writesBefore);
    expect((await pdIncident(s, target.id)).status).toBe('triggered');

    // Acknowledging is not restricted: anyone with a PagerDuty account may.
    await cmd(s, bob, `ack ${target.id}`);
    await ephemeral(s, bob, /Acknowledged/);
    // The member resolves through the form.
    await s.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.resolution]: { [InputId.resolution]: 'restarted the pool' } },
    });
    await waitAsync(async () => (await pdIncident(s, target.id)).status === 'resolved', 60_000);
    expect(tracker.faults).toEqual([]);
  }, 180_000);
});
