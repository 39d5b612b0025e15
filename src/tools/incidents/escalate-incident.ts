import { z } from 'zod';
import { referenceName } from '../../pagerduty/index.js';
import { describeError, InvalidInputError } from '../../shared/errors.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, messageParam } from '../params.js';
import { readOptions, resolveEscalationLevels, writeOptions } from '../resolve.js';
import { IncidentShape, NoteShape, RefShape, toIncident, toNote } from '../shapes.js';

export const escalateIncident = defineTool({
  name: 'escalate_incident',
  title: 'Escalate incident',
  description:
    'Escalate a PagerDuty incident to the next level of its escalation policy (or to a given level): PagerDuty ' +
    'reassigns it to that level’s on-call and pages them. A note recording who escalated, from which level and why ' +
    'is added to the incident. Use get_incident to see the current level and list_escalation_policies for the levels.',
  access: 'write',
  input: z.object({
    incident_id: incidentIdParam(),
    escalation_level: z
      .number()
      .int()
      .min(1)
      .max(20)
      .optional()
      .describe('Level to escalate to (1 = first level); default: the current level + 1.'),
    reason: messageParam(2000).optional().describe('Why it is escalated; recorded in the note.'),
  }),
  output: z.object({
    incident: IncidentShape,
    previous_level: z.number().int().nullable(),
    escalation_level: z.number().int(),
    levels_in_policy: z.number().int(),
    escalation_policy: RefShape,
    note: NoteShape.nullable(),
    warnings: z.array(z.string()),
  }),
  async run(input, ctx) {
    const incident = await ctx.pagerduty.getIncident(input.incident_id, readOptions(ctx));
    if (incident.status === 'resolved') {
      throw new InvalidInputError(`Incident ${incident.id} is resolved; re-open it before escalating`, [
        { path: 'incident_id', message: 'the incident is resolved' },
      ]);
    }
    if (!incident.escalation_policy) {
      throw new InvalidInputError(`Incident ${incident.id} has no escalation policy to escalate along`, [
        { path: 'incident_id', message: 'the incident has no escalation policy' },
      ]);
    }
    const [policy, levels] = await Promise.all([
      ctx.pagerduty.getEscalationPolicy(incident.escalation_policy.id, readOptions(ctx)),
      resolveEscalationLevels(ctx.pagerduty, [incident], ctx.signal),
    ]);
    const current = levels.get(incident.id) ?? null;
    const count = policy.escalation_rules.length;
    const target = input.escalation_level ?? (current ?? 1) + 1;
    if (target > count) {
      const message =
        input.escalation_level === undefined
          ? `the incident is already at the last level (${count}) of "${policy.name}"; use add_responders or reassign_incident to bring in someone else`
          : `"${policy.name}" has ${count} level${count === 1 ? '' : 's'}; level ${target} does not exist`;
      throw new InvalidInputError(`Cannot escalate incident ${incident.id}: ${message}`, [
        { path: 'escalation_level', message },
      ]);
    }
    if (target === current) {
      const message = `the incident is already at level ${current}`;
      throw new InvalidInputError(`Cannot escalate incident ${incident.id}: ${message}`, [
        { path: 'escalation_level', message },
      ]);
    }
    const updated = await ctx.pagerduty.updateIncident(incident.id, { escalationLevel: target }, writeOptions(ctx));
    const who = ctx.actor?.name ? `${ctx.actor.name} (${ctx.actor.email})` : (ctx.actor?.email ?? 'unknown');
    const assignees = (updated.assignments ?? []).map((a) => referenceName(a.assignee));
    const text = [
      `Escalated ${current === null ? '' : `from level ${current} `}to level ${target} of ${count} by ${who} via ${ctx.actor?.surface ?? 'unknown'}.`,
      assignees.length > 0 ? `Now assigned to ${assignees.join(', ')}.` : '',
      input.reason ? `Reason: ${input.reason}` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    const warnings: string[] = [];
    let note = null;
    try {
      note = toNote(await ctx.pagerduty.createIncidentNote(incident.id, text, writeOptions(ctx)));
    } catch (error) {
      // The escalation itself happened; say that the note is missing rather than hide the escalation.
      ctx.logger.warn({ err: error, incidentId: incident.id }, 'escalation note failed');
      warnings.push(`The incident was escalated, but the note could not be added: ${describeError(error)}`);
    }
    return {
      incident: toIncident(updated, target),
      previous_level: current,
      escalation_level: target,
      levels_in_policy: count,
      escalation_policy: { id: policy.id, name: policy.name },
      note,
      warnings,
    };
  },
});
