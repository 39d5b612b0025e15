/**
 * "Does nothing twice" when a PagerDuty write succeeded but its answer was lost (the connection dropped after
 * PagerDuty applied it — the case idempotent clients must survive): the declare job, which retries, must not open a
 * second incident, and a person is never told "nothing was changed" about a change that may have happened.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPagerDutyClient } from '../../src/pagerduty/index.js';
import { asAppError } from '../../src/shared/errors.js';
import { silentLogger } from '../../src/shared/logger.js';
import { ActionId, CallbackId, InputId } from '../../src/slack/ids.js';
import { failureText } from '../../src/slack/listeners/shared.js';
import { card, cmd, ephemeral, pdIncident, pdNotes, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({ seed: 43 });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

/** Drops the connection after PagerDuty applied the first matching write; later requests are answered normally. */
function loseFirstAnswer(method: string, path: RegExp): void {
  s.pd.setFaults({ rules: [{ path, methods: [method], resetRate: 1, resetAfterWrite: true }] });
  const stop = s.pd.onExchange((x) => {
    if (x.method === method && path.test(x.path) && x.status === 0) {
      s.pd.setFaults({});
      stop();
    }
  });
}

describe('a write applied by PagerDuty whose answer was lost', () => {
  it('declare: the retried job does not open a second incident, and the person gets the one card', async () => {
    const alice = s.users.mapped[0] as string;
    const service = s.pd.org.services[0];
    if (!service) throw new Error('no service');
    await cmd(s, alice, 'declare Lost answer on declare');
    const view = await s.slack.waitFor(
      () => s.slack.openViews(alice).find((v) => v.callback_id === CallbackId.declare && v.submit),
      { timeoutMs: 60_000 },
    );
    loseFirstAnswer('POST', /^\/incidents$/);
    const submitted = await s.slack.submitView({
      userId: alice,
      viewId: view.id,
      values: {
        [InputId.title]: { [InputId.title]: 'Lost answer on declare' },
        [InputId.service]: { [InputId.service]: service.id },
        [InputId.urgency]: { [InputId.urgency]: 'high' },
      },
    });
    expect(submitted.ok).toBe(true);
    const created = await waitAsync(
      async () => s.pd.listIncidents({ limit: 500 }).find((i) => i.title === 'Lost answer on declare'),
      60_000,
    );
    await card(s, created.id, 90_000);
    await waitAsync(async () => {
      const stats = await s.store.jobs.stats();
      return stats.counts.pending + stats.counts.running === 0;
    }, 120_000);
    expect(s.exchanges.some((x) => x.method === 'POST' && x.path === '/incidents' && x.status === 0)).toBe(true);
    expect(s.pd.listIncidents({ limit: 500 }).filter((i) => i.title === 'Lost answer on declare')).toHaveLength(1);
  }, 240_000);

  it('note: the person is not told nothing changed, and the note is there once', async () => {
    const bob = s.users.mapped[1] as string;
    const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Lost note answer' });
    loseFirstAnswer('POST', /^\/incidents\/[^/]+\/notes$/);
    await cmd(s, bob, `note ${incident.id} the cache was flushed`);
    const reply = await ephemeral(s, bob, /note/i, 60_000);
    expect(reply.text).not.toMatch(/Nothing was changed/);
    expect(reply.text).toMatch(/may or may not|check/i);
    const notes = (await pdNotes(s, incident.id)).filter((n) => n.content.includes('the cache was flushed'));
    expect(notes).toHaveLength(1);
  }, 120_000);

  it('acknowledge button: the person is not told nothing changed when the acknowledgement went through', async () => {
    const carol = s.users.mapped[2] as string;
    const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title: 'Lost ack answer' });
    await cmd(s, carol, `show ${incident.id}`);
    const c = await card(s, incident.id, 60_000);
    loseFirstAnswer('PUT', /^\/incidents\/[^/]+$/);
    await s.slack.clickButton({
      userId: carol,
      channelId: s.channel,
      messageTs: c.link.messageTs as string,
      actionId: ActionId.acknowledge,
    });
    const reply = await ephemeral(s, carol, /acknowledge/i, 60_000);
    expect((await pdIncident(s, incident.id)).status).toBe('acknowledged');
    expect(reply.text).not.toMatch(/Nothing was changed/);
    expect(tracker.faults).toEqual([]);
  }, 120_000);

  it('a write that never left (connection refused) still says nothing was changed', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const client = createPagerDutyClient({
      token: 'closed-port-token',
      baseUrl: `http://127.0.0.1:${port}`,
      logger: silentLogger(),
      maxRetries: 0,
    });
    const error = await client.createIncidentNote('PABC123', 'hello', { from: 'a@example.com' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(asAppError(error).details.mayHaveApplied).toBeUndefined();
    expect(failureText('add the note', error)).toMatch(/Nothing was changed/);
  });
});
