import { describe, expect, it } from 'vitest';
import { listPriorities } from '../../../src/tools/account/list-priorities.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('list_priorities', () => {
  it('lists the account priorities in order', async () => {
    const pagerduty = fakePagerDuty({
      listPriorities: async () => ({ items: fixtures.priorities(), truncated: false }),
    });
    const result = await runTool(listPriorities, {}, makeContext(pagerduty));
    expect(result.items.map((p) => p.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    expect(result.summary).toBe('5 priorities');
  });
});
