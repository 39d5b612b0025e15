import { describe, expect, it } from 'vitest';
import { correlateIncidents, DEFAULT_CORRELATION_PARAMS } from '../../../../src/ai/engines/heuristic/correlate.js';
import type { Incident, ServiceInfo } from '../../../../src/ai/schemas/inputs.js';
import { generateAlertStorm, scoreCorrelation } from '../../../fixtures/ai-eval.js';

const params = { ...DEFAULT_CORRELATION_PARAMS, windowMinutes: 30 };
const t = (minute: number): string => new Date(Date.UTC(2026, 0, 5, 10, minute)).toISOString();

function inc(
  id: string,
  service: string,
  title: string,
  minute: number,
  status: Incident['status'] = 'triggered',
): Incident {
  return {
    id,
    title,
    status,
    urgency: 'high',
    service: { id: service, name: service },
    teams: [],
    assignees: [],
    createdAt: t(minute),
  };
}

const graph: ServiceInfo[] = [
  { id: 'db', name: 'db', dependsOn: [] },
  { id: 'api', name: 'api', dependsOn: ['db'] },
  { id: 'web', name: 'web', dependsOn: ['api'] },
  { id: 'mail', name: 'mail', dependsOn: [] },
];

describe('correlateIncidents', () => {
  it('groups a cascade along the dependency graph and names the upstream incident as root cause', () => {
    const r = correlateIncidents(
      [
        inc('W1', 'web', 'Elevated 5xx error rate on web', 4),
        inc('D1', 'db', 'Primary not accepting connections', 2),
        inc('A1', 'api', 'Timeouts calling dependencies', 3),
        inc('M1', 'mail', 'Bounce rate high', 3),
      ],
      graph,
      params,
    );
    expect(r.groups).toHaveLength(1);
    const g = r.groups[0];
    expect(new Set(g?.incidentIds)).toEqual(new Set(['D1', 'A1', 'W1']));
    expect(g?.rootCauseIncidentId).toBe('D1');
    expect(g?.reasons).toContain('dependency');
    expect(r.ungroupedCount).toBe(1);
  });

  it('recommends merging open duplicates on one service into the earliest, never resolved ones', () => {
    const r = correlateIncidents(
      [
        inc('X1', 'api', 'Health check failing for api pod', 0),
        inc('X2', 'api', 'Health check failing for api pod', 6),
        inc('X3', 'api', 'Health check failing for api pod', 9),
        inc('X4', 'api', 'Health check failing for api pod', 12, 'resolved'),
      ],
      [],
      params,
    );
    expect(r.groups[0]?.reasons).toEqual(expect.arrayContaining(['same_service', 'same_symptom']));
    expect(r.mergeRecommendations).toEqual([
      expect.objectContaining({ targetIncidentId: 'X1', sourceIncidentIds: ['X2', 'X3'] }),
    ]);
  });

  it('does not link incidents outside the time window or unrelated ones', () => {
    const r = correlateIncidents(
      [
        inc('A', 'api', 'Health check failing', 0),
        inc('B', 'api', 'Health check failing', 45),
        inc('C', 'mail', 'Queue stuck', 1),
      ],
      graph,
      params,
    );
    expect(r.groups).toEqual([]);
    expect(r.ungroupedCount).toBe(3);
  });

  it('does not join two callers of one dependency by the graph alone, nor local symptoms across services', () => {
    const shared: ServiceInfo[] = [
      { id: 'cache', name: 'cache', dependsOn: [] },
      { id: 'a', name: 'a', dependsOn: ['cache'] },
      { id: 'b', name: 'b', dependsOn: ['cache'] },
    ];
    const r = correlateIncidents(
      [
        inc('A', 'a', 'Elevated 5xx error rate', 0),
        inc('B', 'b', 'p99 latency above threshold', 20),
        inc('C', 'cache', 'Disk usage above 85% on host 3', 1),
        inc('D', 'a', 'Disk usage above 85% on host 9', 25),
      ],
      shared,
      params,
    );
    expect(r.groups).toEqual([]);
  });

  it('links a burst of incidents across services far above the usual rate', () => {
    const quiet = Array.from({ length: 40 }, (_, i) =>
      inc(`Q${i}`, `svc${i}`, `Unique symptom number ${i} alpha${i}`, i * 60),
    );
    const burst = Array.from({ length: 8 }, (_, i) =>
      inc(`B${i}`, `other${i}`, `Different thing ${i} beta${i}`, 1000 + i * 0.2),
    );
    const r = correlateIncidents([...quiet, ...burst], [], { ...params, windowMinutes: 30 });
    const g = r.groups.find((x) => x.incidentIds.includes('B0'));
    expect(g?.incidentIds.length).toBe(8);
    expect(g?.reasons).toContain('temporal');
  });

  it('keeps pairwise precision and recall on a seeded alert storm', () => {
    const storm = generateAlertStorm({ seed: 11, clusters: 20, noise: 80, spanHours: 24 });
    const r = correlateIncidents(storm.incidents, storm.services, params);
    const s = scoreCorrelation(storm, r);
    expect(s.recall).toBeGreaterThan(0.9);
    expect(s.precision).toBeGreaterThan(0.5);
  });

  it('does linear work per incident (sub-quadratic): links grow with n, not n²', () => {
    let links = 0;
    const big = generateAlertStorm({ seed: 3, clusters: 400, noise: 2000, spanHours: 24 * 3 });
    correlateIncidents(big.incidents, big.services, { ...params, onLink: () => links++ });
    // Each incident makes at most one link per LSH band, per service predecessor, per dependency and per burst.
    const n = big.incidents.length;
    expect(links).toBeLessThan(n * (params.bands + 1 + 64 * 2 + 1));
    expect(links).toBeLessThan(n * 6);
  });
});
