/** `/incident list [status] [service]`: the matching incidents, ephemeral, each with a "Show card" button. */
import { buildIncidentList } from '../../../blocks/incident-list.js';
import type { ListStatus } from '../../../command-parser.js';
import { IncidentListShape, ServiceListShape, toIncidentView } from '../../../incident-view.js';
import type { CommandContext } from '../command-context.js';

const STATUSES: Record<ListStatus, string[]> = {
  open: ['triggered', 'acknowledged'],
  triggered: ['triggered'],
  acknowledged: ['acknowledged'],
  resolved: ['resolved'],
  all: ['triggered', 'acknowledged', 'resolved'],
};

export async function listSubcommand(ctx: CommandContext, status: ListStatus, service: string | null): Promise<void> {
  const runner = ctx.deps.services.runner;
  const input: Record<string, unknown> = { statuses: STATUSES[status], limit: 50 };
  let serviceLabel = '';
  if (service) {
    const services = ServiceListShape.parse(
      await runner.read('list_services', { query: service.slice(0, 200), limit: 50 }),
    );
    const exact = services.items.filter((s) => s.name.toLowerCase() === service.toLowerCase() || s.id === service);
    const matches = exact.length > 0 ? exact : services.items;
    if (matches.length === 0) {
      await ctx.fail('list incidents', new Error(`no PagerDuty service matches "${service}"`));
      return;
    }
    input.service_ids = matches.slice(0, 10).map((s) => s.id);
    serviceLabel = ` on ${matches
      .map((s) => s.name)
      .slice(0, 3)
      .join(', ')}`;
  }
  const out = IncidentListShape.parse(await runner.read('list_incidents', input));
  for (const i of out.items) ctx.deps.services.resolver.remember(i.number, i.id);
  const label = `${status === 'all' ? '' : `${status} `}incident${out.items.length === 1 ? '' : 's'}${serviceLabel}`;
  await ctx.reply(buildIncidentList(out.items.map(toIncidentView), label, ctx.deps.rt.clock.now(), out.truncated));
}
