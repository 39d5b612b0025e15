import { findUserByEmail } from './account/find-user-by-email.js';
import { listPriorities } from './account/list-priorities.js';
import { analyzeIncident } from './ai/analyze-incident.js';
import { autoTriage } from './ai/auto-triage.js';
import { correlateIncidents } from './ai/correlate-incidents.js';
import { findBestResponder } from './ai/find-best-responder.js';
import { generatePostmortem } from './ai/generate-postmortem.js';
import { predictFatigue } from './ai/predict-fatigue.js';
import { smartEscalation } from './ai/smart-escalation.js';
import { suggestRunbook } from './ai/suggest-runbook.js';
import type { AnyTool } from './define-tool.js';
import { addIncidentNote } from './incidents/add-incident-note.js';
import { addResponders } from './incidents/add-responders.js';
import { createIncident } from './incidents/create-incident.js';
import { escalateIncident } from './incidents/escalate-incident.js';
import { getIncident } from './incidents/get-incident.js';
import { getIncidentTimeline } from './incidents/get-incident-timeline.js';
import { listIncidentAlerts } from './incidents/list-incident-alerts.js';
import { listIncidentNotes } from './incidents/list-incident-notes.js';
import { listIncidents } from './incidents/list-incidents.js';
import { mergeIncidents } from './incidents/merge-incidents.js';
import { postStatusUpdate } from './incidents/post-status-update.js';
import { reassignIncident } from './incidents/reassign-incident.js';
import { snoozeIncident } from './incidents/snooze-incident.js';
import { updateIncident } from './incidents/update-incident.js';
import { getOncall } from './oncall/get-oncall.js';
import { listEscalationPolicies } from './oncall/list-escalation-policies.js';
import { listOncalls } from './oncall/list-oncalls.js';
import { getService } from './services/get-service.js';
import { listServices } from './services/list-services.js';

/**
 * The catalogue: every tool the fronts (Slack, MCP, CLI, Claude's tool use) can run, as one explicit list grouped
 * by domain. To add a tool: create its file (one `defineTool` per file), import it here and add it to its group.
 */
export const tools: readonly AnyTool[] = [
  // Incidents: read
  getIncident,
  listIncidents,
  listIncidentAlerts,
  getIncidentTimeline,
  listIncidentNotes,
  // Incidents: write
  createIncident,
  updateIncident,
  escalateIncident,
  addIncidentNote,
  mergeIncidents,
  snoozeIncident,
  reassignIncident,
  addResponders,
  postStatusUpdate,
  // On-call and escalation
  getOncall,
  listOncalls,
  listEscalationPolicies,
  // Services
  listServices,
  getService,
  // Account: people and priorities
  findUserByEmail,
  listPriorities,
  // AI (src/tools/ai/): suggestions only, all read access
  analyzeIncident,
  autoTriage,
  correlateIncidents,
  generatePostmortem,
  suggestRunbook,
  smartEscalation,
  findBestResponder,
  predictFatigue,
];

/** Tools that only read: safe for any surface and for Claude's tool loop. */
export const readTools: readonly AnyTool[] = tools.filter((t) => t.access === 'read');

/** Tools that change PagerDuty: need an acting person, and an explicit opt-in on MCP. */
export const writeTools: readonly AnyTool[] = tools.filter((t) => t.access === 'write');

const byName = new Map(tools.map((t) => [t.name, t]));
if (byName.size !== tools.length) throw new Error('Two tools in the catalogue share a name');

/** The tool with this name, or undefined. */
export function getTool(name: string): AnyTool | undefined {
  return byName.get(name);
}
