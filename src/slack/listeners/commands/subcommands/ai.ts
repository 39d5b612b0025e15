/**
 * The AI subcommands: triage, analyze, postmortem, runbook, responder (in the incident's card thread), correlate
 * (around an incident, or across open incidents) and fatigue. Each posts a "working…" placeholder at once; the
 * result replaces it when the job is done.
 */
import { buildNotice } from '../../../blocks/notice.js';
import type { IncidentRef } from '../../../command-parser.js';
import { OnCallListShape } from '../../../incident-view.js';
import type { AiPostKind } from '../../../services/ai-posts.js';
import { mrkdwn } from '../../../text.js';
import type { CommandContext } from '../command-context.js';

export async function aiSubcommand(
  ctx: CommandContext,
  kind: Exclude<AiPostKind, 'correlate' | 'fatigue'>,
  ref: IncidentRef,
): Promise<void> {
  const incidentId = await ctx.incident(ref);
  await ctx.deps.services.aiPosts.start(kind, { incidentId, channel: ctx.channelId, requestedBy: ctx.userId });
}

export async function correlateSubcommand(ctx: CommandContext, ref: IncidentRef): Promise<void> {
  const incidentId =
    ref.kind === 'implied'
      ? await ctx.deps.services.resolver.implied({ channelId: ctx.channelId })
      : await ctx.incident(ref);
  await ctx.deps.services.aiPosts.start('correlate', { incidentId, channel: ctx.channelId, requestedBy: ctx.userId });
}

/** `fatigue [schedule]`: a schedule name (or id) is matched against the schedules people are on call for. */
export async function fatigueSubcommand(ctx: CommandContext, schedule: string | null): Promise<void> {
  let input: Record<string, unknown> = {};
  let subject = 'all schedules';
  if (schedule) {
    const oncalls = OnCallListShape.parse(await ctx.deps.services.runner.read('list_oncalls', { limit: 1000 }));
    const wanted = schedule.trim().toLowerCase();
    const schedules = new Map<string, string>();
    for (const o of oncalls.items) if (o.schedule) schedules.set(o.schedule.id, o.schedule.name);
    const matches = [...schedules].filter(
      ([id, name]) => id.toLowerCase() === wanted || name.toLowerCase().includes(wanted),
    );
    if (matches.length === 0) {
      const known = [...schedules.values()].slice(0, 10).map((n) => `\`${mrkdwn(n, 60)}\``);
      await ctx.reply(
        buildNotice(
          'warning',
          `No schedule matches “${mrkdwn(schedule, 80)}”.${known.length > 0 ? ` Schedules: ${known.join(', ')}.` : ''}`,
        ),
      );
      return;
    }
    input = { schedule_ids: matches.slice(0, 20).map(([id]) => id) };
    subject = matches
      .map(([, name]) => name)
      .slice(0, 3)
      .join(', ');
  }
  await ctx.deps.services.aiPosts.start(
    'fatigue',
    { incidentId: null, channel: ctx.channelId, requestedBy: ctx.userId },
    { input, subject },
  );
}
