import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../../src/sandbox/slack/index.js';
import { ActionId } from '../../../src/slack/ids.js';
import { startWebhookHarness, until, type WebhookHarness } from './harness.js';

const text = (m: Message | undefined): string => JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');

describe('alert storm (end to end, with Slack’s per-channel rate limit)', () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    // 5 incidents within 8 s make a storm (chained at most 2 s apart); the summary settles 2 s after the last one.
    h = await startWebhookHarness({
      routeAll: true,
      storm: { threshold: 5, windowMs: 8_000 },
      summary: { debounceMs: 300, minIntervalMs: 1_000 },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts one correlation summary updated in place instead of a card per incident', async () => {
    const storm = h.pd.alertStorm({ count: 40, withinMs: 60_000 });
    expect(storm).toHaveLength(40);
    const summary = await h.slack.waitFor(
      () => h.slack.messages(h.channel).find((m) => text(m).includes('Alert storm')),
      {
        timeoutMs: 60_000,
      },
    );
    // It settles on all 40, with merge suggestions a human confirms.
    const final = await until(() => {
      const now = h.slack.message(h.channel, summary.ts);
      return now && text(now).includes('Alert storm: 40 incidents') && text(now).includes('Settled') ? now : undefined;
    }, 120_000);
    await h.settle(120_000);
    const json = text(h.slack.message(h.channel, summary.ts) ?? final);
    expect(json).toContain(ActionId.merge);
    expect(json).toMatch(/Correlation: heuristic engine/);

    const top = h.slack.messages(h.channel);
    const summaries = top.filter((m) => text(m).includes('Alert storm'));
    const cards = top.filter(
      (m) => text(m).includes(ActionId.acknowledge) || /Resolved|Acknowledged|Triggered/.test(m.text),
    );
    expect(summaries).toHaveLength(1);
    // Only the incidents before the storm was recognised (threshold − 1) got cards of their own.
    expect(cards.length).toBe(4);
    expect(
      h.slack.calls('chat.postMessage').filter((c) => c.args.channel === h.channel && !c.args.thread_ts && c.ok).length,
    ).toBe(5);
    // Updates in place stay few: coalesced, not one per incident.
    const updates = h.slack.calls('chat.update').filter((c) => c.args.ts === summary.ts);
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(updates.length).toBeLessThan(20);
    expect((await h.store.jobs.list({ state: 'dead' })).map((j) => [j.kind, j.lastError])).toEqual([]);

    // A human confirms a merge suggestion: the Slack bot's merge listener merges them in PagerDuty.
    const blocks = (h.slack.message(h.channel, summary.ts)?.blocks ?? []) as Array<{
      type: string;
      block_id?: string;
      elements?: Array<{ action_id: string; value: string }>;
    }>;
    const mergeBlock = blocks.find(
      (b) => b.type === 'actions' && b.elements?.[0]?.action_id.startsWith(ActionId.merge),
    );
    const button = mergeBlock?.elements?.[0];
    if (!button || !mergeBlock?.block_id) throw new Error('no merge button');
    const [target, sources] = button.value.split('|') as [string, string];
    const sourceIds = sources.split(',');
    const user = h.usersByEmail.get(h.pd.org.users[0]?.email as string) as string;
    const click = await h.slack.clickButton({
      userId: user,
      channelId: h.channel,
      messageTs: summary.ts,
      actionId: button.action_id,
      blockId: mergeBlock.block_id,
    });
    expect(click.ok).toBe(true);
    await until(() => {
      const all = h.pd.listIncidents({ limit: 500 });
      return sourceIds.every((id) => all.find((i) => i.id === id)?.status === 'resolved') ? true : undefined;
    }, 60_000);
    expect(h.pd.listIncidents({ limit: 500 }).find((i) => i.id === target)?.status).not.toBe('resolved');
  }, 240_000);
});
