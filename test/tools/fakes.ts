import type { AiEngine } from '../../src/ai/contract.js';
import {
  AlertListSchema,
  EscalationPolicyEnvelopeSchema,
  IncidentEnvelopeSchema,
  LogEntryListSchema,
  NoteEnvelopeSchema,
  OnCallListSchema,
  type PagerDutyClient,
  PriorityListSchema,
  ScheduleEnvelopeSchema,
  ServiceEnvelopeSchema,
  UserEnvelopeSchema,
} from '../../src/pagerduty/index.js';
import { createManualClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Actor, ToolContext } from '../../src/tools/define-tool.js';
import { specResponseExample } from '../pagerduty/spec-examples.js';

export interface Call {
  method: keyof PagerDutyClient;
  args: unknown[];
}

/**
 * A `PagerDutyClient` as a plain object: every method fails loudly unless the test provides it, and every call
 * is recorded. Tools are unit-tested against this; the real client is exercised in the integration tests.
 */
export function fakePagerDuty(overrides: Partial<PagerDutyClient> = {}): PagerDutyClient & { calls: Call[] } {
  const calls: Call[] = [];
  const unexpected =
    (method: keyof PagerDutyClient) =>
    async (...args: unknown[]): Promise<never> => {
      throw new Error(`unexpected PagerDuty call ${method}(${JSON.stringify(args)})`);
    };
  const base: PagerDutyClient = {
    listIncidents: unexpected('listIncidents'),
    getIncident: unexpected('getIncident'),
    createIncident: unexpected('createIncident'),
    updateIncident: unexpected('updateIncident'),
    mergeIncidents: unexpected('mergeIncidents'),
    snoozeIncident: unexpected('snoozeIncident'),
    listIncidentNotes: unexpected('listIncidentNotes'),
    createIncidentNote: unexpected('createIncidentNote'),
    listIncidentLogEntries: unexpected('listIncidentLogEntries'),
    listIncidentAlerts: unexpected('listIncidentAlerts'),
    createStatusUpdate: unexpected('createStatusUpdate'),
    createResponderRequest: unexpected('createResponderRequest'),
    listLogEntries: unexpected('listLogEntries'),
    listOnCalls: unexpected('listOnCalls'),
    listSchedules: unexpected('listSchedules'),
    getSchedule: unexpected('getSchedule'),
    listEscalationPolicies: unexpected('listEscalationPolicies'),
    getEscalationPolicy: unexpected('getEscalationPolicy'),
    listServices: unexpected('listServices'),
    getService: unexpected('getService'),
    getTechnicalServiceDependencies: unexpected('getTechnicalServiceDependencies'),
    listUsers: unexpected('listUsers'),
    getUser: unexpected('getUser'),
    findUserByEmail: unexpected('findUserByEmail'),
    listTeams: unexpected('listTeams'),
    listPriorities: unexpected('listPriorities'),
    enqueueEvent: unexpected('enqueueEvent'),
    ...overrides,
  };
  const recorded = Object.fromEntries(
    Object.entries(base).map(([name, fn]) => [
      name,
      (...args: unknown[]) => {
        calls.push({ method: name as keyof PagerDutyClient, args });
        return (fn as (...a: unknown[]) => Promise<unknown>)(...args);
      },
    ]),
  ) as unknown as PagerDutyClient;
  return Object.assign(recorded, { calls });
}

/** An AI engine for tools that must not use one: any call fails the test. */
export const noAi: AiEngine = new Proxy({ name: 'heuristic', cacheId: 'none' } as AiEngine, {
  get(target, property) {
    if (property in target) return target[property as keyof AiEngine];
    return () => Promise.reject(new Error(`unexpected AI call ${String(property)}`));
  },
});

export const ACTOR: Actor = {
  email: 'jane.doe@example.com',
  surface: 'slack',
  name: 'Jane Doe',
  slackUserId: 'U0JANE',
};

export function makeContext(pagerduty: PagerDutyClient, actor: Actor | null = ACTOR): ToolContext {
  return {
    pagerduty,
    ai: noAi,
    logger: silentLogger(),
    clock: createManualClock(Date.UTC(2026, 0, 5, 3, 0, 0)),
    ...(actor ? { actor } : {}),
  };
}

/** Fixtures: PagerDuty's own published examples, parsed with our models. */
export const fixtures = {
  incident: () => IncidentEnvelopeSchema.parse(specResponseExample('GET', '/incidents/{id}')).incident,
  note: () => NoteEnvelopeSchema.parse(specResponseExample('POST', '/incidents/{id}/notes')).note,
  logEntries: () => LogEntryListSchema.parse(specResponseExample('GET', '/incidents/{id}/log_entries')).log_entries,
  alerts: () => AlertListSchema.parse(specResponseExample('GET', '/incidents/{id}/alerts')).alerts,
  oncalls: () => OnCallListSchema.parse(specResponseExample('GET', '/oncalls')).oncalls,
  schedule: () => ScheduleEnvelopeSchema.parse(specResponseExample('GET', '/schedules/{id}')).schedule,
  escalationPolicy: () =>
    EscalationPolicyEnvelopeSchema.parse(specResponseExample('GET', '/escalation_policies/{id}')).escalation_policy,
  service: () => ServiceEnvelopeSchema.parse(specResponseExample('GET', '/services/{id}')).service,
  user: () => UserEnvelopeSchema.parse(specResponseExample('GET', '/users/{id}')).user,
  priorities: () => PriorityListSchema.parse(specResponseExample('GET', '/priorities')).priorities,
};
