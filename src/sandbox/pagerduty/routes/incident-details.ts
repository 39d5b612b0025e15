/**
 * Incident sub-resources: notes, log entries, alerts, merge, snooze, status updates and responder requests
 * (`/incidents/{id}/…`).
 */
import { invalidInput, notFound } from '../errors.js';
import type { Actor } from '../incidents.js';
import type { LogEntryRecord, LogEntryType } from '../model.js';
import {
  incidentRef,
  type LogEntryInclude,
  renderAlert,
  renderIncident,
  renderLogEntry,
  renderNote,
  renderResponderRequest,
  renderStatusUpdate,
} from '../render.js';
import { mergeBody, noteBody, responderRequestBody, snoozeBody, statusUpdateBody } from '../schemas.js';
import { checkEnumList, paginate, parseBody, type Route, type RouteContext, requireFrom } from './context.js';
import { readRange } from './incidents.js';

const LOG_INCLUDES: readonly LogEntryInclude[] = ['incidents', 'services', 'channels', 'teams'];

/** The log entry types `is_overview=true` keeps (the most important changes; notifications are left out). */
const OVERVIEW_TYPES: ReadonlySet<LogEntryType> = new Set<LogEntryType>([
  'trigger_log_entry',
  'acknowledge_log_entry',
  'unacknowledge_log_entry',
  'resolve_log_entry',
  'escalate_log_entry',
  'delegate_log_entry',
  'assign_log_entry',
  'annotate_log_entry',
  'snooze_log_entry',
  'priority_change_log_entry',
  'urgency_change_log_entry',
  'status_update_log_entry',
  'responder_request_log_entry',
  'exhaust_escalation_path_log_entry',
]);

function userActor(ctx: RouteContext): Actor {
  return { agent: { type: 'user', id: requireFrom(ctx).id }, via: 'api' };
}

/**
 * Log entries, newest first, filtered by `since`/`until` (when given) and `is_overview`; shared by the incident
 * and account listings.
 */
export function listLogEntries(ctx: RouteContext, ids: readonly string[]): { status: number; body: unknown } {
  const includes = new Set(checkEnumList('include', ctx.query.list('include'), LOG_INCLUDES) ?? []);
  const overview = ctx.query.bool('is_overview') === true;
  const bounded = ctx.query.has('since') || ctx.query.has('until');
  const range = bounded ? readRange(ctx, { sinceBack: 30 * 86_400_000 }) : undefined;
  if (range && range.until < range.since) throw invalidInput('until must not be before since');
  const entries: LogEntryRecord[] = [];
  for (let i = ids.length - 1; i >= 0; i--) {
    const entry = ctx.sim.state.logEntries.get(ids[i] as string);
    if (!entry) continue;
    if (range && (entry.createdAt < range.since || entry.createdAt >= range.until)) continue;
    if (overview && !OVERVIEW_TYPES.has(entry.type)) continue;
    entries.push(entry);
  }
  entries.sort((a, b) => b.createdAt - a.createdAt);
  const page = paginate(entries, ctx.query);
  return {
    status: 200,
    body: { log_entries: page.items.map((e) => renderLogEntry(ctx.render, e, includes)), ...page.pagination },
  };
}

const incidentLogEntries: Route = {
  method: 'GET',
  path: '/incidents/:id/log_entries',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    return listLogEntries(ctx, ctx.sim.state.incidentLog.get(incident.id) ?? []);
  },
};

const listNotes: Route = {
  method: 'GET',
  path: '/incidents/:id/notes',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const notes = ctx.sim.state.notes.get(incident.id) ?? [];
    return { status: 200, body: { notes: notes.map((n) => renderNote(ctx.render, n)) } };
  },
};

const createNote: Route = {
  method: 'POST',
  path: '/incidents/:id/notes',
  requiresFrom: true,
  handle(ctx) {
    const actor = userActor(ctx);
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const { note } = parseBody(noteBody, ctx.body);
    const created = ctx.sim.machine.addNote(incident, note.content, actor, ctx.now);
    // The spec declares 200 (not 201) for note creation.
    return { status: 200, body: { note: renderNote(ctx.render, created) } };
  },
};

const ALERT_INCLUDES = ['services', 'first_trigger_log_entries', 'incidents'] as const;

const listAlerts: Route = {
  method: 'GET',
  path: '/incidents/:id/alerts',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const statuses = checkEnumList('statuses', ctx.query.list('statuses'), ['triggered', 'resolved'] as const);
    const alertKey = ctx.query.string('alert_key');
    const includes = new Set<string>(checkEnumList('include', ctx.query.list('include'), ALERT_INCLUDES) ?? []);
    const sortBy = ctx.query.string('sort_by') ?? 'created_at';
    if (
      ![
        'created_at',
        'resolved_at',
        'created_at:asc',
        'created_at:desc',
        'resolved_at:asc',
        'resolved_at:desc',
      ].includes(sortBy)
    ) {
      throw invalidInput(`sort_by must be created_at or resolved_at, optionally with :asc or :desc; got "${sortBy}"`);
    }
    const [field, direction] = sortBy.split(':');
    const alerts = incident.alertIds
      .map((id) => ctx.sim.state.alerts.get(id))
      .filter((a) => a !== undefined)
      .filter((a) => !statuses || statuses.includes(a.status))
      .filter((a) => alertKey === undefined || a.alertKey === alertKey)
      .sort((a, b) => {
        const va = field === 'resolved_at' ? (a.resolvedAt ?? Number.POSITIVE_INFINITY) : a.createdAt;
        const vb = field === 'resolved_at' ? (b.resolvedAt ?? Number.POSITIVE_INFINITY) : b.createdAt;
        return direction === 'desc' ? vb - va : va - vb;
      });
    const page = paginate(alerts, ctx.query);
    return {
      status: 200,
      body: { alerts: page.items.map((a) => renderAlert(ctx.render, a, includes)), ...page.pagination },
    };
  },
};

const getAlert: Route = {
  method: 'GET',
  path: '/incidents/:id/alerts/:alert_id',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const alert = ctx.sim.state.alerts.get(ctx.params.alert_id ?? '');
    if (!alert || alert.incidentId !== incident.id)
      throw notFound(`Alert ${ctx.params.alert_id} not found on this incident`);
    return { status: 200, body: { alert: renderAlert(ctx.render, alert) } };
  },
};

const mergeIncidents: Route = {
  method: 'PUT',
  path: '/incidents/:id/merge',
  requiresFrom: true,
  handle(ctx) {
    const actor = userActor(ctx);
    const target = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const { source_incidents } = parseBody(mergeBody, ctx.body);
    const sources = source_incidents.map((s) => ctx.sim.machine.getIncident(s.id));
    ctx.sim.machine.merge(target, sources, actor, ctx.now);
    return { status: 200, body: { incident: incidentRef(ctx.render, target.id) } };
  },
};

const snoozeIncident: Route = {
  method: 'POST',
  path: '/incidents/:id/snooze',
  requiresFrom: true,
  handle(ctx) {
    const actor = userActor(ctx);
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const { duration } = parseBody(snoozeBody, ctx.body);
    ctx.sim.machine.snooze(incident, duration, actor, ctx.now);
    return { status: 201, body: { incident: renderIncident(ctx.render, incident) } };
  },
};

const createStatusUpdate: Route = {
  method: 'POST',
  path: '/incidents/:id/status_updates',
  requiresFrom: true,
  handle(ctx) {
    const actor = userActor(ctx);
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const body = parseBody(statusUpdateBody, ctx.body);
    const update = ctx.sim.machine.addStatusUpdate(
      incident,
      { message: body.message, subject: body.subject, htmlMessage: body.html_message },
      actor,
      ctx.now,
    );
    return { status: 200, body: { status_update: renderStatusUpdate(ctx.render, update) } };
  },
};

const createResponderRequest: Route = {
  method: 'POST',
  path: '/incidents/:id/responder_requests',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const body = parseBody(responderRequestBody, ctx.body);
    const requesterId = body.requester_id;
    const actor: Actor = { agent: { type: 'user', id: ctx.from?.id ?? requesterId }, via: 'api' };
    const targets = body.responder_request_targets.map((t) => {
      const target = 'responder_request_target' in t ? t.responder_request_target : t;
      return {
        type: target.type.startsWith('user') ? ('user' as const) : ('escalation_policy' as const),
        id: target.id,
      };
    });
    const request = ctx.sim.machine.addResponderRequest(
      incident,
      { requesterId, message: body.message, targets },
      actor,
      ctx.now,
    );
    return { status: 200, body: { responder_request: renderResponderRequest(ctx.render, request) } };
  },
};

export const incidentDetailRoutes: Route[] = [
  incidentLogEntries,
  listNotes,
  createNote,
  listAlerts,
  getAlert,
  mergeIncidents,
  snoozeIncident,
  createStatusUpdate,
  createResponderRequest,
];
