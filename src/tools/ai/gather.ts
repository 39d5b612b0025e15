/**
 * Gathers engine inputs from PagerDuty for the AI tools and maps PagerDuty models into the engines' compact
 * domain shapes (`src/ai/schemas/inputs.ts`). Reads only. Every list is capped; history is ranked by text
 * similarity before the few most similar past incidents get their notes fetched for resolution text.
 */
import { z } from 'zod';
import { cachedAiCall } from '../../ai/cache.js';
import type { AiCallOptions, AiInputs, AiKind, AiResult, AiResults } from '../../ai/contract.js';
import { rankSimilarIncidents } from '../../ai/engines/heuristic/history.js';
import type {
  Alert as AiAlert,
  Incident as AiIncident,
  ChannelMessage,
  NoteInput,
  PastIncident,
  ServiceInfo,
  TimelineEntry,
  TimelineKind,
} from '../../ai/schemas/inputs.js';
import type { Alert, Incident, LogEntry, Note } from '../../pagerduty/index.js';
import { referenceName } from '../../pagerduty/index.js';
import { InvalidInputError } from '../../shared/errors.js';
import type { ToolContext } from '../define-tool.js';
import { readOptions, resolveEscalationLevels } from '../resolve.js';
import { detailsText } from '../shapes.js';

/** Runs `fn` over `items` with at most `limit` in flight, keeping order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  });
  await Promise.all(workers);
  return out;
}

/** A PagerDuty incident as the engines see it. */
export function toAiIncident(incident: Incident, escalationLevel?: number | null): AiIncident {
  const ack = incident.acknowledgements
    ?.map((a) => a.at)
    .filter((a): a is string => Boolean(a))
    .sort()[0];
  return {
    id: incident.id,
    ...(typeof incident.incident_number === 'number' ? { number: incident.incident_number } : {}),
    title: (incident.title ?? incident.summary ?? incident.id).slice(0, 20_000),
    description: detailsText(incident.body?.details, 20_000) ?? undefined,
    status: incident.status,
    ...(incident.urgency ? { urgency: incident.urgency } : {}),
    priority: incident.priority?.name ?? incident.priority?.summary ?? null,
    service: { id: incident.service.id, name: referenceName(incident.service).slice(0, 300) },
    teams: (incident.teams ?? []).slice(0, 50).map((t) => ({ id: t.id, name: referenceName(t).slice(0, 300) })),
    createdAt: incident.created_at,
    acknowledgedAt: ack ?? null,
    resolvedAt: incident.resolved_at ?? null,
    ...(escalationLevel ? { escalationLevel } : {}),
    assignees: (incident.assignments ?? []).slice(0, 100).map((a) => ({
      id: a.assignee.id,
      name: referenceName(a.assignee).slice(0, 300),
      ...(a.assignee.email ? { email: a.assignee.email } : {}),
    })),
    ...(typeof incident.alert_counts?.all === 'number' ? { alertCount: incident.alert_counts.all } : {}),
  };
}

export function toAiAlert(alert: Alert): AiAlert {
  const body = alert.body as
    | { details?: unknown; cef_details?: { source_component?: string; source_origin?: string } }
    | null
    | undefined;
  return {
    id: alert.id,
    summary: (alert.summary ?? alert.alert_key ?? alert.id).slice(0, 20_000),
    ...(alert.severity ? { severity: alert.severity } : {}),
    ...(body?.cef_details?.source_origin ? { source: body.cef_details.source_origin.slice(0, 1000) } : {}),
    ...(body?.cef_details?.source_component ? { component: body.cef_details.source_component.slice(0, 1000) } : {}),
    createdAt: alert.created_at,
    ...(detailsText(body?.details, 4000) ? { details: detailsText(body?.details, 4000) as string } : {}),
  };
}

const LOG_KINDS: Readonly<Record<string, TimelineKind>> = {
  trigger_log_entry: 'trigger',
  acknowledge_log_entry: 'acknowledge',
  escalate_log_entry: 'escalate',
  repeat_escalation_path_log_entry: 'escalate',
  assign_log_entry: 'assign',
  delegate_log_entry: 'assign',
  notify_log_entry: 'notify',
  annotate_log_entry: 'note',
  status_update_log_entry: 'status_update',
  priority_change_log_entry: 'priority_change',
  urgency_change_log_entry: 'urgency_change',
  reopen_log_entry: 'reopen',
  resolve_log_entry: 'resolve',
};

export function toTimelineEntry(entry: LogEntry): TimelineEntry {
  const note = entry.note ? ` (note: ${entry.note})` : '';
  return {
    at: entry.created_at,
    kind: LOG_KINDS[entry.type] ?? 'other',
    summary: `${entry.summary ?? entry.channel?.summary ?? entry.type}${note}`.slice(0, 20_000),
    ...(entry.agent ? { actor: referenceName(entry.agent).slice(0, 300) } : {}),
    source: 'pagerduty',
  };
}

export function toNoteInput(note: Note): NoteInput {
  return {
    at: note.created_at,
    ...(note.user ? { author: referenceName(note.user).slice(0, 300) } : {}),
    content: note.content.slice(0, 100_000),
  };
}

/** `channel_messages` parameter: captured Slack messages as `"<ISO time> <author>: <text>"` lines. */
export const channelMessagesParam = (): z.ZodOptional<z.ZodArray<z.ZodString>> =>
  z
    .array(z.string().max(20_000))
    .max(5000)
    .optional()
    .describe(
      'Messages captured from the incident\'s Slack channel, oldest first, each as "<ISO time> <author>: <text>", e.g. "2026-03-10T14:05:00Z Ana Lima: pool is full". Optional.',
    );

const MESSAGE_LINE = /^(\d{4}-\d{2}-\d{2}T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))\s+([^:]{1,300}?):\s?([\s\S]*)$/;

/** Parses `channel_messages`; every malformed line is reported with its index. */
export function parseChannelMessages(lines: readonly string[] | undefined): ChannelMessage[] {
  if (!lines) return [];
  const issues: Array<{ path: string; message: string }> = [];
  const out: ChannelMessage[] = [];
  lines.forEach((line, i) => {
    const m = MESSAGE_LINE.exec(line.trim());
    if (!m || !Number.isFinite(Date.parse(m[1] as string))) {
      issues.push({ path: `channel_messages.${i}`, message: 'expected "<ISO time> <author>: <text>"' });
      return;
    }
    out.push({ at: m[1] as string, author: (m[2] as string).trim(), text: m[3] as string });
  });
  if (issues.length > 0) {
    throw new InvalidInputError(
      `Invalid channel_messages: ${issues
        .slice(0, 5)
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
      issues,
    );
  }
  return out;
}

/** The incident, with its current escalation level. */
export async function loadIncident(
  ctx: ToolContext,
  incidentId: string,
): Promise<{ raw: Incident; incident: AiIncident }> {
  const raw = await ctx.pagerduty.getIncident(incidentId, readOptions(ctx));
  const levels = await resolveEscalationLevels(ctx.pagerduty, [raw], ctx.signal);
  return { raw, incident: toAiIncident(raw, levels.get(raw.id) ?? null) };
}

export async function loadAlerts(ctx: ToolContext, incidentId: string, max = 200): Promise<AiAlert[]> {
  const { items } = await ctx.pagerduty.listIncidentAlerts(incidentId, { maxItems: max, ...readOptions(ctx) });
  return items.map(toAiAlert).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

/** Log entries (oldest first, annotate entries dropped: notes carry those) and notes. */
export async function loadTimeline(
  ctx: ToolContext,
  incidentId: string,
  max = 5000,
): Promise<{ timeline: TimelineEntry[]; notes: NoteInput[] }> {
  const [entries, notes] = await Promise.all([
    ctx.pagerduty.listIncidentLogEntries(incidentId, { maxItems: max, ...readOptions(ctx) }),
    ctx.pagerduty.listIncidentNotes(incidentId, readOptions(ctx)),
  ]);
  const timeline = entries.items
    .filter((e) => e.type !== 'annotate_log_entry')
    .map(toTimelineEntry)
    .sort((a, b) => a.at.localeCompare(b.at));
  return { timeline, notes: notes.items.map(toNoteInput).sort((a, b) => a.at.localeCompare(b.at)) };
}

/** The incident's service with its dependencies, plus the services that depend on it. */
export async function loadServices(ctx: ToolContext, serviceIds: readonly string[]): Promise<ServiceInfo[]> {
  const byId = new Map<string, ServiceInfo>();
  const ensure = (id: string, name?: string | null): ServiceInfo => {
    let s = byId.get(id);
    if (!s) {
      s = { id, name: (name ?? id).slice(0, 300), dependsOn: [] };
      byId.set(id, s);
    } else if (name && s.name === s.id) s.name = name.slice(0, 300);
    return s;
  };
  await mapLimit(serviceIds.slice(0, 25), 5, async (id) => {
    const [service, deps] = await Promise.all([
      ctx.pagerduty.getService(id, readOptions(ctx)).catch(() => null),
      ctx.pagerduty.getTechnicalServiceDependencies(id, readOptions(ctx)).catch(() => []),
    ]);
    const s = ensure(id, service?.name);
    if (service?.teams?.[0]) s.team = referenceName(service.teams[0]).slice(0, 300);
    for (const d of deps) {
      const dependent = ensure(d.dependent_service.id);
      ensure(d.supporting_service.id);
      if (!dependent.dependsOn.includes(d.supporting_service.id)) dependent.dependsOn.push(d.supporting_service.id);
    }
  });
  return [...byId.values()];
}

function responders(incident: Incident): PastIncident['responders'] {
  const people = new Map<string, { id: string; name: string }>();
  for (const a of incident.acknowledgements ?? [])
    people.set(a.acknowledger.id, { id: a.acknowledger.id, name: referenceName(a.acknowledger) });
  for (const a of incident.assignments ?? [])
    people.set(a.assignee.id, { id: a.assignee.id, name: referenceName(a.assignee) });
  const resolver = incident.last_status_change_by;
  if (incident.status === 'resolved' && resolver && resolver.type?.includes('user')) {
    people.set(resolver.id, { id: resolver.id, name: referenceName(resolver) });
  }
  return [...people.values()].slice(0, 100).map((p) => ({ id: p.id, name: p.name.slice(0, 300) }));
}

/**
 * Resolved incidents of the last `days` days, most similar to `query` first; the `withNotes` most similar get
 * their notes as resolution text.
 */
export async function loadHistory(
  ctx: ToolContext,
  query: AiIncident,
  options: { days?: number; max?: number; withNotes?: number } = {},
): Promise<PastIncident[]> {
  const now = ctx.clock.now();
  const since = new Date(now - (options.days ?? 90) * 86_400_000).toISOString();
  const { items } = await ctx.pagerduty.listIncidents({
    statuses: ['resolved'],
    since,
    until: new Date(now + 60_000).toISOString(),
    maxItems: options.max ?? 500,
    ...readOptions(ctx),
  });
  const past: PastIncident[] = items
    .filter((i) => i.id !== query.id)
    .map((i) => ({
      id: i.id,
      title: (i.title ?? i.summary ?? i.id).slice(0, 20_000),
      service: { id: i.service.id, name: referenceName(i.service).slice(0, 300) },
      ...(i.urgency ? { urgency: i.urgency } : {}),
      createdAt: i.created_at,
      resolvedAt: i.resolved_at ?? null,
      responders: responders(i),
    }));
  const ranked = rankSimilarIncidents(
    { id: query.id, title: query.title, description: query.description, serviceId: query.service.id },
    past,
    { limit: options.withNotes ?? 5, minSimilarity: 0.15 },
  );
  await mapLimit(ranked, 3, async (r) => {
    const notes = await ctx.pagerduty.listIncidentNotes(r.incident.id, readOptions(ctx)).catch(() => null);
    const text = notes?.items
      .map((n) => n.content)
      .slice(-3)
      .join('\n');
    if (text) r.incident.resolution = text.slice(0, 100_000);
  });
  return past;
}

/** `now` rounded down to `stepMs`, so results depending on the time can still be cached briefly. */
export function roundedNow(ctx: ToolContext, stepMs: number): string {
  return new Date(Math.floor(ctx.clock.now() / stepMs) * stepMs).toISOString();
}

/** Engine metadata added to every AI tool's output. */
export const AiMetaShape = {
  engine: z.enum(['heuristic', 'claude']),
  model: z.string().nullable(),
  fallback: z.object({ from: z.literal('claude'), reason: z.string() }).nullable(),
  cached: z.boolean(),
};

/** The tool output: the engine result plus engine, model, fallback and cached. */
export function withMeta<T extends object>(
  r: AiResult<T>,
): T & {
  engine: 'heuristic' | 'claude';
  model: string | null;
  fallback: { from: 'claude'; reason: string } | null;
  cached: boolean;
} {
  return {
    ...r.result,
    engine: r.engine,
    model: r.model ?? null,
    fallback: r.fallback ?? null,
    cached: r.cached === true,
  };
}

/**
 * Runs one engine operation through the AI result cache (keyed by incident, kind, engine and input hash). The
 * Claude engine gets the tool context, so the model can call read-only catalogue tools.
 */
export function runAiOperation<K extends AiKind>(
  ctx: ToolContext,
  kind: K,
  incidentId: string | null,
  input: AiInputs[K],
): Promise<AiResult<AiResults[K]>> {
  const call = ctx.ai[kind] as (i: AiInputs[K], o: AiCallOptions) => Promise<AiResult<AiResults[K]>>;
  return cachedAiCall(
    ctx.aiCache,
    { incidentId, kind, engine: ctx.ai.cacheId, input },
    () => call.call(ctx.ai, input, { ...(ctx.signal ? { signal: ctx.signal } : {}), toolContext: ctx }),
    (error) => ctx.logger.warn({ err: error, kind }, 'AI result cache failed; continuing without it'),
  );
}
