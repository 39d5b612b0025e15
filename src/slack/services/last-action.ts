/**
 * "Who did what" on the card comes from the audit log: the latest successful write to the incident through any
 * front (Slack, MCP, CLI, automation), rendered as a short verb.
 */
import type { AuditEntry, AuditLog } from '../../store/index.js';
import type { CardContext } from '../blocks/model.js';

function field(input: unknown, key: string): unknown {
  return input && typeof input === 'object' ? (input as Record<string, unknown>)[key] : undefined;
}

/** The verb for one audit row ("Acknowledged", "Escalated to level 2", …), or null for tools not shown. */
export function actionVerb(entry: Pick<AuditEntry, 'tool' | 'input'>): string | null {
  const input = entry.input;
  switch (entry.tool) {
    case 'update_incident': {
      const status = field(input, 'status');
      if (status === 'acknowledged') return 'Acknowledged';
      if (status === 'resolved') return 'Resolved';
      if (status === 'triggered') return 'Re-opened';
      if (typeof field(input, 'urgency') === 'string') return `Set urgency to ${String(field(input, 'urgency'))}`;
      if (typeof field(input, 'priority') === 'string') return 'Changed the priority';
      return 'Updated';
    }
    case 'escalate_incident': {
      const level = field(input, 'escalation_level');
      return typeof level === 'number' ? `Escalated to level ${level}` : 'Escalated';
    }
    case 'reassign_incident':
      return 'Reassigned';
    case 'add_responders':
      return 'Paged more responders';
    case 'snooze_incident': {
      const minutes = field(input, 'duration_minutes');
      return typeof minutes === 'number'
        ? `Snoozed for ${minutes >= 60 ? `${Math.round(minutes / 6) / 10}h` : `${minutes}m`}`
        : 'Snoozed';
    }
    case 'add_incident_note':
      return 'Added a note';
    case 'post_status_update':
      return 'Posted a status update';
    case 'merge_incidents':
      return 'Merged incidents into this one';
    case 'create_incident':
      return 'Declared';
    default:
      return null;
  }
}

/** The card's "last action" line from the newest successful write on the incident. */
export async function lastActionFromAudit(
  audit: Pick<AuditLog, 'list'>,
  incidentId: string,
): Promise<CardContext['lastAction']> {
  const rows = await audit.list({ incidentId, limit: 10 });
  for (const row of rows) {
    if (row.outcome !== 'ok') continue;
    const verb = actionVerb(row);
    if (!verb) continue;
    const via = row.slackUserId ? '' : row.surface === 'webhook' ? ' (automation)' : ` (via ${row.surface})`;
    return { verb: `${verb}${via}`, slackUserId: row.slackUserId, at: row.at.getTime() };
  }
  return null;
}
