/**
 * The account's directory: schedules (with rendered final schedules), escalation policies, services and their
 * technical dependencies, users, teams and priorities.
 */
import { invalidInput, notFound } from '../errors.js';
import type { ScheduleRecord } from '../model.js';
import {
  type Json,
  renderEscalationPolicy,
  renderPriority,
  renderSchedule,
  renderService,
  renderTeam,
  renderUser,
  type ServiceIncludes,
} from '../render.js';
import { isValidTimeZone, parseTimestamp } from '../time-zones.js';
import { checkEnumList, paginate, type Route, type RouteContext } from './context.js';

function matchesQuery(query: string | undefined, ...fields: string[]): boolean {
  if (query === undefined || query === '') return true;
  const q = query.toLowerCase();
  return fields.some((f) => f.toLowerCase().includes(q));
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name.localeCompare(b.name);
}

function list(ctx: RouteContext, key: string, items: Json[]): { status: number; body: unknown } {
  const page = paginate(items, ctx.query);
  return { status: 200, body: { [key]: page.items, ...page.pagination } };
}

/** `since`/`until` for schedules: both or neither; when given, entries are rendered for that window. */
function scheduleWindow(ctx: RouteContext): { since: number; until: number } | null {
  const sinceRaw = ctx.query.string('since');
  const untilRaw = ctx.query.string('until');
  if (sinceRaw === undefined && untilRaw === undefined) return null;
  const since = sinceRaw === undefined ? ctx.now : parseTimestamp(sinceRaw, ctx.render.timeZone);
  const until =
    untilRaw === undefined ? (since ?? ctx.now) + 7 * 86_400_000 : parseTimestamp(untilRaw, ctx.render.timeZone);
  if (since === undefined || until === undefined) throw invalidInput('since and until must be ISO 8601 date-times');
  if (until < since) throw invalidInput('until must not be before since');
  if (until - since > 366 * 86_400_000) throw invalidInput('The schedule window must not exceed one year');
  return { since, until };
}

function scheduleRender(ctx: RouteContext, schedule: ScheduleRecord) {
  const zone = ctx.query.string('time_zone');
  if (zone !== undefined && !isValidTimeZone(zone)) throw invalidInput(`time_zone "${zone}" is not a known time zone`);
  // Schedule timestamps default to the schedule's own zone.
  return { ...ctx.render, timeZone: zone ?? schedule.timeZone };
}

const listSchedules: Route = {
  method: 'GET',
  path: '/schedules',
  handle(ctx) {
    const q = ctx.query.string('query');
    const teamIds = ctx.query.list('team_ids');
    checkEnumList('include', ctx.query.list('include'), ['schedule_layers'] as const);
    const window = scheduleWindow(ctx);
    const schedules = [...ctx.sim.state.schedules.values()]
      .filter((s) => matchesQuery(q, s.name))
      .filter((s) => !teamIds || s.teamIds.some((t) => teamIds.includes(t)))
      .sort(byName);
    return list(
      ctx,
      'schedules',
      schedules.map((s) => renderSchedule(scheduleRender(ctx, s), s, window)),
    );
  },
};

const getSchedule: Route = {
  method: 'GET',
  path: '/schedules/:id',
  handle(ctx) {
    const schedule = ctx.sim.state.schedules.get(ctx.params.id ?? '');
    if (!schedule) throw notFound(`Schedule ${ctx.params.id} not found`);
    const window = scheduleWindow(ctx) ?? { since: ctx.now, until: ctx.now + 7 * 86_400_000 };
    return { status: 200, body: { schedule: renderSchedule(scheduleRender(ctx, schedule), schedule, window) } };
  },
};

const listEscalationPolicies: Route = {
  method: 'GET',
  path: '/escalation_policies',
  handle(ctx) {
    const q = ctx.query.string('query');
    const userIds = ctx.query.list('user_ids');
    const teamIds = ctx.query.list('team_ids');
    const sortBy = ctx.query.string('sort_by');
    if (sortBy !== undefined && !['name', 'name:asc', 'name:desc'].includes(sortBy)) {
      throw invalidInput(`sort_by must be name, name:asc or name:desc; got "${sortBy}"`);
    }
    checkEnumList('include', ctx.query.list('include'), ['services', 'teams', 'targets'] as const);
    const { state } = ctx.sim;
    const policies = [...state.escalationPolicies.values()]
      .filter((p) => matchesQuery(q, p.name))
      .filter((p) => !teamIds || p.teamIds.some((t) => teamIds.includes(t)))
      .filter(
        (p) =>
          !userIds ||
          p.rules.some((r) =>
            r.targets.some((t) =>
              t.type === 'user'
                ? userIds.includes(t.id)
                : (state.schedules.get(t.id)?.layers.some((l) => l.userIds.some((u) => userIds.includes(u))) ?? false),
            ),
          ),
      )
      .sort(byName);
    if (sortBy === 'name:desc') policies.reverse();
    return list(
      ctx,
      'escalation_policies',
      policies.map((p) => renderEscalationPolicy(ctx.render, p)),
    );
  },
};

const getEscalationPolicy: Route = {
  method: 'GET',
  path: '/escalation_policies/:id',
  handle(ctx) {
    const policy = ctx.sim.state.escalationPolicies.get(ctx.params.id ?? '');
    if (!policy) throw notFound(`Escalation policy ${ctx.params.id} not found`);
    return { status: 200, body: { escalation_policy: renderEscalationPolicy(ctx.render, policy) } };
  },
};

const SERVICE_INCLUDES = [
  'escalation_policies',
  'teams',
  'integrations',
  'auto_pause_notifications_parameters',
] as const;

function serviceIncludes(ctx: RouteContext): ServiceIncludes {
  const includes = new Set(checkEnumList('include', ctx.query.list('include'), SERVICE_INCLUDES) ?? []);
  return {
    escalationPolicies: includes.has('escalation_policies'),
    teams: includes.has('teams'),
    integrations: includes.has('integrations'),
  };
}

const listServices: Route = {
  method: 'GET',
  path: '/services',
  handle(ctx) {
    const q = ctx.query.string('query');
    const name = ctx.query.string('name');
    const teamIds = ctx.query.list('team_ids');
    const sortBy = ctx.query.string('sort_by');
    if (sortBy !== undefined && !['name', 'name:asc', 'name:desc'].includes(sortBy)) {
      throw invalidInput(`sort_by must be name, name:asc or name:desc; got "${sortBy}"`);
    }
    const include = serviceIncludes(ctx);
    const services = [...ctx.sim.state.services.values()]
      .filter((s) => matchesQuery(q, s.name))
      .filter((s) => name === undefined || s.name === name)
      .filter((s) => !teamIds || s.teamIds.some((t) => teamIds.includes(t)))
      .sort(byName);
    if (sortBy === 'name:desc') services.reverse();
    return list(
      ctx,
      'services',
      services.map((s) => renderService(ctx.render, s, include)),
    );
  },
};

const getService: Route = {
  method: 'GET',
  path: '/services/:id',
  handle(ctx) {
    const service = ctx.sim.state.services.get(ctx.params.id ?? '');
    if (!service) throw notFound(`Service ${ctx.params.id} not found`);
    return { status: 200, body: { service: renderService(ctx.render, service, serviceIncludes(ctx)) } };
  },
};

const serviceDependencies: Route = {
  method: 'GET',
  path: '/service_dependencies/technical_services/:id',
  handle(ctx) {
    const { state } = ctx.sim;
    const id = ctx.params.id ?? '';
    if (!state.services.has(id)) throw notFound(`Service ${id} not found`);
    const relationships = state.dependencies
      .filter((d) => d.supportingServiceId === id || d.dependentServiceId === id)
      .map((d) => ({
        id: d.id,
        type: 'service_dependency',
        supporting_service: { id: d.supportingServiceId, type: 'technical_service_reference' },
        dependent_service: { id: d.dependentServiceId, type: 'technical_service_reference' },
      }));
    return { status: 200, body: { relationships } };
  },
};

const listUsers: Route = {
  method: 'GET',
  path: '/users',
  handle(ctx) {
    const q = ctx.query.string('query');
    const teamIds = ctx.query.list('team_ids');
    checkEnumList('include', ctx.query.list('include'), [
      'contact_methods',
      'notification_rules',
      'teams',
      'subdomains',
    ] as const);
    const users = [...ctx.sim.state.users.values()]
      .filter((u) => matchesQuery(q, u.name, u.email))
      .filter((u) => !teamIds || u.teamIds.some((t) => teamIds.includes(t)))
      .sort(byName);
    return list(
      ctx,
      'users',
      users.map((u) => renderUser(ctx.render, u)),
    );
  },
};

const getUser: Route = {
  method: 'GET',
  path: '/users/:id',
  handle(ctx) {
    const user = ctx.sim.state.users.get(ctx.params.id ?? '');
    if (!user) throw notFound(`User ${ctx.params.id} not found`);
    return { status: 200, body: { user: renderUser(ctx.render, user) } };
  },
};

const listTeams: Route = {
  method: 'GET',
  path: '/teams',
  handle(ctx) {
    const q = ctx.query.string('query');
    const teams = [...ctx.sim.state.teams.values()].filter((t) => matchesQuery(q, t.name)).sort(byName);
    return list(
      ctx,
      'teams',
      teams.map((t) => renderTeam(ctx.render, t)),
    );
  },
};

const getTeam: Route = {
  method: 'GET',
  path: '/teams/:id',
  handle(ctx) {
    const team = ctx.sim.state.teams.get(ctx.params.id ?? '');
    if (!team) throw notFound(`Team ${ctx.params.id} not found`);
    return { status: 200, body: { team: renderTeam(ctx.render, team) } };
  },
};

const listPriorities: Route = {
  method: 'GET',
  path: '/priorities',
  handle(ctx) {
    return list(
      ctx,
      'priorities',
      ctx.sim.state.priorities.map((p) => renderPriority(ctx.render, p)),
    );
  },
};

export const directoryRoutes: Route[] = [
  listSchedules,
  getSchedule,
  listEscalationPolicies,
  getEscalationPolicy,
  listServices,
  getService,
  serviceDependencies,
  listUsers,
  getUser,
  listTeams,
  getTeam,
  listPriorities,
];
