/**
 * Identity, authority and failure handling, end to end: people without a PagerDuty account are told why and
 * nothing is written; only the responder group may resolve or escalate; PagerDuty failures are named to the
 * person and audited; Slack 429s are retried later by a job, not dropped; forged requests are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNotice } from '../../../src/slack/blocks/notice.js';
import { ActionId } from '../../../src/slack/ids.js';
import {
  card,
  cmd,
  ephemeral,
  type Harness,
  pdIncident,
  pdLogEntries,
  startHarness,
  trigger,
  waitAsync,
} from './harness.js';

let h: Harness;
let alice: string;
let bob: string;

beforeAll(async () => {
  h = await startHarness({ responderGroup: true, rateLimit: { perChannelPerSecond: 1, burst: 3 } });
  alice = h.users.mapped[0] as string;
  bob = h.users.mapped[1] as string;
}, 120_000);
afterAll(async () => {
  await h?.close();
});

describe('identity', () => {
  it('a person without a PagerDuty account gets an explanation and nothing is written (command and button)', async () => {
    const incident = trigger(h, 'Visitor tries to ack');
    await cmd(h, h.users.unmapped, `ack ${incident.id}`);
    await ephemeral(
      h,
      h.users.unmapped,
      /no PagerDuty user has the email vera@elsewhere\.example.*Nothing was changed/,
    );
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    await h.slack.clickButton({
      userId: h.users.unmapped,
      channelId: h.channel,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.acknowledge,
    });
    await h.slack.waitFor(
      () => h.slack.ephemerals(h.users.unmapped).filter((m) => m.text.includes('no PagerDuty user')).length >= 2,
    );
    expect((await pdIncident(h, incident.id)).status).toBe('triggered');
    expect((await pdLogEntries(h, incident.id)).some((e) => e.type === 'acknowledge_log_entry')).toBe(false);
    expect(await h.store.audit.list({ incidentId: incident.id })).toEqual([]);
    // The button was released: a mapped person can still acknowledge from the same card.
    await h.slack.clickButton({
      userId: alice,
      channelId: h.channel,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.acknowledge,
    });
    await waitAsync(async () => (await pdIncident(h, incident.id)).status === 'acknowledged');
  }, 60_000);

  it('every write carries the person as From and leaves an audit row', async () => {
    const incident = trigger(h, 'Audit me');
    await cmd(h, alice, `note ${incident.id} checking dashboards`);
    await ephemeral(h, alice, /Note added/);
    const rows = await h.store.audit.list({ incidentId: incident.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      surface: 'slack',
      slackUserId: alice,
      email: h.slack.user(alice)?.email,
      tool: 'add_incident_note',
      outcome: 'ok',
    });
  }, 30_000);
});

describe('authority (SLACK_RESPONDER_GROUP)', () => {
  it('only responders may resolve or escalate; others are told, and nothing changes', async () => {
    const incident = trigger(h, 'Responders only');
    await cmd(h, bob, `escalate ${incident.id}`);
    await ephemeral(h, bob, /Only members of the incident responder group can escalate incidents/);
    await cmd(h, bob, `resolve ${incident.id}`);
    await ephemeral(h, bob, /Only members of the incident responder group can resolve incidents/);
    expect(h.slack.openViews(bob)).toEqual([]);
    await cmd(h, alice, `show ${incident.id}`);
    const c = await card(h, incident.id);
    await h.slack.clickButton({
      userId: bob,
      channelId: h.channel,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.resolve,
    });
    await h.slack.waitFor(
      () => h.slack.ephemerals(bob).filter((m) => m.text.includes('resolve incidents')).length >= 2,
    );
    expect(h.slack.openViews(bob)).toEqual([]);
    expect((await pdIncident(h, incident.id)).status).toBe('triggered');
    expect((await pdLogEntries(h, incident.id)).some((e) => e.type === 'escalate_log_entry')).toBe(false);
    // Bob may still acknowledge (not restricted), Alice may escalate.
    await cmd(h, bob, `ack ${incident.id}`);
    await waitAsync(async () => (await pdIncident(h, incident.id)).status === 'acknowledged');
    await cmd(h, alice, `escalate ${incident.id}`);
    await ephemeral(h, alice, /Escalated #\d+ to level \d/);
    expect((await pdLogEntries(h, incident.id)).some((e) => e.type === 'escalate_log_entry')).toBe(true);
  }, 60_000);
});

describe('failures are shown, never swallowed', () => {
  it('PagerDuty failing: the person is told what failed, and the attempt is audited as an error', async () => {
    const incident = trigger(h, 'PagerDuty outage drill');
    h.pd.setFaults({ rules: [{ path: '/incidents/*', methods: ['PUT'], errorRate: 1, errorStatus: 503 }] });
    try {
      await cmd(h, alice, `ack ${incident.id}`);
      await ephemeral(
        h,
        alice,
        /Couldn't acknowledge the incident: PagerDuty (is unreachable|answered with an error)/,
        30_000,
      );
    } finally {
      h.pd.setFaults({});
    }
    expect((await pdIncident(h, incident.id)).status).toBe('triggered');
    const rows = await waitAsync(async () => {
      const r = await h.store.audit.list({ incidentId: incident.id, tool: 'update_incident' });
      return r.length > 0 ? r : undefined;
    });
    expect(rows[0]).toMatchObject({ outcome: 'error', slackUserId: alice });
    expect(rows[0]?.errorCode).toMatch(/^pagerduty_/);
  }, 60_000);

  it('a write whose answer was lost is reported as uncertain, never as "nothing changed"', async () => {
    const incident = trigger(h, 'Dropped connection drill');
    h.pd.setFaults({ rules: [{ path: '/incidents/*', methods: ['PUT'], resetRate: 1, resetAfterWrite: true }] });
    try {
      await cmd(h, alice, `ack ${incident.id}`);
      const msg = await ephemeral(h, alice, /Couldn't acknowledge the incident: PagerDuty did not confirm it/, 30_000);
      expect(msg.text).toContain('may or may not have happened');
      expect(msg.text).not.toContain('Nothing was changed');
    } finally {
      h.pd.setFaults({});
    }
    // It did happen: the person was right to check.
    expect((await pdIncident(h, incident.id)).status).toBe('acknowledged');
  }, 60_000);

  it('an incident PagerDuty does not know is named as such', async () => {
    await cmd(h, alice, 'ack PZZZZZZ');
    await ephemeral(h, alice, /Couldn't acknowledge the incident: PagerDuty says it does not exist/);
  }, 30_000);

  it('a Slack 429 on a post is retried later by a job, not dropped', async () => {
    const general = h.slack.channel('general')?.id as string;
    const results = [];
    for (let i = 0; i < 8; i++) {
      results.push(await h.bot.services.poster.post(general, buildNotice('info', `burst message ${i}`)));
    }
    expect(results.filter((r) => r.deferred).length).toBeGreaterThan(0);
    expect(h.slack.calls('chat.postMessage').filter((c) => c.status === 429).length).toBeGreaterThan(0);
    await h.slack.waitFor(
      () => {
        const texts = h.slack.messages(general).map((m) => m.text);
        return Array.from({ length: 8 }, (_, i) => `burst message ${i}`).every((t) => texts.some((x) => x.includes(t)));
      },
      { timeoutMs: 30_000 },
    );
    const jobs = await waitAsync(async () => {
      const list = await h.store.jobs.list({ kind: 'slack.retry_post' });
      return list.length > 0 && list.every((j) => j.state === 'succeeded') ? list : undefined;
    });
    expect(jobs.length).toBe(results.filter((r) => r.deferred).length);
  }, 60_000);

  it('an AI request whose placeholder hits a 429 still delivers its result (and no stale "working…" message)', async () => {
    const general = h.slack.channel('general')?.id as string;
    const incident = trigger(h, 'Rate limited triage drill');
    for (let i = 0; i < 6; i++) await h.bot.services.poster.post(general, buildNotice('info', `filler ${i}`));
    await cmd(h, alice, `triage ${incident.id}`, general);
    const result = await h.slack.waitFor(
      () => {
        const all = [
          ...h.slack.messages(general),
          ...h.slack.messages(general).flatMap((m) => h.slack.replies(general, m.ts)),
        ];
        return all.find(
          (m) =>
            JSON.stringify(m.blocks ?? []).includes('*✨ AI triage*') &&
            JSON.stringify(m.blocks ?? []).includes('Rate limited triage drill'),
        );
      },
      { timeoutMs: 40_000 },
    );
    expect(result).toBeDefined();
    const skipped = h.slack
      .calls('chat.postMessage')
      .filter((c) => c.status === 429 && String(c.args.text).startsWith('Working on AI triage'));
    expect(skipped.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    const all = [
      ...h.slack.messages(general),
      ...h.slack.messages(general).flatMap((m) => h.slack.replies(general, m.ts)),
    ];
    expect(
      all.filter((m) => m.text.startsWith('Working on AI triage') && m.text.includes(`#${incident.incident_number}`)),
    ).toEqual([]);
  }, 60_000);

  it('a request with a bad signature is refused and does nothing', async () => {
    const body = new URLSearchParams({
      command: '/incident',
      text: 'declare forged',
      user_id: alice,
      channel_id: h.channel,
      team_id: h.slack.team.id,
      trigger_id: '1.2.3',
      response_url: 'http://127.0.0.1:1/',
    }).toString();
    const res = await fetch(`http://127.0.0.1:${h.bot.receiver.port()}/slack/events`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        'X-Slack-Request-Timestamp': String(Math.floor(Date.now() / 1000)),
        'X-Slack-Signature': 'v0=0000000000000000000000000000000000000000000000000000000000000000',
      },
      body,
    });
    expect(res.status).toBe(401);
    expect(h.slack.openViews(alice).some((v) => JSON.stringify(v.blocks).includes('forged'))).toBe(false);
  }, 30_000);
});
