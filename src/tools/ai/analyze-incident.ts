import { z } from 'zod';
import { AnalyzeResultSchema } from '../../ai/contract.js';
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
  roundedNow,
  runAiOperation,
  withMeta,
} from './gather.js';

export const analyzeIncident = defineTool({
  name: 'analyze_incident',
  title: 'Analyse an incident (AI)',
  description:
    'AI analysis of a PagerDuty incident from its alerts, timeline, notes, captured Slack messages and similar past ' +
    'incidents: ranked root-cause hypotheses with evidence, impact (services, customer-facing, duration), similar ' +
    'past incidents and how they were resolved, recommended next actions, and an estimate of time to resolve with ' +
    'its basis. Suggests only: it changes nothing in PagerDuty.',
  access: 'read',
  input: z.object({
    incident_id: incidentIdParam(),
    channel_messages: channelMessagesParam(),
    history_days: z
      .number()
      .int()
      .min(1)
      .max(180)
      .default(90)
      .describe('How many days of resolved incidents to search for similar ones (1-180, default 90).'),
  }),
  output: AnalyzeResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const channelMessages = parseChannelMessages(input.channel_messages);
    const { incident } = await loadIncident(ctx, input.incident_id);
    const [alerts, { timeline, notes }, services, history] = await Promise.all([
      loadAlerts(ctx, incident.id),
      loadTimeline(ctx, incident.id),
      loadServices(ctx, [incident.service.id]),
      loadHistory(ctx, incident, { days: input.history_days }),
    ]);
    const aiInput = {
      incident,
      alerts,
      timeline,
      notes,
      channelMessages,
      history,
      services,
      now: roundedNow(ctx, 60_000),
    };
    return withMeta(await runAiOperation(ctx, 'analyze', incident.id, aiInput));
  },
});
