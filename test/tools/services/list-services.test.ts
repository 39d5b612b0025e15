import { describe, expect, it } from 'vitest';
import { runTool } from '../../../src/tools/define-tool.js';
import { listServices } from '../../../src/tools/services/list-services.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_services', () => {
  it('finds services by name, sorted', async () => {
    const pagerduty = fakePagerDuty({ listServices: async () => ({ items: [fixtures.service()], truncated: false }) });
    const result = await runTool(listServices, { query: 'mail', limit: 5 }, makeContext(pagerduty));
    expect(pagerduty.calls[0]?.args[0]).toEqual({ query: 'mail', sortBy: 'name', maxItems: 5 });
    expect(result.items[0]).toMatchObject({
      id: 'PIJ90N7',
      name: 'My Application Service',
      escalation_policy: { id: 'PT20YPA' },
    });
    expect(result.summary).toBe('1 service');
  });
});
