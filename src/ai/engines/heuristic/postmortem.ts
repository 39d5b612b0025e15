/**
 * Postmortem drafts from the real timeline: PagerDuty log entries, notes, captured Slack messages and alerts
 * merged in time order; metrics computed from timestamps; root cause, resolution, contributing factors, action
 * items and lessons extracted from what people wrote, with category-based fallbacks when they wrote nothing.
 * Linear in the number of entries (5,000 entries in a few milliseconds, see docs/BENCHMARKS.md).
 */
import type { Category, Severity } from '../../schemas/common.js';
import type { Alert, ChannelMessage, Incident, TimelineEntry } from '../../schemas/inputs.js';
import type { ActionItem, PostmortemDraft } from '../../schemas/results.js';
import {
  CATEGORY_CAUSE,
  CATEGORY_LABEL,
  clip,
  fillPlaceholders,
  formatTime,
  minutesBetween,
  splitSentences,
} from './helpers.js';
import { jaccard } from './similarity.js';
import { tokenize } from './text.js';

export interface PostmortemFacts {
  incident: Incident;
  alerts: readonly Alert[];
  timeline: readonly TimelineEntry[];
  notes: ReadonlyArray<{ at: string; author?: string | undefined; content: string }>;
  channelMessages: readonly ChannelMessage[];
  category: Category;
  severity: Severity;
  /** Services affected besides the incident's own (dependents, alert components). */
  affectedServices: readonly string[];
  customerFacing: boolean;
  similar: ReadonlyArray<{ id: string; title: string }>;
}

type Source = 'pagerduty' | 'note' | 'slack' | 'alert';

interface Event {
  ms: number;
  at: string;
  text: string;
  actor: string | null;
  source: Source;
  kind: TimelineEntry['kind'] | 'alert';
}

const MAX_TIMELINE_ITEMS = 60;
const MILESTONES = new Set<Event['kind']>([
  'trigger',
  'acknowledge',
  'escalate',
  'priority_change',
  'urgency_change',
  'reopen',
  'resolve',
  'status_update',
  'note',
]);
const SYSTEM_ACTORS = /^(pagerduty|system|api|integration|automation|bot|webhook|incident-bot|monitoring)\b/i;

const ROOT_CAUSE_CUES: ReadonlyArray<[RegExp, number]> = [
  [/\broot[- ]cause\b/i, 4],
  [/\bcaused by\b/i, 3],
  [/\bturned out\b/i, 2.5],
  [/\bculprit\b/i, 3],
  [/\btriggered by\b/i, 2.5],
  [/\bthe cause (?:was|is)\b/i, 3],
  [/\bdue to\b/i, 2],
  [/\bbecause\b/i, 1.5],
  [/\bfound (?:that|the)\b/i, 1.5],
  [/\bidentified\b/i, 1],
];
const RESOLUTION_CUES =
  /\b(fixed|resolved by|rolled back|roll(?:ed)? back|reverted|restart(?:ed)?|mitigat\w*|fail(?:ed)? over|failover|scaled|renewed|patched|replaced|rotated|flushed|drained|re-?enabled|disabled the|recovered|restored)\b/i;
const CONTRIBUTING_CUES =
  /\b(contribut\w*|made (?:it|this|things) worse|compound\w*|exacerbat\w*|lack of|missing|no alert|not alerted|wasn't monitored|was not monitored|no monitoring|no runbook|delayed|took too long|nobody|unclear|confus\w*|stale)\b/i;
const LESSON_CUES = /\b(lessons?|learned|learnt|went well|went wrong|next time|in hindsight|takeaway|should have)\b/i;
const ACTION_PATTERNS: readonly RegExp[] = [
  /^\s*(?:action items?|ai|todo|to-do|follow[- ]?ups?|action)\s*[:\-–]\s*(.{5,})$/i,
  /^\s*[-*]\s*\[\s?\]\s*(.{5,})$/,
  /\b(?:we|i|someone|team)\s+(?:should|need to|must|will)\s+(.{8,})$/i,
];

function entrySource(e: TimelineEntry): Source {
  return e.source === 'slack' ? 'slack' : e.source === 'note' ? 'note' : 'pagerduty';
}

function mergeEvents(f: PostmortemFacts): Event[] {
  const events: Event[] = [];
  const push = (at: string, text: string, actor: string | null, source: Source, kind: Event['kind']): void => {
    const ms = Date.parse(at);
    if (Number.isFinite(ms)) events.push({ ms, at, text, actor, source, kind });
  };
  for (const e of f.timeline) push(e.at, e.summary, e.actor ?? null, entrySource(e), e.kind);
  for (const n of f.notes) push(n.at, n.content, n.author ?? null, 'note', 'note');
  for (const m of f.channelMessages) push(m.at, m.text, m.author, 'slack', 'message');
  for (const a of f.alerts) push(a.createdAt, `Alert: ${a.summary}`, a.source ?? null, 'alert', 'alert');
  events.sort((a, b) => a.ms - b.ms);
  return events;
}

/** Keeps every milestone and informative message, then samples evenly down to the cap. */
function selectTimeline(events: readonly Event[]): Event[] {
  const seen = new Set<string>();
  const candidates: Event[] = [];
  let alerts = 0;
  for (const e of events) {
    const key = `${e.kind}\u0000${e.text.slice(0, 200)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (e.kind === 'alert') {
      if (alerts++ < 3) candidates.push(e);
      continue;
    }
    if (MILESTONES.has(e.kind) || RESOLUTION_CUES.test(e.text) || ROOT_CAUSE_CUES.some(([re]) => re.test(e.text))) {
      candidates.push(e);
    } else if (e.kind === 'message' && e.text.length >= 20) {
      candidates.push(e);
    }
  }
  if (candidates.length <= MAX_TIMELINE_ITEMS) return candidates;
  const must = candidates.filter(
    (e) => e.kind === 'trigger' || e.kind === 'acknowledge' || e.kind === 'escalate' || e.kind === 'resolve',
  );
  const firstOfKind = new Map<string, Event>();
  for (const e of must) if (!firstOfKind.has(e.kind) || e.kind === 'resolve') firstOfKind.set(e.kind, e);
  const keep = new Set<Event>(firstOfKind.values());
  for (const e of must) if (keep.size < MAX_TIMELINE_ITEMS / 2) keep.add(e);
  const rest = candidates.filter((e) => !keep.has(e));
  const room = MAX_TIMELINE_ITEMS - keep.size;
  const step = rest.length / room;
  for (let i = 0; i < room; i++) keep.add(rest[Math.floor(i * step)] as Event);
  return candidates.filter((e) => keep.has(e));
}

function sentencesOf(events: readonly Event[]): Array<{ text: string; event: Event; index: number }> {
  const out: Array<{ text: string; event: Event; index: number }> = [];
  events.forEach((event, index) => {
    if (event.source === 'alert') return;
    if (
      event.source === 'pagerduty' &&
      event.kind !== 'note' &&
      event.kind !== 'status_update' &&
      event.kind !== 'resolve'
    )
      return;
    for (const s of splitSentences(event.text.slice(0, 4000))) out.push({ text: s, event, index });
  });
  return out;
}

function bestSentence(
  sentences: ReadonlyArray<{ text: string; event: Event; index: number }>,
  score: (s: string) => number,
): { text: string; event: Event } | null {
  let best: { text: string; event: Event } | null = null;
  let bestScore = 0;
  const total = Math.max(1, sentences.length);
  sentences.forEach((s, i) => {
    const base = score(s.text);
    if (base <= 0) return;
    // Later statements and notes (deliberate records) outweigh early chatter.
    const value = base * (1 + 0.5 * (i / total)) * (s.event.source === 'note' ? 1.3 : 1);
    if (value > bestScore) {
      bestScore = value;
      best = s;
    }
  });
  return best;
}

function priorityOf(text: string, category: Category): ActionItem['priority'] {
  if (/\b(p1|urgent|asap|critical|high[- ]priority|immediately|blocker)\b/i.test(text)) return 'high';
  if (/\b(low[- ]priority|nice to have|someday|eventually|when possible|p4|p5)\b/i.test(text)) return 'low';
  return category === 'security' ? 'high' : 'medium';
}

function ownerOf(text: string, author: string | null): string | null {
  const explicit =
    /\(owner:\s*([^)]{1,80})\)/i.exec(text) ??
    /\bowner\s*[:=]\s*@?([\w.\- ]{1,60}?)(?:[,;.]|$)/i.exec(text) ??
    /\bassign(?:ed)? to\s+@?([\w.-]{1,60})/i.exec(text) ??
    /(?:^|\s)@([\w.-]{1,60})/.exec(text);
  if (explicit) return (explicit[1] as string).trim();
  return author && !SYSTEM_ACTORS.test(author) ? author : null;
}

function cleanActionTitle(raw: string): string {
  const t = raw
    .replace(/\(owner:[^)]*\)/gi, '')
    .replace(/(?:^|\s)@[\w.-]+/g, ' ')
    .replace(/\bowner\s*[:=].*$/i, '')
    .replace(/\s+/g, ' ')
    .replace(/[.;,\s]+$/, '')
    .trim();
  return clip(t.charAt(0).toUpperCase() + t.slice(1), 300);
}

const DEFAULT_ACTIONS: Readonly<Record<Category, readonly string[]>> = {
  config_deploy: [
    'Add an automated canary check that blocks rollouts when error rate rises',
    'Require a rollback plan for configuration changes',
  ],
  capacity_load: [
    'Add saturation alerts before hard limits are reached',
    'Load-test the service at twice the observed peak',
  ],
  software_bug: ['Add a regression test for the failing input', 'Alert on new exception types after each release'],
  hardware_power: [
    'Verify the service survives the loss of one rack or zone',
    'Review hardware health monitoring coverage',
  ],
  network: ['Add synthetic probes between the affected zones', 'Document the traffic-shift procedure in the runbook'],
  dns: [
    'Monitor resolution of critical names from several vantage points',
    'Review TTLs and change procedure for critical records',
  ],
  certificate: ['Alert 30, 14 and 7 days before every certificate expires', 'Automate certificate renewal end to end'],
  database: [
    'Add alerts on lock waits, replication lag and connection saturation',
    'Review slow-query log and missing indexes',
  ],
  dependency_third_party: [
    'Add a fallback or degraded mode for the provider',
    'Subscribe the on-call channel to the provider status page',
  ],
  security: [
    'Rotate every credential that may have been exposed',
    'Complete the security review and notify as required',
  ],
  time: ['Alert on clock offset above tolerance on every host', 'Add tests for DST, leap-day and year-boundary dates'],
  other: ['Write down the root cause once it is known', 'Check that monitoring would catch this sooner next time'],
};

function extractActionItems(
  sentences: ReadonlyArray<{ text: string; event: Event }>,
  events: readonly Event[],
  category: Category,
): ActionItem[] {
  const items: Array<ActionItem & { tokens: Set<string> }> = [];
  const consider = (line: string, author: string | null): void => {
    for (const re of ACTION_PATTERNS) {
      const m = re.exec(line);
      if (!m) continue;
      const title = cleanActionTitle(m[1] as string);
      if (title.length < 5) return;
      const tokens = new Set(tokenize(title));
      if (items.some((i) => jaccard(i.tokens, tokens) >= 0.7)) return;
      items.push({ title, owner: ownerOf(line, author), priority: priorityOf(line, category), tokens });
      return;
    }
  };
  // Line-based patterns (bullets, "Action item: …") need the raw lines of notes and messages.
  for (const e of events) {
    if (e.source !== 'note' && e.source !== 'slack') continue;
    for (const line of e.text.slice(0, 4000).split(/\n+/)) consider(line, e.actor);
    if (items.length >= 30) break;
  }
  for (const s of sentences) {
    if (items.length >= 30) break;
    consider(s.text, s.event.actor);
  }
  return items.slice(0, 30).map(({ tokens: _tokens, ...i }) => i);
}

/** Builds the postmortem draft (without Markdown). */
export function buildPostmortem(f: PostmortemFacts): PostmortemDraft {
  const inc = f.incident;
  const events = mergeEvents(f);
  const sentences = sentencesOf(events);

  const ackAt = inc.acknowledgedAt ?? events.find((e) => e.kind === 'acknowledge')?.at ?? null;
  const resolveEvents = events.filter((e) => e.kind === 'resolve');
  const resolvedAt = inc.resolvedAt ?? resolveEvents[resolveEvents.length - 1]?.at ?? null;
  const tta = ackAt ? minutesBetween(inc.createdAt, ackAt) : null;
  const ttr = resolvedAt ? minutesBetween(inc.createdAt, resolvedAt) : null;
  const escalations = events.filter((e) => e.kind === 'escalate').length;
  const responderSet = new Set<string>();
  for (const a of inc.assignees) responderSet.add(a.name);
  for (const e of events) {
    if (!e.actor || SYSTEM_ACTORS.test(e.actor) || e.source === 'alert') continue;
    if (e.kind === 'trigger' || e.kind === 'notify') continue;
    responderSet.add(e.actor);
  }
  const responders = [...responderSet].slice(0, 200).map((r) => clip(r, 300));

  const serviceName = inc.service.name;
  const rootSentence = bestSentence(sentences, (s) =>
    ROOT_CAUSE_CUES.reduce((acc, [re, w]) => acc + (re.test(s) ? w : 0), 0),
  );
  const rootCause = rootSentence
    ? `${clip(rootSentence.text, 1500)} (${rootSentence.event.source === 'note' ? 'note' : 'message'} by ${rootSentence.event.actor ?? 'unknown'} at ${formatTime(rootSentence.event.at)} UTC)`
    : `Not established in the record. Leading hypothesis (${CATEGORY_LABEL[f.category]}): ${fillPlaceholders(CATEGORY_CAUSE[f.category], serviceName, null)}.`;

  const resolutionSentences = sentences.filter((s) => RESOLUTION_CUES.test(s.text));
  const resolutionTail = resolutionSentences.slice(-3).map((s) => {
    const t = clip(s.text, 600);
    return /[.!?…]$/.test(t) ? t : `${t}.`;
  });
  const resolution =
    resolutionTail.length > 0
      ? `${resolutionTail.join(' ')}${resolvedAt ? ` Resolved at ${formatTime(resolvedAt)} UTC.` : ''}`
      : resolvedAt
        ? `Resolved at ${formatTime(resolvedAt)} UTC; the record does not say how.`
        : 'Not resolved yet.';

  const contributing: string[] = [];
  for (const s of sentences) {
    if (contributing.length >= 5) break;
    if (CONTRIBUTING_CUES.test(s.text) && !contributing.includes(clip(s.text, 400)))
      contributing.push(clip(s.text, 400));
  }
  if (tta !== null && tta > 15) contributing.push(`Acknowledgement took ${Math.round(tta)} minutes.`);
  if (escalations > 0) contributing.push(`The incident escalated ${escalations} time${escalations === 1 ? '' : 's'}.`);
  const alertCount = Math.max(inc.alertCount ?? 0, f.alerts.length);
  if (alertCount >= 10) contributing.push(`${alertCount} alerts fired, which made the signal noisy.`);
  if (f.similar.length > 0) {
    contributing.push(
      `Similar incidents happened before (${f.similar
        .slice(0, 3)
        .map((s) => s.id)
        .join(', ')}): earlier fixes did not prevent a recurrence.`,
    );
  }

  const firstTrigger = events.find((e) => e.kind === 'trigger' || e.kind === 'alert');
  const firstAlert = f.alerts[0];
  const detectedBy = firstAlert
    ? `alert "${clip(firstAlert.summary, 200)}"${firstAlert.source ? ` from ${clip(firstAlert.source, 100)}` : ''}`
    : firstTrigger
      ? `"${clip(firstTrigger.text, 200)}"`
      : 'the incident being opened';
  const acker = events.find((e) => e.kind === 'acknowledge')?.actor ?? inc.assignees[0]?.name ?? null;
  const detection =
    `Detected at ${formatTime(inc.createdAt)} UTC by ${detectedBy}. ` +
    (tta !== null
      ? `Acknowledged after ${Math.round(tta)} min${acker ? ` by ${acker}` : ''}.`
      : 'No acknowledgement is recorded.');

  const lessons: string[] = [];
  for (const s of sentences) {
    if (lessons.length >= 5) break;
    if (LESSON_CUES.test(s.text)) lessons.push(clip(s.text, 400));
  }
  if (tta !== null && tta > 30)
    lessons.push('Paging did not reach a responder quickly: review notification rules and escalation delays.');
  if (rootSentence === null)
    lessons.push('The cause was not written down during the incident: record hypotheses and findings as notes.');
  if (lessons.length === 0)
    lessons.push(`Review detection and response for ${CATEGORY_LABEL[f.category]} failures on ${serviceName}.`);

  let actionItems = extractActionItems(sentences, events, f.category);
  if (actionItems.length === 0) {
    actionItems = DEFAULT_ACTIONS[f.category].map((title) => ({
      title,
      owner: null,
      priority: priorityOf(title, f.category),
    }));
  }

  const duration =
    ttr ?? (Date.parse(events[events.length - 1]?.at ?? inc.createdAt) - Date.parse(inc.createdAt)) / 60_000;
  const services = [serviceName, ...f.affectedServices.filter((s) => s !== serviceName)].slice(0, 10);
  const impact =
    `${f.severity.toUpperCase()} ${inc.urgency ? `${inc.urgency}-urgency ` : ''}incident affecting ${services.join(', ')}` +
    `${f.customerFacing ? ' (customer-facing)' : ''} for ${Number.isFinite(duration) ? Math.round(duration) : 'an unknown number of'} minutes` +
    `${resolvedAt ? '' : ' so far'}. ${alertCount} alert${alertCount === 1 ? '' : 's'} fired.`;
  const summary =
    `${clip(inc.title, 300)} on ${serviceName}. Category: ${CATEGORY_LABEL[f.category]}; severity ${f.severity}. ` +
    (ttr !== null ? `Resolved after ${Math.round(ttr)} min. ` : 'Still open. ') +
    (rootSentence
      ? `Root cause recorded by the team: ${clip(rootSentence.text, 400)}`
      : 'No root cause was recorded yet.');

  return {
    title: clip(`Postmortem: ${inc.title}`, 300),
    summary: clip(summary, 7900),
    impact: clip(impact, 7900),
    timeline: selectTimeline(events).map((e) => ({
      at: formatTime(e.at),
      event: clip(e.actor && e.source !== 'alert' ? `${e.actor}: ${e.text}` : e.text, 300),
      source: e.source,
    })),
    rootCause: clip(rootCause, 7900),
    contributingFactors: contributing.slice(0, 20),
    detection: clip(detection, 7900),
    resolution: clip(resolution, 7900),
    actionItems,
    lessonsLearned: lessons.slice(0, 20),
    metrics: { timeToAcknowledgeMinutes: tta, timeToResolveMinutes: ttr, escalations, responders },
  };
}
