/** Runbooks: the category playbook, filled in for this incident and enriched with what fixed similar incidents. */
import type { Category } from '../../schemas/common.js';
import type { Incident, PastIncident } from '../../schemas/inputs.js';
import type { RunbookResult, RunbookStep } from '../../schemas/results.js';
import { CATEGORY_LABEL, clip, extractHost, fillPlaceholders, splitSentences } from './helpers.js';
import { rankSimilarIncidents } from './history.js';
import { PLAYBOOKS } from './playbooks.js';

const FIX_CUE =
  /\b(fixed|resolved|rolled back|reverted|restart\w*|fail(?:ed)? ?over|scaled|renewed|patched|replaced|rotated|flushed|drained|increased|raised|added|removed|disabled|enabled|re-?ran|killed|cleared|purged|bumped)\b/i;
const COMMAND = /`([^`\n]{3,300})`|(?:^|\n)\s*\$\s+([^\n]{3,300})/;

/** Builds a runbook for an incident of the given category. */
export function buildRunbook(incident: Incident, category: Category, history: readonly PastIncident[]): RunbookResult {
  const host = extractHost(`${incident.title} ${incident.description ?? ''}`);
  const service = incident.service.name;
  const playbook = PLAYBOOKS[category];
  const steps: RunbookStep[] = playbook.map((s) => ({
    phase: s.phase,
    action: clip(fillPlaceholders(s.action, service, host), 1900),
    command: s.command ? clip(fillPlaceholders(s.command, service, host), 1900) : null,
    estimatedMinutes: s.minutes,
    source: 'playbook',
  }));

  const similar = rankSimilarIncidents(
    {
      id: incident.id,
      title: incident.title,
      description: incident.description,
      serviceId: incident.service.id,
      category,
    },
    history.filter((h) => h.resolution),
    { limit: 3, minSimilarity: 0.25 },
  );
  const learned: RunbookStep[] = [];
  for (const s of similar) {
    const resolution = s.incident.resolution ?? '';
    const fix = splitSentences(resolution).find((line) => FIX_CUE.test(line)) ?? splitSentences(resolution)[0];
    if (!fix) continue;
    const command = COMMAND.exec(resolution);
    learned.push({
      phase: 'mitigation',
      action: clip(`As in ${s.incident.id} ("${clip(s.incident.title, 120)}"): ${fix}`, 1900),
      command: command ? clip((command[1] ?? command[2] ?? '').trim(), 1900) : null,
      estimatedMinutes: 10,
      source: 'past_incident',
    });
  }
  // Past fixes go first among the mitigation steps: they worked here before.
  const firstMitigation = steps.findIndex((s) => s.phase === 'mitigation');
  steps.splice(firstMitigation < 0 ? steps.length : firstMitigation, 0, ...learned);

  return {
    title: clip(`Runbook (${CATEGORY_LABEL[category]}): ${incident.title}`, 1900),
    category,
    steps,
    estimatedMinutes: steps.filter((s) => s.phase !== 'escalation').reduce((a, s) => a + s.estimatedMinutes, 0),
    basedOn: similar.map((s) => ({ id: s.incident.id, title: clip(s.incident.title, 1900), similarity: s.similarity })),
  };
}
