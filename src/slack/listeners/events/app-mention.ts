/**
 * `@bot <question>` in an incident channel or a card thread: answers in a thread from the incident's data —
 * a summary / catch-up, who is on call, or what changed recently.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { listShape, TimelineEntryShape } from '../../../tools/shapes.js';
import {
  buildChangesAnswer,
  buildMentionHelp,
  buildOnCallAnswer,
  buildSummaryAnswer,
  mentionIntent,
  type TimelineLine,
} from '../../blocks/mention-answer.js';
import { fetchIncident, OnCallListShape, toBrief, toIncidentView } from '../../incident-view.js';
import { slackToPlain } from '../../text.js';
import { errorNotice, type ListenerDeps } from '../shared.js';
import { onEvent } from './event-context.js';

const MentionEvent = z.looseObject({
  user: z.string(),
  text: z.string().default(''),
  ts: z.string(),
  channel: z.string(),
  thread_ts: z.string().optional(),
});

const TimelineList = listShape(TimelineEntryShape);

async function recentLines(deps: ListenerDeps, incidentId: string): Promise<TimelineLine[]> {
  const [pd, captured] = await Promise.all([
    deps.services.runner
      .read('get_incident_timeline', { incident_id: incidentId, limit: 200 })
      .then((o) => TimelineList.parse(o).items)
      .catch(() => []),
    deps.rt.store.timeline.list(incidentId, { limit: 1000 }),
  ]);
  const lines: TimelineLine[] = [
    ...pd.map((t) => ({ at: t.at, text: t.summary, who: t.actor?.name ?? null })),
    ...captured
      .filter((c) => c.source === 'message' || c.source === 'pin')
      .map((c) => ({
        at: c.occurredAt.toISOString(),
        text: `${c.source === 'pin' ? '📌 ' : '💬 '}${c.text}`,
        who: c.authorName,
      })),
  ];
  return lines.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function registerAppMention(app: App, deps: ListenerDeps): void {
  onEvent(app, deps, 'app_mention', async (raw, meta) => {
    const parsed = MentionEvent.safeParse(raw);
    if (!parsed.success) return;
    const e = parsed.data;
    const thread = e.thread_ts ?? e.ts;
    const reply = (payload: Parameters<typeof deps.services.poster.post>[1]) =>
      deps.services.poster.post(e.channel, payload, { threadTs: thread });
    const incidentId = await deps.services.resolver.implied({ channelId: e.channel, threadTs: e.thread_ts ?? null });
    if (!incidentId) {
      await reply(buildMentionHelp(false));
      return;
    }
    const question = slackToPlain(
      e.text.replace(meta.botUserId ? new RegExp(`<@${meta.botUserId}(\\|[^>]*)?>`, 'g') : /^$/, ''),
    );
    const intent = mentionIntent(question);
    const now = deps.rt.clock.now();
    try {
      const incident = await fetchIncident(deps.services.runner, incidentId);
      const brief = toBrief(toIncidentView(incident));
      if (intent === 'help') {
        await reply(buildMentionHelp(true));
        return;
      }
      if (intent === 'oncall') {
        const oncalls = incident.escalation_policy
          ? OnCallListShape.parse(
              await deps.services.runner.read('list_oncalls', {
                escalation_policy_ids: [incident.escalation_policy.id],
                limit: 50,
              }),
            ).items
          : [];
        const people = deps.services.people;
        const rows = await Promise.all(
          oncalls.map(async (o) => ({
            level: o.escalation_level,
            person: { id: o.user.id, name: o.user.name, slackUserId: await people.slackIdFor({ name: o.user.name }) },
            until: o.end,
          })),
        );
        const assignees = await Promise.all(
          incident.assignees.map(async (a) => ({
            id: a.id,
            name: a.name,
            slackUserId: await people.slackIdFor({ name: a.name }),
          })),
        );
        await reply(buildOnCallAnswer(brief, rows, assignees, now));
        return;
      }
      const recent = await recentLines(deps, incidentId);
      if (intent === 'changes') {
        const since = now - 60 * 60_000;
        const lastHour = recent.filter((l) => Date.parse(l.at) >= since);
        await reply(buildChangesAnswer(brief, lastHour.length > 0 ? lastHour : recent.slice(-5), now));
        return;
      }
      let summary: string | null = null;
      try {
        const out = await deps.services.runner.read('analyze_incident', { incident_id: incidentId });
        const s = ((out as { result?: { summary?: unknown } })?.result ?? (out as { summary?: unknown }))?.summary;
        summary = typeof s === 'string' ? s : null;
      } catch (error) {
        deps.rt.logger.warn({ err: error }, 'no AI summary for the mention answer');
      }
      await reply(buildSummaryAnswer(brief, summary, recent, now, incident.created_at));
    } catch (error) {
      await reply(errorNotice('answer', error));
    }
  });
}
