import { z } from 'zod';
import { RunbookResultSchema } from '../../ai/contract.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import {
  AiMetaShape,
  loadAlerts,
  loadHistory,
  loadIncident,
  loadServices,
  runAiOperation,
  withMeta,
} from './gather.js';

export const suggestRunbook = defineTool({
  name: 'suggest_runbook',
  title: 'Suggest a runbook (AI)',
  description:
    'Suggests a runbook for a PagerDuty incident: steps by phase (diagnosis, mitigation, verification, escalation) ' +
    'with commands where a standard one exists and estimated minutes, built from the playbook of its category and ' +
    'from how similar past incidents were resolved (their ids are listed). Suggests only: it runs nothing.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam() }),
  output: RunbookResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const { incident } = await loadIncident(ctx, input.incident_id);
    const [alerts, services, history] = await Promise.all([
      loadAlerts(ctx, incident.id, 100),
      loadServices(ctx, [incident.service.id]),
      loadHistory(ctx, incident),
    ]);
    return withMeta(await runAiOperation(ctx, 'runbook', incident.id, { incident, alerts, services, history }));
  },
});
