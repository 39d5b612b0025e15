import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, pagerDutyId } from '../params.js';
import { resolveEscalationLevels, writeOptions } from '../resolve.js';
import { IncidentShape, toIncident } from '../shapes.js';

export const reassignIncident = defineTool({
  name: 'reassign_incident',
  title: 'Reassign incident',
  description:
    'Reassign a PagerDuty incident either to specific users (replacing the current assignees) or to another ' +
    'escalation policy (which pages its first level). Give user_ids or escalation_policy_id, not both. ' +
    'find_user_by_email and list_escalation_policies find the ids. To move up the current policy, use escalate_incident.',
  access: 'write',
  input: z
    .object({
      incident_id: incidentIdParam(),
      user_ids: z.array(pagerDutyId()).min(1).max(20).optional().describe('Users to assign the incident to.'),
      escalation_policy_id: pagerDutyId().optional().describe('Escalation policy to hand the incident to.'),
    })
    .refine((i) => (i.user_ids === undefined) !== (i.escalation_policy_id === undefined), {
      message: 'give exactly one of user_ids or escalation_policy_id',
      path: ['user_ids'],
    }),
  output: IncidentShape,
  async run(input, ctx) {
    const incident = await ctx.pagerduty.updateIncident(
      input.incident_id,
      input.user_ids
        ? { assigneeIds: [...new Set(input.user_ids)] }
        : { escalationPolicyId: input.escalation_policy_id as string },
      writeOptions(ctx),
    );
    const levels = await resolveEscalationLevels(ctx.pagerduty, [incident], ctx.signal);
    return toIncident(incident, levels.get(incident.id));
  },
});
