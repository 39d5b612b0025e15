/**
 * The simulator's internal state: plain records keyed by PagerDuty-style ids, with times as epoch milliseconds.
 * Rendering to PagerDuty's JSON happens in `render.ts`; changes happen only in `incidents.ts` (the state machine).
 */

export type IncidentStatus = 'triggered' | 'acknowledged' | 'resolved';
export type Urgency = 'high' | 'low';

export interface ContactMethodRecord {
  id: string;
  type: 'email_contact_method' | 'phone_contact_method' | 'sms_contact_method' | 'push_notification_contact_method';
  label: string;
  address: string;
}

export interface UserRecord {
  id: string;
  name: string;
  email: string;
  timeZone: string;
  color: string;
  role: 'admin' | 'user' | 'limited_user' | 'observer' | 'owner' | 'read_only_user';
  jobTitle: string;
  description: string;
  teamIds: string[];
  contactMethods: ContactMethodRecord[];
  notificationRuleIds: string[];
}

export interface TeamRecord {
  id: string;
  name: string;
  description: string;
}

export interface RestrictionRecord {
  type: 'daily_restriction' | 'weekly_restriction';
  /** `HH:MM:SS` in the schedule's time zone. */
  startTimeOfDay: string;
  durationSeconds: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday (weekly restrictions only). */
  startDayOfWeek?: number;
}

export interface ScheduleLayerRecord {
  id: string;
  name: string;
  start: number;
  end: number | null;
  rotationVirtualStart: number;
  turnLengthSeconds: number;
  userIds: string[];
  restrictions: RestrictionRecord[];
}

export interface ScheduleRecord {
  id: string;
  name: string;
  description: string;
  timeZone: string;
  /** Lowest precedence first: a later layer covers an earlier one wherever it has someone on call. */
  layers: ScheduleLayerRecord[];
  teamIds: string[];
}

export interface EscalationTarget {
  type: 'schedule' | 'user';
  id: string;
}

export interface EscalationRuleRecord {
  id: string;
  delayMinutes: number;
  targets: EscalationTarget[];
}

export interface EscalationPolicyRecord {
  id: string;
  name: string;
  description: string;
  numLoops: number;
  rules: EscalationRuleRecord[];
  teamIds: string[];
}

export interface IntegrationRecord {
  id: string;
  name: string;
  serviceId: string;
  /** The 32-character routing key of the Events API v2 integration. */
  integrationKey: string;
  createdAt: number;
}

export interface ServiceRecord {
  id: string;
  name: string;
  description: string;
  escalationPolicyId: string;
  teamIds: string[];
  integrationIds: string[];
  createdAt: number;
  autoResolveTimeout: number | null;
  acknowledgementTimeout: number | null;
  /** Constant urgency rule: incidents on this service get this urgency unless the caller says otherwise. */
  urgency: Urgency;
}

export interface PriorityRecord {
  id: string;
  name: string;
  description: string;
  color: string;
}

export interface DependencyRecord {
  id: string;
  supportingServiceId: string;
  dependentServiceId: string;
}

export type Agent =
  | { type: 'user'; id: string }
  | { type: 'service'; id: string }
  | { type: 'integration'; id: string; serviceId: string };

/** How an action reached PagerDuty: REST API, Events API, the web UI (sandbox console) or the system itself. */
export type Via = 'api' | 'events' | 'website' | 'timeout' | 'auto';

export interface AssignmentRecord {
  at: number;
  userId: string;
}

export interface AcknowledgementRecord {
  at: number;
  userId: string;
}

export interface ResponderRecord {
  userId: string;
  state: 'pending' | 'joined' | 'declined' | 'user_cancelled';
  requesterId: string;
  requestedAt: number;
  updatedAt: number;
  message: string;
  escalationPolicyId: string | null;
}

export interface ResponderRequestRecord {
  id: string;
  incidentId: string;
  requesterId: string;
  message: string;
  requestedAt: number;
  targets: Array<{ type: 'user' | 'escalation_policy'; id: string; userIds: string[] }>;
}

export interface IncidentRecord {
  id: string;
  number: number;
  title: string;
  status: IncidentStatus;
  urgency: Urgency;
  serviceId: string;
  escalationPolicyId: string;
  escalationLevel: number;
  teamIds: string[];
  priorityId: string | null;
  incidentKey: string | null;
  createdAt: number;
  updatedAt: number;
  lastStatusChangeAt: number;
  lastStatusChangeBy: Agent;
  resolvedAt: number | null;
  reopenedAt: number | null;
  assignments: AssignmentRecord[];
  assignedVia: 'escalation_policy' | 'direct_assignment';
  acknowledgements: AcknowledgementRecord[];
  snoozedUntil: number | null;
  /** When the next automatic escalation happens while triggered (null when none is pending). */
  nextEscalationAt: number | null;
  /** Loops through the escalation policy done so far (for num_loops). */
  loopsDone: number;
  alertIds: string[];
  firstTriggerLogEntryId: string;
  resolveReason: { incidentId: string } | null;
  conferenceBridge: { conferenceNumber?: string; conferenceUrl?: string } | null;
  bodyDetails: unknown;
  incidentType: string;
  createdVia: Via;
  responders: ResponderRecord[];
  responderRequestIds: string[];
}

export interface AlertRecord {
  id: string;
  incidentId: string;
  serviceId: string;
  integrationId: string | null;
  status: 'triggered' | 'resolved';
  alertKey: string;
  summary: string;
  severity: 'critical' | 'error' | 'warning' | 'info';
  createdAt: number;
  resolvedAt: number | null;
  source: string;
  component: string | null;
  group: string | null;
  eventClass: string | null;
  details: Record<string, unknown>;
  contexts: Array<{ type: 'link' | 'image'; href?: string; src?: string; text?: string }>;
  firstTriggerLogEntryId: string;
}

export type LogEntryType =
  | 'trigger_log_entry'
  | 'acknowledge_log_entry'
  | 'unacknowledge_log_entry'
  | 'assign_log_entry'
  | 'escalate_log_entry'
  | 'delegate_log_entry'
  | 'notify_log_entry'
  | 'annotate_log_entry'
  | 'snooze_log_entry'
  | 'resolve_log_entry'
  | 'urgency_change_log_entry'
  | 'priority_change_log_entry'
  | 'status_update_log_entry'
  | 'responder_request_log_entry'
  | 'exhaust_escalation_path_log_entry'
  | 'repeat_escalation_path_log_entry';

export interface LogEntryRecord {
  id: string;
  type: LogEntryType;
  createdAt: number;
  incidentId: string;
  serviceId: string;
  teamIds: string[];
  agent: Agent | null;
  channel: Record<string, unknown>;
  summary: string;
  /** The resolution note on a resolve entry, or a note's text on an annotate entry. */
  note?: string;
  assigneeIds?: string[];
  /** The notified user on a notify entry. */
  userId?: string;
  /** Extra PagerDuty fields (acknowledgement_timeout, changed_actions, …). */
  extra?: Record<string, unknown>;
}

export interface NoteRecord {
  id: string;
  incidentId: string;
  userId: string | null;
  content: string;
  createdAt: number;
}

export interface StatusUpdateRecord {
  id: string;
  incidentId: string;
  senderId: string;
  message: string;
  subject: string | null;
  htmlMessage: string | null;
  createdAt: number;
}

/** Everything the simulator knows. One instance per simulator; only the state machine mutates incidents. */
export interface SimState {
  users: Map<string, UserRecord>;
  teams: Map<string, TeamRecord>;
  schedules: Map<string, ScheduleRecord>;
  escalationPolicies: Map<string, EscalationPolicyRecord>;
  services: Map<string, ServiceRecord>;
  integrations: Map<string, IntegrationRecord>;
  priorities: PriorityRecord[];
  dependencies: DependencyRecord[];
  incidents: Map<string, IncidentRecord>;
  /** Incident ids in creation order (incident numbers ascending). */
  incidentOrder: string[];
  alerts: Map<string, AlertRecord>;
  logEntries: Map<string, LogEntryRecord>;
  /** Log entry ids in creation order. */
  logOrder: string[];
  /** Log entry ids per incident, in creation order. */
  incidentLog: Map<string, string[]>;
  notes: Map<string, NoteRecord[]>;
  statusUpdates: Map<string, StatusUpdateRecord[]>;
  responderRequests: Map<string, ResponderRequestRecord>;
  nextIncidentNumber: number;
}

/** An empty state (the `org: 'empty'` option starts here; the seed fills it). */
export function createEmptyState(): SimState {
  return {
    users: new Map(),
    teams: new Map(),
    schedules: new Map(),
    escalationPolicies: new Map(),
    services: new Map(),
    integrations: new Map(),
    priorities: [],
    dependencies: [],
    incidents: new Map(),
    incidentOrder: [],
    alerts: new Map(),
    logEntries: new Map(),
    logOrder: [],
    incidentLog: new Map(),
    notes: new Map(),
    statusUpdates: new Map(),
    responderRequests: new Map(),
    nextIncidentNumber: 1,
  };
}
