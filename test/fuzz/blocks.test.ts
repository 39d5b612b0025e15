/**
 * Fuzzing every Block Kit builder (issue 9): `src/slack/blocks/*`, `src/webhooks/pagerduty/blocks/*` and the other
 * exported pure builders of messages and views (`errorNotice`, `loadingModal`). Fed arbitrary inputs of their
 * domain types (hostile text, arbitrary ids, huge and empty lists, numbers at the edges), each one:
 *
 * - never throws, and builds the same JSON twice (pure);
 * - builds what Slack accepts: `validateBlocks` (≤ 50 blocks per message) / `validateView` (≤ 100 per modal, title,
 *   private_metadata…) pass on exactly the JSON the client sends: every text within its limit, unique action and
 *   block ids, well-formed elements;
 * - lets no input text become markup: no `<!channel>`, `<!here>`, `<!everyone>`, `<!subteam^…>` anywhere, and every
 *   other `<…>` is a mention of a trusted Slack id, a date token or a link to a URL the input trusted;
 * - sends well-formed text (the Web API client throws on a lone surrogate in `text`).
 *
 * Seeds are fixed so a failure reproduces; change `SEED` to explore further.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AnalyzeResultSchema,
  BestResponderResultSchema,
  CorrelateResultSchema,
  FatigueResultSchema,
  PostmortemResultSchema,
  RunbookResultSchema,
  TriageResultSchema,
} from '../../src/ai/contract.js';
import { PagerDutyApiError } from '../../src/pagerduty/errors.js';
import { AppError, ErrorCode } from '../../src/shared/errors.js';
import { buildAnalysisPost } from '../../src/slack/blocks/analysis-post.js';
import { buildCorrelationPost, type CorrelatedIncident } from '../../src/slack/blocks/correlation-post.js';
import { buildFatiguePost } from '../../src/slack/blocks/fatigue-post.js';
import { buildHelp, buildUsageError } from '../../src/slack/blocks/help.js';
import { buildIncidentCard, incidentLabel } from '../../src/slack/blocks/incident-card.js';
import { buildIncidentList } from '../../src/slack/blocks/incident-list.js';
import {
  actions,
  button,
  chunkBlocks,
  context,
  fields,
  header,
  input,
  option,
  overflow,
  section,
  staticSelect,
  textInput,
} from '../../src/slack/blocks/kit.js';
import {
  buildChangesAnswer,
  buildMentionHelp,
  buildOnCallAnswer,
  buildSummaryAnswer,
} from '../../src/slack/blocks/mention-answer.js';
import {
  buildDeclareModal,
  buildExportModal,
  buildNoteModal,
  buildReassignModal,
  buildResolveModal,
  buildSnoozeModal,
  buildStatusUpdateModal,
  type ModalMetadata,
} from '../../src/slack/blocks/modals.js';
import type { Block, MessagePayload } from '../../src/slack/blocks/model.js';
import { buildNotice, buildWorking, type NoticeKind } from '../../src/slack/blocks/notice.js';
import { buildOnCallList, type OnCallView } from '../../src/slack/blocks/oncall-list.js';
import { buildPostmortemPosts } from '../../src/slack/blocks/postmortem-post.js';
import { buildResponderPost } from '../../src/slack/blocks/responder-post.js';
import { applyRunbookTicks, buildRunbookPost } from '../../src/slack/blocks/runbook-post.js';
import { draftStatusUpdate } from '../../src/slack/blocks/status-update-draft.js';
import { buildStatusUpdatePost } from '../../src/slack/blocks/status-update-post.js';
import { buildTriagePost } from '../../src/slack/blocks/triage-post.js';
import { parseCommand, SUBCOMMANDS } from '../../src/slack/command-parser.js';
import { loadingModal } from '../../src/slack/listeners/modal-openers.js';
import { errorNotice } from '../../src/slack/listeners/shared.js';
import { mrkdwn, userMention } from '../../src/slack/text.js';
import { buildNoteMirror } from '../../src/webhooks/pagerduty/blocks/note-mirror.js';
import { buildStatusNote, type StatusNoteInput } from '../../src/webhooks/pagerduty/blocks/status-note.js';
import { buildStormSummary } from '../../src/webhooks/pagerduty/blocks/storm-summary.js';
import { CARD_UPDATE_EVENT_TYPES } from '../../src/webhooks/pagerduty/schemas.js';
import {
  aiMeta,
  analyzeResult,
  anyId,
  bestResponderResult,
  bigPostmortemResult,
  brief,
  cardContext,
  correlateResult,
  epochMs,
  fatigueResult,
  HOSTILE,
  hostileText,
  incidentView,
  isoOrJunk,
  list,
  person,
  postmortemResult,
  runbookResult,
  slackChannelId,
  slackUserId,
  textMax,
  triageResult,
  url,
} from './block-arbitraries.js';
import { expectSafeMessage, expectSafeView, trustOf } from './slack-safety.js';

const SEED = 0xb10c_4b17;

/** A fixed seed per property, derived from its test name (so `-t` on one property replays the same runs). */
function opts(numRuns: number): { numRuns: number; seed: number } {
  let hash = SEED;
  for (const ch of expect.getState().currentTestName ?? '') hash = (Math.imul(hash, 31) + (ch.codePointAt(0) ?? 0)) | 0;
  return { numRuns, seed: hash };
}

/** Builds twice (the builders are pure: same input, same JSON) and returns the first result. */
function pure<T>(build: () => T): T {
  const first = build();
  expect(JSON.stringify(build())).toBe(JSON.stringify(first));
  return first;
}

const noTrust = trustOf({});

/** What a modal remembers: Slack ids from Slack, the incident id, and small extras. */
const modalMeta: fc.Arbitrary<ModalMetadata> = fc.record(
  {
    channelId: fc.option(slackChannelId, { nil: null }),
    threadTs: fc.option(fc.stringMatching(/^\d{10}\.\d{6}$/), { nil: null }),
    incidentId: fc.option(anyId, { nil: null }),
    extra: fc.dictionary(
      fc.constantFrom('render', 'status', 'level', 'source'),
      fc.oneof(textMax(40, false), fc.integer(), fc.constant(null)),
      { maxKeys: 4 },
    ),
  },
  { requiredKeys: ['channelId'] },
);

// ---- The incident card and lists ---------------------------------------------------------------------------------

describe('fuzz: incident card, list and on-call builders', () => {
  it('buildIncidentCard', () => {
    fc.assert(
      fc.property(incidentView(), cardContext, (incident, ctx) => {
        const payload = pure(() => buildIncidentCard(incident, ctx));
        const trust = trustOf({
          users: [
            ...incident.assignees.map((a) => a.slackUserId),
            ctx.roles?.commander,
            ctx.roles?.comms,
            ctx.roles?.scribe,
            ctx.lastAction?.slackUserId,
          ],
          channels: [ctx.incidentChannelId],
          urls: [incident.htmlUrl],
        });
        expectSafeMessage(payload, trust);
      }),
      opts(300),
    );
  });

  it('buildIncidentList', () => {
    fc.assert(
      fc.property(
        list(incidentView(), 200),
        hostileText(200),
        epochMs,
        fc.boolean(),
        (incidents, filter, now, more) => {
          const payload = pure(() => buildIncidentList(incidents, filter, now, more));
          const trust = trustOf({
            users: incidents.flatMap((i) => i.assignees.map((a) => a.slackUserId)),
            urls: incidents.map((i) => i.htmlUrl),
          });
          expectSafeMessage(payload, trust);
        },
      ),
      opts(200),
    );
  });

  it('buildOnCallList', () => {
    const ref = fc.option(
      fc.record({ id: fc.oneof(fc.constantFrom('PEP1', 'PEP2', 'PS1'), anyId), name: hostileText(150) }),
      {
        nil: null,
      },
    );
    const entry: fc.Arbitrary<OnCallView> = fc.record({
      escalationPolicy: ref,
      schedule: ref,
      level: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer()),
      user: person(),
      until: fc.option(isoOrJunk, { nil: null }),
    });
    fc.assert(
      fc.property(list(entry, 300), fc.option(hostileText(200), { nil: null }), epochMs, (entries, query, now) => {
        const payload = pure(() => buildOnCallList(entries, query, now));
        expectSafeMessage(payload, trustOf({ users: entries.map((e) => e.user.slackUserId) }));
      }),
      opts(200),
    );
  });

  it('mention answers (summary, on call, changes, help)', () => {
    const line = fc.record({ at: isoOrJunk, text: hostileText(), who: fc.option(hostileText(100), { nil: null }) });
    const oncall = fc.record({
      level: fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer()),
      person: person(),
      until: fc.option(isoOrJunk, { nil: null }),
    });
    fc.assert(
      fc.property(
        brief,
        fc.option(hostileText(), { nil: null }),
        list(line, 200),
        list(oncall, 100),
        list(person(), 50),
        epochMs,
        fc.option(isoOrJunk, { nil: null }),
        fc.boolean(),
        (incident, summary, recent, onCall, assignees, now, createdAt, inIncident) => {
          const users = [...onCall.map((o) => o.person.slackUserId), ...assignees.map((a) => a.slackUserId)];
          const trust = trustOf({ users });
          expectSafeMessage(
            pure(() => buildSummaryAnswer(incident, summary, recent, now, createdAt)),
            trust,
          );
          expectSafeMessage(
            pure(() => buildOnCallAnswer(incident, onCall, assignees, now)),
            trust,
          );
          expectSafeMessage(
            pure(() => buildChangesAnswer(incident, recent, now)),
            trust,
          );
          expectSafeMessage(
            pure(() => buildMentionHelp(inIncident)),
            trust,
          );
        },
      ),
      opts(200),
    );
  });
});

// ---- AI posts ----------------------------------------------------------------------------------------------------

describe('fuzz: AI post builders', () => {
  it('generates AI results within their zod schemas (so failures below are builder bugs)', () => {
    fc.assert(
      fc.property(
        triageResult,
        analyzeResult,
        postmortemResult,
        runbookResult,
        bestResponderResult,
        fatigueResult,
        correlateResult(['PABC123', 'PDEF456']),
        bigPostmortemResult,
        (t, a, p, r, b, f, c, big) => {
          TriageResultSchema.parse(t);
          AnalyzeResultSchema.parse(a);
          PostmortemResultSchema.parse(p);
          PostmortemResultSchema.parse(big);
          RunbookResultSchema.parse(r);
          BestResponderResultSchema.parse(b);
          FatigueResultSchema.parse(f);
          CorrelateResultSchema.parse(c);
        },
      ),
      opts(30),
    );
  });

  it('buildTriagePost', () => {
    fc.assert(
      fc.property(brief, triageResult, aiMeta, (incident, result, meta) => {
        expectSafeMessage(
          pure(() => buildTriagePost(incident, result, meta)),
          trustOf({ urls: [incident.htmlUrl] }),
        );
      }),
      opts(200),
    );
  });

  it('buildAnalysisPost', () => {
    fc.assert(
      fc.property(brief, analyzeResult, aiMeta, (incident, result, meta) => {
        expectSafeMessage(
          pure(() => buildAnalysisPost(incident, result, meta)),
          trustOf({ urls: [incident.htmlUrl] }),
        );
      }),
      opts(200),
    );
  });

  it('buildCorrelationPost', () => {
    const scenario = list(
      fc.record({
        id: anyId,
        number: fc.option(fc.integer({ min: 1, max: 999_999 }), { nil: null }),
        title: hostileText(),
      }),
      100,
    ).chain((incidents: CorrelatedIncident[]) =>
      fc.record({
        incidents: fc.constant(incidents),
        result: correlateResult(incidents.map((i) => i.id)),
        meta: aiMeta,
        baseUrl: url,
      }),
    );
    fc.assert(
      fc.property(scenario, ({ incidents, result, meta, baseUrl }) => {
        expectSafeMessage(
          pure(() => buildCorrelationPost(result, incidents, meta, baseUrl)),
          trustOf({ urls: [baseUrl] }),
        );
      }),
      opts(200),
    );
  });

  it('buildFatiguePost', () => {
    fc.assert(
      fc.property(hostileText(200), fatigueResult, aiMeta, (title, result, meta) => {
        expectSafeMessage(
          pure(() => buildFatiguePost(title, result, meta)),
          noTrust,
        );
      }),
      opts(200),
    );
  });

  it('buildRunbookPost, and the same post re-rendered with anyone’s ticks', () => {
    const scenario = fc
      .record({ incident: brief, result: runbookResult, meta: aiMeta })
      .chain(({ incident, result, meta }) => {
        const post = buildRunbookPost(incident, result, meta);
        const blockIds = post.blocks.map((b) => b.block_id).filter((b): b is string => typeof b === 'string');
        const value = fc.oneof(
          fc.integer({ min: 0, max: 70 }).map((i) => `step-${i}`),
          hostileText(20, false),
        );
        return fc.record({
          incident: fc.constant(incident),
          result: fc.constant(result),
          meta: fc.constant(meta),
          selected: fc
            .array(
              fc.tuple(
                blockIds.length > 0 ? fc.constantFrom(...blockIds) : hostileText(20, false),
                fc.array(value, { maxLength: 12 }),
              ),
              {
                maxLength: 8,
              },
            )
            .map((entries) => new Map(entries)),
          lastBy: fc.option(slackUserId, { nil: null }),
          ticks: fc.integer({ min: 1, max: 3 }),
        });
      });
    fc.assert(
      fc.property(scenario, ({ incident, result, meta, selected, lastBy, ticks }) => {
        const post = pure(() => buildRunbookPost(incident, result, meta));
        expectSafeMessage(post, trustOf({ urls: [incident.htmlUrl] }));
        // Ticking again and again re-renders the message it rendered before (one progress line, never more).
        let blocks: Block[] = post.blocks;
        for (let i = 0; i < ticks; i++) blocks = applyRunbookTicks(blocks, selected, lastBy);
        expectSafeMessage({ text: post.text, blocks }, trustOf({ users: [lastBy], urls: [incident.htmlUrl] }));
        expect(blocks.filter((b) => b.block_id === 'runbook_progress')).toHaveLength(1);
      }),
      opts(200),
    );
  });

  it('buildResponderPost', () => {
    fc.assert(
      fc.property(brief, bestResponderResult, aiMeta, (incident, result, meta) => {
        expectSafeMessage(
          pure(() => buildResponderPost(incident, result, meta)),
          trustOf({ urls: [incident.htmlUrl] }),
        );
      }),
      opts(200),
    );
  });

  it('buildPostmortemPosts (split across replies, each within the limits)', () => {
    fc.assert(
      fc.property(brief, fc.oneof(postmortemResult, bigPostmortemResult), aiMeta, (incident, result, meta) => {
        const posts = pure(() => buildPostmortemPosts(incident, result, meta));
        expect(posts.length).toBeGreaterThan(0);
        for (const post of posts) expectSafeMessage(post, noTrust);
      }),
      opts(100),
    );
  });

  it('draftStatusUpdate, the status update modal it fills, and the posted update', () => {
    fc.assert(
      fc.property(
        brief,
        analyzeResult,
        slackUserId,
        modalMeta,
        fc.option(hostileText(300), { nil: undefined }),
        (incident, analysis, by, m, note) => {
          const draft = pure(() => draftStatusUpdate(incident, analysis));
          expect(draft.length).toBeLessThanOrEqual(3000);
          expectSafeView(
            pure(() => buildStatusUpdateModal(incident, draft, m, note === undefined ? undefined : mrkdwn(note))),
            noTrust,
          );
          expectSafeView(
            pure(() => buildStatusUpdateModal(incident, null, m)),
            noTrust,
          );
          expectSafeMessage(
            pure(() => buildStatusUpdatePost(incident, draft, by)),
            trustOf({ users: [by] }),
          );
        },
      ),
      opts(200),
    );
  });
});

// ---- Modals ------------------------------------------------------------------------------------------------------

describe('fuzz: modal builders', () => {
  it('buildDeclareModal (loading, failed, empty and full, with up to 300 services)', () => {
    const service = fc.record({ id: anyId, name: hostileText(200) });
    fc.assert(
      fc.property(
        fc.option(textMax(10_000), { nil: null }),
        fc.option(list(service, 300), { nil: null }),
        list(fc.oneof(fc.constantFrom('P1', 'P2', 'P3', 'SEV-1'), textMax(60, false)), 150),
        fc.option(hostileText(), { nil: null }),
        modalMeta,
        (title, services, priorities, loadError, meta) => {
          expectSafeView(
            pure(() => buildDeclareModal({ title, services, priorities, loadError }, meta)),
            noTrust,
          );
        },
      ),
      opts(200),
    );
  });

  it('resolve, note, snooze, reassign, export and loading modals', () => {
    fc.assert(
      fc.property(
        brief,
        fc.option(textMax(10_000), { nil: null }),
        modalMeta,
        fc.oneof(hostileText(2000), fc.constantFrom('x'.repeat(100_000), '`'.repeat(5_000))),
        fc.constantFrom('Resolve', 'Add note', 'Snooze', 'Reassign', 'Status update', 'Postmortem Markdown'),
        (incident, note, meta, markdown, title) => {
          expectSafeView(
            pure(() => buildResolveModal(incident, note, meta)),
            noTrust,
          );
          expectSafeView(
            pure(() => buildNoteModal(incident, meta)),
            noTrust,
          );
          expectSafeView(
            pure(() => buildSnoozeModal(incident, meta)),
            noTrust,
          );
          expectSafeView(
            pure(() => buildReassignModal(incident, meta)),
            noTrust,
          );
          expectSafeView(
            pure(() => buildExportModal(incident, markdown)),
            noTrust,
          );
          expectSafeView(
            pure(() => loadingModal(title)),
            noTrust,
          );
        },
      ),
      opts(200),
    );
  });
});

// ---- Help, notices, errors ---------------------------------------------------------------------------------------

describe('fuzz: help, notices and error builders', () => {
  it('buildHelp for every topic', () => {
    for (const topic of [null, ...SUBCOMMANDS])
      expectSafeMessage(
        pure(() => buildHelp(topic)),
        noTrust,
      );
  });

  it('buildUsageError with parse errors of arbitrary commands and arbitrary text', () => {
    const commandText = fc.oneof(
      hostileText(),
      fc.tuple(fc.constantFrom(...SUBCOMMANDS), hostileText(200)).map(([sub, rest]) => `${sub} ${rest}`),
    );
    fc.assert(
      fc.property(commandText, hostileText(), (text, message) => {
        const parsed = parseCommand(text);
        if (!parsed.ok)
          expectSafeMessage(
            pure(() => buildUsageError(parsed.error)),
            noTrust,
          );
        expectSafeMessage(
          pure(() => buildUsageError(message)),
          noTrust,
        );
      }),
      opts(200),
    );
  });

  it('buildNotice, buildWorking and errorNotice with any error', () => {
    const code = fc.constantFrom(...Object.values(ErrorCode));
    const error = fc.oneof(
      fc
        .tuple(code, hostileText(), fc.option(fc.boolean(), { nil: undefined }))
        .map(([c, message, mayHaveApplied]) => new AppError(c, message, { details: { mayHaveApplied } })),
      fc
        .record({
          status: fc.constantFrom(400, 401, 403, 404, 429, 500, 503, 0, 999),
          pagerdutyMessage: fc.option(hostileText(200), { nil: undefined }),
          errors: fc.array(hostileText(100), { maxLength: 5 }),
          id: fc.option(anyId, { nil: undefined }),
        })
        .map(
          ({ status, pagerdutyMessage, errors, id }) =>
            new PagerDutyApiError({
              status,
              method: 'PUT',
              endpoint: '/incidents/{id}',
              subject: { resource: 'Incident', id },
              pagerdutyMessage,
              errors,
            }),
        ),
      hostileText().map((m) => new Error(m)),
      hostileText().map((m) => new TypeError(m)),
      fc.oneof(hostileText(), fc.integer(), fc.constant(undefined), fc.constant(null), fc.constant({})),
    );
    const kind = fc.constantFrom<NoticeKind>('error', 'info', 'success', 'warning');
    const what = fc
      .tuple(fc.constantFrom('acknowledge', 'resolve', 'page', 'add the note to'), brief)
      .map(([verb, incident]) => `${verb} ${mrkdwn(incidentLabel(incident), 60)}`);
    fc.assert(
      fc.property(kind, hostileText(), slackUserId, what, error, brief, (k, text, user, w, e, incident) => {
        const trust = trustOf({ users: [user] });
        expectSafeMessage(
          pure(() => buildNotice(k, `${mrkdwn(text)} · by ${userMention(user)}`)),
          trust,
        );
        expectSafeMessage(
          pure(() => errorNotice(w, e)),
          noTrust,
        );
        expectSafeMessage(
          pure(() => buildWorking(`AI triage for ${mrkdwn(incidentLabel(incident), 60)}`)),
          noTrust,
        );
      }),
      opts(200),
    );
  });
});

// ---- PagerDuty webhook thread notes and the storm summary --------------------------------------------------------

describe('fuzz: webhook builders', () => {
  it('buildStatusNote for every event type', () => {
    const input: fc.Arbitrary<StatusNoteInput> = fc.record({
      eventType: fc.constantFrom(...CARD_UPDATE_EVENT_TYPES, 'incident.resolved' as const),
      agent: fc.option(
        fc.record({
          name: fc.option(hostileText(200), { nil: null }),
          type: fc.option(
            fc.oneof(
              fc.constantFrom('user_reference', 'service_reference', 'integration_reference'),
              hostileText(40, false),
            ),
            { nil: null },
          ),
        }),
        { nil: null },
      ),
      occurredAt: epochMs,
      incident: fc.record({
        assignees: list(hostileText(100, false), 100),
        priority: fc.option(hostileText(60), { nil: null }),
        escalationLevel: fc.option(fc.integer(), { nil: null }),
        serviceName: fc.option(hostileText(200), { nil: null }),
        incidentType: fc.option(hostileText(100), { nil: null }),
      }),
    });
    fc.assert(
      fc.property(input, (i) => {
        expectSafeMessage(
          pure(() => buildStatusNote(i)),
          noTrust,
        );
      }),
      opts(250),
    );
  });

  it('buildNoteMirror (notes up to the 100,000 characters the webhook schema allows)', () => {
    fc.assert(
      fc.property(
        fc.option(hostileText(200), { nil: null }),
        fc.oneof(
          { weight: 4, arbitrary: hostileText(3000) },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom(...HOSTILE)
              .map((f) => f.repeat(Math.ceil(100_000 / f.length)).slice(0, 100_000)),
          },
          { weight: 1, arbitrary: fc.constant('& '.repeat(50_000)) },
        ),
        epochMs,
        fc.boolean(),
        (author, content, occurredAt, trimmed) => {
          expectSafeMessage(
            pure(() => buildNoteMirror({ author, content, occurredAt, trimmed })),
            noTrust,
          );
        },
      ),
      opts(200),
    );
  });

  it('buildStormSummary (up to 300 incidents, pending, failed and huge correlations)', () => {
    const scenario = list(incidentView(), 300).chain((incidents) =>
      fc.record({
        incidents: fc.constant(incidents),
        totalCount: fc.oneof(fc.constant(incidents.length), fc.nat(), fc.integer({ min: 0, max: 5000 })),
        openedAt: epochMs,
        lastAt: epochMs,
        now: epochMs,
        settled: fc.boolean(),
        correlation: fc.oneof(
          fc.constant(null),
          fc.constant('pending' as const),
          fc
            .tuple(
              correlateResult(incidents.map((i) => i.id)),
              fc.oneof(fc.constantFrom('heuristic', 'claude'), hostileText(60, false)),
              fc.option(fc.record({ reason: hostileText(200) }), { nil: undefined }),
            )
            .map(([result, engine, fallback]) => ({ ...result, engine, fallback })),
        ),
      }),
    );
    fc.assert(
      fc.property(scenario, (input) => {
        expectSafeMessage(
          pure(() => buildStormSummary(input)),
          trustOf({ urls: input.incidents.map((i) => i.htmlUrl) }),
        );
      }),
      opts(150),
    );
  });
});

// ---- The kit primitives every builder is made of -----------------------------------------------------------------

describe('fuzz: kit primitives', () => {
  it('keep any escaped text within its limit, in a message and in a modal', () => {
    const escaped = hostileText().map((t) => mrkdwn(t, 100_000));
    const actionId = fc.stringMatching(/^[a-z_]{1,30}$/);
    fc.assert(
      fc.property(
        escaped,
        // A fields section needs at least one field; builders always pass some.
        fc.array(escaped, { minLength: 1, maxLength: 14 }),
        hostileText(),
        actionId,
        fc.array(fc.tuple(hostileText(100, false), fc.uuid()), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 120 }),
        (text, items, raw, aid, opts, count) => {
          const options = opts.map(([label, value], i) => option(label, `${i}-${value}`, label));
          const blocks: Block[] = [
            header(raw),
            section(text),
            section(
              text,
              button(raw, `${aid}_b`, { value: raw, confirm: { title: raw, text: raw, confirm: raw, deny: raw } }),
            ),
            fields(items),
            context(items),
            actions(
              [
                button(raw, `${aid}_1`, { value: raw, style: 'danger' }),
                staticSelect(raw, `${aid}_2`, options, {
                  confirm: { title: raw, text: raw, confirm: raw, danger: true },
                }),
                overflow(`${aid}_3`, options),
              ],
              `${aid}_actions`,
            ),
          ];
          const message: MessagePayload = { text: 'kit', blocks };
          expectSafeMessage(message, noTrust);
          for (const chunk of chunkBlocks(Array.from({ length: count }, () => section(text)))) {
            expectSafeMessage({ text: 'kit', blocks: chunk }, noTrust);
          }
          expectSafeView(
            {
              type: 'modal',
              callback_id: 'fuzz',
              title: { type: 'plain_text', text: 'Fuzz' },
              submit: { type: 'plain_text', text: 'Go' },
              blocks: [
                ...blocks,
                input(
                  raw,
                  'in_1',
                  textInput('t1', { multiline: true, initial: raw, placeholder: raw, maxLength: 3000 }),
                  {
                    optional: true,
                    hint: raw,
                  },
                ),
                input(raw, 'in_2', staticSelect(raw, 's1', options)),
              ],
            },
            noTrust,
          );
        },
      ),
      opts(200),
    );
  });
});
