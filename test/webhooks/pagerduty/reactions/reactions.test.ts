/**
 * The incident reactions run directly (as the worker would) on the real Slack services, store and PagerDuty
 * simulator, for the cases an end-to-end flow does not reach: unrouted services, incidents declared from Slack,
 * merges, shortened notes, bot notes, retries and malformed jobs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../../../src/sandbox/slack/index.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import type { JobContext } from '../../../../src/store/index.js';
import { markBotNote } from '../../../../src/webhooks/pagerduty/bot-notes.js';
import { WebhookJobKind, type WebhookJobPayload } from '../../../../src/webhooks/pagerduty/intake.js';
import { triageKey } from '../../../../src/webhooks/pagerduty/reactions/triggered.js';
import { startWebhookHarness, until, type WebhookHarness } from '../../../e2e/webhooks/harness.js';

const text = (m: Message | undefined): string => JSON.stringify(m?.blocks ?? []) + (m?.text ?? '');

let seq = 0;
function job(kind: string): JobContext {
  seq += 1;
  return {
    id: String(seq),
    kind,
    attempt: 1,
    maxAttempts: 10,
    createdAt: new Date(),
    runAt: new Date(),
    dedupeKey: null,
    orderingKey: null,
    signal: new AbortController().signal,
    logger: silentLogger(),
  };
}

describe('webhook reactions on the real Slack services', () => {
  let h: WebhookHarness;

  function payload(
    eventType: string,
    data: Record<string, unknown>,
    agent: Record<string, unknown> | null = null,
  ): WebhookJobPayload {
    seq += 1;
    return {
      webhookId: `wh-${seq}`,
      receivedAt: Date.now(),
      event: {
        id: `01REACT${String(seq).padStart(10, '0')}`,
        event_type: eventType,
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        agent,
        client: null,
        data,
      },
    };
  }

  async function run(kind: string, p: WebhookJobPayload): Promise<void> {
    const handler = h.reactions[kind];
    if (!handler) throw new Error(`no handler for ${kind}`);
    await handler(p, job(kind));
  }

  async function cardFor(incidentId: string): Promise<{ ts: string }> {
    await run(WebhookJobKind.triggered, payload('incident.triggered', await h.incidentData(incidentId)));
    const link = await h.store.incidentLinks.get(incidentId);
    if (!link?.messageTs) throw new Error('no card');
    return { ts: link.messageTs };
  }

  beforeAll(async () => {
    h = await startWebhookHarness({ subscribe: false, rateLimit: false, incidentChannelUrgency: 'never' });
    await h.worker.stop();
  });
  afterAll(async () => {
    await h?.close();
  });

  it('skips an incident of an unrouted service without touching Slack', async () => {
    const incident = h.trigger('Search indexer stalled', { urgency: 'high', service: 1 });
    const calls = h.slack.calls().length;
    await run(WebhookJobKind.triggered, payload('incident.triggered', await h.incidentData(incident.id)));
    expect(h.slack.calls().length).toBe(calls);
    expect(await h.store.incidentLinks.get(incident.id)).toBeUndefined();
  });

  it('leaves an incident declared from Slack to that flow: the card is refreshed, no second card or triage', async () => {
    const incident = h.trigger('Declared from Slack: refunds failing');
    const { ts } = await h.bot.services.cards.post(incident.id, h.channel, { primary: true });
    if (!ts) throw new Error('card not posted');
    const before = h.slack.messages(h.channel).length;
    await run(WebhookJobKind.triggered, payload('incident.triggered', await h.incidentData(incident.id)));
    expect(h.slack.messages(h.channel).length).toBe(before);
    expect(h.slack.replies(h.channel, ts)).toHaveLength(0);
    expect(
      (await h.store.jobs.list({ kind: 'slack.ai_post' })).some(
        (j) => (j.payload as { incidentId?: string }).incidentId === incident.id,
      ),
    ).toBe(false);
  });

  it('posts the card and starts triage once, even when the job runs again', async () => {
    const incident = h.trigger('Card once: webhook retried');
    const p = payload('incident.triggered', await h.incidentData(incident.id));
    await run(WebhookJobKind.triggered, p);
    await run(WebhookJobKind.triggered, p);
    expect(h.slack.messages(h.channel).filter((m) => m.text.includes('Card once: webhook retried'))).toHaveLength(1);
    const triage = (await h.store.jobs.list({ kind: 'slack.ai_post' })).filter(
      (j) => (j.payload as { incidentId?: string }).incidentId === incident.id,
    );
    expect(triage).toHaveLength(1);
  });

  it('starts triage when an earlier attempt claimed it and stopped before it was done, and only once', async () => {
    const incident = h.trigger('Triage after a stop mid-step');
    // An attempt that claimed the triage step and was killed before the triage job existed.
    await h.store.processedKeys.claimOnce(triageKey(incident.id));
    const p = payload('incident.triggered', await h.incidentData(incident.id));
    await run(WebhookJobKind.triggered, p);
    await run(WebhookJobKind.triggered, p);
    const triage = (await h.store.jobs.list({ kind: 'slack.ai_post' })).filter(
      (j) => (j.payload as { incidentId?: string }).incidentId === incident.id,
    );
    expect(triage).toHaveLength(1);
  });

  it('says "merged into" instead of drafting a postmortem for an incident resolved by a merge', async () => {
    const incident = h.trigger('Duplicate of the DNS outage');
    const { ts } = await cardFor(incident.id);
    const data = {
      ...(await h.incidentData(incident.id)),
      status: 'resolved',
      resolve_reason: {
        type: 'merge_resolve_reason',
        incident: {
          id: 'QTARGET0000001',
          type: 'incident_reference',
          summary: '#900 DNS outage',
          html_url: 'https://acme.pagerduty.com/incidents/QTARGET0000001',
        },
      },
    };
    await run(WebhookJobKind.resolved, payload('incident.resolved', data));
    const replies = h.slack.replies(h.channel, ts);
    expect(
      replies.some((m) =>
        text(m).includes('Merged into <https://acme.pagerduty.com/incidents/QTARGET0000001|#900 DNS outage>'),
      ),
    ).toBe(true);
    expect(await h.store.processedKeys.has(`postmortem:${incident.id}`)).toBe(false);
  });

  it('mirrors a shortened note in full, once, and keeps bot notes in the timeline without echoing them', async () => {
    const incident = h.trigger('Notes: long handover');
    const { ts } = await cardFor(incident.id);
    const long = `Handover: ${'queue drained, '.repeat(60)}END-OF-NOTE`;
    const note = { id: await h.addNote(incident.id, h.pd.org.users[1]?.email as string, long) };
    const ref = { id: incident.id, type: 'incident_reference', summary: 'Notes: long handover' };
    const shortened = payload(
      'incident.annotated',
      { id: note.id, type: 'incident_note', content: long.slice(0, 100), trimmed: true, incident: ref },
      { id: 'PUSER01', type: 'user_reference', summary: h.pd.org.users[1]?.name },
    );
    await run(WebhookJobKind.annotated, shortened);
    await run(WebhookJobKind.annotated, shortened);
    const mirrors = h.slack.replies(h.channel, ts).filter((m) => text(m).includes('added a note in PagerDuty'));
    expect(mirrors).toHaveLength(1);
    expect(text(mirrors[0])).toContain('END-OF-NOTE');
    expect(text(mirrors[0])).not.toContain('PagerDuty shortened this note');

    await markBotNote(h.store.processedKeys, { incidentId: incident.id, content: 'Status page updated (from Slack)' });
    await run(
      WebhookJobKind.annotated,
      payload('incident.annotated', {
        id: 'PBOTNOTE1',
        type: 'incident_note',
        content: 'Status page updated (from Slack)',
        trimmed: false,
        incident: ref,
      }),
    );
    expect(h.slack.replies(h.channel, ts).filter((m) => text(m).includes('added a note in PagerDuty'))).toHaveLength(1);
    const timeline = await h.store.timeline.list(incident.id);
    expect(
      timeline
        .filter((e) => e.source === 'note')
        .map((e) => e.ts)
        .sort(),
    ).toEqual([note.id, 'PBOTNOTE1'].sort());
  });

  it('dead-letters a job whose payload is not a webhook event (invalid_input, no retry)', async () => {
    await expect(
      run(WebhookJobKind.cardUpdate, { webhookId: 'x', receivedAt: 1, event: { nope: true } }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await expect(
      run(
        WebhookJobKind.triggered,
        payload('incident.annotated', { id: 'N', type: 'incident_note', content: 'x', incident: { id: 'Q1' } }),
      ),
    ).rejects.toThrow(/triggered reaction got a note event/);
  });
});

describe('triggered reaction under Slack rate limiting', () => {
  let h: WebhookHarness;
  beforeAll(async () => {
    // The worker keeps running (it carries out the Slack bot's deferred post); the reaction is called directly.
    h = await startWebhookHarness({
      subscribe: false,
      rateLimit: { perChannelPerSecond: 1, burst: 1 },
      incidentChannelUrgency: 'never',
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('waits for a card Slack deferred instead of posting a second one, then triages under it', async () => {
    const incident = h.trigger('Rate limited: webhook card deferred');
    seq += 1;
    const p: WebhookJobPayload = {
      webhookId: `wh-rl-${seq}`,
      receivedAt: Date.now(),
      event: {
        id: `01RATELIMIT${seq}`,
        event_type: 'incident.triggered',
        resource_type: 'incident',
        occurred_at: new Date().toISOString(),
        agent: null,
        client: null,
        data: await h.incidentData(incident.id),
      },
    };
    const handler = h.reactions[WebhookJobKind.triggered];
    if (!handler) throw new Error('no triggered handler');
    // Use up the channel's burst so the card's post is answered 429 and deferred to a retry job.
    await h.bot.client.chat.postMessage({ channel: h.channel, text: 'filler' });
    await expect(handler(p, job(WebhookJobKind.triggered))).rejects.toMatchObject({ code: 'slack_api_error' });
    expect(h.slack.messages(h.channel).some((m) => m.text.includes('Rate limited: webhook card deferred'))).toBe(false);
    // A retry before Slack took the card does not post another one.
    await expect(handler(p, job(WebhookJobKind.triggered))).rejects.toMatchObject({ code: 'slack_api_error' });
    // Slack's Retry-After passes; the deferred post goes out and links the card; the job's next attempt triages.
    await until(async () => (await h.store.incidentLinks.get(incident.id))?.messageTs, 30_000);
    await handler(p, job(WebhookJobKind.triggered));
    expect(
      h.slack.messages(h.channel).filter((m) => m.text.includes('Rate limited: webhook card deferred')),
    ).toHaveLength(1);
    const triage = (await h.store.jobs.list({ kind: 'slack.ai_post' })).filter(
      (j) => (j.payload as { incidentId?: string }).incidentId === incident.id,
    );
    expect(
      triage.length + (await h.store.jobs.list({ kind: 'slack.retry_post', state: 'pending' })).length,
    ).toBeGreaterThanOrEqual(1);
  }, 120_000);
});
