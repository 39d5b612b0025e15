import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCardState, decodeEscalateChoice, decodeOverflow } from '../../../src/slack/action-values.js';
import { buildIncidentCard } from '../../../src/slack/blocks/incident-card.js';
import type { IncidentView } from '../../../src/slack/blocks/model.js';
import { ActionId } from '../../../src/slack/ids.js';
import { expectSafeBlocks, expectSafeFallback, incidentView, slackUserId } from './arbitraries.js';

const NOW = Date.UTC(2026, 2, 1, 3, 0, 0);

const base: IncidentView = {
  id: 'PABC123',
  number: 42,
  title: 'Checkout API returning 500s',
  status: 'triggered',
  urgency: 'high',
  priority: 'P1',
  service: { id: 'PSVC001', name: 'Checkout API' },
  assignees: [{ id: 'PUSER01', name: 'Alice Example', slackUserId: 'U0ALICE01' }],
  escalationLevel: 1,
  escalationPolicy: { id: 'PEP0001', name: 'Checkout on-call' },
  createdAt: new Date(NOW - 12 * 60_000).toISOString(),
  resolvedAt: null,
  lastChangedBy: null,
  htmlUrl: 'https://acme.pagerduty.com/incidents/PABC123',
  alertCount: 3,
};

function actionIds(blocks: Array<Record<string, unknown>>): string[] {
  const actions = blocks.find((b) => b.type === 'actions') as { elements: Array<{ action_id: string }> };
  return actions.elements.map((e) => e.action_id);
}

describe('buildIncidentCard', () => {
  it('shows a triggered incident with Acknowledge, Escalate, Resolve, AI, channel, link and menu', () => {
    const card = buildIncidentCard(base, { now: NOW });
    expect(card.blocks[0]).toMatchObject({ type: 'header', text: { text: '🔴 #42 Checkout API returning 500s' } });
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('Open for 12m');
    expect(json).toContain('<@U0ALICE01>');
    expect(json).toContain('Level 1 · Checkout on-call');
    expect(json).toContain('3 alerts');
    expect(actionIds(card.blocks)).toEqual([
      ActionId.acknowledge,
      ActionId.escalate,
      ActionId.resolve,
      ActionId.ai,
      ActionId.openChannel,
      ActionId.openInPagerDuty,
      ActionId.overflow,
    ]);
    expect(card.text).toContain('#42 Triggered');
  });

  it('drops Acknowledge once acknowledged and offers snooze', () => {
    const card = buildIncidentCard({ ...base, status: 'acknowledged' }, { now: NOW });
    const ids = actionIds(card.blocks);
    expect(ids).not.toContain(ActionId.acknowledge);
    expect(ids).toContain(ActionId.escalate);
    expect(JSON.stringify(card.blocks)).toContain('snooze|PABC123');
  });

  it('has no Acknowledge, Escalate or Resolve on a resolved incident', () => {
    const card = buildIncidentCard(
      { ...base, status: 'resolved', resolvedAt: new Date(NOW - 60_000).toISOString() },
      { now: NOW, incidentChannelId: 'C0INC0001' },
    );
    const ids = actionIds(card.blocks);
    expect(ids).not.toContain(ActionId.acknowledge);
    expect(ids).not.toContain(ActionId.escalate);
    expect(ids).not.toContain(ActionId.resolve);
    expect(ids).not.toContain(ActionId.openChannel);
    expect(JSON.stringify(card.blocks)).toContain('lasted 11m');
    expect(card.blocks[0]).toMatchObject({ text: { text: expect.stringMatching(/^✅/) } });
  });

  it('carries the state the user saw in button values', () => {
    const card = buildIncidentCard({ ...base, escalationLevel: 2 }, { now: NOW, escalationLevels: 3 });
    const actions = card.blocks.find((b) => b.type === 'actions') as {
      elements: Array<{ action_id: string; value?: string; options?: Array<{ value: string }> }>;
    };
    const ack = actions.elements.find((e) => e.action_id === ActionId.acknowledge);
    expect(decodeCardState(ack?.value)).toEqual({
      incidentId: 'PABC123',
      status: 'triggered',
      level: 2,
      render: NOW.toString(36),
    });
    expect(() => decodeCardState('PABC123|triggered|2')).toThrow(/out of date/);
    expect(() => decodeCardState('PABC123|closed|2|abc')).toThrow(/out of date/);
    const select = actions.elements.find((e) => e.action_id === ActionId.escalate);
    expect(select?.options?.map((o) => decodeEscalateChoice(o.value).target)).toEqual([1, 3]);
    const menu = actions.elements.find((e) => e.action_id === ActionId.overflow);
    expect(menu?.options?.map((o) => decodeOverflow(o.value).choice)).toEqual([
      'note',
      'reassign',
      'runbook',
      'postmortem',
    ]);
  });

  it('shows roles, the last action and the incident channel', () => {
    const card = buildIncidentCard(base, {
      now: NOW,
      roles: { commander: 'U0CMD0001', comms: null, scribe: 'U0SCR0001' },
      lastAction: { verb: 'Escalated to level 2', slackUserId: 'U0BOB0001', at: NOW - 120_000 },
      incidentChannelId: 'C0INC0001',
    });
    const json = JSON.stringify(card.blocks);
    expect(json).toContain('Commander <@U0CMD0001>');
    expect(json).toContain('Scribe <@U0SCR0001>');
    expect(json).not.toContain('Comms');
    expect(json).toContain('Escalated to level 2 by <@U0BOB0001> 2m ago');
    expect(json).toContain('<#C0INC0001>');
  });

  it('is valid Block Kit and escapes any incident text (property)', () => {
    fc.assert(
      fc.property(
        incidentView(),
        fc.record({
          commander: fc.option(slackUserId, { nil: null }),
          comms: fc.option(slackUserId, { nil: null }),
          scribe: fc.option(slackUserId, { nil: null }),
        }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
        (incident, roles, levels) => {
          const card = buildIncidentCard(incident, { now: NOW, roles, escalationLevels: levels });
          expectSafeBlocks(card.blocks, 'message', ['https://acme.pagerduty.com/incidents/PABC123']);
          expectSafeFallback(card.text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
