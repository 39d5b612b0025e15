/**
 * "Ack first": for every slash command, button, menu, modal submission and event, the acknowledgement leaves the
 * bot before the first PagerDuty request or tool run it causes. Times come from the instrumented receiver (after
 * Bolt sent the ack) and from the PagerDuty transport (when each request started), on one monotonic clock.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActionId, InputId } from '../../../src/slack/ids.js';
import { card, type Harness, startHarness, threadOf, trigger, waitAsync } from './harness.js';

let h: Harness;
let alice: string;
const latencies: number[] = [];

beforeAll(async () => {
  h = await startHarness();
  alice = h.users.mapped[0] as string;
}, 120_000);
afterAll(async () => {
  if (latencies.length > 0) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]?.toFixed(1);
    console.log(`ack latency over ${sorted.length} requests: p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms`);
  }
  await h?.close();
});

/**
 * Waits until the bot is idle: every request it acknowledged has finished its listeners, no job is pending or
 * running, and nothing new arrived for a moment (so the next interaction's calls are its own).
 */
async function settle(): Promise<void> {
  await waitAsync(async () => {
    if (h.timeline.handled.length < h.timeline.acks.length) return false;
    const stats = await h.store.jobs.stats();
    if (stats.counts.pending > 0 || stats.counts.running > 0) return false;
    const last = Math.max(h.timeline.pd.at(-1)?.at ?? 0, h.timeline.handled.at(-1)?.at ?? 0);
    return performance.now() - last > 150;
  }, 30_000);
}

/**
 * Runs one interaction and checks ordering: its ack precedes every PagerDuty request and tool run that started
 * after the interaction was sent. Returns how many PagerDuty requests it caused.
 */
async function ackFirst(label: string, send: () => Promise<{ ok: boolean; ackMs: number }>): Promise<number> {
  await settle();
  const start = performance.now();
  const result = await send();
  expect(result.ok, label).toBe(true);
  await settle();
  const acks = h.timeline.acks.filter((a) => a.at >= start);
  const pd = h.timeline.pd.filter((p) => p.at >= start);
  const tools = h.timeline.tools.filter((t) => t.at >= start);
  expect(acks.length, `${label}: acknowledged`).toBeGreaterThanOrEqual(1);
  const ackAt = Math.min(...acks.map((a) => a.at));
  for (const p of pd)
    expect(p.at, `${label}: PagerDuty ${p.method} ${p.url} started before the ack`).toBeGreaterThan(ackAt);
  for (const t of tools) expect(t.at, `${label}: tool ${t.name} started before the ack`).toBeGreaterThan(ackAt);
  latencies.push(result.ackMs);
  return pd.length;
}

describe('every request is acknowledged before any PagerDuty or AI call', () => {
  it('slash commands', async () => {
    const incident = trigger(h, 'Ack-first drill: disk full on db-7');
    const other = trigger(h, 'Ack-first drill: second incident');
    const bob = h.users.mapped[1] as string;
    const service = h.pd.org.services[0]?.name ?? '';
    const texts = [
      'help',
      'frobnicate',
      `show ${incident.id}`,
      `list`,
      `list resolved ${service}`,
      `ack #${incident.incident_number}`,
      `note ${incident.id} looking`,
      `escalate ${incident.id}`,
      `snooze ${incident.id} 15m`,
      `reassign ${incident.id} <@${bob}|bob>`,
      `reassign ${incident.id}`,
      `page ${incident.id} <@${bob}|bob>`,
      `update ${incident.id} investigating`,
      `update ${incident.id}`,
      `role ${incident.id} scribe <@${bob}|bob>`,
      'oncall',
      `oncall ${service}`,
      `triage ${incident.id}`,
      `analyze ${incident.id}`,
      `runbook ${incident.id}`,
      `responder ${incident.id}`,
      `postmortem ${incident.id}`,
      `correlate ${other.id}`,
      'fatigue',
      `subscribe ${service}`,
      `resolve ${incident.id} fixed`,
      'declare Ack-first declared',
    ];
    let pdCalls = 0;
    for (const text of texts) {
      pdCalls += await ackFirst(`/incident ${text}`, () =>
        h.slack.sendSlashCommand({ userId: alice, channelId: h.channel, text }),
      );
    }
    expect(pdCalls).toBeGreaterThan(texts.length);
  }, 240_000);

  it('buttons, menus, modal submissions and events', async () => {
    const incident = trigger(h, 'Ack-first drill: buttons');
    await h.slack.sendSlashCommand({ userId: alice, channelId: h.channel, text: `show ${incident.id}` });
    const c = await card(h, incident.id);
    const ts = c.link.messageTs as string;
    const click = (actionId: string) => () =>
      h.slack.clickButton({ userId: alice, channelId: h.channel, messageTs: ts, actionId });
    const menu = (choice: string) => () =>
      h.slack.selectOption({
        userId: alice,
        channelId: h.channel,
        messageTs: ts,
        actionId: ActionId.overflow,
        value: `${choice}|${incident.id}`,
      });

    await ackFirst('AI button', click(ActionId.ai));
    await ackFirst('overflow note', menu('note'));
    const note = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_note_modal'),
    );
    await ackFirst('note submission', () =>
      h.slack.submitView({
        userId: alice,
        viewId: note.id,
        values: { [InputId.note]: { [InputId.note]: 'from the modal' } },
      }),
    );
    await ackFirst('overflow runbook', menu('runbook'));
    await ackFirst('overflow reassign', menu('reassign'));
    await ackFirst('Acknowledge', click(ActionId.acknowledge));
    const fresh = await waitAsync(async () => {
      const cc = await card(h, incident.id);
      return cc.json.includes('snooze|') ? cc : undefined;
    });
    const select = JSON.parse(fresh.json) as Array<{
      elements?: Array<{ action_id: string; options?: Array<{ value: string }> }>;
    }>;
    const option = select.flatMap((b) => b.elements ?? []).find((e) => e.action_id === ActionId.escalate)
      ?.options?.[0]?.value;
    await ackFirst('Escalate select', () =>
      h.slack.selectOption({
        userId: alice,
        channelId: h.channel,
        messageTs: ts,
        actionId: ActionId.escalate,
        value: option as string,
      }),
    );
    await ackFirst('Open channel', click(ActionId.openChannel));
    const channel = await waitAsync(async () => (await h.store.incidentLinks.get(incident.id))?.incidentChannelId);
    await ackFirst(
      'message event',
      async () =>
        (await h.slack.postUserMessage({ userId: alice, channelId: channel, text: 'disk at 99%' })).deliveries[0] ?? {
          ok: false,
          ackMs: 0,
        },
    );
    const pinTarget = h.slack.messages(channel).at(-1)?.ts as string;
    await ackFirst('reaction event', () =>
      h.slack.addReaction({ userId: alice, channelId: channel, ts: pinTarget, name: 'pushpin' }),
    );
    await ackFirst('mention event', async () => {
      const r = await h.slack.postUserMessage({
        userId: alice,
        channelId: channel,
        text: `<@${h.slack.bot.userId}> summary`,
      });
      return r.deliveries.find((d) => JSON.stringify(d.payload).includes('app_mention')) ?? { ok: false, ackMs: 0 };
    });
    await ackFirst('Resolve button', click(ActionId.resolve));
    const resolve = await h.slack.waitFor(() =>
      h.slack.openViews(alice).find((v) => v.callback_id === 'incident_resolve_modal' && v.submit),
    );
    await ackFirst('resolve submission', () =>
      h.slack.submitView({
        userId: alice,
        viewId: resolve.id,
        values: { [InputId.resolution]: { [InputId.resolution]: 'done' } },
      }),
    );
    const pm = await h.slack.waitFor(
      () => threadOf(h, h.channel, ts).find((m) => m.json.includes('🧾 Postmortem draft')),
      { timeoutMs: 30_000 },
    );
    await ackFirst('Export Markdown', () =>
      h.slack.clickButton({
        userId: alice,
        channelId: h.channel,
        messageTs: pm.ts,
        actionId: ActionId.exportPostmortem,
      }),
    );
    await ackFirst('Regenerate', () =>
      h.slack.clickButton({
        userId: alice,
        channelId: h.channel,
        messageTs: pm.ts,
        actionId: ActionId.regeneratePostmortem,
      }),
    );
  }, 240_000);
});
