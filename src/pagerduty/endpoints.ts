/**
 * Every PagerDuty endpoint the client can call, keyed by client method name. The client sends requests only
 * through this table, and the contract test checks that each entry is exercised against the simulator and
 * validated against PagerDuty's OpenAPI document, so a new endpoint cannot slip in unchecked.
 */
export interface Endpoint {
  method: 'GET' | 'POST' | 'PUT';
  /** Path template with `{id}` placeholders, exactly as in PagerDuty's OpenAPI document. */
  path: string;
  /** `rest` = REST API v2 (`baseUrl`), `events` = Events API v2 (`eventsUrl`). */
  api: 'rest' | 'events';
  /** Writes need the acting person's email (`From` header) and are retried only on 429. */
  write: boolean;
}

const rest = (method: Endpoint['method'], path: string): Endpoint => ({
  method,
  path,
  api: 'rest',
  write: method !== 'GET',
});

export const PAGERDUTY_ENDPOINTS = {
  listIncidents: rest('GET', '/incidents'),
  getIncident: rest('GET', '/incidents/{id}'),
  createIncident: rest('POST', '/incidents'),
  updateIncident: rest('PUT', '/incidents/{id}'),
  mergeIncidents: rest('PUT', '/incidents/{id}/merge'),
  snoozeIncident: rest('POST', '/incidents/{id}/snooze'),
  listIncidentNotes: rest('GET', '/incidents/{id}/notes'),
  createIncidentNote: rest('POST', '/incidents/{id}/notes'),
  listIncidentLogEntries: rest('GET', '/incidents/{id}/log_entries'),
  listIncidentAlerts: rest('GET', '/incidents/{id}/alerts'),
  createStatusUpdate: rest('POST', '/incidents/{id}/status_updates'),
  createResponderRequest: rest('POST', '/incidents/{id}/responder_requests'),
  listLogEntries: rest('GET', '/log_entries'),
  listOnCalls: rest('GET', '/oncalls'),
  listSchedules: rest('GET', '/schedules'),
  getSchedule: rest('GET', '/schedules/{id}'),
  listEscalationPolicies: rest('GET', '/escalation_policies'),
  getEscalationPolicy: rest('GET', '/escalation_policies/{id}'),
  listServices: rest('GET', '/services'),
  getService: rest('GET', '/services/{id}'),
  getTechnicalServiceDependencies: rest('GET', '/service_dependencies/technical_services/{id}'),
  listUsers: rest('GET', '/users'),
  getUser: rest('GET', '/users/{id}'),
  listTeams: rest('GET', '/teams'),
  listPriorities: rest('GET', '/priorities'),
  enqueueEvent: { method: 'POST', path: '/v2/enqueue', api: 'events', write: true },
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof PAGERDUTY_ENDPOINTS;

/**
 * Client methods that call no endpoint of their own but compose the ones above (so the contract test knows
 * they are covered by the endpoints they use).
 */
export const DERIVED_METHODS = {
  findUserByEmail: ['listUsers'],
} as const satisfies Record<string, readonly EndpointName[]>;
