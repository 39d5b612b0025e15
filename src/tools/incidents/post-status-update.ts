import { z } from 'zod';
import { referenceName } from '../../pagerduty/index.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, messageParam } from '../params.js';
import { writeOptions } from '../resolve.js';
import { RefShape } from '../shapes.js';

export const postStatusUpdate = defineTool({
  name: 'post_status_update',
  title: 'Post status update',
  description:
    'Publish a status update on a PagerDuty incident for stakeholders (it is sent to the incident’s subscribers ' +
    'and shown on the incident), e.g. current impact, what is being done, next update time. Sent in the name of ' +
    'the acting person. For internal findings use add_incident_note instead.',
  access: 'write',
  input: z.object({
    incident_id: incidentIdParam(),
    message: messageParam(10_000).describe('The update, in plain language for stakeholders.'),
    subject: z.string().trim().min(1).max(200).optional().describe('Email subject line for subscribers.'),
  }),
  output: z.object({
    id: z.string(),
    incident_id: z.string(),
    message: z.string(),
    subject: z.string().nullable(),
    sender: RefShape.nullable(),
    created_at: z.string().nullable(),
  }),
  async run(input, ctx) {
    const update = await ctx.pagerduty.createStatusUpdate(
      input.incident_id,
      { message: input.message, ...(input.subject ? { subject: input.subject } : {}) },
      writeOptions(ctx),
    );
    return {
      id: update.id,
      incident_id: input.incident_id,
      message: update.message,
      subject: update.subject ?? null,
      sender: update.sender ? { id: update.sender.id, name: referenceName(update.sender) } : null,
      created_at: update.created_at ?? null,
    };
  },
});
