import { z } from 'zod';
import { referenceName } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, messageParam, pagerDutyId } from '../params.js';
import { actorUserId, writeOptions } from '../resolve.js';
import { RefShape } from '../shapes.js';

export const addResponders = defineTool({
  name: 'add_responders',
  title: 'Add responders',
  description:
    'Ask more people to help on a PagerDuty incident (a responder request): users and/or whole escalation policies ' +
    'are paged with your message and can accept or decline. The current assignees stay. find_user_by_email and ' +
    'list_escalation_policies find the ids. Sent in the name of the acting person.',
  access: 'write',
  input: z
    .object({
      incident_id: incidentIdParam(),
      user_ids: z.array(pagerDutyId()).max(20).optional().describe('Users to request.'),
      escalation_policy_ids: z.array(pagerDutyId()).max(10).optional().describe('Escalation policies to request.'),
      message: messageParam(2000).describe('Why they are needed and how to join (bridge link, channel).'),
    })
    .refine((i) => (i.user_ids?.length ?? 0) + (i.escalation_policy_ids?.length ?? 0) > 0, {
      message: 'give at least one user id or escalation policy id',
      path: ['user_ids'],
    }),
  output: z.object({
    incident_id: z.string(),
    requested_at: z.string().nullable(),
    requester: RefShape.nullable(),
    message: z.string(),
    targets: z.array(z.object({ type: z.string(), id: z.string(), name: z.string().nullable() })),
  }),
  async run(input, ctx) {
    const requesterId = await actorUserId(ctx);
    const targets = [
      ...[...new Set(input.user_ids ?? [])].map((id) => ({ type: 'user' as const, id })),
      ...[...new Set(input.escalation_policy_ids ?? [])].map((id) => ({ type: 'escalation_policy' as const, id })),
    ];
    const request = await ctx.pagerduty.createResponderRequest(
      input.incident_id,
      { requesterId, message: input.message, targets },
      writeOptions(ctx),
    );
    return {
      incident_id: input.incident_id,
      requested_at: request.requested_at ?? null,
      requester: request.requester ? { id: request.requester.id, name: referenceName(request.requester) } : null,
      message: request.message ?? input.message,
      targets: (request.responder_request_targets ?? []).map((t) => ({
        type: (t.type ?? 'unknown').replace(/_reference$/, ''),
        id: t.id,
        name: t.summary ?? null,
      })),
    };
  },
});
