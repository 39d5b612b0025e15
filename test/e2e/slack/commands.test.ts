/**
 * Every /incident subcommand, driven through the Slack emulator against the PagerDuty simulator: what the person
 * sees (messages, ephemerals, modals) and what changed in PagerDuty.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputId } from '../../../src/slack/ids.js';
import {
  card,
  cmd,
  ephemeral,
  type Harness,
  pdIncident,
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

describe('/incident help and usage', () => {
  it('answers help in the acknowledgement itself, listing every subcommand', async () => {
    const r = await cmd(h, alice, 'help');
    const body = JSON.stringify(r.body);
    expect(body).toContain('ephemeral');
    for (const sub of ['declare', 'ack', 'escalate', 'resolve', 'postmortem', 'fatigue', 'subscribe']) {
      expect(body).toContain(`/incident ${sub}`);
    }
  });

  it('gives the usage of a subcommand for malformed input, and unknown ones point to help', async () => {
    const bad = await cmd(h, alice, 'snooze soon');
    expect(JSON.stringify(bad.body)).toContain('/incident snooze');
    const unknown = await cmd(h, alice, 'frobnicate');
    expect(JSON.stringify(unknown.body)).toContain('/incident help');
    expect(h.pd.listIncidents({ limit: 1 }).length).toBeGreaterThan(0);
  });

  it('asks which incident when none is named outside an incident channel', async () => {
    await cmd(h, alice, 'ack');
    await ephemeral(h, alice, /Which incident\?/);
  });
});

describe('/incident declare', () => {
  it('opens the form at once, fills in services, and the submission creates the incident, card, channel and triage', async () => {
    await cmd(h, alice, 'declare Payments are failing for EU customers');
    const view = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_declare_modal' && v.submit),
    );
    const blocks = JSON.stringify(view.blocks);
    expect(blocks).toContain('Payments are failing for EU customers');
    const service = h.pd.org.services[1];
    if (!service) throw new Error('no service');
    expect(blocks).toContain(service.id);

    const service0 = h.pd.org.services[1]?.id as string;
    const empty = await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.title]: { [InputId.title]: '' } },
    });
    expect(empty.error).toBe('incomplete_form');
    const refused = await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.title]: { [InputId.title]: '   ' }, [InputId.service]: { [InputId.service]: service0 } },
    });
    expect(refused.body).toMatchObject({ response_action: 'errors', errors: { [InputId.title]: expect.any(String) } });
    expect(h.slack.view(view.id)?.errors?.[InputId.title]).toBeDefined();

    const before = h.pd.listIncidents({ limit: 1000 }).length;
    const submitted = await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: {
        [InputId.title]: { [InputId.title]: 'Payments are failing for EU customers' },
        [InputId.service]: { [InputId.service]: service.id },
        [InputId.urgency]: { [InputId.urgency]: 'high' },
        [InputId.description]: { [InputId.description]: 'Card payments return 502 <!here>' },
        [InputId.createChannel]: { [InputId.createChannel]: ['yes'] },
      },
    });
    expect(submitted.ok).toBe(true);
    const created = await h.slack.waitFor(() =>
      h.pd.listIncidents({ limit: 1000 }).find((i) => i.title === 'Payments are failing for EU customers'),
    );
    expect(h.pd.listIncidents({ limit: 1000 }).length).toBe(before + 1);
    const c = await card(h, created.id);
    expect(c.link.channelId).toBe(h.channel);
    expect(c.json).toContain('Payments are failing for EU customers');
    const link = await waitAsync(async () => {
      const l = await h.store.incidentLinks.get(created.id);
      return l?.incidentChannelId ? l : undefined;
    });
    const channel = await h.slack.waitFor(() => {
      const ch = h.slack.channel(link.incidentChannelId as string);
      return ch?.members.includes(alice) && h.slack.pins(ch.id).length === 1 && ch.topic.value !== '' ? ch : undefined;
    });
    expect(channel.name).toMatch(/^inc-\d+-payments-are-failing-for-eu-customers$/);
    expect(channel.topic.value).toContain('Triggered');
    const triage = await h.slack.waitFor(() =>
      threadOf(h, h.channel, c.link.messageTs as string).find(
        (m) => m.json.includes('AI triage') && m.json.includes('Severity'),
      ),
    );
    expect(triage.json).toContain('Confidence');
    const log = await pdIncident(h, created.id);
    expect(log.status).toBe('triggered');
    const audit = await h.store.audit.list({ tool: 'create_incident' });
    expect(audit[0]?.slackUserId).toBe(alice);
    expect(audit[0]?.email).toBe(h.slack.user(alice)?.email);
  }, 60_000);
});

describe('incident writes by command', () => {
  it('ack acknowledges as the person, updates the card, and audits it', async () => {
    const incident = trigger(h, 'Disk full on db-1');
    await cmd(h, alice, `show ${incident.id}`);
    await card(h, incident.id);
    await cmd(h, alice, `ack #${incident.incident_number}`);
    await ephemeral(h, alice, new RegExp(`Acknowledged #${incident.incident_number}`));
    expect((await pdIncident(h, incident.id)).status).toBe('acknowledged');
    const updated = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes('Acknowledged') && !cc.json.includes('incident_acknowledge') ? cc : undefined;
    });
    expect(updated.json).toContain(`<@${alice}>`);
    const rows = await h.store.audit.list({ incidentId: incident.id });
    expect(rows[0]).toMatchObject({ tool: 'update_incident', outcome: 'ok', slackUserId: alice });
  }, 40_000);

  it('escalate moves to the next level; escalate <level> to that one', async () => {
    const incident = trigger(h, 'Queue backlog growing');
    await cmd(h, alice, `escalate ${incident.id}`);
    await ephemeral(h, alice, /Escalated #\d+ to level 2/);
    const notes = await pdNotes(h, incident.id);
    expect(notes.some((n) => n.content.includes('Escalated from Slack'))).toBe(true);
    await cmd(h, alice, `escalate ${incident.id} 1`);
    await ephemeral(h, alice, /Escalated #\d+ to level 1/);
  }, 40_000);

  it('note adds a PagerDuty note with the person as author, in plain text', async () => {
    const incident = trigger(h, 'Latency spike');
    await cmd(h, alice, `note ${incident.id} rolled back <@${bob}|bob> deploy & watching`);
    await ephemeral(h, alice, /Note added/);
    const notes = await pdNotes(h, incident.id);
    const note = notes.find((n) => n.content.includes('rolled back'));
    expect(note?.content).toBe(`rolled back @bob deploy & watching`);
    expect(note?.user?.summary).toBe(h.slack.user(alice)?.realName);
  }, 40_000);

  it('snooze snoozes an acknowledged incident; PagerDuty refusing a triggered one is shown', async () => {
    const incident = trigger(h, 'Flapping health check');
    await cmd(h, alice, `snooze ${incident.id} 30m`);
    await ephemeral(h, alice, /Couldn't snooze the incident/);
    await cmd(h, alice, `ack ${incident.id}`);
    await ephemeral(h, alice, new RegExp(`Acknowledged #${incident.incident_number}`));
    await cmd(h, alice, `snooze ${incident.id} 1h`);
    await ephemeral(h, alice, /Snoozed #\d+ for 1h/);
  }, 40_000);

  it('reassign to a mentioned person, or through the modal', async () => {
    const incident = trigger(h, 'Cache misses');
    await cmd(h, alice, `reassign ${incident.id} <@${bob}|bob>`);
    await ephemeral(h, alice, /Reassigned #\d+ to/);
    const pdi = await pdIncident(h, incident.id);
    const assignees = (pdi.assignments as Array<{ assignee: { summary: string } }>).map((a) => a.assignee.summary);
    expect(assignees).toEqual([h.slack.user(bob)?.realName]);

    await cmd(h, alice, `reassign ${incident.id}`);
    const view = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_reassign_modal'),
    );
    await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.assignee]: { [InputId.assignee]: alice } },
    });
    await ephemeral(h, alice, /Reassigned #\d+ to <@/);
    const after = await pdIncident(h, incident.id);
    expect((after.assignments as Array<{ assignee: { summary: string } }>)[0]?.assignee.summary).toBe(
      h.slack.user(alice)?.realName,
    );
  }, 40_000);

  it('page adds responders (people and a team by name)', async () => {
    const incident = trigger(h, 'Search degraded');
    const policy = h.pd.org.escalationPolicies[1];
    await cmd(h, alice, `page ${incident.id} <@${bob}|bob> ${policy?.name ?? ''}`);
    const reply = await ephemeral(h, alice, /Paged/);
    expect(reply.text).toContain(h.slack.user(bob)?.realName);
  }, 40_000);

  it('resolve opens a prefilled modal; submitting resolves and posts the postmortem in the thread', async () => {
    const incident = trigger(h, 'Login failures');
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    await cmd(h, alice, `resolve ${incident.id} restarted the auth pods`);
    const view = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_resolve_modal'),
    );
    expect(JSON.stringify(view.blocks)).toContain('restarted the auth pods');
    await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.resolution]: { [InputId.resolution]: 'restarted the auth pods' } },
    });
    await waitAsync(async () => (await pdIncident(h, incident.id)).status === 'resolved');
    const pm = await h.slack.waitFor(() =>
      threadOf(h, c.link.channelId as string, c.link.messageTs as string).find((m) =>
        m.json.includes('Postmortem draft'),
      ),
    );
    expect(pm.json).toContain('postmortem_regenerate');
    const resolvedCard = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes('✅') && !cc.json.includes('incident_resolve"') ? cc : undefined;
    });
    expect(resolvedCard.json).not.toContain('incident_acknowledge');
  }, 60_000);

  it('update with text posts to PagerDuty and the thread; without text opens an AI draft to edit', async () => {
    const incident = trigger(h, 'Checkout slow');
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    await cmd(h, alice, `update ${incident.id} Mitigated; monitoring error rates`);
    await ephemeral(h, alice, /Status update sent/);
    await h.slack.waitFor(() =>
      threadOf(h, h.channel, c.link.messageTs as string).find((m) =>
        m.json.includes('Mitigated; monitoring error rates'),
      ),
    );
    const audits = await h.store.audit.list({ incidentId: incident.id, tool: 'post_status_update' });
    expect(audits[0]?.outcome).toBe('ok');

    await cmd(h, alice, `update ${incident.id}`);
    const view = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_status_update_modal'),
    );
    expect(JSON.stringify(view.blocks)).toMatch(/Investigating: #\d+ Checkout slow/);
    await h.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: { [InputId.statusMessage]: { [InputId.statusMessage]: 'Edited: root cause found' } },
    });
    await h.slack.waitFor(() =>
      threadOf(h, h.channel, c.link.messageTs as string).find((m) => m.json.includes('Edited: root cause found')),
    );
  }, 60_000);

  it('role shows on the card and in the thread', async () => {
    const incident = trigger(h, 'Billing export stuck');
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    await cmd(h, alice, `role ${incident.id} commander <@${bob}|bob>`);
    await waitAsync(async () => (await card(h, incident.id)).json.includes(`Commander <@${bob}>`));
    await h.slack.waitFor(() =>
      threadOf(h, h.channel, c.link.messageTs as string).find((m) => m.json.includes('incident commander')),
    );
    expect((await h.store.incidentLinks.get(incident.id))?.commanderUserId).toBe(bob);
  }, 40_000);
});

describe('reads and AI by command', () => {
  it('list shows open incidents with Show card buttons; show posts the live card', async () => {
    const incident = trigger(h, 'Image uploads failing');
    await cmd(h, alice, 'list');
    const list = await ephemeral(h, alice, /Image uploads failing/);
    expect(JSON.stringify(list.blocks)).toContain('incident_show');
    await cmd(h, alice, `list resolved`);
    await ephemeral(h, alice, /resolved incident/);
    await cmd(h, alice, `show #${incident.incident_number}`);
    const c = await card(h, incident.id);
    expect(c.json).toContain('Image uploads failing');
  }, 40_000);

  it('oncall lists who is on call, by service or policy', async () => {
    await cmd(h, alice, 'oncall');
    const all = await ephemeral(h, alice, /On call now/);
    expect(JSON.stringify(all.blocks)).toMatch(/L1 /);
    const service = h.pd.org.services[0];
    await cmd(h, alice, `oncall ${service?.name ?? ''}`);
    await h.slack.waitFor(() => h.slack.ephemerals(alice).filter((m) => m.text.includes('On call now')).length >= 2);
  }, 40_000);

  it('triage, analyze, runbook, responder and postmortem post a placeholder, then the result in the thread', async () => {
    const incident = trigger(h, 'Database connection pool exhausted on orders-db');
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    const expectations: Array<[string, RegExp]> = [
      ['triage', /\*✨ AI triage\*/],
      ['analyze', /\*✨ AI analysis\*/],
      ['runbook', /📋 Runbook: /],
      ['responder', /\*✨ Who should help\*/],
      ['postmortem', /🧾 Postmortem draft: /],
    ];
    for (const [sub, pattern] of expectations) {
      await cmd(h, alice, `${sub} ${incident.id}`);
      const post = await h.slack.waitFor(
        () => threadOf(h, h.channel, c.link.messageTs as string).find((m) => pattern.test(m.json)),
        { timeoutMs: 30_000 },
      );
      expect(post.json).not.toContain('Working on');
    }
  }, 120_000);

  it('correlate posts groups with merge suggestions; fatigue posts the report', async () => {
    h.pd.alertStorm({ count: 4 });
    await cmd(h, alice, 'correlate');
    await h.slack.waitFor(
      () => h.slack.messages(h.channel).find((m) => JSON.stringify(m.blocks ?? []).includes('Correlation')),
      { timeoutMs: 30_000 },
    );
    await cmd(h, alice, 'fatigue');
    await h.slack.waitFor(
      () => h.slack.messages(h.channel).find((m) => JSON.stringify(m.blocks ?? []).includes('On-call fatigue')),
      { timeoutMs: 30_000 },
    );
    await cmd(h, alice, 'fatigue No Such Schedule');
    await ephemeral(h, alice, /No schedule matches/);
  }, 90_000);

  it('subscribe routes a service to this channel (once)', async () => {
    const service = h.pd.org.services[2];
    if (!service) throw new Error('no service');
    await cmd(h, alice, `subscribe ${service.name}`);
    await h.slack.waitFor(() =>
      h.slack.messages(h.channel).find((m) => m.text.includes('incidents will be posted here')),
    );
    const subs = await h.store.serviceChannels.channelsFor(service.id);
    expect(subs.map((s) => s.channelId)).toEqual([h.channel]);
    await cmd(h, alice, `subscribe ${service.name}`);
    await ephemeral(h, alice, /already receives/);
    await cmd(h, alice, 'subscribe zzz-no-such-service');
    await ephemeral(h, alice, /No PagerDuty service matches/);
  }, 40_000);
});
