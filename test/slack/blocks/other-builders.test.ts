import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildHelp, buildUsageError } from '../../../src/slack/blocks/help.js';
import { buildIncidentList } from '../../../src/slack/blocks/incident-list.js';
import {
  buildChangesAnswer,
  buildMentionHelp,
  buildOnCallAnswer,
  buildSummaryAnswer,
  mentionIntent,
} from '../../../src/slack/blocks/mention-answer.js';
import {
  buildDeclareModal,
  buildExportModal,
  buildNoteModal,
  buildReassignModal,
  buildResolveModal,
  buildSnoozeModal,
  buildStatusUpdateModal,
} from '../../../src/slack/blocks/modals.js';
import { buildNotice, buildWorking } from '../../../src/slack/blocks/notice.js';
import { buildOnCallList } from '../../../src/slack/blocks/oncall-list.js';
import { draftStatusUpdate } from '../../../src/slack/blocks/status-update-draft.js';
import { buildStatusUpdatePost } from '../../../src/slack/blocks/status-update-post.js';
import { SUBCOMMANDS } from '../../../src/slack/command-parser.js';
import { CallbackId, InputId } from '../../../src/slack/ids.js';
import {
  analyzeResult,
  expectSafeBlocks,
  expectSafeFallback,
  expectSafeView,
  incidentView,
  nastyText,
  person,
  slackUserId,
} from './arbitraries.js';

const NOW = Date.UTC(2026, 2, 1, 3, 0, 0);
const URL = 'https://acme.pagerduty.com/incidents/PABC123';
const meta = { channelId: 'C0OPS0001', threadTs: '1700000000.000100' };

describe('incident list', () => {
  it('shows each incident with a Show card button', () => {
    fc.assert(
      fc.property(fc.array(incidentView(), { maxLength: 30 }), nastyText(100), fc.boolean(), (list, filter, more) => {
        const msg = buildIncidentList(list, filter, NOW, more);
        expectSafeBlocks(msg.blocks, 'message', [URL]);
        expectSafeFallback(msg.text);
        expect(msg.blocks.filter((b) => b.accessory).length).toBe(Math.min(20, list.length));
      }),
      { numRuns: 60 },
    );
  });
});

describe('on-call list', () => {
  it('groups by escalation policy and is safe (property)', () => {
    const entry = fc.record({
      escalationPolicy: fc.option(fc.record({ id: fc.constantFrom('PEP1', 'PEP2'), name: nastyText(80) }), {
        nil: null,
      }),
      schedule: fc.option(fc.record({ id: fc.constantFrom('PS1', 'PS2'), name: nastyText(80) }), { nil: null }),
      level: fc.integer({ min: 1, max: 5 }),
      user: person(),
      until: fc.option(fc.constant(new Date(NOW + 3_600_000).toISOString()), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 40 }), fc.option(nastyText(50), { nil: null }), (entries, q) => {
        const msg = buildOnCallList(entries, q, NOW);
        expectSafeBlocks(msg.blocks, 'message');
        expectSafeFallback(msg.text);
      }),
      { numRuns: 60 },
    );
  });

  it('renders levels, mentions and time left', () => {
    const msg = buildOnCallList(
      [
        {
          escalationPolicy: { id: 'PEP1', name: 'Checkout' },
          schedule: { id: 'PS1', name: 'Primary' },
          level: 1,
          user: { id: 'PU1', name: 'Alice', slackUserId: 'U0ALICE01' },
          until: new Date(NOW + 2 * 3_600_000).toISOString(),
        },
      ],
      null,
      NOW,
    );
    expect(JSON.stringify(msg.blocks)).toContain('L1 <@U0ALICE01> · Primary · for 2h more');
  });
});

describe('help and notices', () => {
  it('lists every subcommand', () => {
    const help = buildHelp(null);
    expectSafeBlocks(help.blocks, 'message');
    const json = JSON.stringify(help.blocks);
    for (const sub of SUBCOMMANDS) expect(json).toContain(`/incident ${sub}`);
    expect(json).toContain('&lt;@user|@group|team name&gt;');
    expect(JSON.stringify(buildHelp('snooze').blocks)).toContain('/incident snooze');
  });
  it('notices and placeholders are valid', () => {
    expectSafeBlocks(buildNotice('error', 'PagerDuty is unreachable').blocks, 'message');
    expectSafeBlocks(buildUsageError('bad').blocks, 'message');
    expect(buildWorking('AI triage for #4').text).toBe('Working on AI triage for #4…');
    expect(buildNotice('success', 'Done by <@U1>').text).toBe('Done by');
  });
});

describe('status update post', () => {
  it('is safe for any text (property)', () => {
    fc.assert(
      fc.property(incidentView(), nastyText(), slackUserId, (incident, text, user) => {
        const msg = buildStatusUpdatePost(incident, text, user);
        expectSafeBlocks(msg.blocks, 'message');
        expectSafeFallback(msg.text);
      }),
      { numRuns: 60 },
    );
  });
});

describe('mention answers and status drafts', () => {
  const line = fc.record({
    at: fc.oneof(fc.constant(new Date(NOW - 60_000).toISOString()), fc.constant('garbage')),
    text: nastyText(300),
    who: fc.option(nastyText(60), { nil: null }),
  });
  it('answers are valid and safe for any incident data (property)', () => {
    fc.assert(
      fc.property(
        incidentView(),
        fc.option(nastyText(), { nil: null }),
        fc.array(line, { maxLength: 30 }),
        (incident, summary, recent) => {
          for (const msg of [
            buildSummaryAnswer(incident, summary, recent, NOW, incident.createdAt),
            buildChangesAnswer(incident, recent, NOW),
            buildOnCallAnswer(
              incident,
              incident.assignees.map((p, i) => ({ level: (i % 3) + 1, person: p, until: null })),
              incident.assignees,
              NOW,
            ),
            buildMentionHelp(true),
            buildMentionHelp(false),
          ]) {
            expectSafeBlocks(msg.blocks, 'message');
            expectSafeFallback(msg.text);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads the question', () => {
    expect(mentionIntent('who is on call right now?')).toBe('oncall');
    expect(mentionIntent('what changed in the last hour')).toBe('changes');
    expect(mentionIntent('catch me up')).toBe('summary');
    expect(mentionIntent('')).toBe('help');
    expect(mentionIntent('is the database ok')).toBe('summary');
  });

  it('drafts a plain-text status update within 3,000 characters (property)', () => {
    fc.assert(
      fc.property(incidentView(), analyzeResult, (incident, analysis) => {
        const draft = draftStatusUpdate(incident, analysis);
        expect(draft.length).toBeLessThanOrEqual(3000);
        expect(draft.split('\n')[0]).toMatch(/^(Investigating|Resolved): /);
        expect(draft).toMatch(/Next update in 30 minutes\.|A postmortem will follow\./);
      }),
      { numRuns: 60 },
    );
  });
});

describe('modals', () => {
  it('declare modal: loading, empty and loaded states are valid views', () => {
    const loading = buildDeclareModal({ title: 'DB down', services: null, priorities: [] }, meta);
    expectSafeView(loading);
    expect(loading.submit).toBeUndefined();
    const none = buildDeclareModal({ title: null, services: [], priorities: [] }, meta);
    expectSafeView(none);
    expect(none.submit).toBeUndefined();
    fc.assert(
      fc.property(
        fc.option(nastyText(300), { nil: null }),
        fc.array(fc.record({ id: fc.stringMatching(/^P[A-Z0-9]{6}$/), name: nastyText(100) }), { maxLength: 150 }),
        fc.array(fc.constantFrom('P1', 'P2', 'P3', '<!here>'), { maxLength: 5 }),
        (title, services, priorities) => {
          const view = buildDeclareModal({ title, services, priorities }, meta);
          expectSafeView(view);
          expect(view.callback_id).toBe(CallbackId.declare);
          const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
          if (services.length > 0) {
            expect(ids).toContain(InputId.title);
            expect(ids).toContain(InputId.service);
            expect(view.submit).toBeDefined();
          } else expect(view.submit).toBeUndefined();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('incident modals are valid for any incident (property)', () => {
    fc.assert(
      fc.property(incidentView(), fc.option(nastyText(), { nil: null }), (incident, text) => {
        for (const view of [
          buildResolveModal(incident, text, meta),
          buildNoteModal(incident, meta),
          buildSnoozeModal(incident, meta),
          buildReassignModal(incident, meta),
          buildStatusUpdateModal(incident, text, meta),
          buildExportModal(incident, text ?? ''),
        ]) {
          expectSafeView(view);
          const m = JSON.parse(view.private_metadata ?? '{}') as { incidentId?: string };
          expect(m.incidentId).toBe(incident.id);
        }
      }),
      { numRuns: 60 },
    );
  });
});
