/** `/incident snooze [incident] <duration>` (PagerDuty snoozes acknowledged incidents only). */

import { IncidentShape } from '../../../../tools/shapes.js';
import { incidentLabel } from '../../../blocks/incident-card.js';
import type { IncidentRef } from '../../../command-parser.js';
import { formatDuration } from '../../../text.js';
import { writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

export async function snoozeSubcommand(ctx: CommandContext, ref: IncidentRef, seconds: number): Promise<void> {
  const incidentId = await ctx.incident(ref);
  const actor = await ctx.deps.services.identity.actorFor(ctx.userId);
  const minutes = Math.max(1, Math.round(seconds / 60));
  const out = IncidentShape.parse(
    await writeAndRefresh(
      ctx.deps,
      'snooze_incident',
      { incident_id: incidentId, duration_minutes: minutes },
      actor,
      incidentId,
    ),
  );
  await ctx.ok(`Snoozed ${incidentLabel(out)} for ${formatDuration(minutes * 60)}.`);
}
