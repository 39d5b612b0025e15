/**
 * The heuristic engine: deterministic, offline, no network. Every operation validates its input with the
 * shared schema, runs the algorithm and checks its own result against the result schema.
 */
import type { AiEngine, AiResult } from '../../contract.js';
import { renderPostmortemMarkdown } from '../../render-postmortem.js';
import { AI_INPUT_SCHEMAS as IN, AI_RESULT_SCHEMAS as OUT } from '../../schemas/by-kind.js';
import { checkAiResult, parseAiInput } from '../../validate.js';
import { analyzeIncident } from './analyze.js';
import { correlateIncidents, DEFAULT_CORRELATION_PARAMS } from './correlate.js';
import { decideEscalation } from './escalation.js';
import { assessFatigue } from './fatigue.js';
import { rankSimilarIncidents } from './history.js';
import { buildPostmortem } from './postmortem.js';
import { rankResponders } from './responder.js';
import { buildRunbook } from './runbook.js';
import { triageIncident } from './triage.js';

/** Bumped whenever an algorithm changes its output, so cached results of older versions are not reused. */
export const HEURISTIC_VERSION = 2;

function wrap<T>(result: T): AiResult<T> {
  return { result, engine: 'heuristic' };
}

/** Creates the heuristic engine. */
export function createHeuristicEngine(): AiEngine {
  return {
    name: 'heuristic',
    cacheId: `heuristic@${HEURISTIC_VERSION}`,

    async triage(input) {
      const f = parseAiInput(IN.triage, input, 'triage');
      return wrap(checkAiResult(OUT.triage, triageIncident(f).result, 'triage'));
    },

    async analyze(input) {
      const f = parseAiInput(IN.analyze, input, 'analyze');
      return wrap(checkAiResult(OUT.analyze, analyzeIncident(f), 'analyze'));
    },

    async correlate(input) {
      const f = parseAiInput(IN.correlate, input, 'correlate');
      const result = correlateIncidents(f.incidents, f.services, {
        ...DEFAULT_CORRELATION_PARAMS,
        windowMinutes: f.windowMinutes,
      });
      return wrap(checkAiResult(OUT.correlate, result, 'correlate'));
    },

    async postmortem(input) {
      const f = parseAiInput(IN.postmortem, input, 'postmortem');
      const { result: triage, service } = triageIncident({
        incident: f.incident,
        alerts: f.alerts,
        services: f.services,
        history: [],
        extraText: f.notes
          .map((n) => n.content)
          .join('\n')
          .slice(0, 15_000),
      });
      const dependents = f.services.filter((s) => s.dependsOn.includes(f.incident.service.id)).map((s) => s.name);
      const components = f.alerts.map((a) => a.component).filter((c): c is string => Boolean(c));
      const similar = rankSimilarIncidents(
        {
          id: f.incident.id,
          title: f.incident.title,
          description: f.incident.description,
          serviceId: f.incident.service.id,
        },
        f.history,
        { limit: 3, minSimilarity: 0.45 },
      );
      const draft = buildPostmortem({
        incident: f.incident,
        alerts: f.alerts,
        timeline: f.timeline,
        notes: f.notes,
        channelMessages: f.channelMessages,
        category: triage.category,
        severity: triage.severity,
        affectedServices: [...new Set([...dependents, ...components])],
        customerFacing: Boolean(service?.customerFacing) || triage.severity === 'sev1',
        similar: similar.map((s) => ({ id: s.incident.id, title: s.incident.title })),
      });
      const result = { ...draft, markdown: renderPostmortemMarkdown(draft) };
      return wrap(checkAiResult(OUT.postmortem, result, 'postmortem'));
    },

    async runbook(input) {
      const f = parseAiInput(IN.runbook, input, 'runbook');
      const { result: triage } = triageIncident({
        incident: f.incident,
        alerts: f.alerts,
        services: f.services,
        history: f.history,
      });
      return wrap(checkAiResult(OUT.runbook, buildRunbook(f.incident, triage.category, f.history), 'runbook'));
    },

    async escalationDecision(input) {
      const f = parseAiInput(IN.escalationDecision, input, 'escalationDecision');
      const { result: triage, service } = triageIncident({
        incident: f.incident,
        alerts: f.alerts,
        services: f.services,
        history: [],
      });
      const result = decideEscalation({
        incident: f.incident,
        alerts: f.alerts,
        timeline: f.timeline,
        service,
        onCalls: f.onCalls,
        maxLevel: f.maxLevel,
        ackTimeoutMinutes: f.ackTimeoutMinutes,
        now: f.now,
        category: triage.category,
        severity: triage.severity,
      });
      return wrap(checkAiResult(OUT.escalationDecision, result, 'escalationDecision'));
    },

    async bestResponder(input) {
      const f = parseAiInput(IN.bestResponder, input, 'bestResponder');
      const { result: triage } = triageIncident({ incident: f.incident, alerts: [], services: [], history: [] });
      const result = rankResponders(f.incident, triage.category, f.candidates, f.history, f.now);
      return wrap(checkAiResult(OUT.bestResponder, result, 'bestResponder'));
    },

    async fatigue(input) {
      const f = parseAiInput(IN.fatigue, input, 'fatigue');
      return wrap(checkAiResult(OUT.fatigue, assessFatigue(f), 'fatigue'));
    },
  };
}
