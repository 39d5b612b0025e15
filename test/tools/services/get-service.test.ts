import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { getService } from '../../../src/tools/services/get-service.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('get_service', () => {
  it('adds what the service depends on and what depends on it', async () => {
    const pagerduty = fakePagerDuty({
      getService: async () => fixtures.service(),
      getTechnicalServiceDependencies: async () => [
        {
          supporting_service: { id: 'PDB0001', type: 'technical_service_reference' },
          dependent_service: { id: 'PIJ90N7', type: 'technical_service_reference' },
        },
        {
          supporting_service: { id: 'PIJ90N7', type: 'technical_service_reference' },
          dependent_service: { id: 'PSHOP01', type: 'business_service_reference' },
        },
      ],
    });
    const result = await runTool(getService, { service_id: 'PIJ90N7' }, makeContext(pagerduty));
    expect(result.depends_on).toEqual([{ id: 'PDB0001', type: 'technical_service_reference' }]);
    expect(result.depended_on_by).toEqual([{ id: 'PSHOP01', type: 'business_service_reference' }]);
    expect(result.name).toBe('My Application Service');
  });

  it('skips the dependency request when asked', async () => {
    const pagerduty = fakePagerDuty({ getService: async () => fixtures.service() });
    const result = await runTool(
      getService,
      { service_id: 'PIJ90N7', include_dependencies: false },
      makeContext(pagerduty),
    );
    expect(result.depends_on).toEqual([]);
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['getService']);
  });
});
