/** `/incident escalate [incident] [level]`: to the next level by default. Responders only, when configured. */
import { z } from 'zod';
import { IncidentShape, RefShape } from '../../../../tools/shapes.js';
import { incidentLabel } from '../../../blocks/incident-card.js';
import type { IncidentRef } from '../../../command-parser.js';
import { writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

export const EscalateOutShape = z.object({
  incident: IncidentShape,
  escalation_level: z.number().int(),
  escalation_policy: RefShape,
  warnings: z.array(z.string()),
});

export async function escalateSubcommand(ctx: CommandContext, ref: IncidentRef, level: number | null): Promise<void> {
  await ctx.deps.services.identity.requireResponder(ctx.userId, 'escalate incidents');
  const incidentId = await ctx.incident(ref);
  const actor = await ctx.deps.services.identity.actorFor(ctx.userId);
  const input: Record<string, unknown> = {
    incident_id: incidentId,
    reason: `Escalated from Slack by ${actor.name ?? actor.email}`,
  };
  if (level !== null) input.escalation_level = level;
  const out = EscalateOutShape.parse(await writeAndRefresh(ctx.deps, 'escalate_incident', input, actor, incidentId));
  await ctx.ok(`Escalated ${incidentLabel(out.incident)} to level ${out.escalation_level}.`);
}
