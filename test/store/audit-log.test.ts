import { describe, expect, it } from 'vitest';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { AUDIT_INPUT_MAX_BYTES } from '../../src/store/audit-log.js';
import { BACKENDS, useTestStore } from './support.js';

const slackActor = {
  surface: 'slack' as const,
  email: 'ada@example.com',
  slackUserId: 'U0ADA',
  pagerdutyUserId: 'PADA01',
};

describe.each(BACKENDS)('audit log on %s', (backend) => {
  const t = useTestStore(backend);

  it('records who did what through which surface, and the incident from the tool input', async () => {
    const entry = await t.store.audit.record({
      actor: slackActor,
      tool: 'acknowledge_incident',
      input: { incident_id: 'PINC01', note: 'on it' },
      outcome: 'ok',
      durationMs: 123.4,
    });
    expect(entry).toMatchObject({
      surface: 'slack',
      email: 'ada@example.com',
      slackUserId: 'U0ADA',
      pagerdutyUserId: 'PADA01',
      tool: 'acknowledge_incident',
      incidentId: 'PINC01',
      input: { incident_id: 'PINC01', note: 'on it' },
      outcome: 'ok',
      errorCode: null,
      errorMessage: null,
      durationMs: 123,
    });
    expect(entry.at.toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });

  it('records failures with the error code and message of an AppError or a plain error', async () => {
    const failed = await t.store.audit.record({
      actor: { surface: 'mcp', email: 'bot-user@example.com' },
      tool: 'resolve_incident',
      input: { incidentId: 'PINC02' },
      outcome: 'error',
      error: new AppError(ErrorCode.PagerDutyApi, 'PagerDuty answered 403 Forbidden'),
    });
    expect(failed).toMatchObject({
      incidentId: 'PINC02',
      outcome: 'error',
      errorCode: 'pagerduty_api_error',
      errorMessage: 'PagerDuty answered 403 Forbidden',
    });
    const plain = await t.store.audit.record({
      actor: { surface: 'slack', slackUserId: 'U0NOBODY' },
      tool: 'escalate_incident',
      input: {},
      outcome: 'error',
      error: new Error('socket hang up'),
    });
    expect(plain).toMatchObject({ errorCode: null, errorMessage: 'socket hang up', email: null, incidentId: null });
  });

  it('lists newest first, filtered by incident, tool, surface and time', async () => {
    const record = (tool: string, incident: string, surface: 'slack' | 'cli') =>
      t.store.audit.record({
        actor: { ...slackActor, surface },
        tool,
        input: { incident_id: incident },
        outcome: 'ok',
      });
    await record('acknowledge_incident', 'PA', 'slack');
    t.clock.advance(1000);
    await record('resolve_incident', 'PA', 'cli');
    t.clock.advance(1000);
    await record('acknowledge_incident', 'PB', 'slack');
    expect((await t.store.audit.list()).map((e) => `${e.tool}:${e.incidentId}`)).toEqual([
      'acknowledge_incident:PB',
      'resolve_incident:PA',
      'acknowledge_incident:PA',
    ]);
    expect((await t.store.audit.list({ incidentId: 'PA' })).map((e) => e.tool)).toEqual([
      'resolve_incident',
      'acknowledge_incident',
    ]);
    expect(await t.store.audit.list({ tool: 'resolve_incident', surface: 'cli' })).toHaveLength(1);
    expect(await t.store.audit.list({ since: Date.UTC(2026, 0, 1, 0, 0, 1) })).toHaveLength(2);
    expect(await t.store.audit.list({ limit: 1 })).toHaveLength(1);
  });

  it('stores an oversized input as a truncated preview instead of failing the audit', async () => {
    const entry = await t.store.audit.record({
      actor: slackActor,
      tool: 'add_note',
      input: { incident_id: 'PA', content: 'x'.repeat(AUDIT_INPUT_MAX_BYTES + 10) },
      outcome: 'ok',
    });
    expect(entry.input).toMatchObject({ truncated: true });
    expect((entry.input as { bytes: number }).bytes).toBeGreaterThan(AUDIT_INPUT_MAX_BYTES);
    expect(entry.incidentId).toBe('PA');
  });

  it('rejects entries without a surface, with a bad tool name or email, or an error outcome with no error', async () => {
    const error = await t.store.audit
      .record({
        actor: { surface: 'email' as 'slack', email: 'not-an-email' },
        tool: 'Acknowledge Incident',
        input: {},
        outcome: 'error',
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path).sort();
    expect(paths).toEqual(['actor.email', 'actor.surface', 'tool']);
    const noError = await t.store.audit
      .record({ actor: slackActor, tool: 'resolve_incident', input: {}, outcome: 'error' })
      .catch((e: unknown) => e);
    expect((noError as InvalidInputError).issues).toEqual([
      { path: 'error', message: 'required when outcome is error' },
    ]);
    expect(await t.store.audit.list()).toEqual([]);
  });
});
