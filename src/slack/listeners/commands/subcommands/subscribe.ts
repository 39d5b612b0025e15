/** `/incident subscribe <service>`: routes a PagerDuty service's new incidents to this channel. */
import { buildNotice } from '../../../blocks/notice.js';
import { ServiceListShape } from '../../../incident-view.js';
import { mrkdwn, userMention } from '../../../text.js';
import type { CommandContext } from '../command-context.js';

export async function subscribeSubcommand(ctx: CommandContext, service: string): Promise<void> {
  const { runner, poster } = ctx.deps.services;
  const q = service.trim();
  const out = ServiceListShape.parse(await runner.read('list_services', { query: q.slice(0, 200), limit: 50 }));
  const all = /^[A-Z0-9]{5,20}$/.test(q)
    ? ServiceListShape.parse(await runner.read('list_services', { limit: 500 })).items
    : [];
  const byId = all.find((s) => s.id === q);
  const exact = out.items.filter((s) => s.name.toLowerCase() === q.toLowerCase());
  const match = byId ?? (exact.length === 1 ? exact[0] : out.items.length === 1 ? out.items[0] : undefined);
  if (!match) {
    const names = out.items.slice(0, 8).map((s) => `\`${mrkdwn(s.name, 80)}\``);
    await ctx.reply(
      buildNotice(
        'warning',
        out.items.length === 0
          ? `No PagerDuty service matches “${mrkdwn(q, 100)}”. Nothing was changed.`
          : `“${mrkdwn(q, 100)}” matches several services: ${names.join(', ')}. Use the exact name or the service id. Nothing was changed.`,
      ),
    );
    return;
  }
  const { created } = await ctx.deps.rt.store.serviceChannels.subscribe({
    serviceId: match.id,
    channelId: ctx.channelId,
    teamId: ctx.teamId,
    createdBy: ctx.userId,
  });
  if (!created) {
    await ctx.ok(`This channel already receives *${mrkdwn(match.name, 200)}* incidents.`);
    return;
  }
  await poster.post(
    ctx.channelId,
    buildNotice(
      'info',
      `New *${mrkdwn(match.name, 200)}* incidents will be posted here (set by ${userMention(ctx.userId)}).`,
    ),
  );
}
