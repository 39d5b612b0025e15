/** `/incident ack [incident]`. */

import { IncidentShape } from '../../../../tools/shapes.js';
import { incidentLabel } from '../../../blocks/incident-card.js';
import type { IncidentRef } from '../../../command-parser.js';
import { writeAndRefresh } from '../../shared.js';
import type { CommandContext } from '../command-context.js';

export async function ackSubcommand(ctx: CommandContext, ref: IncidentRef): Promise<void> {
  const incidentId = await ctx.incident(ref);
  const actor = await ctx.deps.services.identity.actorFor(ctx.userId);
  const out = IncidentShape.parse(
    await writeAndRefresh(
      ctx.deps,
      'update_incident',
      { incident_id: incidentId, status: 'acknowledged' },
      actor,
      incidentId,
    ),
  );
  await ctx.ok(`Acknowledged ${incidentLabel(out)}.`);
}
