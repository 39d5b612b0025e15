import { describe, expect, it } from 'vitest';
import { restrictCorrelation } from '../../../src/webhooks/pagerduty/tool-correlator.js';

describe('restrictCorrelation', () => {
  it('keeps only the window’s incidents in groups and merge suggestions', () => {
    const restricted = restrictCorrelation(
      {
        engine: 'heuristic',
        fallback: undefined,
        ungroupedCount: 0,
        groups: [
          {
            incidentIds: ['A', 'B', 'X'],
            reasons: ['temporal'],
            rootCauseIncidentId: 'X',
            summary: 's',
            confidence: 0.7,
          },
          {
            incidentIds: ['C', 'Y'],
            reasons: ['same_service'],
            rootCauseIncidentId: 'C',
            summary: 't',
            confidence: 0.5,
          },
        ],
        mergeRecommendations: [
          { targetIncidentId: 'X', sourceIncidentIds: ['A', 'B'], reason: 'outside target' },
          { targetIncidentId: 'A', sourceIncidentIds: ['B', 'X', 'A'], reason: 'kept' },
          { targetIncidentId: 'C', sourceIncidentIds: ['Y'], reason: 'nothing left' },
        ],
      },
      ['A', 'B', 'C', 'D'],
    );
    expect(restricted.groups).toEqual([
      { incidentIds: ['A', 'B'], reasons: ['temporal'], rootCauseIncidentId: 'A', summary: 's', confidence: 0.7 },
    ]);
    expect(restricted.mergeRecommendations).toEqual([
      { targetIncidentId: 'A', sourceIncidentIds: ['B'], reason: 'kept' },
    ]);
    expect(restricted.ungroupedCount).toBe(2);
    expect(restricted.engine).toBe('heuristic');
  });
});
