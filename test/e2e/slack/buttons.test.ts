/**
 * Every button and menu on the card and on the AI posts, through the emulator: the write reaches PagerDuty
 * attributed to the clicker, the card updates in place with buttons that match the state, and a double click
 * writes once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeApplyUrgency, encodeMerge, encodeTriageEscalate } from '../../../src/slack/action-values.js';
import { ActionId, InputId } from '../../../src/slack/ids.js';
import {
  card,
  cmd,
  ephemeral,
  type Harness,
  pdIncident,
  pdLogEntries,
  pdNotes,
  startHarness,
  threadOf,
  trigger,
  waitAsync,
} from './harness.js';

let h: Harness;
let alice: string;
let bob: string;

beforeAll(async () => {
  h = await startHarness();
  alice = h.users.mapped[0] as string;
  bob = h.users.mapped[1] as string;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

/** Posts a fresh incident's card in #ops and returns it. */
async function freshCard(title: string) {
  const incident = trigger(h, title);
  await cmd(h, alice, `show ${incident.id}`);
  const c = await card(h, incident.id);
  return { incident, ts: c.link.messageTs as string, card: c };
}

function elementOf(json: string, actionId: string): { value?: string; options?: Array<{ value: string }> } {
  const blocks = JSON.parse(json) as Array<{
    elements?: Array<Record<string, unknown>>;
    accessory?: Record<string, unknown>;
  }>;
  for (const b of blocks) {
    for (const e of [...(b.elements ?? []), ...(b.accessory ? [b.accessory] : [])]) {
      if (e.action_id === actionId) return e as { value?: string; options?: Array<{ value: string }> };
    }
  }
  throw new Error(`no ${actionId} in ${json.slice(0, 200)}`);
}

describe('card buttons', () => {
  it('Acknowledge writes as the clicker and the card drops the button; a double click writes once', async () => {
    const { incident, ts } = await freshCard('Orders API 503');
    const click = () =>
      h.slack.clickButton({ userId: bob, channelId: h.channel, messageTs: ts, actionId: ActionId.acknowledge });
    const [first, second] = await Promise.all([click(), click()]);
    expect(first.ok && second.ok).toBe(true);
    await waitAsync(async () => (await pdIncident(h, incident.id)).status === 'acknowledged');
    const updated = await waitAsync(async () => {
      const c = await card(h, incident.id);
      return c.json.includes('🟠') && !c.json.includes(ActionId.acknowledge) ? c : undefined;
    });
    expect(updated.json).toContain(`Acknowledged by <@${bob}>`);
    const acks = (await pdLogEntries(h, incident.id)).filter((e) => e.type === 'acknowledge_log_entry');
    expect(acks).toHaveLength(1);
    expect((acks[0]?.agent as { summary?: string } | undefined)?.summary).toBe(h.slack.user(bob)?.realName);
    const audit = await h.store.audit.list({ incidentId: incident.id, tool: 'update_incident' });
    expect(audit).toHaveLength(1);
    expect(h.metrics.counter('slack_duplicates_total', '').get()).toBeGreaterThan(0);
  }, 40_000);

  it('Escalate (level choice) escalates; the card shows the new level', async () => {
    const { incident, card: c } = await freshCard('Payment webhooks delayed');
    const select = elementOf(c.json, ActionId.escalate);
    const level2 = select.options?.find((o) => o.value.endsWith('|2'));
    expect(level2).toBeDefined();
    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.escalate,
      value: level2?.value as string,
    });
    await waitAsync(async () => (await card(h, incident.id)).json.includes('*Escalation*\\nLevel 2'));
    const escalations = (await pdLogEntries(h, incident.id)).filter((e) => e.type === 'escalate_log_entry');
    expect(escalations.length).toBeGreaterThan(0);
  }, 40_000);

  it('Resolve opens the modal; submitting resolves, refreshes the card and posts the postmortem once', async () => {
    const { incident, ts } = await freshCard('Inventory sync broken');
    await h.slack.clickButton({ userId: alice, channelId: h.channel, messageTs: ts, actionId: ActionId.resolve });
    const view = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_resolve_modal'),
    );
    await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.resolution]: { [InputId.resolution]: 'Replayed the sync job' } },
    });
    await waitAsync(async () => (await pdIncident(h, incident.id)).status === 'resolved');
    await h.slack.waitFor(() => threadOf(h, h.channel, ts).find((m) => m.json.includes('🧾 Postmortem draft')));
    const c = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes('✅') ? cc : undefined;
    });
    for (const gone of [ActionId.acknowledge, ActionId.escalate, `"${ActionId.resolve}"`])
      expect(c.json).not.toContain(gone);
    // The webhook side asks again (any surface resolved it): still one postmortem.
    await h.bot.services.incidentSide.startPostmortem(incident.id);
    await new Promise((r) => setTimeout(r, 300));
    expect(threadOf(h, h.channel, ts).filter((m) => m.json.includes('🧾 Postmortem draft'))).toHaveLength(1);
  }, 60_000);

  it('the AI button posts triage in the thread with Apply urgency / Escalate, each writing once when clicked', async () => {
    const incident = trigger(
      h,
      'Production outage: checkout completely down for all customers, database unavailable',
      'low',
    );
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    const ts = c.link.messageTs as string;
    await h.slack.clickButton({ userId: alice, channelId: h.channel, messageTs: ts, actionId: ActionId.ai });
    const post = await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).find((m) => m.json.includes('*✨ AI triage*')),
      { timeoutMs: 30_000 },
    );
    expect(post.json.includes(ActionId.applyUrgency) && post.json.includes(ActionId.triageEscalate)).toBe(true);
    {
      const apply = elementOf(post.json, ActionId.applyUrgency);
      expect(apply.value).toBe(encodeApplyUrgency(incident.id, 'high'));
      await h.slack.clickButton({
        userId: alice,
        channelId: h.channel,
        messageTs: post.ts,
        actionId: ActionId.applyUrgency,
      });
      await waitAsync(async () => (await pdIncident(h, incident.id)).urgency === 'high');
      await h.slack.waitFor(() => threadOf(h, h.channel, ts).find((m) => m.json.includes('Urgency set to *high*')));
    }
    expect(elementOf(post.json, ActionId.triageEscalate).value).toBe(encodeTriageEscalate(incident.id, 2));
    await h.slack.clickButton({
      userId: alice,
      channelId: h.channel,
      messageTs: post.ts,
      actionId: ActionId.triageEscalate,
    });
    await waitAsync(async () => (await card(h, incident.id)).json.includes('*Escalation*\\nLevel 2'));
  }, 60_000);

  it('overflow: note, snooze and reassign modals write; runbook and postmortem post in the thread', async () => {
    const { incident, ts, card: c } = await freshCard('Email delivery failing');
    const menu = (choice: string) => `${choice}|${incident.id}`;
    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: ts,
      actionId: ActionId.overflow,
      value: menu('note'),
    });
    const note = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_note_modal'),
    );
    await h.slack.submitView({
      userId: alice,
      viewId: note.id,
      values: { [InputId.note]: { [InputId.note]: 'SMTP relay rejects' } },
    });
    await waitAsync(async () => (await pdNotes(h, incident.id)).some((n) => n.content === 'SMTP relay rejects'));

    await h.slack.clickButton({ userId: alice, channelId: h.channel, messageTs: ts, actionId: ActionId.acknowledge });
    const acked = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes('snooze|') ? cc : undefined;
    });
    void c;
    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: acked.link.messageTs as string,
      actionId: ActionId.overflow,
      value: menu('snooze'),
    });
    const snooze = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_snooze_modal'),
    );
    await h.slack.submitView({
      userId: alice,
      viewId: snooze.id,
      values: { [InputId.duration]: { [InputId.duration]: '1800' } },
    });
    await ephemeral(h, alice, /Snoozed #\d+ for 30m/);
    const snoozes = (await pdLogEntries(h, incident.id)).filter((e) => String(e.type).includes('snooze'));
    expect(snoozes.length).toBeGreaterThan(0);

    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: ts,
      actionId: ActionId.overflow,
      value: menu('reassign'),
    });
    const reassign = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_reassign_modal'),
    );
    await h.slack.submitView({
      userId: alice,
      viewId: reassign.id,
      values: { [InputId.assignee]: { [InputId.assignee]: bob } },
    });
    await waitAsync(async () => {
      const pdi = await pdIncident(h, incident.id);
      return (
        (pdi.assignments as Array<{ assignee: { summary: string } }>)[0]?.assignee.summary ===
        h.slack.user(bob)?.realName
      );
    });

    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: ts,
      actionId: ActionId.overflow,
      value: menu('runbook'),
    });
    const runbook = await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).find((m) => m.json.includes('📋 Runbook: ')),
      { timeoutMs: 30_000 },
    );
    await h.slack.selectOption({
      userId: alice,
      channelId: h.channel,
      messageTs: ts,
      actionId: ActionId.overflow,
      value: menu('postmortem'),
    });
    await h.slack.waitFor(() => threadOf(h, h.channel, ts).find((m) => m.json.includes('🧾 Postmortem draft')), {
      timeoutMs: 30_000,
    });

    // Ticking a runbook step updates the message for everyone.
    const blocks = JSON.parse(runbook.json) as Array<{
      block_id?: string;
      elements?: Array<{ options?: Array<{ value: string }> }>;
    }>;
    const checklist = blocks.find((b) => b.block_id?.startsWith('runbook_checklist:'));
    const first = checklist?.elements?.[0]?.options?.[0]?.value;
    expect(first).toBeDefined();
    await h.slack.selectOption({
      userId: bob,
      channelId: h.channel,
      messageTs: runbook.ts,
      actionId: ActionId.runbookCheck,
      blockId: checklist?.block_id as string,
      value: [first as string],
    });
    const ticked = await h.slack.waitFor(() => {
      const m = h.slack.message(h.channel, runbook.ts);
      const json = JSON.stringify(m?.blocks ?? []);
      return json.includes('initial_options') && json.includes(`<@${bob}>`) ? json : undefined;
    });
    expect(ticked).toMatch(/1\/\d+ steps done/);
  }, 90_000);

  it('Open channel creates #inc-…, invites the clicker, pins the card, links the channel', async () => {
    const { incident, ts } = await freshCard('CDN purge stuck');
    await h.slack.clickButton({ userId: bob, channelId: h.channel, messageTs: ts, actionId: ActionId.openChannel });
    await ephemeral(h, bob, /Opened <#C/);
    const link = await waitAsync(async () => (await h.store.incidentLinks.get(incident.id))?.incidentChannelId);
    const channel = await h.slack.waitFor(() => {
      const ch = h.slack.channel(link);
      return ch?.members.includes(bob) && h.slack.pins(link).length === 1 ? ch : undefined;
    });
    expect(channel.name).toBe(`inc-${incident.incident_number}-cdn-purge-stuck`);
    const pinned = h.slack.message(link, h.slack.pins(link)[0] as string);
    expect(JSON.stringify(pinned?.blocks)).toContain('CDN purge stuck');
    const updated = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes(`<#${link}>`) ? cc : undefined;
    });
    expect(updated.json).not.toContain(ActionId.openChannel);
    // Both cards follow the incident: acknowledge from the channel's pinned card.
    await h.slack.clickButton({
      userId: bob,
      channelId: link,
      messageTs: pinned?.ts as string,
      actionId: ActionId.acknowledge,
    });
    await waitAsync(async () => {
      const a = JSON.stringify(h.slack.message(link, pinned?.ts as string)?.blocks ?? []);
      const b = (await card(h, incident.id)).json;
      return a.includes('🟠 Acknowledged') && b.includes('🟠 Acknowledged');
    });
  }, 60_000);

  it('Merge (from a correlation post) merges in PagerDuty once', async () => {
    const a = trigger(h, 'Checkout errors A');
    const b = trigger(h, 'Checkout errors B');
    const post = await h.bot.services.poster.post(h.channel, {
      text: 'merge test',
      blocks: [
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              action_id: `${ActionId.merge}:0`,
              text: { type: 'plain_text', text: 'Merge' },
              value: encodeMerge(a.id, [b.id]),
            },
          ],
        },
      ],
    });
    const click = () =>
      h.slack.clickButton({
        userId: alice,
        channelId: h.channel,
        messageTs: post.ts as string,
        actionId: `${ActionId.merge}:0`,
      });
    await Promise.all([click(), click()]);
    await waitAsync(async () => (await pdIncident(h, b.id)).status === 'resolved');
    const merges = await waitAsync(async () => {
      const rows = (await h.store.audit.list({ tool: 'merge_incidents' })).filter((m) => m.incidentId === a.id);
      return rows.length > 0 ? rows : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await h.store.audit.list({ tool: 'merge_incidents' })).filter((m) => m.incidentId === a.id)).toHaveLength(
      1,
    );
    expect(merges[0]?.slackUserId).toBe(alice);
    await h.slack.waitFor(() =>
      JSON.stringify(h.slack.message(h.channel, post.ts as string)?.blocks ?? []).includes('Merged 1 incident'),
    );
  }, 40_000);

  it('Export Markdown opens the draft in a modal; Regenerate posts a new draft', async () => {
    const { incident, ts } = await freshCard('Cron jobs not running');
    await cmd(h, alice, `postmortem ${incident.id}`);
    const pm = await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).find((m) => m.json.includes('🧾 Postmortem draft')),
      { timeoutMs: 30_000 },
    );
    await h.slack.clickButton({
      userId: alice,
      channelId: h.channel,
      messageTs: pm.ts,
      actionId: ActionId.exportPostmortem,
    });
    const view = await h.slack.waitFor(() => {
      const v = h.slack.openViews(alice).find((x) => x.callback_id === 'postmortem_export_modal');
      return v && JSON.stringify(v.blocks).includes('```') ? v : undefined;
    });
    expect(JSON.stringify(view.blocks)).toContain('Cron jobs not running');
    await h.slack.clickButton({
      userId: alice,
      channelId: h.channel,
      messageTs: pm.ts,
      actionId: ActionId.regeneratePostmortem,
    });
    await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).filter((m) => m.json.includes('🧾 Postmortem draft')).length >= 2,
      { timeoutMs: 30_000 },
    );
  }, 60_000);

  it('the responder post pages a suggested person (confirmed), and the list’s Show card posts the card', async () => {
    const { incident, ts } = await freshCard('Kafka consumer lag');
    await cmd(h, alice, `responder ${incident.id}`);
    const post = await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).find((m) => m.json.includes('*✨ Who should help*')),
      { timeoutMs: 30_000 },
    );
    expect(post.json).toContain(ActionId.pageResponder);
    {
      await h.slack.clickButton({
        userId: alice,
        channelId: h.channel,
        messageTs: post.ts,
        actionId: ActionId.pageResponder,
      });
      await h.slack.waitFor(() => threadOf(h, h.channel, ts).find((m) => m.json.includes('📟 Paged by')));
      const audit = await h.store.audit.list({ incidentId: incident.id, tool: 'add_responders' });
      expect(audit[0]?.outcome).toBe('ok');
    }
    const other = trigger(h, 'Unshown incident');
    await cmd(h, alice, 'list');
    const list = await ephemeral(h, alice, /Unshown incident/);
    await h.slack.clickButton({
      userId: alice,
      channelId: h.channel,
      messageTs: list.ts,
      actionId: ActionId.show,
      value: other.id,
    });
    await card(h, other.id);
  }, 60_000);
});
