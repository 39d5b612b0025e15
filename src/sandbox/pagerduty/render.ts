/**
 * Renders internal records as PagerDuty REST API v2 JSON (references, full objects, `include[]` expansions) and
 * as v3 webhook `data` objects. Pure functions of the state and a render context.
 */
import type {
  Agent,
  AlertRecord,
  EscalationPolicyRecord,
  IncidentRecord,
  IntegrationRecord,
  LogEntryRecord,
  NoteRecord,
  PriorityRecord,
  ResponderRequestRecord,
  ScheduleRecord,
  ServiceRecord,
  SimState,
  StatusUpdateRecord,
  TeamRecord,
  UserRecord,
} from './model.js';
import { coveragePercentage, finalSchedule, layerShifts } from './oncall.js';
import { formatInZone } from './time-zones.js';

export type Json = Record<string, unknown>;

/** Where links point and which zone timestamps are rendered in. */
export interface RenderContext {
  state: SimState;
  /** REST base URL (the simulator's), used for `self`. */
  apiBase: string;
  /** Web UI base, used for `html_url`. */
  htmlBase: string;
  /** Time zone for rendered timestamps (`time_zone` query parameter); UTC when absent. */
  timeZone: string;
}

export const SANDBOX_HTML_BASE = 'https://incident-bot-sandbox.pagerduty.com';

export function ts(ctx: RenderContext, ms: number): string {
  return formatInZone(ms, ctx.timeZone);
}

function reference(ctx: RenderContext, type: string, path: string, id: string, summary: string | null): Json {
  return {
    id,
    type,
    summary,
    self: `${ctx.apiBase}/${path}/${id}`,
    html_url: `${ctx.htmlBase}/${path === 'services' ? 'service-directory' : path}/${id}`,
  };
}

export function userRef(ctx: RenderContext, id: string): Json {
  const user = ctx.state.users.get(id);
  return reference(ctx, 'user_reference', 'users', id, user?.name ?? null);
}

export function teamRef(ctx: RenderContext, id: string): Json {
  return reference(ctx, 'team_reference', 'teams', id, ctx.state.teams.get(id)?.name ?? null);
}

export function serviceRef(ctx: RenderContext, id: string): Json {
  return reference(ctx, 'service_reference', 'services', id, ctx.state.services.get(id)?.name ?? null);
}

export function escalationPolicyRef(ctx: RenderContext, id: string): Json {
  const name = ctx.state.escalationPolicies.get(id)?.name ?? null;
  return reference(ctx, 'escalation_policy_reference', 'escalation_policies', id, name);
}

export function scheduleRef(ctx: RenderContext, id: string): Json {
  return reference(ctx, 'schedule_reference', 'schedules', id, ctx.state.schedules.get(id)?.name ?? null);
}

export function priorityRef(ctx: RenderContext, id: string): Json {
  const priority = ctx.state.priorities.find((p) => p.id === id);
  return {
    id,
    type: 'priority_reference',
    summary: priority?.name ?? null,
    self: `${ctx.apiBase}/priorities/${id}`,
    html_url: null,
  };
}

export function incidentSummary(incident: IncidentRecord): string {
  return `[#${incident.number}] ${incident.title}`;
}

export function incidentRef(ctx: RenderContext, id: string): Json {
  const incident = ctx.state.incidents.get(id);
  return reference(ctx, 'incident_reference', 'incidents', id, incident ? incidentSummary(incident) : null);
}

export function integrationRef(ctx: RenderContext, id: string): Json {
  const integration = ctx.state.integrations.get(id);
  const ref = reference(
    ctx,
    'events_api_v2_inbound_integration_reference',
    'integrations',
    id,
    integration?.name ?? null,
  );
  if (integration) {
    ref.self = `${ctx.apiBase}/services/${integration.serviceId}/integrations/${id}`;
    ref.html_url = `${ctx.htmlBase}/services/${integration.serviceId}/integrations/${id}`;
  }
  return ref;
}

export function logEntryRef(ctx: RenderContext, entry: LogEntryRecord): Json {
  return {
    id: entry.id,
    type: `${entry.type}_reference`,
    summary: entry.summary,
    self: `${ctx.apiBase}/log_entries/${entry.id}?incident_id=${entry.incidentId}`,
    html_url: `${ctx.htmlBase}/incidents/${entry.incidentId}/log_entries/${entry.id}`,
  };
}

export function agentRef(ctx: RenderContext, agent: Agent): Json {
  if (agent.type === 'user') return userRef(ctx, agent.id);
  if (agent.type === 'service') return serviceRef(ctx, agent.id);
  return integrationRef(ctx, agent.id);
}

export function renderUser(ctx: RenderContext, user: UserRecord): Json {
  return {
    id: user.id,
    type: 'user',
    summary: user.name,
    self: `${ctx.apiBase}/users/${user.id}`,
    html_url: `${ctx.htmlBase}/users/${user.id}`,
    name: user.name,
    email: user.email,
    time_zone: user.timeZone,
    color: user.color,
    avatar_url: `https://secure.gravatar.com/avatar/${user.id.toLowerCase()}?d=mm&r=PG`,
    billed: true,
    role: user.role,
    description: user.description,
    invitation_sent: false,
    job_title: user.jobTitle,
    teams: user.teamIds.map((id) => teamRef(ctx, id)),
    contact_methods: user.contactMethods.map((cm) => ({
      id: cm.id,
      type: `${cm.type}_reference`,
      summary: cm.label,
      self: `${ctx.apiBase}/users/${user.id}/contact_methods/${cm.id}`,
      html_url: null,
    })),
    notification_rules: user.notificationRuleIds.map((id) => ({
      id,
      type: 'assignment_notification_rule_reference',
      summary: '0 minutes: channel',
      self: `${ctx.apiBase}/users/${user.id}/notification_rules/${id}`,
      html_url: null,
    })),
  };
}

export function renderTeam(ctx: RenderContext, team: TeamRecord): Json {
  return {
    id: team.id,
    type: 'team',
    summary: team.name,
    self: `${ctx.apiBase}/teams/${team.id}`,
    html_url: `${ctx.htmlBase}/teams/${team.id}`,
    name: team.name,
    description: team.description,
    default_role: 'manager',
    parent: null,
  };
}

export function renderPriority(ctx: RenderContext, priority: PriorityRecord): Json {
  return {
    id: priority.id,
    type: 'priority',
    summary: priority.name,
    self: `${ctx.apiBase}/priorities/${priority.id}`,
    html_url: null,
    name: priority.name,
    description: priority.description,
    color: priority.color,
  };
}

function serviceStatus(ctx: RenderContext, service: ServiceRecord): string {
  let status = 'active';
  for (const id of ctx.state.incidentOrder) {
    const incident = ctx.state.incidents.get(id);
    if (!incident || incident.serviceId !== service.id) continue;
    if (incident.status === 'triggered') return 'critical';
    if (incident.status === 'acknowledged') status = 'warning';
  }
  return status;
}

function lastIncidentTimestamp(ctx: RenderContext, service: ServiceRecord): number | null {
  for (let i = ctx.state.incidentOrder.length - 1; i >= 0; i--) {
    const incident = ctx.state.incidents.get(ctx.state.incidentOrder[i] as string);
    if (incident?.serviceId === service.id) return incident.createdAt;
  }
  return null;
}

export interface ServiceIncludes {
  escalationPolicies?: boolean;
  teams?: boolean;
  integrations?: boolean;
}

export function renderIntegration(ctx: RenderContext, integration: IntegrationRecord): Json {
  return {
    ...integrationRef(ctx, integration.id),
    type: 'events_api_v2_inbound_integration',
    name: integration.name,
    service: serviceRef(ctx, integration.serviceId),
    created_at: ts(ctx, integration.createdAt),
    integration_key: integration.integrationKey,
  };
}

export function renderService(ctx: RenderContext, service: ServiceRecord, include: ServiceIncludes = {}): Json {
  const ep = ctx.state.escalationPolicies.get(service.escalationPolicyId);
  const last = lastIncidentTimestamp(ctx, service);
  return {
    id: service.id,
    type: 'service',
    summary: service.name,
    self: `${ctx.apiBase}/services/${service.id}`,
    html_url: `${ctx.htmlBase}/service-directory/${service.id}`,
    name: service.name,
    description: service.description,
    auto_resolve_timeout: service.autoResolveTimeout,
    acknowledgement_timeout: service.acknowledgementTimeout,
    created_at: ts(ctx, service.createdAt),
    status: serviceStatus(ctx, service),
    last_incident_timestamp: last === null ? null : ts(ctx, last),
    escalation_policy:
      include.escalationPolicies && ep
        ? renderEscalationPolicy(ctx, ep)
        : escalationPolicyRef(ctx, service.escalationPolicyId),
    teams: service.teamIds.map((id) => {
      const team = ctx.state.teams.get(id);
      return include.teams && team ? renderTeam(ctx, team) : teamRef(ctx, id);
    }),
    integrations: service.integrationIds.map((id) => {
      const integration = ctx.state.integrations.get(id);
      return include.integrations && integration ? renderIntegration(ctx, integration) : integrationRef(ctx, id);
    }),
    incident_urgency_rule: { type: 'constant', urgency: service.urgency },
    support_hours: null,
    scheduled_actions: [],
    addons: [],
    alert_creation: 'create_alerts_and_incidents',
  };
}

export function renderEscalationPolicy(ctx: RenderContext, policy: EscalationPolicyRecord): Json {
  const services = [...ctx.state.services.values()].filter((s) => s.escalationPolicyId === policy.id);
  return {
    id: policy.id,
    type: 'escalation_policy',
    summary: policy.name,
    self: `${ctx.apiBase}/escalation_policies/${policy.id}`,
    html_url: `${ctx.htmlBase}/escalation_policies/${policy.id}`,
    name: policy.name,
    description: policy.description,
    num_loops: policy.numLoops,
    on_call_handoff_notifications: 'if_has_services',
    escalation_rules: policy.rules.map((rule) => ({
      id: rule.id,
      escalation_delay_in_minutes: rule.delayMinutes,
      targets: rule.targets.map((t) =>
        t.type === 'user' ? userRef(ctx, t.id) : { ...scheduleRef(ctx, t.id), type: 'schedule_reference' },
      ),
    })),
    services: services.map((s) => serviceRef(ctx, s.id)),
    teams: policy.teamIds.map((id) => teamRef(ctx, id)),
  };
}

/** A schedule with its layers and, for [since, until), rendered layer entries and the final schedule. */
export function renderSchedule(
  ctx: RenderContext,
  schedule: ScheduleRecord,
  window: { since: number; until: number } | null,
): Json {
  const zone = ctx.timeZone;
  const users = new Set(schedule.layers.flatMap((l) => l.userIds));
  const policies = [...ctx.state.escalationPolicies.values()].filter((p) =>
    p.rules.some((r) => r.targets.some((t) => t.type === 'schedule' && t.id === schedule.id)),
  );
  const fmt = (ms: number): string => formatInZone(ms, zone);
  const out: Json = {
    id: schedule.id,
    type: 'schedule',
    summary: schedule.name,
    self: `${ctx.apiBase}/schedules/${schedule.id}`,
    html_url: `${ctx.htmlBase}/schedules/${schedule.id}`,
    name: schedule.name,
    time_zone: schedule.timeZone,
    description: schedule.description,
    escalation_policies: policies.map((p) => escalationPolicyRef(ctx, p.id)),
    users: [...users].map((id) => userRef(ctx, id)),
    teams: schedule.teamIds.map((id) => teamRef(ctx, id)),
    // PagerDuty lists the highest layer (the one that takes precedence) first.
    schedule_layers: [...schedule.layers].reverse().map((layer) => {
      const rendered: Json = {
        id: layer.id,
        name: layer.name,
        start: fmt(layer.start),
        end: layer.end === null ? null : fmt(layer.end),
        rotation_virtual_start: fmt(layer.rotationVirtualStart),
        rotation_turn_length_seconds: layer.turnLengthSeconds,
        users: layer.userIds.map((id) => ({ user: userRef(ctx, id) })),
        restrictions: layer.restrictions.map((r) => ({
          type: r.type,
          start_time_of_day: r.startTimeOfDay,
          duration_seconds: r.durationSeconds,
          ...(r.type === 'weekly_restriction' ? { start_day_of_week: r.startDayOfWeek ?? 1 } : {}),
        })),
      };
      if (window) {
        const shifts = layerShifts(layer, schedule.timeZone, window.since, window.until);
        rendered.rendered_schedule_entries = shifts.map((s) => ({
          start: fmt(s.start),
          end: fmt(s.end),
          user: userRef(ctx, s.userId),
        }));
        rendered.rendered_coverage_percentage = coveragePercentage(shifts, window.since, window.until);
      }
      return rendered;
    }),
  };
  if (window) {
    const shifts = finalSchedule(schedule, window.since, window.until);
    out.final_schedule = {
      name: 'Final Schedule',
      rendered_schedule_entries: shifts.map((s) => ({
        start: fmt(s.start),
        end: fmt(s.end),
        user: userRef(ctx, s.userId),
      })),
      rendered_coverage_percentage: coveragePercentage(shifts, window.since, window.until),
    };
    out.overrides_subschedule = { name: 'Overrides', rendered_schedule_entries: [], rendered_coverage_percentage: 0 };
  }
  return out;
}

export type IncidentInclude =
  | 'acknowledgers'
  | 'agents'
  | 'assignees'
  | 'conference_bridge'
  | 'escalation_policies'
  | 'first_trigger_log_entries'
  | 'priorities'
  | 'services'
  | 'teams'
  | 'users';

export const INCIDENT_INCLUDES: readonly IncidentInclude[] = [
  'acknowledgers',
  'agents',
  'assignees',
  'conference_bridge',
  'escalation_policies',
  'first_trigger_log_entries',
  'priorities',
  'services',
  'teams',
  'users',
];

function pendingActions(ctx: RenderContext, incident: IncidentRecord): Json[] {
  const actions: Json[] = [];
  if (incident.status === 'acknowledged' && incident.snoozedUntil !== null) {
    actions.push({ type: 'unacknowledge', at: ts(ctx, incident.snoozedUntil) });
  }
  if (incident.status === 'triggered' && incident.nextEscalationAt !== null) {
    actions.push({ type: 'escalate', at: ts(ctx, incident.nextEscalationAt) });
  }
  return actions;
}

function alertCounts(ctx: RenderContext, incident: IncidentRecord): Json {
  let triggered = 0;
  let resolved = 0;
  for (const id of incident.alertIds) {
    const alert = ctx.state.alerts.get(id);
    if (alert?.status === 'triggered') triggered++;
    else if (alert) resolved++;
  }
  return { all: triggered + resolved, triggered, resolved };
}

/** A full incident object as `GET /incidents/{id}` returns it, with `include[]` expansions. */
export function renderIncident(
  ctx: RenderContext,
  incident: IncidentRecord,
  include: ReadonlySet<IncidentInclude> = new Set(),
): Json {
  const { state } = ctx;
  const user = (id: string, expand: boolean): Json => {
    const record = state.users.get(id);
    return expand && record ? renderUser(ctx, record) : userRef(ctx, id);
  };
  const service = state.services.get(incident.serviceId);
  const policy = state.escalationPolicies.get(incident.escalationPolicyId);
  const priority = incident.priorityId ? state.priorities.find((p) => p.id === incident.priorityId) : undefined;
  const firstTrigger = state.logEntries.get(incident.firstTriggerLogEntryId);
  const lastBy = incident.lastStatusChangeBy;
  const expandAgent = include.has('agents') && lastBy.type === 'user' ? state.users.get(lastBy.id) : undefined;
  const out: Json = {
    id: incident.id,
    type: 'incident',
    summary: incidentSummary(incident),
    self: `${ctx.apiBase}/incidents/${incident.id}`,
    html_url: `${ctx.htmlBase}/incidents/${incident.id}`,
    incident_number: incident.number,
    title: incident.title,
    created_at: ts(ctx, incident.createdAt),
    updated_at: ts(ctx, incident.updatedAt),
    status: incident.status,
    incident_key: incident.incidentKey,
    service: include.has('services') && service ? renderService(ctx, service) : serviceRef(ctx, incident.serviceId),
    assignments: incident.assignments.map((a) => ({
      at: ts(ctx, a.at),
      assignee: user(a.userId, include.has('assignees') || include.has('users')),
    })),
    assigned_via: incident.assignedVia,
    last_status_change_at: ts(ctx, incident.lastStatusChangeAt),
    last_status_change_by: expandAgent ? renderUser(ctx, expandAgent) : agentRef(ctx, lastBy),
    resolved_at: incident.resolvedAt === null ? null : ts(ctx, incident.resolvedAt),
    first_trigger_log_entry:
      firstTrigger && include.has('first_trigger_log_entries')
        ? renderLogEntry(ctx, firstTrigger)
        : firstTrigger
          ? logEntryRef(ctx, firstTrigger)
          : null,
    alert_counts: alertCounts(ctx, incident),
    is_mergeable: incident.status !== 'resolved',
    incident_type: { name: incident.incidentType },
    escalation_policy:
      include.has('escalation_policies') && policy
        ? renderEscalationPolicy(ctx, policy)
        : escalationPolicyRef(ctx, incident.escalationPolicyId),
    teams: incident.teamIds.map((id) => {
      const team = state.teams.get(id);
      return include.has('teams') && team ? renderTeam(ctx, team) : teamRef(ctx, id);
    }),
    pending_actions: pendingActions(ctx, incident),
    acknowledgements: incident.acknowledgements.map((a) => ({
      at: ts(ctx, a.at),
      acknowledger: user(a.userId, include.has('acknowledgers') || include.has('users')),
    })),
    priority: priority
      ? include.has('priorities')
        ? renderPriority(ctx, priority)
        : priorityRef(ctx, priority.id)
      : null,
    resolve_reason: incident.resolveReason
      ? { type: 'merge_resolve_reason', incident: incidentRef(ctx, incident.resolveReason.incidentId) }
      : null,
    conference_bridge: incident.conferenceBridge
      ? {
          ...(incident.conferenceBridge.conferenceNumber !== undefined
            ? { conference_number: incident.conferenceBridge.conferenceNumber }
            : {}),
          ...(incident.conferenceBridge.conferenceUrl !== undefined
            ? { conference_url: incident.conferenceBridge.conferenceUrl }
            : {}),
        }
      : null,
    incidents_responders: incident.responders.map((r) => renderResponder(ctx, incident, r)),
    responder_requests: incident.responderRequestIds
      .map((id) => state.responderRequests.get(id))
      .filter((r): r is ResponderRequestRecord => r !== undefined)
      .map((r) => renderResponderRequest(ctx, r)),
    urgency: incident.urgency,
  };
  if (incident.bodyDetails !== undefined && incident.bodyDetails !== null) {
    out.body = {
      type: 'incident_body',
      details: typeof incident.bodyDetails === 'string' ? incident.bodyDetails : incident.bodyDetails,
    };
  }
  return out;
}

function renderResponder(ctx: RenderContext, incident: IncidentRecord, r: IncidentRecord['responders'][number]): Json {
  return {
    state: r.state,
    user: userRef(ctx, r.userId),
    incident: incidentRef(ctx, incident.id),
    updated_at: ts(ctx, r.updatedAt),
    message: r.message,
    requester: userRef(ctx, r.requesterId),
    requested_at: ts(ctx, r.requestedAt),
    escalation_policy_requests: r.escalationPolicyId ? [r.escalationPolicyId] : [],
  };
}

export function renderResponderRequest(ctx: RenderContext, request: ResponderRequestRecord): Json {
  const incident = ctx.state.incidents.get(request.incidentId);
  return {
    id: request.id,
    incident: incidentRef(ctx, request.incidentId),
    requester: userRef(ctx, request.requesterId),
    requested_at: ts(ctx, request.requestedAt),
    message: request.message,
    responder_request_targets: request.targets.map((t) => ({
      responder_request_target: {
        type: t.type === 'user' ? 'user' : 'escalation_policy',
        id: t.id,
        summary:
          t.type === 'user'
            ? (ctx.state.users.get(t.id)?.name ?? t.id)
            : (ctx.state.escalationPolicies.get(t.id)?.name ?? t.id),
        incidents_responders: incident
          ? incident.responders
              .filter((r) => t.userIds.includes(r.userId) && r.requestedAt === request.requestedAt)
              .map((r) => renderResponder(ctx, incident, r))
          : [],
      },
    })),
  };
}

export type LogEntryInclude = 'incidents' | 'services' | 'channels' | 'teams';

export function renderLogEntry(
  ctx: RenderContext,
  entry: LogEntryRecord,
  include: ReadonlySet<LogEntryInclude> = new Set(),
): Json {
  const { state } = ctx;
  const incident = state.incidents.get(entry.incidentId);
  const service = state.services.get(entry.serviceId);
  const out: Json = {
    id: entry.id,
    type: entry.type,
    summary: entry.summary,
    self: `${ctx.apiBase}/log_entries/${entry.id}`,
    html_url: `${ctx.htmlBase}/incidents/${entry.incidentId}/log_entries/${entry.id}`,
    created_at: ts(ctx, entry.createdAt),
    agent: entry.agent ? agentRef(ctx, entry.agent) : null,
    // The full channel is always sent; `include[]=channels` is accepted and changes nothing.
    channel: entry.channel,
    service: include.has('services') && service ? renderService(ctx, service) : serviceRef(ctx, entry.serviceId),
    incident: include.has('incidents') && incident ? renderIncident(ctx, incident) : incidentRef(ctx, entry.incidentId),
    teams: entry.teamIds.map((id) => {
      const team = state.teams.get(id);
      return include.has('teams') && team ? renderTeam(ctx, team) : teamRef(ctx, id);
    }),
    contexts: [],
    event_details: { description: incident?.title ?? entry.summary },
  };
  if (entry.note !== undefined) out.note = entry.note;
  if (entry.assigneeIds) out.assignees = entry.assigneeIds.map((id) => userRef(ctx, id));
  if (entry.userId) out.user = userRef(ctx, entry.userId);
  if (entry.extra) Object.assign(out, entry.extra);
  return out;
}

export function renderAlert(ctx: RenderContext, alert: AlertRecord, include: ReadonlySet<string> = new Set()): Json {
  const service = ctx.state.services.get(alert.serviceId);
  const incident = ctx.state.incidents.get(alert.incidentId);
  const trigger = ctx.state.logEntries.get(alert.firstTriggerLogEntryId);
  return {
    id: alert.id,
    type: 'alert',
    summary: alert.summary,
    self: `${ctx.apiBase}/alerts/${alert.id}`,
    html_url: `${ctx.htmlBase}/alerts/${alert.id}`,
    created_at: ts(ctx, alert.createdAt),
    status: alert.status,
    alert_key: alert.alertKey,
    service: include.has('services') && service ? renderService(ctx, service) : serviceRef(ctx, alert.serviceId),
    first_trigger_log_entry:
      trigger && include.has('first_trigger_log_entries')
        ? renderLogEntry(ctx, trigger)
        : trigger
          ? logEntryRef(ctx, trigger)
          : null,
    incident: include.has('incidents') && incident ? renderIncident(ctx, incident) : incidentRef(ctx, alert.incidentId),
    suppressed: false,
    severity: alert.severity,
    integration: alert.integrationId ? integrationRef(ctx, alert.integrationId) : null,
    body: {
      type: 'alert_body',
      contexts: alert.contexts,
      details: alert.details,
      cef_details: {
        client: null,
        client_url: null,
        contexts: alert.contexts,
        dedup_key: alert.alertKey,
        description: alert.summary,
        details: alert.details,
        event_class: alert.eventClass,
        mutations: null,
        priority: null,
        reporter_component: null,
        reporter_location: null,
        message: alert.summary,
        service_group: alert.group,
        severity: alert.severity,
        source_component: alert.component,
        source_location: alert.source,
        source_origin: alert.source,
        summary: alert.summary,
        version: '1.0',
      },
    },
  };
}

export function renderNote(ctx: RenderContext, note: NoteRecord): Json {
  return {
    id: note.id,
    user: note.userId ? userRef(ctx, note.userId) : null,
    channel: { summary: 'The PagerDuty website or APIs' },
    content: note.content,
    created_at: ts(ctx, note.createdAt),
  };
}

export function renderStatusUpdate(ctx: RenderContext, update: StatusUpdateRecord): Json {
  return {
    id: update.id,
    message: update.message,
    created_at: ts(ctx, update.createdAt),
    sender: userRef(ctx, update.senderId),
    ...(update.subject !== null ? { subject: update.subject } : {}),
    ...(update.htmlMessage !== null ? { html_message: update.htmlMessage } : {}),
  };
}

/** The `event.data` of incident webhooks: PagerDuty's compact v3 incident shape (see the signed captures). */
export function webhookIncidentData(ctx: RenderContext, incident: IncidentRecord): Json {
  const priority = incident.priorityId ? ctx.state.priorities.find((p) => p.id === incident.priorityId) : undefined;
  const data: Json = {
    id: incident.id,
    type: 'incident',
    self: `${ctx.apiBase}/incidents/${incident.id}`,
    html_url: `${ctx.htmlBase}/incidents/${incident.id}`,
    number: incident.number,
    status: incident.status,
    incident_key: incident.incidentKey,
    created_at: formatInZone(incident.createdAt, 'UTC'),
    title: incident.title,
    service: webhookRef(serviceRef(ctx, incident.serviceId)),
    assignees: incident.assignments.map((a) => webhookRef(userRef(ctx, a.userId))),
    escalation_policy: webhookRef(escalationPolicyRef(ctx, incident.escalationPolicyId)),
    teams: incident.teamIds.map((id) => webhookRef(teamRef(ctx, id))),
    priority: priority
      ? {
          html_url: `${ctx.htmlBase}/account/incident_priorities`,
          id: priority.id,
          self: `${ctx.apiBase}/priorities/${priority.id}`,
          summary: priority.name,
          type: 'priority_reference',
        }
      : null,
    urgency: incident.urgency,
    conference_bridge: incident.conferenceBridge
      ? {
          conference_number: incident.conferenceBridge.conferenceNumber ?? null,
          conference_url: incident.conferenceBridge.conferenceUrl ?? null,
        }
      : null,
    resolve_reason: incident.resolveReason
      ? { type: 'merge_resolve_reason', incident: webhookRef(incidentRef(ctx, incident.resolveReason.incidentId)) }
      : null,
    incident_type: { name: incident.incidentType },
  };
  if (incident.reopenedAt !== null) data.reopened_at = formatInZone(incident.reopenedAt, 'UTC');
  return data;
}

/** Webhook references list keys in PagerDuty's order: html_url, id, self, summary, type. */
export function webhookRef(ref: Json): Json {
  return { html_url: ref.html_url, id: ref.id, self: ref.self, summary: ref.summary, type: ref.type };
}
