/**
 * `/incident oncall [schedule|service]`: who is on call now. A query is matched against services (their
 * escalation policy), then escalation policies, then schedule names.
 */

import { EscalationPolicyShape, listShape } from '../../../../tools/shapes.js';
import { buildOnCallList } from '../../../blocks/oncall-list.js';
import { OnCallListShape, ServiceListShape, toOnCallViews } from '../../../incident-view.js';
import type { CommandContext } from '../command-context.js';

const PolicyList = listShape(EscalationPolicyShape);

export async function oncallSubcommand(ctx: CommandContext, query: string | null): Promise<void> {
  const { runner, people } = ctx.deps.services;
  const input: Record<string, unknown> = { limit: 500 };
  let scheduleFilter: string | null = null;
  if (query) {
    const q = query.slice(0, 200);
    const services = ServiceListShape.parse(await runner.read('list_services', { query: q, limit: 20 }));
    const policyIds = services.items.map((s) => s.escalation_policy?.id).filter((id): id is string => !!id);
    if (policyIds.length === 0) {
      const policies = PolicyList.parse(await runner.read('list_escalation_policies', { query: q, limit: 20 }));
      policyIds.push(...policies.items.map((p) => p.id));
    }
    if (policyIds.length > 0) input.escalation_policy_ids = [...new Set(policyIds)].slice(0, 20);
    else scheduleFilter = query.toLowerCase();
  }
  const out = OnCallListShape.parse(await runner.read('list_oncalls', input));
  const items = scheduleFilter
    ? out.items.filter((o) => o.schedule?.name.toLowerCase().includes(scheduleFilter ?? ''))
    : out.items;
  const views = toOnCallViews(items);
  for (const v of views) v.user.slackUserId = await people.slackIdFor({ name: v.user.name });
  await ctx.reply(buildOnCallList(views, query, ctx.deps.rt.clock.now()));
}
