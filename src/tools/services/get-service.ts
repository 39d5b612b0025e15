import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { pagerDutyId } from '../params.js';
import { readOptions } from '../resolve.js';
import { ServiceShape, toService } from '../shapes.js';

const DependencyShape = z.object({ id: z.string(), type: z.string().nullable() });

export const getService = defineTool({
  name: 'get_service',
  title: 'Get service',
  description:
    'Get one PagerDuty service: description, status, escalation policy, teams, and its technical service ' +
    'dependencies (the services it depends on and the services that depend on it), which tell the blast radius of ' +
    'an incident. Use list_services to find the id.',
  access: 'read',
  input: z.object({
    service_id: pagerDutyId().describe('PagerDuty service id, e.g. "PIJ90N7"; list_services finds ids.'),
    include_dependencies: z
      .boolean()
      .default(true)
      .describe('Also return technical service dependencies (one more PagerDuty request).'),
  }),
  output: ServiceShape.extend({
    depends_on: z.array(DependencyShape),
    depended_on_by: z.array(DependencyShape),
  }),
  async run(input, ctx) {
    const [service, relationships] = await Promise.all([
      ctx.pagerduty.getService(input.service_id, { include: ['escalation_policies', 'teams'], ...readOptions(ctx) }),
      input.include_dependencies
        ? ctx.pagerduty.getTechnicalServiceDependencies(input.service_id, readOptions(ctx))
        : Promise.resolve([]),
    ]);
    const end = (e: { id: string; type?: string | null }) => ({ id: e.id, type: e.type ?? null });
    return {
      ...toService(service),
      depends_on: relationships
        .filter((r) => r.dependent_service.id === service.id)
        .map((r) => end(r.supporting_service)),
      depended_on_by: relationships
        .filter((r) => r.supporting_service.id === service.id)
        .map((r) => end(r.dependent_service)),
    };
  },
});
