import { z } from 'zod';
import { BestResponderResultSchema, type ResponderCandidateInput } from '../../ai/contract.js';
import { referenceName } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { AiMetaShape, loadHistory, loadIncident, mapLimit, roundedNow, runAiOperation, withMeta } from './gather.js';

const MAX_CANDIDATES = 25;

export const findBestResponder = defineTool({
  name: 'find_best_responder',
  title: 'Find the best responder (AI)',
  description:
    'Ranks who should help with a PagerDuty incident: expertise from past incidents on the same service and of the ' +
    'same kind, current load (open incidents assigned), on-call level and local time, with a score and reasons ' +
    'for each. Candidates default to the on-calls of the incident’s escalation policy and past responders on its ' +
    'service. Suggests only: use add_responders or reassign_incident to act.',
  access: 'read',
  input: z.object({
    incident_id: incidentIdParam(),
    candidate_user_ids: z
      .array(pagerDutyId())
      .max(MAX_CANDIDATES)
      .optional()
      .describe('PagerDuty user ids to rank instead of the default candidates (at most 25).'),
  }),
  output: BestResponderResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const { raw, incident } = await loadIncident(ctx, input.incident_id);
    const policyId = raw.escalation_policy?.id;
    const [history, oncalls] = await Promise.all([
      loadHistory(ctx, incident, { withNotes: 0 }),
      policyId
        ? ctx.pagerduty.listOnCalls({ escalationPolicyIds: [policyId], maxItems: 200, ...readOptions(ctx) })
        : Promise.resolve({ items: [], truncated: false }),
    ]);
    const level = new Map<string, number>();
    for (const o of oncalls.items) level.set(o.user.id, Math.min(level.get(o.user.id) ?? 99, o.escalation_level));

    let ids = input.candidate_user_ids;
    if (!ids || ids.length === 0) {
      const counts = new Map<string, number>();
      for (const h of history) {
        if (h.service?.id !== incident.service.id) continue;
        for (const r of h.responders ?? []) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      }
      const pastResponders = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
      ids = [...new Set([...level.keys(), ...pastResponders])].slice(0, MAX_CANDIDATES);
    }
    const users = await mapLimit(ids, 5, (id) => ctx.pagerduty.getUser(id, readOptions(ctx)));
    const open = ids.length
      ? await ctx.pagerduty.listIncidents({
          statuses: ['triggered', 'acknowledged'],
          userIds: ids,
          maxItems: 1000,
          ...readOptions(ctx),
        })
      : { items: [], truncated: false };
    const openCount = new Map<string, number>();
    for (const i of open.items) {
      for (const a of i.assignments ?? []) openCount.set(a.assignee.id, (openCount.get(a.assignee.id) ?? 0) + 1);
    }
    const candidates: ResponderCandidateInput[] = users.map((u) => ({
      person: {
        id: u.id,
        name: (u.name || referenceName(u)).slice(0, 300),
        email: u.email.slice(0, 320),
        ...(u.time_zone ? { timeZone: u.time_zone } : {}),
      },
      onCallLevel: level.get(u.id) ?? null,
      openIncidents: openCount.get(u.id) ?? 0,
    }));
    const aiInput = { incident, candidates, history, now: roundedNow(ctx, 60_000) };
    return withMeta(await runAiOperation(ctx, 'bestResponder', incident.id, aiInput));
  },
});
