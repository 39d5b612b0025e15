import { z } from 'zod';
import { EscalationResultSchema, type OnCallEntry } from '../../ai/contract.js';
import { referenceName } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import { readOptions } from '../resolve.js';
import {
  AiMetaShape,
  loadAlerts,
  loadIncident,
  loadServices,
  loadTimeline,
  roundedNow,
  runAiOperation,
  withMeta,
} from './gather.js';

export const smartEscalation = defineTool({
  name: 'smart_escalation',
  title: 'Advise on escalation (AI)',
  description:
    'Advises whether a PagerDuty incident should be escalated now and to which level, from how long it has been ' +
    'unacknowledged, its urgency, repeated triggers, customer impact and progress, with the reason and the ' +
    'expertise that is missing. Advice only: use escalate_incident to actually escalate.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam() }),
  output: EscalationResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const { raw, incident } = await loadIncident(ctx, input.incident_id);
    const policyId = raw.escalation_policy?.id;
    const [alerts, { timeline }, services, oncalls] = await Promise.all([
      loadAlerts(ctx, incident.id, 200),
      loadTimeline(ctx, incident.id, 2000),
      loadServices(ctx, [incident.service.id]),
      policyId
        ? ctx.pagerduty.listOnCalls({ escalationPolicyIds: [policyId], maxItems: 200, ...readOptions(ctx) })
        : Promise.resolve({ items: [], truncated: false }),
    ]);
    const onCalls: OnCallEntry[] = oncalls.items.map((o) => ({
      person: { id: o.user.id, name: referenceName(o.user).slice(0, 300) },
      level: o.escalation_level,
      scheduleId: o.schedule?.id ?? null,
      scheduleName: o.schedule ? referenceName(o.schedule).slice(0, 300) : null,
      escalationPolicyId: o.escalation_policy.id,
      start: o.start ?? null,
      end: o.end ?? null,
    }));
    const maxLevel = onCalls.length > 0 ? Math.max(...onCalls.map((o) => o.level)) : undefined;
    const aiInput = {
      incident,
      alerts,
      timeline,
      services,
      onCalls,
      ...(maxLevel ? { maxLevel } : {}),
      now: roundedNow(ctx, 60_000),
    };
    return withMeta(await runAiOperation(ctx, 'escalationDecision', incident.id, aiInput));
  },
});
