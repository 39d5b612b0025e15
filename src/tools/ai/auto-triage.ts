import { z } from 'zod';
import { TriageResultSchema } from '../../ai/contract.js';
import { defineTool } from '../define-tool.js';
import { incidentIdParam } from '../params.js';
import { AiMetaShape, loadAlerts, loadIncident, loadServices, runAiOperation, withMeta } from './gather.js';

export const autoTriage = defineTool({
  name: 'auto_triage',
  title: 'Triage an incident (AI)',
  description:
    'AI triage of a PagerDuty incident from its title, details, alerts and service: severity (sev1-sev4), category ' +
    '(config_deploy, capacity_load, software_bug, hardware_power, network, dns, certificate, database, ' +
    'dependency_third_party, security, time, other), owning team, urgency, suggested priority, confidence and the ' +
    'evidence behind it. Suggests only: it changes nothing in PagerDuty.',
  access: 'read',
  input: z.object({ incident_id: incidentIdParam() }),
  output: TriageResultSchema.extend(AiMetaShape),
  async run(input, ctx) {
    const { incident } = await loadIncident(ctx, input.incident_id);
    const [alerts, services] = await Promise.all([
      loadAlerts(ctx, incident.id, 100),
      loadServices(ctx, [incident.service.id]),
    ]);
    return withMeta(await runAiOperation(ctx, 'triage', incident.id, { incident, alerts, services }));
  },
});
