import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PagerDutyApiError } from '../../../src/pagerduty/errors.js';
import { AppError, ErrorCode } from '../../../src/shared/errors.js';
import { failureText } from '../../../src/slack/listeners/shared.js';
import { incidentTopic } from '../../../src/slack/services/cards.js';
import { incidentChannelName } from '../../../src/slack/services/incident-channel.js';
import { actionVerb } from '../../../src/slack/services/last-action.js';
import { incidentView, nastyText } from '../blocks/arbitraries.js';

describe('incidentChannelName', () => {
  it('is inc-<number>-<slug>, lowercase, at most 80 characters, for any title (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 99_999_999 }), { nil: null }),
        nastyText(300),
        fc.constantFrom('', '-2', '-6'),
        (n, title, suffix) => {
          const name = incidentChannelName(n, 'QABC123', title, suffix);
          expect(name).toMatch(/^inc-[a-z0-9]+(-[a-z0-9]+)*$/);
          expect(name.length).toBeLessThanOrEqual(80);
          expect(name.endsWith(suffix)).toBe(true);
        },
      ),
    );
    expect(incidentChannelName(42, 'Q1', 'Checkout: 500s für Kunden!')).toBe('inc-42-checkout-500s-fur-kunden');
  });
});

describe('actionVerb', () => {
  it('names what each write did', () => {
    expect(actionVerb({ tool: 'update_incident', input: { status: 'acknowledged' } })).toBe('Acknowledged');
    expect(actionVerb({ tool: 'update_incident', input: { status: 'resolved', resolution: 'x' } })).toBe('Resolved');
    expect(actionVerb({ tool: 'update_incident', input: { urgency: 'high' } })).toBe('Set urgency to high');
    expect(actionVerb({ tool: 'escalate_incident', input: { escalation_level: 3 } })).toBe('Escalated to level 3');
    expect(actionVerb({ tool: 'snooze_incident', input: { duration_minutes: 90 } })).toBe('Snoozed for 1.5h');
    expect(actionVerb({ tool: 'snooze_incident', input: { duration_minutes: 30 } })).toBe('Snoozed for 30m');
    expect(actionVerb({ tool: 'list_incidents', input: {} })).toBeNull();
  });
});

describe('incidentTopic', () => {
  it('fits Slack’s 250-character topic and carries no markup from the title (property)', () => {
    fc.assert(
      fc.property(incidentView(), (view) => {
        const topic = incidentTopic(view, undefined);
        expect([...topic].length).toBeLessThanOrEqual(250);
        expect(topic).not.toMatch(/<!|<https?:/);
      }),
    );
  });
});

describe('failureText', () => {
  it('names what failed and why, for each kind of failure', () => {
    expect(
      failureText('acknowledge the incident', new AppError(ErrorCode.PagerDutyUnavailable, 'timeout after 10 s')),
    ).toBe(
      "Couldn't acknowledge the incident: PagerDuty is unreachable right now (timeout after 10 s). Nothing was changed; try again in a minute.",
    );
    const notFound = new PagerDutyApiError({
      status: 404,
      method: 'GET',
      endpoint: '/incidents/{id}',
      subject: { resource: 'Incident', id: 'P1' },
    });
    expect(failureText('show the incident', notFound)).toMatch(
      /^Couldn't show the incident: PagerDuty says it does not exist/,
    );
    expect(failureText('x', new AppError(ErrorCode.Forbidden, 'Only members'))).toBe('Only members');
    expect(failureText('x', new Error('<!here> boom'))).toBe("Couldn't x: something went wrong (&lt;!here&gt; boom).");
  });
});
