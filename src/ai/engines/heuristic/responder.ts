/**
 * Best responder: expertise from past incidents (same service, same category, similar text), current load,
 * on-call level and local time, combined into a 0–1 score with the reasons spelled out.
 */

import type { z } from 'zod';
import type { Category } from '../../schemas/common.js';
import type { Incident, PastIncident, ResponderCandidateSchema } from '../../schemas/inputs.js';
import type { BestResponderResult, ResponderScore } from '../../schemas/results.js';
import { rankSimilarIncidents } from './history.js';
import { isKnownZone, localTime } from './local-time.js';

type Candidate = z.infer<typeof ResponderCandidateSchema>;

const WEIGHTS = { expertise: 0.45, load: 0.2, onCall: 0.2, localTime: 0.15 } as const;

function onCallScore(level: number | null): number {
  if (level === null) return 0.2;
  if (level === 1) return 1;
  if (level === 2) return 0.7;
  return 0.5;
}

function hourScore(hour: number): number {
  if (hour >= 8 && hour < 20) return 1;
  if ((hour >= 20 && hour < 23) || (hour >= 6 && hour < 8)) return 0.6;
  return 0.2;
}

/** Ranks candidates for an incident. */
export function rankResponders(
  incident: Incident,
  category: Category,
  candidates: readonly Candidate[],
  history: readonly PastIncident[],
  nowIso: string,
): BestResponderResult {
  const now = Date.parse(nowIso);
  const similar = rankSimilarIncidents(
    {
      id: incident.id,
      title: incident.title,
      description: incident.description,
      serviceId: incident.service.id,
      category,
    },
    history,
    { limit: 25, minSimilarity: 0.15 },
  );
  const similarity = new Map(similar.map((s) => [s.incident.id, s.similarity]));

  const raw = candidates.map((c) => {
    let expertise = 0;
    let relevant = 0;
    let sameService = 0;
    let sameCategory = 0;
    let similarCount = 0;
    for (const h of history) {
      if (!h.responders.some((r) => r.id === c.person.id)) continue;
      const svc = h.service?.id === incident.service.id;
      const cat = h.category === category;
      const sim = similarity.get(h.id) ?? 0;
      if (!svc && !cat && sim === 0) continue;
      relevant++;
      if (svc) sameService++;
      if (cat) sameCategory++;
      if (sim > 0) similarCount++;
      expertise += (svc ? 1 : 0) + (cat ? 0.5 : 0) + sim;
    }
    return { c, expertise, relevant, sameService, sameCategory, similarCount };
  });
  const maxExpertise = Math.max(0, ...raw.map((r) => r.expertise));

  const scored: ResponderScore[] = raw.map(({ c, expertise, relevant, sameService, sameCategory, similarCount }) => {
    const reasons: string[] = [];
    const e = maxExpertise > 0 ? expertise / maxExpertise : 0;
    if (relevant > 0) {
      const parts = [
        sameService > 0 ? `${sameService} on ${incident.service.name}` : '',
        sameCategory > 0 ? `${sameCategory} of the same category` : '',
        similarCount > 0 ? `${similarCount} with similar symptoms` : '',
      ].filter(Boolean);
      reasons.push(
        `helped resolve ${relevant} relevant past incident${relevant === 1 ? '' : 's'} (${parts.join(', ')})`,
      );
    } else {
      reasons.push('no relevant past incidents');
    }
    const load = 1 / (1 + c.openIncidents);
    reasons.push(
      c.openIncidents === 0
        ? 'no open incidents'
        : `${c.openIncidents} open incident${c.openIncidents === 1 ? '' : 's'} now`,
    );
    const onCall = onCallScore(c.onCallLevel);
    reasons.push(c.onCallLevel === null ? 'not on call' : `on call at level ${c.onCallLevel}`);
    let timeScore = 0.6;
    let local: string | null = null;
    if (isKnownZone(c.person.timeZone)) {
      const lt = localTime(now, c.person.timeZone);
      timeScore = hourScore(lt.hour);
      local = `${String(lt.hour).padStart(2, '0')}:${String(lt.minute).padStart(2, '0')} ${lt.zone}`;
      reasons.push(
        timeScore === 1
          ? `working hours (${local})`
          : timeScore < 0.5
            ? `night time (${local})`
            : `outside core hours (${local})`,
      );
    } else {
      reasons.push('time zone unknown');
    }
    const score = WEIGHTS.expertise * e + WEIGHTS.load * load + WEIGHTS.onCall * onCall + WEIGHTS.localTime * timeScore;
    return {
      personId: c.person.id,
      name: c.person.name,
      score: Number(score.toFixed(3)),
      reasons,
      relevantIncidents: relevant,
      openIncidents: c.openIncidents,
      onCallLevel: c.onCallLevel,
      localTime: local,
    };
  });
  scored.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  return { best: scored[0] ?? null, candidates: scored };
}
