/**
 * `/incident page [incident] <@user|@group|team name>`: adds responders. People are mapped to PagerDuty by
 * email; a user group pages each member; a name pages the matching PagerDuty escalation policy.
 */
import { z } from 'zod';
import { EscalationPolicyShape, listShape } from '../../../../tools/shapes.js';
import { buildNotice } from '../../../blocks/notice.js';
import type { IncidentRef, PageTarget } from '../../../command-parser.js';
import { channelMention, mrkdwn, userMention } from '../../../text.js';
import { writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

const PolicyList = listShape(EscalationPolicyShape);
const AddRespondersOut = z.object({
  targets: z.array(z.object({ type: z.string(), id: z.string(), name: z.string().nullable() })),
});

export async function pageSubcommand(ctx: CommandContext, ref: IncidentRef, targets: PageTarget[]): Promise<void> {
  const incidentId = await ctx.incident(ref);
  const { identity, runner } = ctx.deps.services;
  const actor = await identity.actorFor(ctx.userId);
  const userIds = new Set<string>();
  const policyIds = new Set<string>();
  const skipped: string[] = [];
  const slackUsers: string[] = [];
  for (const t of targets) {
    if (t.kind === 'user') slackUsers.push(t.slackUserId);
    else if (t.kind === 'usergroup') {
      const res = (await ctx.deps.rt.client.usergroups.users.list({ usergroup: t.usergroupId })) as {
        users?: string[];
      };
      slackUsers.push(...(res.users ?? []));
    } else {
      const policies = PolicyList.parse(
        await runner.read('list_escalation_policies', { query: t.name.slice(0, 200), limit: 10 }),
      );
      const exact = policies.items.find((p) => p.name.toLowerCase() === t.name.toLowerCase()) ?? policies.items[0];
      if (exact) policyIds.add(exact.id);
      else skipped.push(`"${mrkdwn(t.name, 80)}" (no PagerDuty escalation policy by that name)`);
    }
  }
  for (const u of [...new Set(slackUsers)].slice(0, 20)) {
    const person = await identity.actorFor(u).catch(() => null);
    if (person?.pagerdutyUserId) userIds.add(person.pagerdutyUserId);
    else skipped.push(`${userMention(u)} (no PagerDuty account)`);
  }
  if (userIds.size === 0 && policyIds.size === 0) {
    await ctx.reply(
      buildNotice('warning', `Nobody was paged: ${skipped.join(', ') || 'no one to page'}. Nothing was changed.`),
    );
    return;
  }
  const link = await ctx.deps.rt.store.incidentLinks.get(incidentId);
  const where = link?.incidentChannelId ? ` Join the incident channel in Slack.` : '';
  const input: Record<string, unknown> = {
    incident_id: incidentId,
    message: `${actor.name ?? actor.email} asks for your help on this incident (paged from Slack).${where}`,
  };
  if (userIds.size > 0) input.user_ids = [...userIds];
  if (policyIds.size > 0) input.escalation_policy_ids = [...policyIds];
  const out = AddRespondersOut.parse(await writeAndRefresh(ctx.deps, 'add_responders', input, actor, incidentId));
  const names = out.targets.map((t) => mrkdwn(t.name ?? t.id, 100)).join(', ');
  const channel = link?.incidentChannelId ? ` They can join ${channelMention(link.incidentChannelId)}.` : '';
  await ctx.ok(`Paged ${names}.${channel}${skipped.length > 0 ? `\nNot paged: ${skipped.join(', ')}.` : ''}`);
}
