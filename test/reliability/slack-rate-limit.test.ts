/**
 * Slack's Web API answering 429 (`ratelimited`, with Retry-After) during a burst of posts to one channel: every
 * card and AI post is delivered later, none is dropped. The emulator enforces Slack's per-channel posting limit
 * (here 1 message per second, burst 1), so a burst of eight cards is mostly refused at first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cmd, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, metricValue, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';
import { messageText } from './answers.js';

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({ seed: 67, slackRateLimit: { perChannelPerSecond: 1, burst: 1 } });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

describe('Slack rate limiting posts (429)', () => {
  it('a burst of cards and AI posts in one channel is delivered later, every one of them', async () => {
    const service = s.pd.org.services[0];
    if (!service) throw new Error('no service');
    const incidents = Array.from({ length: 8 }, (_, i) =>
      s.pd.triggerIncident({ serviceId: service.id, title: `Rate limit drill ${i} cart errors` }),
    );
    await cmd(s, s.users.mapped[0] as string, 'list');
    await Promise.all(
      incidents.map((incident, i) =>
        cmd(s, s.users.mapped[i % s.users.mapped.length] as string, `show ${incident.id}`),
      ),
    );
    // Every card arrives (some after Slack's Retry-After), and each is linked to its incident.
    for (const incident of incidents) {
      await waitAsync(async () => {
        const link = await s.store.incidentLinks.get(incident.id);
        return link?.messageTs && s.slack.message(link.channelId as string, link.messageTs) ? link : undefined;
      }, 120_000);
    }
    const cards = s.slack.messages(s.channel).filter((m) => /Rate limit drill \d cart errors/.test(messageText(m)));
    expect(cards).toHaveLength(8);
    const refused = s.slack.calls('chat.postMessage').filter((c) => c.error === 'ratelimited');
    expect(refused.length).toBeGreaterThan(0);

    // AI posts into the same channel's threads while it is still rate limited: all finish.
    const first = incidents.slice(0, 3);
    await Promise.all(first.map((incident) => cmd(s, s.users.mapped[0] as string, `triage ${incident.id}`)));
    for (const incident of first) {
      const link = await s.store.incidentLinks.get(incident.id);
      await s.slack.waitFor(
        () =>
          s.slack
            .replies(s.channel, link?.messageTs as string)
            .find((m) => /AI triage/.test(messageText(m)) && !/Working on/.test(messageText(m))),
        { timeoutMs: 120_000 },
      );
    }
    await waitAsync(async () => {
      const stats = await s.store.jobs.stats();
      return stats.counts.pending + stats.counts.running === 0;
    }, 120_000);
    const dead = (await s.store.jobs.list({ limit: 200 })).filter((j) => j.state === 'dead');
    expect(dead).toEqual([]);
    // /metrics saw every Web API call the workspace answered, and every refusal by Slack's reason.
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const byMethod = new Map<string, number>();
    for (const call of s.slack.calls()) byMethod.set(call.method, (byMethod.get(call.method) ?? 0) + 1);
    // Shortcut methods (client.chat.postEphemeral, client.auth.test) as well as direct apiCall uses.
    expect([...byMethod.keys()]).toEqual(
      expect.arrayContaining(['auth.test', 'chat.postEphemeral', 'chat.postMessage']),
    );
    for (const [method, count] of byMethod) {
      expect(metricValue(metrics, 'incident_bot_slack_api_calls_total', { method }), method).toBe(count);
    }
    const refusedNow = s.slack.calls('chat.postMessage').filter((c) => c.error === 'ratelimited').length;
    expect(
      metricValue(metrics, 'incident_bot_slack_api_errors_total', { method: 'chat.postMessage', error: 'ratelimited' }),
    ).toBe(refusedNow);
    expect(metricValue(metrics, 'incident_bot_slack_api_request_seconds_count', { method: 'chat.postMessage' })).toBe(
      byMethod.get('chat.postMessage'),
    );
    expect(
      metricValue(metrics, 'incident_bot_jobs_processed_total', { kind: 'slack.retry_post', outcome: 'succeeded' }),
    ).toBeGreaterThan(0);
    console.info(`Slack 429: ${refusedNow} posts refused with ratelimited, all delivered later`);
    expect(tracker.faults).toEqual([]);
  }, 300_000);
});
