import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { incidentIdParam, limitParam } from '../params.js';
import { readOptions } from '../resolve.js';
import { listShape, listSummary, logEntryToTimeline, noteToTimeline, TimelineEntryShape } from '../shapes.js';

export const getIncidentTimeline = defineTool({
  name: 'get_incident_timeline',
  title: 'Get incident timeline',
  description:
    'One ordered timeline of a PagerDuty incident: its log entries (triggered, notified, acknowledged, escalated, ' +
    'reassigned, resolved, …) merged with the notes people added, oldest first, each with time, type, summary and ' +
    'who did it. Use it to reconstruct what happened (status updates, postmortems).',
  access: 'read',
  input: z.object({
    incident_id: incidentIdParam(),
    overview: z
      .boolean()
      .default(false)
      .describe('Only the most important log entries (PagerDuty "overview"); notes are always included.'),
    limit: limitParam(500, 5000),
  }),
  output: listShape(TimelineEntryShape),
  async run(input, ctx) {
    const [entries, notes] = await Promise.all([
      ctx.pagerduty.listIncidentLogEntries(input.incident_id, {
        isOverview: input.overview,
        maxItems: input.limit,
        ...readOptions(ctx),
      }),
      ctx.pagerduty.listIncidentNotes(input.incident_id, readOptions(ctx)),
    ]);
    const order = (at: string): number => {
      const t = Date.parse(at);
      return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
    };
    // PagerDuty lists log entries newest first, and several share a second (trigger, assign, notify): put them
    // oldest first before the stable sort, unless the list is plainly oldest first already.
    const logged = [...entries.items];
    const first = logged[0];
    const last = logged.at(-1);
    if (!(first && last && order(first.created_at) < order(last.created_at))) logged.reverse();
    // Each note also appears as an annotate log entry; the note itself carries the author and full text.
    const merged = [
      ...logged.filter((e) => e.type !== 'annotate_log_entry').map(logEntryToTimeline),
      ...notes.items.map(noteToTimeline),
    ];
    merged.sort((a, b) => order(a.at) - order(b.at) || (a.source === b.source ? 0 : a.source === 'log_entry' ? -1 : 1));
    const truncated = entries.truncated || notes.truncated || merged.length > input.limit;
    const items = merged.slice(0, input.limit);
    return { items, truncated, summary: listSummary(items.length, 'timeline entry', truncated, 'timeline entries') };
  },
});
