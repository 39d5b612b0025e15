import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import type { JobContext } from '../../../../src/store/index.js';
import { createChannelRouter } from '../../../../src/webhooks/pagerduty/channel-router.js';
import { WebhookJobKind } from '../../../../src/webhooks/pagerduty/intake.js';
import type { IncidentSlackSide } from '../../../../src/webhooks/pagerduty/ports.js';
import type { ReactionDeps } from '../../../../src/webhooks/pagerduty/reactions/deps.js';
import {
  createStormSummaryReaction,
  requestStormSummary,
  type StormSummaryJob,
} from '../../../../src/webhooks/pagerduty/reactions/storm-summary.js';
import { createSlackMessages } from '../../../../src/webhooks/pagerduty/slack-messages.js';
import { stormGapMs } from '../../../../src/webhooks/pagerduty/storm.js';
import { createToolCorrelator } from '../../../../src/webhooks/pagerduty/tool-correlator.js';
import { type Harness, startHarness } from '../../harness.js';

const policy = { threshold: 5, windowMs: 120_000 };

function jobContext(seq: number): JobContext {
  return {
    id: String(seq),
    kind: WebhookJobKind.stormSummary,
    attempt: 1,
    maxAttempts: 10,
    createdAt: new Date(),
    runAt: new Date(),
    dedupeKey: null,
    orderingKey: 'storm:test',
    signal: new AbortController().signal,
    logger: silentLogger(),
  };
}

describe('storm summary reaction', () => {
  const clock = createManualClock(Date.UTC(2026, 2, 3, 3, 0, 0));
  let h: Harness;
  let deps: ReactionDeps;
  let incidentIds: string[];
  let windowId: string;

  beforeAll(async () => {
    h = await startHarness({ clock });
    const service = h.pd.org.services[0];
    if (!service) throw new Error('no seeded service');
    incidentIds = [];
    for (let i = 0; i < 12; i++) {
      const incident = h.pd.triggerIncident({
        serviceId: service.id,
        title: `Checkout 502s from payments gateway (${i})`,
        urgency: 'high',
      });
      incidentIds.push(incident.id);
      clock.advance(2_000);
    }
    for (const [i, id] of incidentIds.entries()) {
      const { window } = await h.store.stormWindows.record(h.channelId, id, {
        windowMs: stormGapMs(policy),
        at: clock.now() - (incidentIds.length - i) * 2_000,
      });
      windowId = window.id;
    }
    const notUsed = (): never => {
      throw new Error('the storm summary never touches incident cards');
    };
    const slackSide: IncidentSlackSide = {
      postCard: notUsed,
      refreshCards: notUsed,
      cardPostPending: notUsed,
      postInThread: notUsed,
      startTriage: notUsed,
      startPostmortem: notUsed,
      openIncidentChannel: notUsed,
    };
    deps = {
      store: h.store,
      slack: slackSide,
      messages: createSlackMessages(h.client),
      router: createChannelRouter({
        subscribedChannels: async () => [],
        fileRoutes: new Map(),
        defaultChannel: h.channelId,
        logger: silentLogger(),
      }),
      tools: h.tools,
      correlate: createToolCorrelator(h.tools, clock, silentLogger()),
      metrics: h.metrics,
      clock,
      logger: silentLogger(),
      options: { storm: policy, incidentChannelUrgency: 'high', summaryDebounceMs: 1000, summaryMinIntervalMs: 3000 },
    };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('posts the counts at once, then the correlation with merge buttons, updating that same message', async () => {
    const run = createStormSummaryReaction(deps);
    const job: StormSummaryJob = { windowId, channelId: h.channelId, seq: 12, settle: false };
    await run(job, jobContext(12));
    const messages = h.slack.messages(h.channelId);
    expect(messages).toHaveLength(1);
    const summary = messages[0];
    const first = JSON.stringify(summary?.blocks);
    expect(first).toContain('⚡ Alert storm: 12 incidents');
    expect(first).toContain('*12* triggered');
    expect(first).toContain('Correlating these incidents');
    expect(first).not.toContain('correlation_merge');
    expect((await h.store.stormWindows.get(windowId))?.messageTs).toBe(summary?.ts);
    // The follow-up render is queued right behind, in the channel's order.
    const followUp = (await h.store.jobs.list({ kind: WebhookJobKind.stormSummary })).find(
      (j) => j.state === 'pending',
    );
    expect(followUp?.payload).toEqual({ ...job, seq: 12 });
    expect(followUp?.orderingKey).toBe(`storm:${h.channelId}`);

    await run(job, jobContext(12));
    expect(h.slack.messages(h.channelId)).toHaveLength(1);
    const correlated = JSON.stringify(h.slack.message(h.channelId, summary?.ts as string)?.blocks);
    expect(correlated).toContain('correlation_merge');
    expect(correlated).toContain('Correlation: heuristic engine');
    // A settle job was scheduled for when the window has been quiet for the gap.
    const settle = (await h.store.jobs.list({ kind: WebhookJobKind.stormSummary })).find(
      (j) => (j.payload as StormSummaryJob).settle,
    );
    expect(settle).toBeDefined();

    // PagerDuty changes; the latest job re-renders in place.
    h.pd.acknowledge(incidentIds[0] as string);
    clock.advance(5_000);
    await run(job, jobContext(12));
    expect(h.slack.messages(h.channelId)).toHaveLength(1);
    const updated = JSON.stringify(h.slack.message(h.channelId, summary?.ts as string)?.blocks);
    expect(updated).toContain('*1* acknowledged');
    expect(h.slack.calls('chat.update')).toHaveLength(2);
    expect(h.slack.calls('chat.postMessage')).toHaveLength(1);
  });

  it('renders the settled state last, only if no incident joined since', async () => {
    const run = createStormSummaryReaction(deps);
    const updatesBefore = h.slack.calls('chat.update').length;
    // A settle job for an older size does nothing; one for the current size renders "Settled".
    await run({ windowId, channelId: h.channelId, seq: 11, settle: true }, jobContext(11));
    expect(h.slack.calls('chat.update').length).toBe(updatesBefore);
    clock.advance(stormGapMs(policy));
    await run({ windowId, channelId: h.channelId, seq: 12, settle: true }, jobContext(12));
    expect(h.slack.calls('chat.update').length).toBe(updatesBefore + 1);
    const [summary] = h.slack.messages(h.channelId);
    expect(JSON.stringify(summary?.blocks)).toContain('Settled: nothing new since');
    expect(h.slack.messages(h.channelId)).toHaveLength(1);
  });

  it('coalesces render requests: one waiting render per window, a second only behind a running one', async () => {
    const { window } = await h.store.stormWindows.record('CCOALESCE1', 'PCOAL01', { windowMs: 30_000 });
    const request = { windowId: window.id, channelId: 'CCOALESCE1', seq: 1 };
    const pending = async (): Promise<number> =>
      (await h.store.jobs.list({ kind: WebhookJobKind.stormSummary, state: 'pending' })).filter(
        (j) => (j.payload as StormSummaryJob).windowId === window.id,
      ).length;
    for (let i = 0; i < 25; i++) await requestStormSummary(deps, request, clock.now());
    expect(await pending()).toBe(1);
    // The waiting render starts (it will read the window as it is then): the next request queues one behind it.
    const claimed = await h.store.jobs.claim('test-worker', [WebhookJobKind.stormSummary], 10, 60_000);
    expect(claimed.filter((j) => (j.payload as StormSummaryJob).windowId === window.id)).toHaveLength(1);
    for (let i = 0; i < 25; i++) await requestStormSummary(deps, request, clock.now());
    expect(await pending()).toBe(1);
    const all = (await h.store.jobs.list({ kind: WebhookJobKind.stormSummary })).filter(
      (j) => (j.payload as StormSummaryJob).windowId === window.id,
    );
    expect(all.map((j) => j.state).sort()).toEqual(['pending', 'running']);
    expect(new Set(all.map((j) => j.orderingKey))).toEqual(new Set(['storm:CCOALESCE1']));
  });

  it('still posts counts when correlation fails, and ends quietly for a purged window', async () => {
    const run = createStormSummaryReaction({
      ...deps,
      correlate: async () => {
        throw new Error('engine down');
      },
    });
    clock.advance(10_000);
    await run({ windowId, channelId: h.channelId, seq: 12, settle: false }, jobContext(12));
    const [summary] = h.slack.messages(h.channelId);
    expect(JSON.stringify(summary?.blocks)).toContain('Correlation unavailable right now');
    await expect(
      run({ windowId: '999999', channelId: h.channelId, seq: 1, settle: false }, jobContext(1)),
    ).resolves.toBeUndefined();
  });

  it('dead-letters a malformed job payload at once', async () => {
    const run = createStormSummaryReaction(deps);
    await expect(run({ windowId: 'x', channelId: 'general', seq: 0 }, jobContext(0))).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});
