/** `GET/POST/PUT /incidents`, `GET/PUT /incidents/{id}`: listing with PagerDuty's filters, creation, updates. */
import { invalidInput, notFound, PagerDutySimError } from '../errors.js';
import type { Actor } from '../incidents.js';
import type { IncidentRecord, IncidentStatus, PriorityRecord } from '../model.js';
import { INCIDENT_INCLUDES, type IncidentInclude, renderIncident } from '../render.js';
import {
  bulkUpdateBody,
  createIncidentBody,
  type IncidentUpdate,
  MAX_BULK_UPDATE,
  updateIncidentBody,
} from '../schemas.js';
import { parseTimestamp } from '../time-zones.js';
import { checkEnumList, paginate, parseBody, type Route, type RouteContext, requireFrom } from './context.js';

const MONTH_MS = 30 * 86_400_000;
/** PagerDuty's maximum `since`–`until` range for incidents: 6 months. */
export const MAX_INCIDENT_RANGE_MS = 6 * 31 * 86_400_000;
const SORT_FIELDS = ['incident_number', 'created_at', 'resolved_at', 'urgency'] as const;

/** Parses `since`/`until` (400 2004 when unreadable). */
export function readRange(
  ctx: RouteContext,
  defaults: { sinceBack: number },
): { since: number; until: number; sinceGiven: boolean; untilGiven: boolean } {
  const sinceRaw = ctx.query.string('since');
  const untilRaw = ctx.query.string('until');
  const zone = ctx.render.timeZone;
  const parse = (raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const value = parseTimestamp(raw, zone);
    if (value === undefined) {
      throw new PagerDutySimError(400, 2004, "Invalid time values in 'since' and/or 'until' parameters", [
        `"${raw}" is not an ISO 8601 date or date-time`,
      ]);
    }
    return value;
  };
  const sinceParsed = parse(sinceRaw);
  const untilParsed = parse(untilRaw);
  // Without `until`, the range runs to now inclusive (what happened this very millisecond is listed).
  const until = untilParsed ?? Math.max(ctx.now + 1, sinceParsed ?? 0);
  const since = sinceParsed ?? until - defaults.sinceBack;
  return { since, until, sinceGiven: sinceParsed !== undefined, untilGiven: untilParsed !== undefined };
}

function readIncludes(ctx: RouteContext): Set<IncidentInclude> {
  return new Set(checkEnumList('include', ctx.query.list('include'), INCIDENT_INCLUDES) ?? []);
}

function compareBy(field: (typeof SORT_FIELDS)[number], a: IncidentRecord, b: IncidentRecord): number {
  switch (field) {
    case 'incident_number':
      return a.number - b.number;
    case 'created_at':
      return a.createdAt - b.createdAt || a.number - b.number;
    case 'resolved_at':
      return (a.resolvedAt ?? Number.POSITIVE_INFINITY) - (b.resolvedAt ?? Number.POSITIVE_INFINITY);
    case 'urgency':
      return (a.urgency === 'high' ? 0 : 1) - (b.urgency === 'high' ? 0 : 1);
  }
}

function readSort(ctx: RouteContext): Array<{ field: (typeof SORT_FIELDS)[number]; desc: boolean }> {
  const raw = ctx.query.string('sort_by');
  if (raw === undefined) return [{ field: 'created_at', desc: false }];
  const parts = raw
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0 || parts.length > 2) throw invalidInput('sort_by takes one or two fields');
  return parts.map((part) => {
    const [field, direction = 'asc'] = part.split(':');
    if (!(SORT_FIELDS as readonly string[]).includes(field ?? '')) {
      throw invalidInput(`sort_by field must be one of ${SORT_FIELDS.join(', ')}; got "${field}"`);
    }
    if (direction !== 'asc' && direction !== 'desc')
      throw invalidInput(`sort_by direction must be asc or desc; got "${direction}"`);
    return { field: field as (typeof SORT_FIELDS)[number], desc: direction === 'desc' };
  });
}

const listIncidents: Route = {
  method: 'GET',
  path: '/incidents',
  handle(ctx) {
    const { state } = ctx.sim;
    const statuses = checkEnumList('statuses', ctx.query.list('statuses'), [
      'triggered',
      'acknowledged',
      'resolved',
    ] as const);
    const urgencies = checkEnumList('urgencies', ctx.query.list('urgencies'), ['high', 'low'] as const);
    const serviceIds = ctx.query.list('service_ids');
    const teamIds = ctx.query.list('team_ids');
    const userIds = ctx.query.list('user_ids');
    const incidentKey = ctx.query.string('incident_key');
    const dateRange = ctx.query.string('date_range');
    if (dateRange !== undefined && dateRange !== 'all')
      throw invalidInput(`date_range must be "all"; got "${dateRange}"`);
    const includes = readIncludes(ctx);
    const sort = readSort(ctx);
    let range: { since: number; until: number } | undefined;
    if (dateRange !== 'all') {
      range = readRange(ctx, { sinceBack: MONTH_MS });
      if (range.until < range.since) {
        throw new PagerDutySimError(400, 2005, 'Invalid Query Date Range', ['until must not be before since']);
      }
      if (range.until - range.since > MAX_INCIDENT_RANGE_MS) {
        throw new PagerDutySimError(400, 2005, 'Invalid Query Date Range', [
          'The date range between since and until must not exceed 6 months',
        ]);
      }
    }
    const matches: IncidentRecord[] = [];
    for (const id of state.incidentOrder) {
      const incident = state.incidents.get(id);
      if (!incident) continue;
      if (range && (incident.createdAt < range.since || incident.createdAt >= range.until)) continue;
      if (statuses && !statuses.includes(incident.status)) continue;
      if (urgencies && !urgencies.includes(incident.urgency)) continue;
      if (serviceIds && !serviceIds.includes(incident.serviceId)) continue;
      if (teamIds && !incident.teamIds.some((t) => teamIds.includes(t))) continue;
      if (userIds && (incident.status === 'resolved' || !incident.assignments.some((a) => userIds.includes(a.userId))))
        continue;
      if (incidentKey !== undefined) {
        const alertMatch = incident.alertIds.some((a) => state.alerts.get(a)?.alertKey === incidentKey);
        if (incident.incidentKey !== incidentKey && !alertMatch) continue;
      }
      matches.push(incident);
    }
    matches.sort((a, b) => {
      for (const { field, desc } of sort) {
        const c = compareBy(field, a, b);
        if (c !== 0) return desc ? -c : c;
      }
      return a.number - b.number;
    });
    const page = paginate(matches, ctx.query);
    return {
      status: 200,
      body: { incidents: page.items.map((i) => renderIncident(ctx.render, i, includes)), ...page.pagination },
    };
  },
};

const getIncident: Route = {
  method: 'GET',
  path: '/incidents/:id',
  handle(ctx) {
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    return { status: 200, body: { incident: renderIncident(ctx.render, incident, readIncludes(ctx)) } };
  },
};

const createIncident: Route = {
  method: 'POST',
  path: '/incidents',
  requiresFrom: true,
  handle(ctx) {
    const from = requireFrom(ctx);
    const { incident: input } = parseBody(createIncidentBody, ctx.body);
    const { state, machine } = ctx.sim;
    if (!state.services.has(input.service.id)) throw notFound(`Service ${input.service.id} not found`);
    if (input.assignments && input.escalation_policy) {
      throw invalidInput('Give either assignments or escalation_policy, not both');
    }
    const priority = input.priority === undefined ? null : machine.resolvePriority(input.priority);
    const created = machine.create(
      {
        serviceId: input.service.id,
        title: input.title,
        urgency: input.urgency,
        priorityId: priority?.id ?? null,
        incidentKey: input.incident_key,
        bodyDetails: input.body?.details,
        assigneeIds: input.assignments?.map((a) => a.assignee.id),
        escalationPolicyId: input.escalation_policy?.id,
        conferenceBridge: input.conference_bridge
          ? {
              conferenceNumber: input.conference_bridge.conference_number,
              conferenceUrl: input.conference_bridge.conference_url,
            }
          : null,
        incidentType: input.incident_type?.name,
      },
      { agent: { type: 'user', id: from.id }, via: 'api' },
      ctx.now,
    );
    return { status: 201, body: { incident: renderIncident(ctx.render, created) } };
  },
};

/**
 * Checks an update against the incident as it is, and returns the function that applies it. Nothing changes
 * unless every part of the update is acceptable.
 */
export function planIncidentUpdate(
  ctx: RouteContext,
  incident: IncidentRecord,
  update: IncidentUpdate,
  actor: Actor,
): () => void {
  const { state, machine } = ctx.sim;
  const reopening =
    incident.status === 'resolved' && (update.status === 'triggered' || update.status === 'acknowledged');
  const effectiveStatus: IncidentStatus = reopening ? (update.status as IncidentStatus) : incident.status;
  if (update.status === 'resolved' && incident.status === 'resolved') {
    throw new PagerDutySimError(400, 1001, 'Incident Already Resolved');
  }
  if (update.resolution !== undefined && update.status !== 'resolved') {
    throw invalidInput('resolution can only be given when setting status to resolved');
  }
  const routing = [update.escalation_level, update.assignments, update.escalation_policy].filter(
    (v) => v !== undefined,
  );
  if (routing.length > 1) {
    throw invalidInput('Give only one of escalation_level, assignments and escalation_policy');
  }
  const asIfOpen = { ...incident, status: effectiveStatus } as IncidentRecord;
  let priority: PriorityRecord | null | undefined;
  if (update.priority !== undefined) priority = machine.resolvePriority(update.priority);
  if (update.service && !state.services.has(update.service.id))
    throw invalidInput(`Service ${update.service.id} not found`);
  if (update.escalation_level !== undefined) {
    machine.checkEscalation(asIfOpen, update.escalation_level);
    if (machine.levelAssignees(incident.escalationPolicyId, update.escalation_level, ctx.now).length === 0) {
      throw new PagerDutySimError(400, 1015, 'Escalation Policy Has No User On Call', [
        `Level ${update.escalation_level} has nobody on call`,
      ]);
    }
  }
  const assigneeIds = update.assignments?.map((a) => a.assignee.id);
  if (assigneeIds) machine.checkReassign(asIfOpen, assigneeIds);
  if (update.escalation_policy) machine.checkDelegate(asIfOpen, update.escalation_policy.id);
  if (reopening && update.status === 'acknowledged' && actor.agent.type !== 'user') {
    throw new PagerDutySimError(400, 1001, 'Incident Already Resolved');
  }

  return () => {
    const at = ctx.now;
    if (reopening) machine.setStatus(incident, update.status as IncidentStatus, actor, at);
    if (update.title !== undefined) machine.setTitle(incident, update.title, at);
    if (update.urgency !== undefined) machine.setUrgency(incident, update.urgency, actor, at);
    if (priority !== undefined) machine.setPriority(incident, priority, actor, at);
    if (update.conference_bridge !== undefined) {
      machine.setConferenceBridge(
        incident,
        update.conference_bridge
          ? {
              conferenceNumber: update.conference_bridge.conference_number,
              conferenceUrl: update.conference_bridge.conference_url,
            }
          : null,
        actor,
        at,
      );
    }
    if (update.incident_type) incident.incidentType = update.incident_type.name;
    if (update.service && update.service.id !== incident.serviceId) {
      incident.serviceId = update.service.id;
      incident.updatedAt = at;
    }
    if (update.escalation_policy) machine.delegate(incident, update.escalation_policy.id, actor, at);
    if (assigneeIds) machine.reassign(incident, assigneeIds, actor, at);
    if (update.escalation_level !== undefined) machine.escalate(incident, update.escalation_level, actor, at);
    if (update.status !== undefined && !reopening)
      machine.setStatus(incident, update.status, actor, at, update.resolution);
  };
}

const updateIncident: Route = {
  method: 'PUT',
  path: '/incidents/:id',
  requiresFrom: true,
  handle(ctx) {
    const from = requireFrom(ctx);
    const incident = ctx.sim.machine.getIncident(ctx.params.id ?? '');
    const { incident: update } = parseBody(updateIncidentBody, ctx.body);
    const apply = planIncidentUpdate(ctx, incident, update, { agent: { type: 'user', id: from.id }, via: 'api' });
    apply();
    return { status: 200, body: { incident: renderIncident(ctx.render, incident) } };
  },
};

const updateIncidents: Route = {
  method: 'PUT',
  path: '/incidents',
  requiresFrom: true,
  handle(ctx) {
    const from = requireFrom(ctx);
    const raw = ctx.body as { incidents?: unknown } | undefined;
    if (Array.isArray(raw?.incidents) && raw.incidents.length > MAX_BULK_UPDATE) {
      throw new PagerDutySimError(413, 2001, 'Request Entity Too Large', [
        `A maximum of ${MAX_BULK_UPDATE} incidents may be updated at a time; got ${raw.incidents.length}`,
      ]);
    }
    const { incidents: updates } = parseBody(bulkUpdateBody, ctx.body);
    const actor: Actor = { agent: { type: 'user', id: from.id }, via: 'api' };
    const seen = new Set<string>();
    const plans = updates.map((update) => {
      if (seen.has(update.id)) throw invalidInput(`Incident ${update.id} is listed twice`);
      seen.add(update.id);
      const incident = ctx.sim.machine.getIncident(update.id);
      return { incident, apply: planIncidentUpdate(ctx, incident, update, actor) };
    });
    for (const plan of plans) plan.apply();
    return {
      status: 200,
      body: {
        incidents: plans.map((p) => renderIncident(ctx.render, p.incident)),
        limit: plans.length,
        offset: 0,
        more: false,
        total: null,
      },
    };
  },
};

export const incidentRoutes: Route[] = [listIncidents, getIncident, createIncident, updateIncident, updateIncidents];
