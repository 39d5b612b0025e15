/**
 * Fault suite: PagerDuty misbehaves the way it does during an outage — 30% of requests answered 500, bursts of
 * 429, up to half a second of added latency, and connections reset — and every /incident subcommand, every card
 * button and the modal submissions still answer the person: the result, or an error that names what failed. No
 * unhandled rejection, no crash: the bot keeps serving once PagerDuty recovers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/sandbox/pagerduty/index.js';
import { encodeOverflow } from '../../src/slack/action-values.js';
import { ActionId, CallbackId, InputId, OverflowChoice } from '../../src/slack/ids.js';
import { card, cmd, waitAsync } from '../e2e/slack/harness.js';
import { type BotStack, healthOf, startBotStack, trackProcessFaults } from '../helpers/bot-stack.js';
import { type Answer, type AnswerOptions, answerSince, baseline, NAMES_WHAT_FAILED, OUTAGE } from './answers.js';

const ANSWER_MS = 90_000;

let s: BotStack;
let tracker: ReturnType<typeof trackProcessFaults>;
const answers: Array<{ what: string; answer: Answer; ms: number }> = [];
let turn = 0;

/** The next mapped person (a different one each time, so their ephemerals and modals never mix). */
function nextUser(): string {
  turn += 1;
  return s.users.mapped[turn % s.users.mapped.length] as string;
}

/** Runs `act` as `user` and waits for the answer it causes. */
async function expectAnswer(
  what: string,
  user: string,
  act: () => Promise<unknown>,
  options: AnswerOptions = {},
): Promise<Answer> {
  const base = baseline(s, user);
  const started = Date.now();
  await act();
  const answer = await s.slack.waitFor(() => answerSince(s, base, options), { timeoutMs: ANSWER_MS });
  answers.push({ what, answer, ms: Date.now() - started });
  if (answer.kind === 'error') expect(answer.text, `${what}: ${answer.text}`).toMatch(NAMES_WHAT_FAILED);
  return answer;
}

/** A fresh incident with its card in #ops, made while PagerDuty is healthy. */
async function freshCard(title: string): Promise<{ incident: Incident; ts: string }> {
  const incident = s.pd.triggerIncident({ serviceId: s.pd.org.services[0]?.id as string, title });
  await cmd(s, s.users.mapped[0] as string, `show ${incident.id}`);
  const c = await card(s, incident.id, 60_000);
  return { incident, ts: c.link.messageTs as string };
}

const literal = (text: string): RegExp => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

beforeAll(async () => {
  tracker = trackProcessFaults();
  s = await startBotStack({ seed: 31 });
}, 120_000);

afterAll(async () => {
  await s?.close();
  tracker?.stop();
});

describe('PagerDuty failing: 30% 5xx, 429 bursts, latency, connection resets', () => {
  it('every /incident subcommand answers with its result or an error naming what failed', async () => {
    const bob = s.users.mapped[1] as string;
    const service = s.pd.org.services[0];
    if (!service) throw new Error('no service');
    const plain = Array.from({ length: 9 }, (_, i) =>
      s.pd.triggerIncident({ serviceId: service.id, title: `Outage drill ${i} checkout errors` }),
    );
    const snoozable = s.pd.triggerIncident({ serviceId: service.id, title: 'Outage drill snooze target' });
    s.pd.acknowledge(snoozable.id);
    const carded: Array<{ incident: Incident; ts: string }> = [];
    for (const t of ['triage', 'analyze', 'runbook', 'responder', 'postmortem', 'role']) {
      carded.push(await freshCard(`Outage drill ${t} orders-db pool exhausted`));
    }
    s.pd.setFaults(OUTAGE);

    const help = await cmd(s, nextUser(), 'help');
    expect(JSON.stringify(help.body)).toContain('/incident declare');

    const [i0, i1, i2, i3, i4, i5, i6, i7, i8] = plain as [
      Incident,
      Incident,
      Incident,
      Incident,
      Incident,
      Incident,
      Incident,
      Incident,
      Incident,
    ];
    const ephemeralOrModal: Array<[string, string]> = [
      ['list', 'list'],
      ['list resolved', 'list resolved'],
      ['oncall', 'oncall'],
      ['ack', `ack ${i0.id}`],
      ['escalate', `escalate ${i1.id}`],
      ['reassign to someone', `reassign ${i2.id} <@${bob}|bob>`],
      ['reassign (modal)', `reassign ${i3.id}`],
      ['page', `page ${i4.id} <@${bob}|bob>`],
      ['snooze', `snooze ${snoozable.id} 30m`],
      ['note', `note ${i5.id} rolled back the deploy`],
      ['update with text', `update ${i6.id} Mitigated; watching error rates`],
      ['update (modal)', `update ${i7.id}`],
      ['resolve (modal)', `resolve ${i8.id} restarted the pool`],
      ['declare (modal)', 'declare Checkout is down in eu-west'],
    ];
    // Sent in waves by different people at once (each person's replies and modals are their own).
    for (let i = 0; i < ephemeralOrModal.length; i += 8) {
      await Promise.all(
        ephemeralOrModal.slice(i, i + 8).map(([what, text]) => {
          const user = nextUser();
          return expectAnswer(`/incident ${what}`, user, () => cmd(s, user, text));
        }),
      );
    }
    const showTarget = s.pd.triggerIncident({ serviceId: service.id, title: 'Outage drill show me' });
    const showUser = nextUser();
    await expectAnswer('/incident show', showUser, () => cmd(s, showUser, `show ${showTarget.id}`), {
      about: /Outage drill show me|Couldn't/,
    });

    // The AI commands run at once (as during a real incident); each answer is told apart by its incident.
    const aiKinds = /AI triage|AI analysis|Runbook|Who should help|Postmortem draft|Couldn't produce/;
    await Promise.all(
      ['triage', 'analyze', 'runbook', 'responder', 'postmortem'].map((sub, i) => {
        const target = carded[i];
        if (!target) throw new Error('missing card');
        const user = nextUser();
        return expectAnswer(`/incident ${sub}`, user, () => cmd(s, user, `${sub} ${target.incident.id}`), {
          about: aiKinds,
          thread: target.ts,
        });
      }),
    );
    const roleTarget = carded[5];
    if (!roleTarget) throw new Error('missing card');
    const roleUser = nextUser();
    await expectAnswer(
      '/incident role',
      roleUser,
      () => cmd(s, roleUser, `role ${roleTarget.incident.id} commander <@${bob}|bob>`),
      { about: /incident commander|Commander|Couldn't/, edits: true },
    );
    await Promise.all(
      (
        [
          ['correlate', /[Cc]orrelation|Couldn't produce/],
          ['fatigue', /[Ff]atigue|Couldn't produce/],
        ] as const
      ).map(([sub, pattern]) => {
        const user = nextUser();
        return expectAnswer(`/incident ${sub}`, user, () => cmd(s, user, sub), { about: pattern });
      }),
    );
    const subUser = nextUser();
    await expectAnswer('/incident subscribe', subUser, () => cmd(s, subUser, `subscribe ${service.name}`), {
      about: /incidents will be posted here|Couldn't/,
    });
  }, 900_000);

  it('every card button and menu answers with its result or an error naming what failed', async () => {
    s.pd.setFaults({});
    const cards: Array<{ incident: Incident; ts: string }> = [];
    for (let i = 0; i < 10; i++) cards.push(await freshCard(`Outage drill button ${i} payments 502`));
    // Snooze is offered on acknowledged incidents only.
    const snoozeCard = cards[6];
    if (!snoozeCard) throw new Error('missing card');
    await cmd(s, s.users.mapped[0] as string, `ack ${snoozeCard.incident.id}`);
    await waitAsync(async () => (await card(s, snoozeCard.incident.id)).json.includes(OverflowChoice.snooze), 60_000);
    s.pd.setFaults(OUTAGE);
    const at = (i: number): { incident: Incident; ts: string } => {
      const c = cards[i];
      if (!c) throw new Error('missing card');
      return c;
    };
    const about = (c: { incident: Incident }): RegExp =>
      new RegExp(`${literal(c.incident.title).source}|#${c.incident.incident_number}\\b|Couldn't`);

    const bySelect = (c: { ts: string }, actionId: string, value: string) => (user: string) =>
      s.slack.selectOption({ userId: user, channelId: s.channel, messageTs: c.ts, actionId, value });
    const byClick = (c: { ts: string }, actionId: string) => (user: string) =>
      s.slack.clickButton({ userId: user, channelId: s.channel, messageTs: c.ts, actionId });
    const levelTwo = (c: { ts: string }): string => {
      const json = JSON.stringify(s.slack.message(s.channel, c.ts)?.blocks ?? []);
      const m = /"value":"([^"]*\|2)"/.exec(json);
      if (!m?.[1]) throw new Error('no level-2 escalate option on the card');
      return m[1];
    };
    const aiPosts = /AI triage|AI analysis|Runbook|Postmortem draft|Couldn't produce/;
    const overflow = (i: number, choice: OverflowChoice) =>
      bySelect(at(i), ActionId.overflow, encodeOverflow(choice, at(i).incident.id));
    const cases: Array<[string, (user: string) => Promise<unknown>, AnswerOptions]> = [
      ['Acknowledge button', byClick(at(0), ActionId.acknowledge), { about: about(at(0)), edits: true }],
      ['Escalate select', bySelect(at(1), ActionId.escalate, levelTwo(at(1))), { about: about(at(1)), edits: true }],
      ['Resolve button', byClick(at(2), ActionId.resolve), {}],
      ['AI button', byClick(at(3), ActionId.ai), { about: aiPosts, thread: at(3).ts }],
      ['Open channel button', byClick(at(4), ActionId.openChannel), {}],
      ['overflow: note', overflow(5, OverflowChoice.note), {}],
      ['overflow: snooze', overflow(6, OverflowChoice.snooze), {}],
      ['overflow: reassign', overflow(7, OverflowChoice.reassign), {}],
      ['overflow: runbook', overflow(8, OverflowChoice.runbook), { about: aiPosts, thread: at(8).ts }],
      ['overflow: postmortem', overflow(9, OverflowChoice.postmortem), { about: aiPosts, thread: at(9).ts }],
    ];
    // Clicked at once, by different people, as during a real incident.
    await Promise.all(
      cases.map(([what, act, options]) => {
        const user = nextUser();
        return expectAnswer(what, user, () => act(user), options);
      }),
    );
  }, 900_000);

  it('modal submissions (declare, resolve, note) answer, and the declared incident is not created twice', async () => {
    s.pd.setFaults({});
    const service = s.pd.org.services[0];
    if (!service) throw new Error('no service');
    const target = await freshCard('Outage drill modal target');
    const noteTarget = await freshCard('Outage drill note target');
    const openModal = async (user: string, text: string, callbackId: string) => {
      await cmd(s, user, text);
      return s.slack.waitFor(() => s.slack.openViews(user).find((v) => v.callback_id === callbackId && v.submit), {
        timeoutMs: 60_000,
      });
    };
    const declarer = nextUser();
    const declareView = await openModal(declarer, 'declare Outage drill declared in a storm', CallbackId.declare);
    const resolver = nextUser();
    const resolveView = await openModal(resolver, `resolve ${target.incident.id}`, CallbackId.resolve);
    const noter = nextUser();
    await s.slack.selectOption({
      userId: noter,
      channelId: s.channel,
      messageTs: noteTarget.ts,
      actionId: ActionId.overflow,
      value: encodeOverflow(OverflowChoice.note, noteTarget.incident.id),
    });
    const noteView = await s.slack.waitFor(
      () => s.slack.openViews(noter).find((v) => v.callback_id === CallbackId.note),
      { timeoutMs: 60_000 },
    );
    s.pd.setFaults(OUTAGE);

    await expectAnswer(
      'declare submission',
      declarer,
      () =>
        s.slack.submitView({
          userId: declarer,
          viewId: declareView.id,
          values: {
            [InputId.title]: { [InputId.title]: 'Outage drill declared in a storm' },
            [InputId.service]: { [InputId.service]: service.id },
            [InputId.urgency]: { [InputId.urgency]: 'high' },
          },
        }),
      { about: /Outage drill declared in a storm|Couldn't/ },
    );
    await expectAnswer(
      'resolve submission',
      resolver,
      () =>
        s.slack.submitView({
          userId: resolver,
          viewId: resolveView.id,
          values: { [InputId.resolution]: { [InputId.resolution]: 'restarted the pool' } },
        }),
      { about: new RegExp(`${literal(target.incident.title).source}|Couldn't`), edits: true },
    );
    await expectAnswer('note submission', noter, () =>
      s.slack.submitView({
        userId: noter,
        viewId: noteView.id,
        values: { [InputId.note]: { [InputId.note]: 'customer impact confirmed' } },
      }),
    );
    // However the faults fell, the declared incident exists at most once (and the jobs settle).
    await waitAsync(async () => {
      const stats = await s.store.jobs.stats();
      return stats.counts.pending + stats.counts.running === 0;
    }, 120_000);
    const declared = s.pd.listIncidents({ limit: 500 }).filter((i) => i.title === 'Outage drill declared in a storm');
    expect(declared.length).toBeLessThanOrEqual(1);
  }, 600_000);

  it('the faults really happened, nothing was left unhandled, and the bot serves normally once PagerDuty recovers', async () => {
    const statuses = s.exchanges.map((x) => x.status);
    expect(statuses.filter((x) => x === 500).length).toBeGreaterThan(10);
    expect(statuses.filter((x) => x === 429).length).toBeGreaterThan(0);
    expect(statuses.filter((x) => x === 0).length).toBeGreaterThan(0);
    const errors = answers.filter((a) => a.answer.kind === 'error');
    const results = answers.filter((a) => a.answer.kind === 'result');
    // Both kinds occur: the faults reached people as clear errors, and most things still worked.
    expect(errors.length).toBeGreaterThan(0);
    expect(results.length).toBeGreaterThan(errors.length);
    for (const e of errors) console.info(`${e.what}: ${e.answer.text.slice(0, 300)}`);
    const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a));
    console.info(
      `fault suite: slowest answer ${slowest.what} after ${slowest.ms} ms; ${answers.length} answers (${results.length} results, ${errors.length} errors); PagerDuty answered ${statuses.length} requests: ${statuses.filter((x) => x === 500).length}×500, ${statuses.filter((x) => x === 429).length}×429, ${statuses.filter((x) => x === 0).length} resets`,
    );

    s.pd.setFaults({});
    const user = nextUser();
    const after = await expectAnswer('list after recovery', user, () => cmd(s, user, 'list'));
    expect(after.kind).toBe('result');
    const health = await healthOf(s.url);
    expect(health.status).toBe(200);
    expect(tracker.faults).toEqual([]);
  }, 120_000);
});
