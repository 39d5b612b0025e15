/**
 * The incident state machine. Every change to an incident goes through here (REST API, Events API, the sandbox
 * console and the seed history alike), writes its log entries and emits the matching v3 webhook event.
 *
 * Lifecycle (PagerDuty's): triggered → acknowledged → resolved, with
 * - acknowledged → triggered (unacknowledge; also when a snooze ends),
 * - resolved → triggered / acknowledged (reopen, as `PUT /incidents/{id}` documents: "If the incident is
 *   currently resolved, setting the status to triggered or acknowledged will reopen it"),
 * - resolving a resolved incident is refused (1001 Incident Already Resolved),
 * - escalation (manual, or automatic after the rule's delay while triggered) reassigns to the on-call of the
 *   new level and re-triggers an acknowledged incident; after the last level the policy loops `num_loops`
 *   times, then the escalation path is exhausted.
 *
 * Every operation validates before it changes anything, so a refused call leaves the incident as it was.
 * Operations take the instant `at` explicitly: the seed replays history through the same code.
 */
import { invalidInput, notFound, PagerDutySimError } from './errors.js';
import type { IdFactory } from './ids.js';
import type {
  Agent,
  AlertRecord,
  IncidentRecord,
  IncidentStatus,
  LogEntryRecord,
  LogEntryType,
  NoteRecord,
  PriorityRecord,
  ResponderRequestRecord,
  SimState,
  StatusUpdateRecord,
  Urgency,
  Via,
} from './model.js';
import { onCallForLevel } from './oncall.js';
import {
  escalationPolicyRef,
  incidentRef,
  type Json,
  type RenderContext,
  userRef,
  webhookIncidentData,
  webhookRef,
} from './render.js';
import { isoUtc } from './time-zones.js';

/** v3 webhook event types the simulator emits. */
export type WebhookEventType =
  | 'incident.triggered'
  | 'incident.acknowledged'
  | 'incident.unacknowledged'
  | 'incident.escalated'
  | 'incident.reassigned'
  | 'incident.delegated'
  | 'incident.priority_updated'
  | 'incident.annotated'
  | 'incident.resolved'
  | 'incident.reopened'
  | 'incident.responder.added'
  | 'incident.status_update_published'
  | 'incident.conference_bridge.updated';

export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'incident.triggered',
  'incident.acknowledged',
  'incident.unacknowledged',
  'incident.escalated',
  'incident.reassigned',
  'incident.delegated',
  'incident.priority_updated',
  'incident.annotated',
  'incident.resolved',
  'incident.reopened',
  'incident.responder.added',
  'incident.status_update_published',
  'incident.conference_bridge.updated',
];

/** A change, as the webhook dispatcher sees it: the event type and a snapshot of `event.data`. */
export interface DomainEvent {
  eventType: WebhookEventType;
  incidentId: string;
  serviceId: string;
  teamIds: string[];
  occurredAt: number;
  agent: Agent | null;
  data: Json;
}

/** Who acts and through which channel. */
export interface Actor {
  agent: Agent;
  via: Via;
}

export interface MachineDeps {
  state: SimState;
  ids: IdFactory;
  /** Rendering for webhook snapshots (UTC, simulator links). */
  render: RenderContext;
  emit(event: DomainEvent): void;
}

export interface CreateIncidentInput {
  serviceId: string;
  title: string;
  urgency?: Urgency;
  priorityId?: string | null;
  incidentKey?: string | null;
  bodyDetails?: unknown;
  /** Direct assignment; otherwise the escalation policy's first level. */
  assigneeIds?: string[];
  escalationPolicyId?: string;
  conferenceBridge?: IncidentRecord['conferenceBridge'];
  incidentType?: string;
  /** Alert created with the incident (Events API). */
  alert?: Omit<
    AlertRecord,
    'id' | 'incidentId' | 'serviceId' | 'status' | 'resolvedAt' | 'firstTriggerLogEntryId' | 'createdAt'
  >;
}

export const MAX_NOTES_PER_INCIDENT = 2000;
export const MAX_ALERTS_PER_INCIDENT = 1000;
export const MAX_SNOOZE_SECONDS = 604_800;

function channelFor(actor: Actor, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const type = actor.via === 'events' ? 'api' : actor.via === 'auto' ? 'auto' : actor.via;
  return { type, ...extra };
}

function viaPhrase(via: Via): string {
  if (via === 'website') return 'through the website';
  if (via === 'timeout') return 'due to timeout';
  if (via === 'auto') return 'automatically';
  return 'through the API';
}

/** The operations on incidents. `check*` functions throw what the matching operation would, changing nothing. */
export interface IncidentMachine {
  getIncident(id: string): IncidentRecord;
  resolvePriority(value: string | { id?: string; name?: string } | null): PriorityRecord | null;
  create(input: CreateIncidentInput, actor: Actor, at: number): IncidentRecord;
  /** Returns false when the incident was already acknowledged (nothing changes). */
  acknowledge(incident: IncidentRecord, actor: Actor, at: number): boolean;
  unacknowledge(incident: IncidentRecord, actor: Actor, at: number, reason: string): boolean;
  resolve(incident: IncidentRecord, actor: Actor, at: number, resolution?: string): void;
  setStatus(incident: IncidentRecord, status: IncidentStatus, actor: Actor, at: number, resolution?: string): boolean;
  checkEscalation(incident: IncidentRecord, level: number): void;
  escalate(incident: IncidentRecord, level: number, actor: Actor, at: number): void;
  checkReassign(incident: IncidentRecord, userIds: readonly string[]): void;
  reassign(incident: IncidentRecord, userIds: string[], actor: Actor, at: number): void;
  checkDelegate(incident: IncidentRecord, policyId: string): void;
  delegate(incident: IncidentRecord, policyId: string, actor: Actor, at: number): void;
  setUrgency(incident: IncidentRecord, urgency: Urgency, actor: Actor, at: number): boolean;
  setPriority(incident: IncidentRecord, priority: PriorityRecord | null, actor: Actor, at: number): boolean;
  setTitle(incident: IncidentRecord, title: string, at: number): boolean;
  setConferenceBridge(
    incident: IncidentRecord,
    bridge: IncidentRecord['conferenceBridge'],
    actor: Actor,
    at: number,
  ): boolean;
  snooze(incident: IncidentRecord, durationSeconds: number, actor: Actor, at: number): void;
  checkNote(incident: IncidentRecord, content: string): void;
  addNote(incident: IncidentRecord, content: string, actor: Actor, at: number): NoteRecord;
  addStatusUpdate(
    incident: IncidentRecord,
    input: { message: string; subject?: string; htmlMessage?: string },
    actor: Actor,
    at: number,
  ): StatusUpdateRecord;
  addResponderRequest(
    incident: IncidentRecord,
    input: { requesterId: string; message: string; targets: Array<{ type: 'user' | 'escalation_policy'; id: string }> },
    actor: Actor,
    at: number,
  ): ResponderRequestRecord;
  checkMerge(target: IncidentRecord, sources: IncidentRecord[]): void;
  merge(target: IncidentRecord, sources: IncidentRecord[], actor: Actor, at: number): void;
  /** Runs what the clock made due up to `now`: snooze ends and automatic escalations, in time order. */
  tick(now: number): void;
  resolveAlert(alert: AlertRecord, actor: Actor, at: number): void;
  retrigger(alert: AlertRecord, actor: Actor, at: number, summary: string): void;
  /** Who a level of a policy would page at `at`. */
  levelAssignees(policyId: string, level: number, at: number): string[];
}

/** Creates the incident state machine over a state. */
export function createIncidentMachine(deps: MachineDeps): IncidentMachine {
  const { state, ids } = deps;

  function userName(id: string): string {
    return state.users.get(id)?.name ?? id;
  }

  function agentName(agent: Agent): string {
    if (agent.type === 'user') return userName(agent.id);
    return state.services.get(agent.type === 'service' ? agent.id : agent.serviceId)?.name ?? agent.id;
  }

  function addLog(
    incident: IncidentRecord,
    type: LogEntryType,
    at: number,
    agent: Agent | null,
    channel: Record<string, unknown>,
    summary: string,
    extra: Partial<Pick<LogEntryRecord, 'note' | 'assigneeIds' | 'userId' | 'extra'>> = {},
  ): LogEntryRecord {
    const entry: LogEntryRecord = {
      id: ids.logEntry(),
      type,
      createdAt: at,
      incidentId: incident.id,
      serviceId: incident.serviceId,
      teamIds: [...incident.teamIds],
      agent,
      channel,
      summary,
      ...extra,
    };
    state.logEntries.set(entry.id, entry);
    state.logOrder.push(entry.id);
    const list = state.incidentLog.get(incident.id) ?? [];
    list.push(entry.id);
    state.incidentLog.set(incident.id, list);
    return entry;
  }

  function emit(
    incident: IncidentRecord,
    eventType: WebhookEventType,
    at: number,
    agent: Agent | null,
    data?: Json,
  ): void {
    deps.emit({
      eventType,
      incidentId: incident.id,
      serviceId: incident.serviceId,
      teamIds: [...incident.teamIds],
      occurredAt: at,
      agent,
      data: data ?? webhookIncidentData(deps.render, incident),
    });
  }

  function touch(incident: IncidentRecord, at: number): void {
    incident.updatedAt = Math.max(incident.updatedAt, at);
  }

  function notify(incident: IncidentRecord, userIds: readonly string[], at: number): void {
    for (const userId of userIds) {
      const user = state.users.get(userId);
      if (!user) continue;
      const method =
        incident.urgency === 'high'
          ? (user.contactMethods.find((c) => c.type === 'push_notification_contact_method') ??
            user.contactMethods.find((c) => c.type === 'phone_contact_method'))
          : user.contactMethods.find((c) => c.type === 'email_contact_method');
      const kind =
        method?.type === 'phone_contact_method'
          ? 'phone_notification'
          : method?.type === 'email_contact_method'
            ? 'email_notification'
            : method?.type === 'sms_contact_method'
              ? 'sms_notification'
              : 'push_notification';
      addLog(
        incident,
        'notify_log_entry',
        at,
        { type: 'service', id: incident.serviceId },
        {
          type: 'notification',
          notification: {
            type: kind,
            status: 'success',
            address: method?.address ?? user.email,
            started_at: isoUtc(at),
          },
        },
        `Notified ${user.name} by ${kind.replace('_notification', '').replace('push', 'push notification')}.`,
        { userId },
      );
    }
  }

  function levelAssignees(policyId: string, level: number, at: number): string[] {
    const policy = state.escalationPolicies.get(policyId);
    if (!policy) return [];
    return [...new Set(onCallForLevel(policy, level, at, state.schedules).map((o) => o.userId))];
  }

  /** Assigns a (re)triggered incident, logs it, notifies the assignees and starts the escalation timer. */
  function assignAndPage(incident: IncidentRecord, assignees: string[], actor: Actor, at: number): void {
    incident.assignments = assignees.map((userId) => ({ at, userId }));
    if (assignees.length > 0) {
      addLog(
        incident,
        'assign_log_entry',
        at,
        actor.agent,
        channelFor(actor),
        `Assigned to ${assignees.map(userName).join(', ')}.`,
        {
          assigneeIds: assignees,
        },
      );
    }
    notify(incident, assignees, at);
    scheduleEscalation(incident, at);
  }

  /** Escalating or reassigning an acknowledged incident pages again: it goes back to triggered. */
  function retriggerIfAcknowledged(incident: IncidentRecord, actor: Actor, at: number): void {
    if (incident.status !== 'acknowledged') return;
    incident.status = 'triggered';
    incident.acknowledgements = [];
    incident.snoozedUntil = null;
    incident.lastStatusChangeAt = at;
    incident.lastStatusChangeBy = actor.agent;
  }

  function scheduleEscalation(incident: IncidentRecord, at: number): void {
    const policy = state.escalationPolicies.get(incident.escalationPolicyId);
    const rule = policy?.rules[incident.escalationLevel - 1];
    incident.nextEscalationAt = rule && incident.status === 'triggered' ? at + rule.delayMinutes * 60_000 : null;
  }

  function getIncident(id: string): IncidentRecord {
    const incident = state.incidents.get(id);
    if (!incident) throw notFound(`Incident ${id} not found`);
    return incident;
  }

  function resolvePriority(value: string | { id?: string; name?: string } | null): PriorityRecord | null {
    if (value === null) return null;
    if (typeof value === 'string') {
      const matches = state.priorities.filter((p) => p.name === value);
      // "If a string is provided, the highest priority with a matching name will be used."
      const found = matches[0];
      if (!found) throw new PagerDutySimError(400, 1020, 'Invalid Priority', [`No priority named "${value}"`]);
      return found;
    }
    const found = state.priorities.find((p) => p.id === value.id);
    if (!found) throw new PagerDutySimError(400, 1020, 'Invalid Priority', [`No priority with id "${value.id}"`]);
    return found;
  }

  function create(input: CreateIncidentInput, actor: Actor, at: number): IncidentRecord {
    const service = state.services.get(input.serviceId);
    if (!service) throw invalidInput(`Service ${input.serviceId} not found`);
    const policyId = input.escalationPolicyId ?? service.escalationPolicyId;
    const policy = state.escalationPolicies.get(policyId);
    if (!policy) throw new PagerDutySimError(400, 1014, 'Escalation Policy Not Found', [`${policyId}`]);
    for (const id of input.assigneeIds ?? []) {
      if (!state.users.has(id)) throw new PagerDutySimError(400, 1007, 'Assigned To User Not Found', [id]);
    }
    // The Events API correlates on alerts, not on incident keys, so only REST creations are checked here.
    if (input.incidentKey && actor.via !== 'events') {
      const clash = state.incidentOrder
        .map((id) => state.incidents.get(id))
        .find((i) => i && i.serviceId === service.id && i.incidentKey === input.incidentKey && i.status !== 'resolved');
      if (clash) throw invalidInput('Open incident with matching dedup key already exists on this service');
    }
    const id = ids.long();
    const incident: IncidentRecord = {
      id,
      number: state.nextIncidentNumber++,
      title: input.title,
      status: 'triggered',
      urgency: input.urgency ?? service.urgency,
      serviceId: service.id,
      escalationPolicyId: policy.id,
      escalationLevel: 1,
      teamIds: [...policy.teamIds],
      priorityId: input.priorityId ?? null,
      incidentKey: input.incidentKey ?? ids.hex32(),
      createdAt: at,
      updatedAt: at,
      lastStatusChangeAt: at,
      lastStatusChangeBy: actor.agent,
      resolvedAt: null,
      reopenedAt: null,
      assignments: [],
      assignedVia: input.assigneeIds && input.assigneeIds.length > 0 ? 'direct_assignment' : 'escalation_policy',
      acknowledgements: [],
      snoozedUntil: null,
      nextEscalationAt: null,
      loopsDone: 0,
      alertIds: [],
      firstTriggerLogEntryId: '',
      resolveReason: null,
      conferenceBridge: input.conferenceBridge ?? null,
      bodyDetails: input.bodyDetails,
      incidentType: input.incidentType ?? 'incident_default',
      createdVia: actor.via,
      responders: [],
      responderRequestIds: [],
    };
    state.incidents.set(id, incident);
    state.incidentOrder.push(id);
    const channel =
      actor.via === 'events' && input.alert
        ? {
            type: 'api',
            summary: input.alert.summary,
            description: input.alert.summary,
            incident_key: input.alert.alertKey,
            service_key: state.integrations.get(input.alert.integrationId ?? '')?.integrationKey,
            details: input.alert.details,
          }
        : channelFor(actor, { summary: input.title });
    const trigger = addLog(
      incident,
      'trigger_log_entry',
      at,
      actor.agent,
      channel,
      `Triggered ${viaPhrase(actor.via)}.`,
    );
    incident.firstTriggerLogEntryId = trigger.id;
    if (input.alert) {
      const alert: AlertRecord = {
        ...input.alert,
        id: ids.long(),
        incidentId: id,
        serviceId: service.id,
        status: 'triggered',
        createdAt: at,
        resolvedAt: null,
        firstTriggerLogEntryId: trigger.id,
      };
      state.alerts.set(alert.id, alert);
      incident.alertIds.push(alert.id);
    }
    const assignees =
      input.assigneeIds && input.assigneeIds.length > 0
        ? [...new Set(input.assigneeIds)]
        : levelAssignees(policy.id, 1, at);
    assignAndPage(incident, assignees, actor, at);
    emit(incident, 'incident.triggered', at, actor.agent);
    return incident;
  }

  function acknowledge(incident: IncidentRecord, actor: Actor, at: number): boolean {
    if (incident.status === 'acknowledged') return false;
    const userId = actor.agent.type === 'user' ? actor.agent.id : undefined;
    const reopening = incident.status === 'resolved';
    if (reopening && !userId) throw new PagerDutySimError(400, 1001, 'Incident Already Resolved');
    incident.status = 'acknowledged';
    incident.lastStatusChangeAt = at;
    incident.lastStatusChangeBy = actor.agent;
    incident.nextEscalationAt = null;
    incident.snoozedUntil = null;
    if (userId) {
      incident.acknowledgements = [...incident.acknowledgements.filter((a) => a.userId !== userId), { at, userId }];
      if (!incident.assignments.some((a) => a.userId === userId)) {
        incident.assignments = [{ at, userId }];
        incident.assignedVia = 'direct_assignment';
      }
    } else {
      incident.acknowledgements = [...incident.acknowledgements];
    }
    if (reopening) {
      incident.reopenedAt = at;
      incident.resolvedAt = null;
      incident.resolveReason = null;
    }
    touch(incident, at);
    const service = state.services.get(incident.serviceId);
    addLog(
      incident,
      'acknowledge_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `${reopening ? 'Reopened and acknowledged' : 'Acknowledged'} by ${agentName(actor.agent)}.`,
      { extra: { acknowledgement_timeout: service?.acknowledgementTimeout ?? null } },
    );
    if (reopening) emit(incident, 'incident.reopened', at, actor.agent);
    emit(incident, 'incident.acknowledged', at, actor.agent);
    return true;
  }

  function unacknowledge(incident: IncidentRecord, actor: Actor, at: number, reason: string): boolean {
    if (incident.status !== 'acknowledged') return false;
    incident.status = 'triggered';
    incident.acknowledgements = [];
    incident.snoozedUntil = null;
    incident.lastStatusChangeAt = at;
    incident.lastStatusChangeBy = actor.agent;
    touch(incident, at);
    addLog(incident, 'unacknowledge_log_entry', at, actor.agent, channelFor(actor), reason);
    notify(
      incident,
      incident.assignments.map((a) => a.userId),
      at,
    );
    scheduleEscalation(incident, at);
    emit(incident, 'incident.unacknowledged', at, actor.agent);
    return true;
  }

  function reopenTriggered(incident: IncidentRecord, actor: Actor, at: number, assigneeIds?: string[]): void {
    incident.status = 'triggered';
    incident.reopenedAt = at;
    incident.resolvedAt = null;
    incident.resolveReason = null;
    incident.acknowledgements = [];
    incident.escalationLevel = 1;
    incident.loopsDone = 0;
    incident.lastStatusChangeAt = at;
    incident.lastStatusChangeBy = actor.agent;
    const assignees =
      assigneeIds && assigneeIds.length > 0 ? assigneeIds : levelAssignees(incident.escalationPolicyId, 1, at);
    incident.assignedVia = assigneeIds && assigneeIds.length > 0 ? 'direct_assignment' : 'escalation_policy';
    touch(incident, at);
    addLog(incident, 'trigger_log_entry', at, actor.agent, channelFor(actor), `Reopened by ${agentName(actor.agent)}.`);
    assignAndPage(incident, assignees, actor, at);
    emit(incident, 'incident.reopened', at, actor.agent);
  }

  function resolve(incident: IncidentRecord, actor: Actor, at: number, resolution?: string): void {
    if (incident.status === 'resolved') throw new PagerDutySimError(400, 1001, 'Incident Already Resolved');
    incident.status = 'resolved';
    incident.resolvedAt = at;
    incident.lastStatusChangeAt = at;
    incident.lastStatusChangeBy = actor.agent;
    incident.assignments = [];
    incident.nextEscalationAt = null;
    incident.snoozedUntil = null;
    for (const alertId of incident.alertIds) {
      const alert = state.alerts.get(alertId);
      if (alert && alert.status === 'triggered') {
        alert.status = 'resolved';
        alert.resolvedAt = at;
      }
    }
    touch(incident, at);
    addLog(
      incident,
      'resolve_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `Resolved by ${agentName(actor.agent)}.`,
      resolution !== undefined && resolution !== '' ? { note: resolution } : {},
    );
    emit(incident, 'incident.resolved', at, actor.agent);
  }

  /** Applies a status change as `PUT /incidents/{id}` does. Returns false when nothing changed. */
  function setStatus(
    incident: IncidentRecord,
    status: IncidentStatus,
    actor: Actor,
    at: number,
    resolution?: string,
  ): boolean {
    if (status === 'resolved') {
      resolve(incident, actor, at, resolution);
      return true;
    }
    if (status === 'acknowledged') return acknowledge(incident, actor, at);
    if (incident.status === 'resolved') {
      reopenTriggered(incident, actor, at);
      return true;
    }
    if (incident.status === 'acknowledged') {
      return unacknowledge(incident, actor, at, `Unacknowledged by ${agentName(actor.agent)}.`);
    }
    return false;
  }

  function checkEscalation(incident: IncidentRecord, level: number): void {
    if (incident.status === 'resolved')
      throw new PagerDutySimError(400, 1006, 'Cannot Escalate', ['Incident is resolved']);
    const policy = state.escalationPolicies.get(incident.escalationPolicyId);
    const levels = policy?.rules.length ?? 0;
    if (!Number.isInteger(level) || level < 1 || level > levels) {
      throw invalidInput(`Escalation level must be between 1 and ${levels}, got ${level}`);
    }
  }

  function escalate(incident: IncidentRecord, level: number, actor: Actor, at: number): void {
    checkEscalation(incident, level);
    const assignees = levelAssignees(incident.escalationPolicyId, level, at);
    if (assignees.length === 0) {
      throw new PagerDutySimError(400, 1015, 'Escalation Policy Has No User On Call', [
        `Level ${level} has nobody on call`,
      ]);
    }
    applyEscalation(incident, level, assignees, actor, at);
  }

  function applyEscalation(
    incident: IncidentRecord,
    level: number,
    assignees: string[],
    actor: Actor,
    at: number,
  ): void {
    incident.escalationLevel = level;
    incident.assignments = assignees.map((userId) => ({ at, userId }));
    incident.assignedVia = 'escalation_policy';
    retriggerIfAcknowledged(incident, actor, at);
    touch(incident, at);
    addLog(
      incident,
      'escalate_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `Escalated to level ${level}: ${assignees.map(userName).join(', ')}${actor.via === 'timeout' ? ' (timeout)' : ''}.`,
      { assigneeIds: assignees },
    );
    notify(incident, assignees, at);
    scheduleEscalation(incident, at);
    emit(incident, 'incident.escalated', at, actor.agent);
  }

  function checkReassign(incident: IncidentRecord, userIds: readonly string[]): void {
    if (incident.status === 'resolved')
      throw new PagerDutySimError(400, 1011, 'Cannot process reassign action', ['Incident is resolved']);
    if (userIds.length === 0) throw invalidInput('assignments must name at least one user');
    for (const id of userIds) {
      if (!state.users.has(id)) throw new PagerDutySimError(400, 1007, 'Assigned To User Not Found', [id]);
    }
  }

  function reassign(incident: IncidentRecord, userIds: string[], actor: Actor, at: number): void {
    checkReassign(incident, userIds);
    const unique = [...new Set(userIds)];
    incident.assignments = unique.map((userId) => ({ at, userId }));
    incident.assignedVia = 'direct_assignment';
    retriggerIfAcknowledged(incident, actor, at);
    touch(incident, at);
    addLog(
      incident,
      'assign_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `Reassigned to ${unique.map(userName).join(', ')} by ${agentName(actor.agent)}.`,
      {
        assigneeIds: unique,
      },
    );
    notify(incident, unique, at);
    scheduleEscalation(incident, at);
    emit(incident, 'incident.reassigned', at, actor.agent);
  }

  function checkDelegate(incident: IncidentRecord, policyId: string): void {
    if (incident.status === 'resolved')
      throw new PagerDutySimError(400, 1011, 'Cannot process reassign action', ['Incident is resolved']);
    if (!state.escalationPolicies.has(policyId)) {
      throw new PagerDutySimError(400, 1014, 'Escalation Policy Not Found', [policyId]);
    }
  }

  function delegate(incident: IncidentRecord, policyId: string, actor: Actor, at: number): void {
    checkDelegate(incident, policyId);
    const policy = state.escalationPolicies.get(policyId);
    if (!policy) return;
    incident.escalationPolicyId = policyId;
    incident.escalationLevel = 1;
    incident.loopsDone = 0;
    incident.teamIds = [...policy.teamIds];
    const assignees = levelAssignees(policyId, 1, at);
    incident.assignments = assignees.map((userId) => ({ at, userId }));
    incident.assignedVia = 'escalation_policy';
    retriggerIfAcknowledged(incident, actor, at);
    touch(incident, at);
    addLog(
      incident,
      'delegate_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `Reassigned to ${policy.name} by ${agentName(actor.agent)}.`,
      {
        assigneeIds: assignees,
      },
    );
    notify(incident, assignees, at);
    scheduleEscalation(incident, at);
    emit(incident, 'incident.delegated', at, actor.agent);
  }

  function setUrgency(incident: IncidentRecord, urgency: Urgency, actor: Actor, at: number): boolean {
    if (incident.urgency === urgency) return false;
    const before = incident.urgency;
    incident.urgency = urgency;
    touch(incident, at);
    addLog(
      incident,
      'urgency_change_log_entry',
      at,
      actor.agent,
      channelFor(actor),
      `Urgency changed from ${before} to ${urgency} by ${agentName(actor.agent)}.`,
    );
    return true;
  }

  function setPriority(incident: IncidentRecord, priority: PriorityRecord | null, actor: Actor, at: number): boolean {
    const next = priority?.id ?? null;
    if (incident.priorityId === next) return false;
    const before = incident.priorityId ? state.priorities.find((p) => p.id === incident.priorityId) : undefined;
    incident.priorityId = next;
    touch(incident, at);
    const ref = (p: PriorityRecord | undefined | null): Json | null =>
      p ? { id: p.id, type: 'priority_reference', summary: p.name, name: p.name } : null;
    addLog(
      incident,
      'priority_change_log_entry',
      at,
      actor.agent,
      channelFor(actor, { old_priority: ref(before), new_priority: ref(priority) }),
      `Priority changed from "${before?.name ?? 'none'}" to "${priority?.name ?? 'none'}" by ${agentName(actor.agent)}.`,
    );
    emit(incident, 'incident.priority_updated', at, actor.agent);
    return true;
  }

  function setTitle(incident: IncidentRecord, title: string, at: number): boolean {
    if (incident.title === title) return false;
    incident.title = title;
    touch(incident, at);
    return true;
  }

  function setConferenceBridge(
    incident: IncidentRecord,
    bridge: IncidentRecord['conferenceBridge'],
    actor: Actor,
    at: number,
  ): boolean {
    incident.conferenceBridge = bridge;
    touch(incident, at);
    emit(incident, 'incident.conference_bridge.updated', at, actor.agent, {
      incident: webhookRef(incidentRef(deps.render, incident.id)),
      conference_numbers: bridge?.conferenceNumber ? [{ label: '', number: bridge.conferenceNumber }] : [],
      conference_url: bridge?.conferenceUrl ?? null,
      type: 'incident_conference_bridge',
    });
    return true;
  }

  function snooze(incident: IncidentRecord, durationSeconds: number, actor: Actor, at: number): void {
    if (incident.status !== 'acknowledged') throw new PagerDutySimError(400, 1012, 'Incident is not Acknowledged');
    if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > MAX_SNOOZE_SECONDS) {
      throw new PagerDutySimError(400, 1013, 'Snooze Duration is Invalid', [
        `duration must be an integer number of seconds between 1 and ${MAX_SNOOZE_SECONDS}`,
      ]);
    }
    incident.snoozedUntil = at + durationSeconds * 1000;
    touch(incident, at);
    const hours = durationSeconds / 3600;
    addLog(
      incident,
      'snooze_log_entry',
      at,
      actor.agent,
      channelFor(actor, { duration: durationSeconds }),
      `Snoozed for ${hours >= 1 ? `${Math.round(hours * 10) / 10} hours` : `${Math.round(durationSeconds / 60)} minutes`} by ${agentName(actor.agent)}.`,
      { extra: { changed_actions: [{ type: 'unacknowledge', at: isoUtc(incident.snoozedUntil) }] } },
    );
  }

  function checkNote(incident: IncidentRecord, content: string): void {
    if (content.trim() === '') throw invalidInput('Note content must not be empty');
    if ((state.notes.get(incident.id)?.length ?? 0) >= MAX_NOTES_PER_INCIDENT) {
      throw invalidInput(`An incident cannot have more than ${MAX_NOTES_PER_INCIDENT} notes`);
    }
  }

  function addNote(incident: IncidentRecord, content: string, actor: Actor, at: number): NoteRecord {
    checkNote(incident, content);
    const note: NoteRecord = {
      id: ids.short(),
      incidentId: incident.id,
      userId: actor.agent.type === 'user' ? actor.agent.id : null,
      content,
      createdAt: at,
    };
    const list = state.notes.get(incident.id) ?? [];
    list.push(note);
    state.notes.set(incident.id, list);
    touch(incident, at);
    addLog(
      incident,
      'annotate_log_entry',
      at,
      actor.agent,
      channelFor(actor, { summary: content }),
      `Note added by ${agentName(actor.agent)}.`,
      {
        note: content,
      },
    );
    emit(incident, 'incident.annotated', at, actor.agent, {
      incident: webhookRef(incidentRef(deps.render, incident.id)),
      id: note.id,
      content,
      trimmed: false,
      type: 'incident_note',
    });
    return note;
  }

  function addStatusUpdate(
    incident: IncidentRecord,
    input: { message: string; subject?: string; htmlMessage?: string },
    actor: Actor,
    at: number,
  ): StatusUpdateRecord {
    if (actor.agent.type !== 'user') throw invalidInput('A status update needs a user');
    if (input.message.trim() === '') throw invalidInput('message must not be empty');
    const update: StatusUpdateRecord = {
      id: ids.short(),
      incidentId: incident.id,
      senderId: actor.agent.id,
      message: input.message,
      subject: input.subject ?? null,
      htmlMessage: input.htmlMessage ?? null,
      createdAt: at,
    };
    const list = state.statusUpdates.get(incident.id) ?? [];
    list.push(update);
    state.statusUpdates.set(incident.id, list);
    touch(incident, at);
    addLog(
      incident,
      'status_update_log_entry',
      at,
      actor.agent,
      channelFor(actor, { message: input.message }),
      `Status update: ${input.message}`,
      {
        extra: { message: input.message },
      },
    );
    emit(incident, 'incident.status_update_published', at, actor.agent, {
      incident: webhookRef(incidentRef(deps.render, incident.id)),
      id: update.id,
      message: input.message,
      trimmed: false,
      type: 'incident_status_update',
    });
    return update;
  }

  function addResponderRequest(
    incident: IncidentRecord,
    input: { requesterId: string; message: string; targets: Array<{ type: 'user' | 'escalation_policy'; id: string }> },
    actor: Actor,
    at: number,
  ): ResponderRequestRecord {
    if (incident.status === 'resolved') throw invalidInput('Responders cannot be requested on a resolved incident');
    if (!state.users.has(input.requesterId))
      throw new PagerDutySimError(400, 1008, 'Requester User Not Found', [input.requesterId]);
    if (input.targets.length === 0)
      throw invalidInput('responder_request_targets must name at least one user or escalation policy');
    const targets: ResponderRequestRecord['targets'] = [];
    for (const t of input.targets) {
      if (t.type === 'user') {
        if (!state.users.has(t.id)) throw new PagerDutySimError(400, 1007, 'Assigned To User Not Found', [t.id]);
        targets.push({ type: 'user', id: t.id, userIds: [t.id] });
      } else {
        if (!state.escalationPolicies.has(t.id))
          throw new PagerDutySimError(400, 1014, 'Escalation Policy Not Found', [t.id]);
        const users = levelAssignees(t.id, 1, at);
        if (users.length === 0) throw new PagerDutySimError(400, 1015, 'Escalation Policy Has No User On Call', [t.id]);
        targets.push({ type: 'escalation_policy', id: t.id, userIds: users });
      }
    }
    const request: ResponderRequestRecord = {
      id: ids.short(),
      incidentId: incident.id,
      requesterId: input.requesterId,
      message: input.message,
      requestedAt: at,
      targets,
    };
    state.responderRequests.set(request.id, request);
    incident.responderRequestIds.push(request.id);
    const added: Array<{ userId: string; policyId: string | null }> = [];
    for (const t of targets) {
      for (const userId of t.userIds) {
        if (incident.responders.some((r) => r.userId === userId && r.state === 'pending')) continue;
        incident.responders.push({
          userId,
          state: 'pending',
          requesterId: input.requesterId,
          requestedAt: at,
          updatedAt: at,
          message: input.message,
          escalationPolicyId: t.type === 'escalation_policy' ? t.id : null,
        });
        added.push({ userId, policyId: t.type === 'escalation_policy' ? t.id : null });
      }
    }
    touch(incident, at);
    addLog(
      incident,
      'responder_request_log_entry',
      at,
      actor.agent,
      channelFor(actor, { message: input.message }),
      `${userName(input.requesterId)} requested ${added.map((a) => userName(a.userId)).join(', ')} to respond: ${input.message}`,
      { extra: { responders: added.map((a) => ({ user: userRef(deps.render, a.userId) })) } },
    );
    notify(
      incident,
      added.map((a) => a.userId),
      at,
    );
    for (const a of added) {
      emit(incident, 'incident.responder.added', at, actor.agent, {
        incident: webhookRef(incidentRef(deps.render, incident.id)),
        user: webhookRef(userRef(deps.render, a.userId)),
        escalation_policy: a.policyId ? webhookRef(escalationPolicyRef(deps.render, a.policyId)) : null,
        message: input.message,
        state: 'pending',
        type: 'incident_responder',
      });
    }
    return request;
  }

  function checkMerge(target: IncidentRecord, sources: IncidentRecord[]): void {
    if (target.status === 'resolved') {
      throw invalidInput('Open incidents cannot be merged into a resolved incident. The target incident must be open.');
    }
    if (sources.length === 0) throw invalidInput('source_incidents must name at least one incident');
    let alerts = target.alertIds.length;
    const seen = new Set<string>();
    for (const source of sources) {
      if (source.id === target.id) throw invalidInput('An incident cannot be merged into itself');
      if (seen.has(source.id)) throw invalidInput(`Incident ${source.id} is listed twice`);
      seen.add(source.id);
      if (source.resolveReason) throw new PagerDutySimError(400, 1019, 'Incident Already Merged', [source.id]);
      alerts += Math.max(1, source.alertIds.length);
    }
    if (alerts > MAX_ALERTS_PER_INCIDENT) {
      throw invalidInput(`An incident cannot have more than ${MAX_ALERTS_PER_INCIDENT} alerts`);
    }
  }

  function merge(target: IncidentRecord, sources: IncidentRecord[], actor: Actor, at: number): void {
    checkMerge(target, sources);
    for (const source of sources) {
      if (source.alertIds.length === 0) {
        // A manually created incident becomes an alert on the target.
        const alert: AlertRecord = {
          id: ids.long(),
          incidentId: target.id,
          serviceId: source.serviceId,
          integrationId: null,
          status: source.status === 'resolved' ? 'resolved' : 'triggered',
          alertKey: source.incidentKey ?? ids.hex32(),
          summary: source.title,
          severity: source.urgency === 'high' ? 'critical' : 'warning',
          createdAt: source.createdAt,
          resolvedAt: source.resolvedAt,
          source: 'merged incident',
          component: null,
          group: null,
          eventClass: null,
          details: { merged_incident: source.id, merged_incident_number: source.number },
          contexts: [],
          firstTriggerLogEntryId: source.firstTriggerLogEntryId,
        };
        state.alerts.set(alert.id, alert);
        target.alertIds.push(alert.id);
      } else {
        for (const alertId of source.alertIds) {
          const alert = state.alerts.get(alertId);
          if (alert) alert.incidentId = target.id;
          target.alertIds.push(alertId);
        }
        source.alertIds = [];
      }
      const wasResolved = source.status === 'resolved';
      source.resolveReason = { incidentId: target.id };
      source.assignments = [];
      source.nextEscalationAt = null;
      source.snoozedUntil = null;
      touch(source, at);
      if (!wasResolved) {
        source.status = 'resolved';
        source.resolvedAt = at;
        source.lastStatusChangeAt = at;
        source.lastStatusChangeBy = actor.agent;
      }
      addLog(
        source,
        'resolve_log_entry',
        at,
        actor.agent,
        channelFor(actor),
        `Resolved by ${agentName(actor.agent)}: merged into incident #${target.number}.`,
      );
      emit(source, 'incident.resolved', at, actor.agent);
    }
    touch(target, at);
  }

  /** Runs what the clock made due up to `now`: snooze ends and automatic escalations, in time order. */
  function tick(now: number): void {
    for (;;) {
      let due: { incident: IncidentRecord; at: number; kind: 'snooze' | 'escalate' } | undefined;
      for (const id of state.incidentOrder) {
        const incident = state.incidents.get(id);
        if (!incident || incident.status === 'resolved') continue;
        if (incident.status === 'acknowledged' && incident.snoozedUntil !== null && incident.snoozedUntil <= now) {
          if (!due || incident.snoozedUntil < due.at) due = { incident, at: incident.snoozedUntil, kind: 'snooze' };
        }
        if (incident.status === 'triggered' && incident.nextEscalationAt !== null && incident.nextEscalationAt <= now) {
          if (!due || incident.nextEscalationAt < due.at)
            due = { incident, at: incident.nextEscalationAt, kind: 'escalate' };
        }
      }
      if (!due) return;
      const { incident, at } = due;
      const system: Actor = { agent: { type: 'service', id: incident.serviceId }, via: 'timeout' };
      if (due.kind === 'snooze') {
        unacknowledge(incident, system, at, 'Unacknowledged: the snooze ended.');
        continue;
      }
      autoEscalate(incident, system, at);
    }
  }

  function autoEscalate(incident: IncidentRecord, system: Actor, at: number): void {
    const policy = state.escalationPolicies.get(incident.escalationPolicyId);
    const levels = policy?.rules.length ?? 0;
    let level = incident.escalationLevel + 1;
    if (level > levels) {
      if (incident.loopsDone < (policy?.numLoops ?? 0)) {
        incident.loopsDone++;
        level = 1;
        addLog(
          incident,
          'repeat_escalation_path_log_entry',
          at,
          system.agent,
          { type: 'timeout' },
          'Repeated the escalation path.',
        );
      } else {
        incident.nextEscalationAt = null;
        addLog(
          incident,
          'exhaust_escalation_path_log_entry',
          at,
          system.agent,
          { type: 'timeout' },
          'Escalation path exhausted.',
        );
        return;
      }
    }
    const assignees = levelAssignees(incident.escalationPolicyId, level, at);
    if (assignees.length === 0) {
      // Nobody on call at that level: skip it, as PagerDuty does, and try the next one later.
      incident.escalationLevel = level;
      scheduleEscalation(incident, at);
      return;
    }
    applyEscalation(incident, level, assignees, system, at);
  }

  /** Resolves the alert and, when no alert of the incident is left open, the incident (Events API resolve). */
  function resolveAlert(alert: AlertRecord, actor: Actor, at: number): void {
    if (alert.status === 'resolved') return;
    alert.status = 'resolved';
    alert.resolvedAt = at;
    const incident = state.incidents.get(alert.incidentId);
    if (!incident || incident.status === 'resolved') return;
    const open = incident.alertIds.some((id) => state.alerts.get(id)?.status === 'triggered');
    if (!open) resolve(incident, actor, at);
  }

  /** A repeated trigger on an open alert: PagerDuty adds a trigger log entry and changes nothing else. */
  function retrigger(alert: AlertRecord, actor: Actor, at: number, summary: string): void {
    const incident = state.incidents.get(alert.incidentId);
    if (!incident) return;
    touch(incident, at);
    addLog(
      incident,
      'trigger_log_entry',
      at,
      actor.agent,
      channelFor(actor, { summary, incident_key: alert.alertKey }),
      `Triggered ${viaPhrase(actor.via)} (deduplicated into the open alert).`,
    );
  }

  return {
    getIncident,
    resolvePriority,
    create,
    acknowledge,
    unacknowledge,
    resolve,
    setStatus,
    checkEscalation,
    escalate,
    checkReassign,
    reassign,
    checkDelegate,
    delegate,
    setUrgency,
    setPriority,
    setTitle,
    setConferenceBridge,
    snooze,
    checkNote,
    addNote,
    addStatusUpdate,
    addResponderRequest,
    checkMerge,
    merge,
    tick,
    resolveAlert,
    retrigger,
    levelAssignees,
  };
}
