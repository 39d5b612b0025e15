import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  AlertListSchema,
  EscalationPolicyEnvelopeSchema,
  EscalationPolicyListSchema,
  IncidentEnvelopeSchema,
  IncidentListSchema,
  IncidentReferenceEnvelopeSchema,
  LogEntryListSchema,
  NoteEnvelopeSchema,
  NoteListSchema,
  OnCallListSchema,
  PAGERDUTY_ENDPOINTS,
  PriorityListSchema,
  ResponderRequestEnvelopeSchema,
  ScheduleEnvelopeSchema,
  ScheduleListSchema,
  ServiceDependencyListSchema,
  ServiceEnvelopeSchema,
  ServiceListSchema,
  StatusUpdateEnvelopeSchema,
  TeamListSchema,
  UserEnvelopeSchema,
  UserListSchema,
} from '../../src/pagerduty/index.js';
import { specResponseExample } from './spec-examples.js';

/** The model each REST endpoint's answer is parsed with. */
const MODELS: Record<Exclude<keyof typeof PAGERDUTY_ENDPOINTS, 'enqueueEvent'>, z.ZodType> = {
  listIncidents: IncidentListSchema,
  getIncident: IncidentEnvelopeSchema,
  createIncident: IncidentEnvelopeSchema,
  updateIncident: IncidentEnvelopeSchema,
  mergeIncidents: IncidentReferenceEnvelopeSchema,
  snoozeIncident: IncidentEnvelopeSchema,
  listIncidentNotes: NoteListSchema,
  createIncidentNote: NoteEnvelopeSchema,
  listIncidentLogEntries: LogEntryListSchema,
  listIncidentAlerts: AlertListSchema,
  createStatusUpdate: StatusUpdateEnvelopeSchema,
  createResponderRequest: ResponderRequestEnvelopeSchema,
  listLogEntries: LogEntryListSchema,
  listOnCalls: OnCallListSchema,
  listSchedules: ScheduleListSchema,
  getSchedule: ScheduleEnvelopeSchema,
  listEscalationPolicies: EscalationPolicyListSchema,
  getEscalationPolicy: EscalationPolicyEnvelopeSchema,
  listServices: ServiceListSchema,
  getService: ServiceEnvelopeSchema,
  getTechnicalServiceDependencies: ServiceDependencyListSchema,
  listUsers: UserListSchema,
  getUser: UserEnvelopeSchema,
  listTeams: TeamListSchema,
  listPriorities: PriorityListSchema,
};

describe('PagerDuty models', () => {
  it.each(Object.entries(MODELS))("parse PagerDuty's own published example for %s", (name, schema) => {
    const endpoint = PAGERDUTY_ENDPOINTS[name as keyof typeof MODELS];
    const example = specResponseExample(endpoint.method, endpoint.path);
    const parsed = schema.safeParse(example);
    expect(parsed.success ? 'ok' : parsed.error.issues).toBe('ok');
  });

  it('keep fields they do not know (a newer API never breaks parsing)', () => {
    const example = specResponseExample('GET', '/incidents/{id}');
    (example.incident as Record<string, unknown>).brand_new_field = { x: 1 };
    const parsed = IncidentEnvelopeSchema.parse(example);
    expect((parsed.incident as Record<string, unknown>).brand_new_field).toEqual({ x: 1 });
  });

  it('read both the wrapped and the flat form of responder request targets', () => {
    const parsed = ResponderRequestEnvelopeSchema.parse({
      responder_request: {
        responder_request_targets: [
          { responder_request_target: { id: 'PUSER01', type: 'user' } },
          { id: 'PEP0001', type: 'escalation_policy' },
        ],
      },
    });
    expect(parsed.responder_request.responder_request_targets?.map((t) => t.id)).toEqual(['PUSER01', 'PEP0001']);
  });
});
