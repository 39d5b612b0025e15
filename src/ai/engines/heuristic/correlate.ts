/**
 * Incident correlation: time window + same service + service dependency graph + symptom similarity (MinHash
 * with banded LSH over title shingles) + adaptive burst detection, joined with union-find. Every step looks
 * only at time-ordered neighbours (previous incident per service, per LSH bucket, per dependency), so the cost
 * is O(n log n) for the sort plus O(n · (bands + dependencies)), never O(n²).
 */
import type { Incident, ServiceInfo } from '../../schemas/inputs.js';
import type { CorrelateResult, CorrelationGroup, CorrelationReason } from '../../schemas/results.js';
import { jaccard, minhash, minhashSimilarity, shingles, symptomTokens } from './similarity.js';
import { createUnionFind } from './union-find.js';

export interface CorrelationParams {
  windowMinutes: number;
  /** MinHash bands × rows: 8 × 4 finds pairs above about 0.6 Jaccard with high probability. */
  bands: number;
  rows: number;
  /** Minimum estimated Jaccard for a same-symptom link between different services. */
  crossServiceSimilarity: number;
  /** Length of the sliding window used to detect bursts. */
  burstWindowMinutes: number;
  /** A burst is at least this many times the average rate (and at least `burstMinimum` incidents). */
  burstFactor: number;
  burstMinimum: number;
  /** Dependency hops considered (1 = direct dependencies only). */
  dependencyHops: number;
  /** A dependent's incident joins its dependency's incident only if it starts within this many minutes after it. */
  dependencyLagMinutes: number;
  /** Different services with the same symptom are linked only this close in time (shared cause, not chance). */
  crossServiceSymptomMinutes: number;
  /** Same-service incidents further apart than this also need some symptom overlap to be linked. */
  sameServiceQuietMinutes: number;
  /** Observer of every link made (incident indexes and reason), for evaluation and debugging. */
  onLink?: (a: number, b: number, reason: CorrelationReason) => void;
}

export const DEFAULT_CORRELATION_PARAMS: Omit<CorrelationParams, 'windowMinutes'> = {
  bands: 8,
  rows: 4,
  crossServiceSimilarity: 0.6,
  burstWindowMinutes: 3,
  burstFactor: 6,
  burstMinimum: 6,
  dependencyHops: 2,
  dependencyLagMinutes: 15,
  crossServiceSymptomMinutes: 5,
  sameServiceQuietMinutes: 2,
};

/**
 * Symptoms that travel along dependencies (errors, latency, timeouts, unavailability). A local symptom such as
 * "disk 85% full" on a caller is not evidence that its callee's outage caused it.
 */
const PROPAGATING =
  /\b(5\d\d|5xx|errors?|latency|slow|timeouts?|timed out|unavailable|down|fail(?:ing|ed|ures?)?|unhealthy|health ?checks?|refused|reset|degraded|unreachable|saturat\w*|backlog|lag|retries|burn rate|connection)\b/i;
/** Symptoms that stay local to a host or job: they do not explain failures of the services that call it. */
const LOCAL_ONLY =
  /\b(disk (?:usage|space)|inodes?|expires? in|expiring|cron|backup|memory usage|cpu throttling|warning|4xx|4\d\d)\b/i;

const REASON_CODES: readonly CorrelationReason[] = ['temporal', 'same_service', 'same_symptom', 'dependency'];
const REASON_WEIGHT: Readonly<Record<CorrelationReason, number>> = {
  temporal: 0.3,
  same_service: 0.5,
  same_symptom: 0.6,
  dependency: 0.55,
};

/**
 * Service id → services reachable in at most `hops` calls: `up` = what it depends on, `down` = what depends on
 * it. Never sideways: two callers of one dependency are not linked by the graph alone; they join through an
 * incident on the shared dependency when there is one.
 */
function reachable(services: readonly ServiceInfo[], hops: number, direction: 'up' | 'down'): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  for (const s of services) {
    for (const d of s.dependsOn) {
      if (d === s.id) continue;
      const [from, to] = direction === 'up' ? [s.id, d] : [d, s.id];
      const list = edges.get(from);
      if (list) list.push(to);
      else edges.set(from, [to]);
    }
  }
  const out = new Map<string, string[]>();
  for (const start of edges.keys()) {
    const seen = new Set<string>([start]);
    let frontier = [start];
    for (let h = 0; h < hops && frontier.length > 0; h++) {
      const next: string[] = [];
      for (const s of frontier) {
        for (const n of edges.get(s) ?? []) {
          if (seen.has(n)) continue;
          seen.add(n);
          next.push(n);
        }
      }
      frontier = next;
    }
    seen.delete(start);
    out.set(start, [...seen].slice(0, 64));
  }
  return out;
}

/** How many group services (transitively) depend on this one: the more, the more upstream it is. */
function upstreamScore(
  serviceId: string,
  groupServices: ReadonlySet<string>,
  dependsOn: Map<string, string[]>,
): number {
  let score = 0;
  for (const other of groupServices) {
    if (other === serviceId) continue;
    const seen = new Set<string>();
    const stack = [other];
    while (stack.length > 0 && seen.size < 256) {
      const s = stack.pop() as string;
      for (const d of dependsOn.get(s) ?? []) {
        if (d === serviceId) {
          score++;
          stack.length = 0;
          break;
        }
        if (!seen.has(d)) {
          seen.add(d);
          stack.push(d);
        }
      }
    }
  }
  return score;
}

function minutes(ms: number): number {
  return Math.round(ms / 60_000);
}

/** Correlates incidents into groups with reasons, root-cause candidates and merge suggestions. */
export function correlateIncidents(
  incidents: readonly Incident[],
  services: readonly ServiceInfo[],
  params: CorrelationParams,
): CorrelateResult {
  const n = incidents.length;
  if (n < 2) return { groups: [], mergeRecommendations: [], ungroupedCount: n };
  const windowMs = params.windowMinutes * 60_000;
  const times = new Float64Array(n);
  for (let i = 0; i < n; i++) times[i] = Date.parse((incidents[i] as Incident).createdAt);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (times[a] as number) - (times[b] as number));

  const k = params.bands * params.rows;
  const sets: Set<string>[] = new Array(n);
  const sigs: Uint32Array[] = new Array(n);
  const propagating = new Uint8Array(n);
  const localOnly = new Uint8Array(n);
  const nameTokens = new Map<string, Set<string>>();
  // Alert storms repeat titles: tokenise and sign each distinct (service, title) once.
  const memo = new Map<string, { set: Set<string>; sig: Uint32Array }>();
  for (let i = 0; i < n; i++) {
    const inc = incidents[i] as Incident;
    const memoKey = `${inc.service.id}\u0000${inc.title}`;
    let entry = memo.get(memoKey);
    if (!entry) {
      // The service name says where, not what: drop its words so "errors on dns-api" ≠ "latency on dns-api".
      let own = nameTokens.get(inc.service.id);
      if (!own) {
        own = new Set(symptomTokens(inc.service.name));
        nameTokens.set(inc.service.id, own);
      }
      const ownTokens = own;
      const set = shingles(symptomTokens(inc.title).filter((t) => !ownTokens.has(t)));
      entry = { set, sig: minhash(set, k) };
      memo.set(memoKey, entry);
    }
    sets[i] = entry.set;
    sigs[i] = entry.sig;
    propagating[i] = PROPAGATING.test(inc.title) ? 1 : 0;
    localOnly[i] = LOCAL_ONLY.test(inc.title) ? 1 : 0;
  }

  const uf = createUnionFind(n);
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const edgeReason: number[] = [];
  const link = (a: number, b: number, reason: number): void => {
    uf.union(a, b);
    params.onLink?.(a, b, REASON_CODES[reason] as CorrelationReason);
    edgeA.push(a);
    edgeB.push(b);
    edgeReason.push(reason);
  };
  const within = (a: number, b: number): boolean => Math.abs((times[a] as number) - (times[b] as number)) <= windowMs;
  const serviceOf = (i: number): string => (incidents[i] as Incident).service.id;

  // 1. Same service within the window: link to the previous incident on that service.
  const lastByService = new Map<string, number>();
  // 2. Same symptom: previous incident in each LSH bucket.
  const lastByBucket = Array.from({ length: params.bands }, () => new Map<number, number>());
  // 3. Dependency: previous incident on a service within `dependencyHops` calls of this one.
  const upstreamOf = reachable(services, params.dependencyHops, 'up');
  const downstreamOf = reachable(services, params.dependencyHops, 'down');
  const lagMs = params.dependencyLagMinutes * 60_000;
  // A dependency's own alert may fire a little after its callers' alerts.
  const earlyMs = Math.min(lagMs, 5 * 60_000);
  const quietMs = params.sameServiceQuietMinutes * 60_000;
  const crossMs = params.crossServiceSymptomMinutes * 60_000;
  const closeMs = (a: number, b: number): boolean => Math.abs((times[a] as number) - (times[b] as number)) <= crossMs;

  for (const i of order) {
    const svc = serviceOf(i);
    const prev = lastByService.get(svc);
    if (
      prev !== undefined &&
      within(prev, i) &&
      (((times[i] as number) - (times[prev] as number) <= quietMs && localOnly[prev] === 0 && localOnly[i] === 0) ||
        jaccard(sets[prev] as Set<string>, sets[i] as Set<string>) >= 0.25)
    ) {
      link(prev, i, 1);
    }

    const sig = sigs[i] as Uint32Array;
    if ((sets[i] as Set<string>).size > 0) {
      let seen0 = -1;
      let seen1 = -1;
      for (let b = 0; b < params.bands; b++) {
        // Bucket key: the band's rows mixed into one integer (a rare collision only costs one similarity check,
        // which rejects it).
        let h = Math.imul(b + 1, 0x9e3779b1) >>> 0;
        for (let r = 0; r < params.rows; r++) h = Math.imul(h ^ (sig[b * params.rows + r] as number), 0x85ebca6b) >>> 0;
        // 30-bit keys stay small integers (no boxed doubles in the maps); one map per band.
        const key = h & 0x3fffffff;
        const bucket = lastByBucket[b] as Map<number, number>;
        const candidate = bucket.get(key);
        bucket.set(key, i);
        if (candidate === undefined || candidate === seen0 || candidate === seen1 || !within(candidate, i)) continue;
        seen1 = seen0;
        seen0 = candidate;
        const similarity = minhashSimilarity(sig, sigs[candidate] as Uint32Array);
        const sameService = serviceOf(candidate) === svc;
        const crossServiceOk =
          similarity >= params.crossServiceSimilarity &&
          closeMs(candidate, i) &&
          localOnly[i] === 0 &&
          localOnly[candidate] === 0;
        if (sameService ? similarity >= 0.4 : crossServiceOk) {
          link(candidate, i, 2);
        }
      }
    }

    // Dependency: an earlier incident on a service this one calls (or is called by), recent enough to have
    // cascaded, when this one shows a symptom that travels along calls.
    if (propagating[i] === 1 && localOnly[i] === 0) {
      for (const other of upstreamOf.get(svc) ?? []) {
        const p = lastByService.get(other);
        if (p !== undefined && localOnly[p] === 0 && (times[i] as number) - (times[p] as number) <= lagMs)
          link(p, i, 3);
      }
    }
    for (const other of downstreamOf.get(svc) ?? []) {
      // This incident is on a dependency of a service that already alerted: detection order is not cause order.
      const p = lastByService.get(other);
      if (
        p !== undefined &&
        propagating[p] === 1 &&
        localOnly[p] === 0 &&
        localOnly[i] === 0 &&
        (times[i] as number) - (times[p] as number) <= earlyMs
      ) {
        link(p, i, 3);
      }
    }
    lastByService.set(svc, i);
  }

  // 4. Bursts: many incidents across several services in a few minutes, far above the average rate.
  const spanMs = Math.max(1, (times[order[n - 1] as number] as number) - (times[order[0] as number] as number));
  const burstMs = params.burstWindowMinutes * 60_000;
  const expected = (n * burstMs) / Math.max(spanMs, burstMs);
  const threshold = Math.max(params.burstMinimum, params.burstFactor * expected);
  let left = 0;
  const servicesInWindow = new Map<string, number>();
  for (let pos = 0; pos < n; pos++) {
    const i = order[pos] as number;
    servicesInWindow.set(serviceOf(i), (servicesInWindow.get(serviceOf(i)) ?? 0) + 1);
    while ((times[i] as number) - (times[order[left] as number] as number) > burstMs) {
      const gone = serviceOf(order[left] as number);
      const c = (servicesInWindow.get(gone) ?? 1) - 1;
      if (c === 0) servicesInWindow.delete(gone);
      else servicesInWindow.set(gone, c);
      left++;
    }
    if (pos - left + 1 >= threshold && servicesInWindow.size >= 3 && pos > left) {
      link(order[pos - 1] as number, i, 0);
    }
  }

  // Collect groups and their reasons.
  const groupsIdx = uf.groups(2);
  const rootToGroup = new Map<number, number>();
  groupsIdx.forEach((g, gi) => {
    rootToGroup.set(uf.find(g[0] as number), gi);
  });
  const reasons: Set<number>[] = groupsIdx.map(() => new Set<number>());
  for (let e = 0; e < edgeA.length; e++) {
    const gi = rootToGroup.get(uf.find(edgeA[e] as number));
    if (gi !== undefined) (reasons[gi] as Set<number>).add(edgeReason[e] as number);
  }

  const dependsOn = new Map<string, string[]>(services.map((s) => [s.id, s.dependsOn]));
  const serviceName = new Map<string, string>();
  for (const inc of incidents) serviceName.set(inc.service.id, inc.service.name);

  const groups: Array<CorrelationGroup & { start: number }> = [];
  const mergeRecommendations: CorrelateResult['mergeRecommendations'] = [];
  groupsIdx.forEach((members, gi) => {
    members.sort((a, b) => (times[a] as number) - (times[b] as number));
    const first = members[0] as number;
    const last = members[members.length - 1] as number;
    const spread = (times[last] as number) - (times[first] as number);
    const reasonSet = reasons[gi] as Set<number>;
    if (spread <= 10 * 60_000) reasonSet.add(0);
    const groupServices = new Set(members.map(serviceOf));
    // Root cause: the most upstream service in the group, then the earliest incident on it.
    let root = first;
    let rootScore = -1;
    if (groupServices.size > 1 && reasonSet.has(3)) {
      const scoreBySvc = new Map<string, number>();
      for (const s of groupServices) scoreBySvc.set(s, upstreamScore(s, groupServices, dependsOn));
      for (const m of members) {
        const s = scoreBySvc.get(serviceOf(m)) ?? 0;
        if (s > rootScore) {
          rootScore = s;
          root = m;
        }
      }
    }
    const reasonList = REASON_CODES.filter((_, code) => reasonSet.has(code));
    const confidence = Math.min(0.95, 1 - reasonList.reduce((acc, r) => acc * (1 - REASON_WEIGHT[r]), 1));
    const rootInc = incidents[root] as Incident;
    const names = [...groupServices].map((s) => serviceName.get(s) ?? s);
    const shownNames = names.slice(0, 4).join(', ') + (names.length > 4 ? ` and ${names.length - 4} more` : '');
    groups.push({
      incidentIds: members.map((m) => (incidents[m] as Incident).id),
      reasons: reasonList.length > 0 ? reasonList : ['temporal'],
      rootCauseIncidentId: rootInc.id,
      summary:
        `${members.length} incidents on ${groupServices.size} service${groupServices.size === 1 ? '' : 's'} ` +
        `(${shownNames}) within ${minutes(spread)} min; likely origin: ${rootInc.id} on ${rootInc.service.name}`.slice(
          0,
          1900,
        ),
      confidence: Number(confidence.toFixed(2)),
      start: times[first] as number,
    });

    // Merge: open duplicates of the target (same service, or same symptom), into the target.
    const open = members.filter((m) => (incidents[m] as Incident).status !== 'resolved');
    if (open.length < 2) return;
    const target = open.includes(root) ? root : (open[0] as number);
    const sources = open.filter(
      (m) =>
        m !== target &&
        (serviceOf(m) === serviceOf(target) || jaccard(sets[m] as Set<string>, sets[target] as Set<string>) >= 0.5),
    );
    if (sources.length === 0) return;
    const targetInc = incidents[target] as Incident;
    mergeRecommendations.push({
      targetIncidentId: targetInc.id,
      sourceIncidentIds: sources.map((m) => (incidents[m] as Incident).id),
      reason:
        `${sources.length} open incident${sources.length === 1 ? '' : 's'} duplicate ${targetInc.id} ` +
        `("${targetInc.title.slice(0, 120)}"): same service or same symptom within ${params.windowMinutes} min`,
    });
  });

  groups.sort((a, b) => b.incidentIds.length - a.incidentIds.length || a.start - b.start);
  const grouped = groups.reduce((acc, g) => acc + g.incidentIds.length, 0);
  return {
    groups: groups.map(({ start: _start, ...g }) => g),
    mergeRecommendations,
    ungroupedCount: n - grouped,
  };
}
