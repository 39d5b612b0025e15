import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CARD_UPDATE_EVENT_TYPES,
  classifyEnvelope,
  incidentIdOf,
  PAGERDUTY_EVENT_TYPES,
  parseWebhookBody,
} from '../../../src/webhooks/pagerduty/schemas.js';

const SPECS = '/work/shared/specs/pagerduty-webhooks';
const capture = (name: string): Buffer => readFileSync(join(SPECS, 'signed-captures', `${name}.body.json`));
const officialTypes = (
  JSON.parse(readFileSync(join(SPECS, 'official', 'event-types.json'), 'utf8')) as {
    event_types: Array<{ event_type: string; data_type: string }>;
  }
).event_types;
const dataTypeSamples = join(SPECS, 'official', 'event-data-types');

function envelopeFor(eventType: string, data: unknown): unknown {
  return {
    event: {
      id: '01TESTEVENT0000000000000',
      event_type: eventType,
      resource_type: eventType.split('.')[0],
      occurred_at: '2026-01-01T00:00:00.000Z',
      agent: null,
      client: null,
      data,
    },
  };
}

describe('webhook envelope schemas', () => {
  it('knows exactly the event types PagerDuty documents (plus pagey.ping)', () => {
    expect([...PAGERDUTY_EVENT_TYPES].sort()).toEqual([...officialTypes.map((t) => t.event_type), 'pagey.ping'].sort());
  });

  it('parses every signed capture with the right kind', () => {
    const files = readdirSync(join(SPECS, 'signed-captures')).filter((f) => f.endsWith('.body.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) {
      const outcome = parseWebhookBody(readFileSync(join(SPECS, 'signed-captures', file)));
      expect(outcome.ok, file).toBe(true);
    }
    const triggered = parseWebhookBody(capture('incident.triggered'));
    if (!triggered.ok || triggered.value.kind !== 'incident') throw new Error('triggered did not parse as incident');
    expect(triggered.value.eventType).toBe('incident.triggered');
    expect(triggered.value.incident).toMatchObject({ id: 'Q2CKYRLH85UNN4', status: 'triggered', urgency: 'low' });
    expect(triggered.value.incident.service.id).toBe('PNE3JZM');
    expect(triggered.value.event.agent?.summary).toBe('Ben');

    const ping = parseWebhookBody(capture('pagey.ping'));
    expect(ping.ok && ping.value.kind).toBe('ping');

    const priority = parseWebhookBody(capture('go-pagerduty-incident.priority_updated'));
    if (!priority.ok || priority.value.kind !== 'incident') throw new Error('priority_updated did not parse');
    expect(priority.value.incident.priority?.summary).toBe('P1');
  });

  it('reads incident.annotated as a note on an incident reference, not as an incident', () => {
    const outcome = parseWebhookBody(capture('incident.annotated'));
    if (!outcome.ok || outcome.value.kind !== 'note') throw new Error('annotated did not parse as a note');
    expect(outcome.value.note).toMatchObject({ id: 'PTSAIFZ', content: "Resolution Note: I'm resolving it" });
    expect(incidentIdOf(outcome.value)).toBe('Q2CKYRLH85UNN4');
  });

  it('parses the official envelopes and every official data-type sample under its event types', () => {
    for (const file of ['incident.priority_updated.json', 'service.updated.json']) {
      const outcome = parseWebhookBody(readFileSync(join(SPECS, 'official', file)));
      expect(outcome.ok, file).toBe(true);
    }
    const service = parseWebhookBody(readFileSync(join(SPECS, 'official', 'service.updated.json')));
    expect(service.ok && service.value.kind).toBe('unused');
    for (const t of officialTypes) {
      const data = JSON.parse(readFileSync(join(dataTypeSamples, `${t.data_type}.json`), 'utf8')) as unknown;
      const outcome = classifyEnvelope(envelopeFor(t.event_type, data));
      expect(outcome.ok, t.event_type).toBe(true);
      if (!outcome.ok) continue;
      const expected =
        t.event_type === 'incident.annotated'
          ? 'note'
          : t.event_type === 'incident.triggered' ||
              t.event_type === 'incident.resolved' ||
              (CARD_UPDATE_EVENT_TYPES as readonly string[]).includes(t.event_type)
            ? 'incident'
            : 'unused';
      expect(outcome.value.kind, t.event_type).toBe(expected);
    }
  });

  it('treats event types PagerDuty has not documented as unknown, without validating their data', () => {
    const outcome = classifyEnvelope(envelopeFor('incident.teleported', { anything: [1, 2, 3] }));
    expect(outcome.ok && outcome.value.kind).toBe('unknown');
  });

  it('refuses malformed bodies with a message naming the problem', () => {
    const incident = JSON.parse(capture('incident.triggered').toString('utf8')) as { event: Record<string, unknown> };
    const cases: Array<[string, Buffer, RegExp]> = [
      ['empty', Buffer.alloc(0), /empty/],
      ['not json', Buffer.from('{"event":'), /not valid JSON/],
      ['array', Buffer.from('[]'), /body/],
      ['no event', Buffer.from('{"events":[]}'), /body\.event/],
      [
        'bad occurred_at',
        Buffer.from(JSON.stringify({ event: { ...incident.event, occurred_at: 'yesterday' } })),
        /occurred_at/,
      ],
      [
        'bad event_type',
        Buffer.from(JSON.stringify({ event: { ...incident.event, event_type: 'DROP TABLE' } })),
        /event_type/,
      ],
      [
        'triggered without service',
        Buffer.from(
          JSON.stringify({
            event: { ...incident.event, data: { ...(incident.event.data as object), service: undefined } },
          }),
        ),
        /event\.data\.service/,
      ],
      [
        'triggered with an unknown status',
        Buffer.from(
          JSON.stringify({
            event: { ...incident.event, data: { ...(incident.event.data as object), status: 'closed' } },
          }),
        ),
        /event\.data\.status/,
      ],
      [
        'annotated with incident data',
        Buffer.from(JSON.stringify({ event: { ...incident.event, event_type: 'incident.annotated' } })),
        /event\.data/,
      ],
    ];
    for (const [name, raw, message] of cases) {
      const outcome = parseWebhookBody(raw);
      expect(outcome.ok, name).toBe(false);
      if (!outcome.ok) expect(outcome.message, name).toMatch(message);
    }
  });
});
