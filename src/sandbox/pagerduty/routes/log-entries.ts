/** `GET /log_entries` (account-wide, filterable by team) and `GET /log_entries/{id}`. */
import { notFound } from '../errors.js';
import { renderLogEntry } from '../render.js';
import { checkEnumList, type Route } from './context.js';
import { listLogEntries } from './incident-details.js';

const listAccountLogEntries: Route = {
  method: 'GET',
  path: '/log_entries',
  handle(ctx) {
    const { state } = ctx.sim;
    const teamIds = ctx.query.list('team_ids');
    const ids = teamIds
      ? state.logOrder.filter((id) => state.logEntries.get(id)?.teamIds.some((t) => teamIds.includes(t)))
      : state.logOrder;
    return listLogEntries(ctx, ids);
  },
};

const getLogEntry: Route = {
  method: 'GET',
  path: '/log_entries/:id',
  handle(ctx) {
    const entry = ctx.sim.state.logEntries.get(ctx.params.id ?? '');
    if (!entry) throw notFound(`Log entry ${ctx.params.id} not found`);
    const includes = new Set(
      checkEnumList('include', ctx.query.list('include'), ['incidents', 'services', 'channels', 'teams'] as const) ??
        [],
    );
    return { status: 200, body: { log_entry: renderLogEntry(ctx.render, entry, includes) } };
  },
};

export const logEntryRoutes: Route[] = [listAccountLogEntries, getLogEntry];
