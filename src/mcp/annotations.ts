import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { AnyTool } from '../tools/define-tool.js';

/**
 * What a write tool does to PagerDuty, in the terms of MCP's tool annotations:
 * - `destructive`: it may overwrite or end something (a status, the assignees, a paging schedule); false when it
 *   only adds (a note, an incident, a responder request, a status update);
 * - `idempotent`: calling it again with the same arguments changes nothing more.
 */
export interface WriteEffect {
  destructive: boolean;
  idempotent: boolean;
}

/**
 * Every write tool of the catalogue, classified by hand: these hints are what a client shows before asking the
 * user to confirm, so they are never guessed. A write tool missing here is served with the most cautious hints
 * (destructive, not idempotent), and the MCP tests fail until it is classified.
 */
export const WRITE_EFFECTS: Readonly<Record<string, WriteEffect>> = {
  // Adds an incident and pages its service's on-call; a second call opens a second incident.
  create_incident: { destructive: false, idempotent: false },
  // Sets status / urgency / priority / title to given values: overwrites, and repeating it changes nothing more.
  update_incident: { destructive: true, idempotent: true },
  // Reassigns to the next level by default, so repeating it escalates further (and adds another note).
  escalate_incident: { destructive: true, idempotent: false },
  // Adds a note; notes cannot be edited or deleted, and a second call adds a second note.
  add_incident_note: { destructive: false, idempotent: false },
  // Resolves the sources into the target, cannot be undone; once merged, repeating it has no further effect.
  merge_incidents: { destructive: true, idempotent: true },
  // Silences paging until a time counted from now, so repeating it moves that time.
  snooze_incident: { destructive: true, idempotent: false },
  // Replaces the assignees with the given ones (or hands the incident to a policy); repeating changes nothing more.
  reassign_incident: { destructive: true, idempotent: true },
  // Pages more people; a second call pages them again.
  add_responders: { destructive: false, idempotent: false },
  // Sends an update to stakeholders; a second call sends it again.
  post_status_update: { destructive: false, idempotent: false },
};

/**
 * Tools whose whole world is this process (no PagerDuty, no Claude). Every tool in the catalogue today reads
 * PagerDuty, so the set is empty; a pure tool (e.g. text classification on given input) would be listed here.
 */
export const CLOSED_WORLD_TOOLS: ReadonlySet<string> = new Set<string>();

/** The MCP annotations of one catalogue tool (title, read-only / destructive / idempotent / open-world hints). */
export function toolAnnotations(tool: AnyTool): ToolAnnotations {
  const openWorldHint = !CLOSED_WORLD_TOOLS.has(tool.name);
  if (tool.access === 'read') {
    return { title: tool.title, readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint };
  }
  const effect = WRITE_EFFECTS[tool.name] ?? { destructive: true, idempotent: false };
  return {
    title: tool.title,
    readOnlyHint: false,
    destructiveHint: effect.destructive,
    idempotentHint: effect.idempotent,
    openWorldHint,
  };
}
