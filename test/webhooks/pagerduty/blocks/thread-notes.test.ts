import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildNoteMirror } from '../../../../src/webhooks/pagerduty/blocks/note-mirror.js';
import { buildStatusNote, type StatusNoteInput } from '../../../../src/webhooks/pagerduty/blocks/status-note.js';
import { CARD_UPDATE_EVENT_TYPES } from '../../../../src/webhooks/pagerduty/schemas.js';
import { expectSafeBlocks, expectSafeFallback, nastyText } from '../../../slack/blocks/arbitraries.js';

const AT = Date.UTC(2026, 0, 1, 3, 47, 13);
const incident = {
  assignees: ['Ben'],
  priority: 'P1',
  escalationLevel: 2,
  serviceName: 'payments-api',
  incidentType: 'major',
};

function text(blocks: unknown): string {
  return JSON.stringify(blocks);
}

describe('status note', () => {
  it('says who did what, with the detail that matters for each change', () => {
    const note = (
      eventType: StatusNoteInput['eventType'],
      agent: StatusNoteInput['agent'] = { name: 'Ben', type: 'user_reference' },
    ) => text(buildStatusNote({ eventType, agent, occurredAt: AT, incident }).blocks);
    expect(note('incident.acknowledged')).toContain('🟠 Acknowledged by *Ben* in PagerDuty');
    expect(note('incident.escalated', null)).toContain('⏫ Escalated to level 2, now with *Ben* by PagerDuty');
    expect(note('incident.reassigned')).toContain('Reassigned to *Ben* by *Ben*');
    expect(note('incident.priority_updated')).toContain('Priority changed to *P1*');
    expect(note('incident.unacknowledged', { name: 'Checkout API', type: 'service_reference' })).toContain(
      'by *Checkout API* (automation)',
    );
    expect(note('incident.resolved')).toContain('✅ Resolved by *Ben*');
    expect(note('incident.acknowledged')).toContain('<!date^1767239233^{time}|');
    expect(
      buildStatusNote({
        eventType: 'incident.acknowledged',
        agent: { name: 'Ben', type: null },
        occurredAt: AT,
        incident,
      }).text,
    ).toBe('Acknowledged by Ben in PagerDuty');
  });

  it('stays valid and escaped for arbitrary names', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CARD_UPDATE_EVENT_TYPES, 'incident.resolved' as const),
        fc.option(
          fc.record({ name: fc.option(nastyText(200), { nil: null }), type: fc.constantFrom('user_reference', null) }),
          { nil: null },
        ),
        fc.array(nastyText(100), { maxLength: 6 }),
        fc.option(nastyText(80), { nil: null }),
        (eventType, agent, assignees, priority) => {
          const payload = buildStatusNote({
            eventType,
            agent,
            occurredAt: AT,
            incident: { ...incident, assignees, priority, serviceName: priority, incidentType: priority },
          });
          expectSafeBlocks(payload.blocks, 'message');
          expectSafeFallback(payload.text);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('note mirror', () => {
  it('shows the author and the note, escaped, and says when PagerDuty shortened it', () => {
    const payload = buildNoteMirror({
      author: 'Ben',
      content: 'Rolled back <!here> deploy & watching',
      occurredAt: AT,
      trimmed: true,
    });
    const json = text(payload.blocks);
    expect(json).toContain('📝 *Ben* added a note in PagerDuty');
    expect(json).toContain('Rolled back &lt;!here&gt; deploy &amp; watching');
    expect(json).toContain('PagerDuty shortened this note');
    expectSafeBlocks(payload.blocks, 'message');
  });

  it('splits a long note across sections without losing text', () => {
    const content = Array.from({ length: 400 }, (_, i) => `line ${i} of the handover`).join('\n');
    const payload = buildNoteMirror({ author: null, content, occurredAt: AT, trimmed: false });
    const sections = payload.blocks.filter((b) => b.type === 'section') as Array<{ text: { text: string } }>;
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.map((s) => s.text.text).join('\n')).toContain('line 399 of the handover');
    expectSafeBlocks(payload.blocks, 'message');
  });

  it('stays valid and escaped for arbitrary notes', () => {
    fc.assert(
      fc.property(
        fc.option(nastyText(200), { nil: null }),
        nastyText(5000),
        fc.boolean(),
        (author, content, trimmed) => {
          const payload = buildNoteMirror({ author, content, occurredAt: AT, trimmed });
          expectSafeBlocks(payload.blocks, 'message');
          expectSafeFallback(payload.text);
        },
      ),
      { numRuns: 100 },
    );
  });
});
