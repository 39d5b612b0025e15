import { z } from 'zod';
import { PostmortemResultSchema } from '../../ai/contract.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import {
  AiMetaShape,
  channelMessagesParam,
  loadAlerts,
  loadHistory,
  loadIncident,
  loadServices,
  loadTimeline,
  parseChannelMessages,
  runAiOperation,
  withMeta,
} from './gather.js';

export const generatePostmortem = defineTool({
  name: 'generate_postmortem',
  title: 'Draft a postmortem (AI)',
  description:
    'Drafts a blameless postmortem for a PagerDuty incident from its real timeline (log entries, notes, alerts and ' +
    'captured Slack messages): summary, impact, timeline, root cause, contributing factors, detection, resolution, ' +
    'action items with owners, lessons learned and metrics (time to acknowledge and resolve, escalations, ' +
    'responders), also rendered as Markdown. Best run once the incident is resolved. Changes nothing in PagerDuty.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam(), channel_messages: channelMessagesParam() }),
  output: PostmortemResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const channelMessages = parseChannelMessages(input.channel_messages);
    const { incident } = await loadIncident(ctx, input.incident_id);
    const [alerts, { timeline, notes }, services, history] = await Promise.all([
      loadAlerts(ctx, incident.id),
      loadTimeline(ctx, incident.id),
      loadServices(ctx, [incident.service.id]),
      loadHistory(ctx, incident, { withNotes: 0 }),
    ]);
    const aiInput = { incident, alerts, timeline, notes, channelMessages, history, services };
    return withMeta(await runAiOperation(ctx, 'postmortem', incident.id, aiInput));
  },
});
