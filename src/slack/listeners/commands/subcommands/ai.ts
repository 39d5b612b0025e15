/**
 * The AI subcommands: triage, analyze, postmortem, runbook, responder (in the incident's card thread), correlate
 * (around an incident, or across open incidents) and fatigue. Each posts a "working…" placeholder at once; the
 * result replaces it when the job is done.
 */
import type { IncidentRef } from '../../../command-parser.js';
import type { AiPostKind } from '../../../services/ai-posts.js';
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

export async function fatigueSubcommand(ctx: CommandContext, schedule: string | null): Promise<void> {
  await ctx.deps.services.aiPosts.start(
    'fatigue',
    { incidentId: null, channel: ctx.channelId, requestedBy: ctx.userId },
    { input: schedule ? { schedule_query: schedule } : {}, subject: schedule ?? 'all schedules' },
  );
}
