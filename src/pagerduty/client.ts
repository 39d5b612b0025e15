import { z } from 'zod';
import { type Clock, sleep as realSleep, systemClock } from '../shared/clock.js';
import { AppError, ErrorCode, InvalidInputError } from '../shared/errors.js';
import { type Logger, silentLogger } from '../shared/logger.js';
import { type EndpointName, PAGERDUTY_ENDPOINTS } from './endpoints.js';
import { pagerDutyMalformed, type RequestSubject } from './errors.js';
import {
  type Alert,
  AlertListSchema,
  type EnqueueEvent,
  EnqueueEventSchema,
  type EnqueueResult,
  EnqueueResultSchema,
  type EscalationPolicy,
  EscalationPolicyEnvelopeSchema,
  EscalationPolicyListSchema,
  type Incident,
  IncidentEnvelopeSchema,
  IncidentListSchema,
  IncidentReferenceEnvelopeSchema,
  type IncidentStatus,
  type LogEntry,
  LogEntryListSchema,
  type Note,
  NoteEnvelopeSchema,
  NoteListSchema,
  type OnCall,
  OnCallListSchema,
  type Priority,
  PriorityListSchema,
  type Reference,
  type ResponderRequest,
  ResponderRequestEnvelopeSchema,
  type Schedule,
  ScheduleEnvelopeSchema,
  ScheduleListSchema,
  type Service,
  type ServiceDependency,
  ServiceDependencyListSchema,
  ServiceEnvelopeSchema,
  ServiceListSchema,
  type StatusUpdate,
  StatusUpdateEnvelopeSchema,
  type Team,
  TeamListSchema,
  type Urgency,
  type User,
  UserEnvelopeSchema,
  UserListSchema,
} from './models/index.js';
import { collectPages, DEFAULT_MAX_ITEMS, type ListResult, OFFSET_CAP } from './paginate.js';
import { pdjsFetch } from './pdjs-fetch.js';
import { createRateLimiter, PAGERDUTY_REQUESTS_PER_MINUTE } from './rate-limiter.js';
import { createTransport, type PagerDutyRequestEvent, type RetryPolicy } from './transport.js';

export type { PagerDutyRequestEvent } from './transport.js';

export const DEFAULT_PAGERDUTY_API_URL = 'https://api.pagerduty.com';
export const DEFAULT_PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com';
export const PAGERDUTY_ACCEPT = 'application/vnd.pagerduty+json;version=2';

export interface PagerDutyClientOptions {
  /** REST API key (sent as `Authorization: Token token=…`). */
  token: string;
  /** REST API base URL, default `https://api.pagerduty.com` (EU: `https://api.eu.pagerduty.com`). */
  baseUrl?: string;
  /** Events API base URL, default `https://events.pagerduty.com`. */
  eventsUrl?: string;
  /**
   * HTTP transport, default `@pagerduty/pdjs` (`pdjsFetch`). An injected `fetch` replaces pdjs (tests that need
   * to fail the transport itself); everything above it (timeouts, retries, limits, parsing) stays the same.
   */
  fetch?: typeof fetch;
  /**
   * Called once for every HTTP request as it ends (status or `error`, duration, 1-based request number), pdjs's
   * own 429 re-sends included: the hook for metrics. Must not throw (if it does, it is logged and ignored).
   */
  onRequest?: (event: PagerDutyRequestEvent) => void;
  clock?: Clock;
  /** Waits between retries and for the rate limiter; tests pass one that moves a manual clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter, default `Math.random`. */
  random?: () => number;
  logger?: Logger;
  /** Per-attempt timeout, default 10 000 ms. The request is aborted (socket closed) when it passes. */
  timeoutMs?: number;
  /** Total time one call may take across retries and waits, default 30 000 ms. */
  retryBudgetMs?: number;
  /** Retries after the first attempt, default 3. */
  maxRetries?: number;
  /** Client-side limit per minute, default 900; must stay under PagerDuty's 960. */
  rateLimitPerMinute?: number;
  userAgent?: string;
}

export interface ReadOptions {
  signal?: AbortSignal;
}

export interface ListOptions extends ReadOptions {
  /** Most items to collect across pages (default 1000, at most 10 000). */
  maxItems?: number;
}

/** Every write names the person it is done for; PagerDuty records them as the actor (`From` header). */
export interface WriteOptions {
  from: string;
  signal?: AbortSignal;
}

export type IncidentInclude =
  | 'acknowledgers'
  | 'agents'
  | 'assignees'
  | 'conference_bridge'
  | 'escalation_policies'
  | 'first_trigger_log_entries'
  | 'priorities'
  | 'services'
  | 'teams'
  | 'users';

export interface ListIncidentsParams extends ListOptions {
  statuses?: readonly IncidentStatus[];
  serviceIds?: readonly string[];
  teamIds?: readonly string[];
  userIds?: readonly string[];
  urgencies?: readonly Urgency[];
  /** ISO-8601 start; PagerDuty defaults to one month ago and allows at most six months. */
  since?: string;
  until?: string;
  /** `all` ignores since/until. */
  dateRange?: 'all';
  /** Up to two of `incident_number|created_at|resolved_at|urgency` with `:asc`/`:desc`. */
  sortBy?: readonly string[];
  incidentKey?: string;
  timeZone?: string;
  include?: readonly IncidentInclude[];
}

export interface CreateIncidentInput {
  title: string;
  serviceId: string;
  urgency?: Urgency;
  /** Free-text details shown on the incident. */
  details?: string;
  priorityId?: string;
  incidentKey?: string;
  escalationPolicyId?: string;
  assigneeIds?: readonly string[];
}

export interface IncidentChanges {
  status?: IncidentStatus;
  /** Only with `status: 'resolved'`; PagerDuty stores it as a note on the resolve log entry. */
  resolution?: string;
  urgency?: Urgency;
  priorityId?: string;
  title?: string;
  /** 1-based level of the incident's escalation policy; PagerDuty reassigns to that level's on-call. */
  escalationLevel?: number;
  assigneeIds?: readonly string[];
  escalationPolicyId?: string;
}

export interface ListLogEntriesParams extends ListOptions {
  since?: string;
  until?: string;
  timeZone?: string;
  /** Only the most important changes. */
  isOverview?: boolean;
  include?: readonly ('incidents' | 'services' | 'channels' | 'teams')[];
}

export interface ListIncidentAlertsParams extends ListOptions {
  statuses?: readonly ('triggered' | 'resolved')[];
  alertKey?: string;
  sortBy?: 'created_at' | 'resolved_at' | 'created_at:asc' | 'created_at:desc' | 'resolved_at:asc' | 'resolved_at:desc';
}

export interface ListOnCallsParams extends ListOptions {
  scheduleIds?: readonly string[];
  escalationPolicyIds?: readonly string[];
  userIds?: readonly string[];
  /** Only the earliest on-call per policy, level and user (who is "next"). */
  earliest?: boolean;
  timeZone?: string;
  since?: string;
  until?: string;
  include?: readonly ('escalation_policies' | 'users' | 'schedules')[];
}

export interface ResponderRequestInput {
  /** PagerDuty user id of the person asking. */
  requesterId: string;
  message: string;
  targets: readonly { type: 'user' | 'escalation_policy'; id: string }[];
}

export interface StatusUpdateInput {
  message: string;
  subject?: string;
  htmlMessage?: string;
}

/** The PagerDuty REST v2 (and Events v2) operations the bot uses. Method names match `PAGERDUTY_ENDPOINTS`. */
export interface PagerDutyClient {
  listIncidents(params?: ListIncidentsParams): Promise<ListResult<Incident>>;
  getIncident(id: string, options?: ReadOptions & { include?: readonly IncidentInclude[] }): Promise<Incident>;
  createIncident(input: CreateIncidentInput, options: WriteOptions): Promise<Incident>;
  updateIncident(id: string, changes: IncidentChanges, options: WriteOptions): Promise<Incident>;
  /** Merges `sourceIds` into `targetId` (the sources are resolved). Returns the surviving incident's reference. */
  mergeIncidents(targetId: string, sourceIds: readonly string[], options: WriteOptions): Promise<Reference>;
  snoozeIncident(id: string, durationSeconds: number, options: WriteOptions): Promise<Incident>;
  listIncidentNotes(id: string, options?: ReadOptions): Promise<ListResult<Note>>;
  createIncidentNote(id: string, content: string, options: WriteOptions): Promise<Note>;
  listIncidentLogEntries(id: string, params?: ListLogEntriesParams): Promise<ListResult<LogEntry>>;
  listIncidentAlerts(id: string, params?: ListIncidentAlertsParams): Promise<ListResult<Alert>>;
  createStatusUpdate(id: string, input: StatusUpdateInput, options: WriteOptions): Promise<StatusUpdate>;
  createResponderRequest(id: string, input: ResponderRequestInput, options: WriteOptions): Promise<ResponderRequest>;
  listLogEntries(params?: ListLogEntriesParams & { teamIds?: readonly string[] }): Promise<ListResult<LogEntry>>;
  listOnCalls(params?: ListOnCallsParams): Promise<ListResult<OnCall>>;
  listSchedules(
    params?: ListOptions & { query?: string; teamIds?: readonly string[]; timeZone?: string },
  ): Promise<ListResult<Schedule>>;
  /** With `since`/`until`, PagerDuty renders the layers and the final schedule for that window. */
  getSchedule(
    id: string,
    options?: ReadOptions & { since?: string; until?: string; timeZone?: string },
  ): Promise<Schedule>;
  listEscalationPolicies(
    params?: ListOptions & {
      query?: string;
      userIds?: readonly string[];
      teamIds?: readonly string[];
      include?: readonly ('services' | 'teams' | 'targets')[];
      sortBy?: 'name' | 'name:asc' | 'name:desc';
    },
  ): Promise<ListResult<EscalationPolicy>>;
  getEscalationPolicy(
    id: string,
    options?: ReadOptions & { include?: readonly ('services' | 'teams' | 'targets')[] },
  ): Promise<EscalationPolicy>;
  listServices(
    params?: ListOptions & {
      query?: string;
      teamIds?: readonly string[];
      include?: readonly ('escalation_policies' | 'teams' | 'integrations')[];
      sortBy?: 'name' | 'name:asc' | 'name:desc';
    },
  ): Promise<ListResult<Service>>;
  getService(
    id: string,
    options?: ReadOptions & { include?: readonly ('escalation_policies' | 'teams' | 'integrations')[] },
  ): Promise<Service>;
  getTechnicalServiceDependencies(id: string, options?: ReadOptions): Promise<ServiceDependency[]>;
  listUsers(params?: ListOptions & { query?: string; teamIds?: readonly string[] }): Promise<ListResult<User>>;
  getUser(id: string, options?: ReadOptions): Promise<User>;
  /** Exact (case-insensitive) email match, or `null` when nobody in the account has that email. */
  findUserByEmail(email: string, options?: ReadOptions): Promise<User | null>;
  listTeams(params?: ListOptions & { query?: string }): Promise<ListResult<Team>>;
  listPriorities(params?: ListOptions): Promise<ListResult<Priority>>;
  /** Sends an Events API v2 event (routing key in the body, no API key). */
  enqueueEvent(event: EnqueueEvent, options?: ReadOptions): Promise<EnqueueResult>;
}

const OptionsSchema = z.object({
  token: z.string().trim().min(1, 'a PagerDuty API key is required'),
  baseUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_PAGERDUTY_API_URL),
  eventsUrl: z.url({ protocol: /^https?$/ }).default(DEFAULT_PAGERDUTY_EVENTS_URL),
  timeoutMs: z.number().int().min(1).max(300_000).default(10_000),
  retryBudgetMs: z.number().int().min(1).max(600_000).default(30_000),
  maxRetries: z.number().int().min(0).max(10).default(3),
  rateLimitPerMinute: z
    .number()
    .int()
    .min(1)
    .max(PAGERDUTY_REQUESTS_PER_MINUTE - 1)
    .default(900),
  userAgent: z.string().min(1).default(`incident-bot (node ${process.version})`),
});

/** PagerDuty object ids are short alphanumerics; anything else is refused before it reaches a URL path. */
const IdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/, 'expected a PagerDuty id such as PABC123 (letters and digits)');
const FromSchema = z.email();

type QueryValue = string | number | boolean | readonly string[] | undefined;

function buildQuery(url: URL, query: Record<string, QueryValue>): void {
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) url.searchParams.append(`${key}[]`, String(item));
    } else {
      url.searchParams.append(key, String(value));
    }
  }
}

function checkId(id: string, parameter: string): string {
  const parsed = IdSchema.safeParse(id);
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'invalid id';
    throw new InvalidInputError(`Invalid ${parameter}: ${message}`, [{ path: parameter, message }]);
  }
  return parsed.data;
}

function checkIds(ids: readonly string[] | undefined, parameter: string): readonly string[] | undefined {
  if (ids === undefined) return undefined;
  ids.forEach((id, i) => {
    checkId(id, `${parameter}[${i}]`);
  });
  return ids;
}

function checkFrom(options: WriteOptions | undefined): string {
  const from = options?.from;
  if (typeof from !== 'string' || from.trim() === '') {
    throw new AppError(
      ErrorCode.MissingActor,
      "PagerDuty writes need the acting person's email (From header); none was given, so nothing was sent",
    );
  }
  if (!FromSchema.safeParse(from.trim()).success) {
    throw new AppError(
      ErrorCode.MissingActor,
      `PagerDuty writes need the acting person's email (From header); "${from}" is not an email address, so nothing was sent`,
    );
  }
  return from.trim();
}

function checkMaxItems(maxItems: number | undefined): number {
  if (maxItems === undefined) return DEFAULT_MAX_ITEMS;
  if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > OFFSET_CAP) {
    const message = `must be a whole number between 1 and ${OFFSET_CAP}`;
    throw new InvalidInputError(`Invalid maxItems: ${message}`, [{ path: 'maxItems', message }]);
  }
  return maxItems;
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}

/**
 * Creates the PagerDuty client. Requests go through `@pagerduty/pdjs` 2.2.4 (`pdjsFetch`), wrapped by the
 * transport, which owns what pdjs lacks or gets wrong: status checks and typed errors (pdjs resolves 4xx/5xx), a
 * real per-attempt timeout (pdjs's is a no-op; ours aborts the socket), bounded retries honouring
 * `ratelimit-reset`/`Retry-After` within a total budget (pdjs re-sends a 429 three times after a fixed wait, which
 * we shorten and count against the client-side rate limit), capped pagination, zod-parsed responses and the
 * `From` header. Residual pdjs behaviour and why it is wrapped this way: `docs/PAGERDUTY.md`.
 */
export function createPagerDutyClient(options: PagerDutyClientOptions): PagerDutyClient {
  const parsedOptions = OptionsSchema.safeParse(options);
  if (!parsedOptions.success) {
    throw new AppError(
      ErrorCode.ConfigInvalid,
      `Invalid PagerDuty client options: ${formatIssues(parsedOptions.error)}`,
    );
  }
  const opts = parsedOptions.data;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger();
  const fetchImpl: typeof fetch = options.fetch ?? pdjsFetch;
  const restBase = opts.baseUrl.replace(/\/+$/, '');
  const eventsBase = opts.eventsUrl.replace(/\/+$/, '');
  const transport = createTransport({
    fetch: fetchImpl,
    clock,
    sleep: options.sleep ?? realSleep,
    random: options.random ?? Math.random,
    logger,
    limiter: createRateLimiter({ perMinute: opts.rateLimitPerMinute, clock }),
    timeoutMs: opts.timeoutMs,
    retryBudgetMs: opts.retryBudgetMs,
    maxRetries: opts.maxRetries,
    backoffBaseMs: 250,
    backoffCapMs: 8_000,
    ...(options.onRequest ? { onRequest: options.onRequest } : {}),
  });

  interface CallSpec<S extends z.ZodType> {
    endpoint: EndpointName;
    id?: string;
    query?: Record<string, QueryValue>;
    body?: unknown;
    from?: string;
    schema: S;
    subject?: RequestSubject;
    signal?: AbortSignal | undefined;
    retry?: RetryPolicy;
  }

  async function call<S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> {
    const endpoint = PAGERDUTY_ENDPOINTS[spec.endpoint];
    const base = endpoint.api === 'rest' ? restBase : eventsBase;
    const path = spec.id === undefined ? endpoint.path : endpoint.path.replace('{id}', encodeURIComponent(spec.id));
    const url = new URL(`${base}${path}`);
    if (spec.query) buildQuery(url, spec.query);
    const headers: Record<string, string> = { 'User-Agent': opts.userAgent };
    if (endpoint.api === 'rest') {
      headers.Accept = PAGERDUTY_ACCEPT;
      headers.Authorization = `Token token=${opts.token}`;
    } else {
      headers.Accept = 'application/json';
    }
    if (spec.body !== undefined) headers['Content-Type'] = 'application/json';
    if (spec.from !== undefined) headers.From = spec.from;
    const response = await transport({
      method: endpoint.method,
      url,
      endpoint: endpoint.path,
      headers,
      body: spec.body,
      retry: spec.retry ?? (endpoint.write ? 'write' : 'read'),
      ...(spec.subject ? { subject: spec.subject } : {}),
      ...(spec.signal ? { signal: spec.signal } : {}),
    });
    const parsed = spec.schema.safeParse(response.body);
    if (!parsed.success) {
      throw pagerDutyMalformed(
        `PagerDuty answered ${endpoint.method} ${endpoint.path} with an unexpected body: ${formatIssues(parsed.error)}`,
        { endpoint: endpoint.path, status: response.status },
      );
    }
    return parsed.data;
  }

  async function list<T, S extends z.ZodType>(
    endpoint: EndpointName,
    key: string,
    schema: S,
    params: {
      id?: string;
      query: Record<string, QueryValue>;
      maxItems?: number | undefined;
      signal?: AbortSignal | undefined;
      subject?: RequestSubject;
    },
  ): Promise<ListResult<T>> {
    const maxItems = checkMaxItems(params.maxItems);
    return collectPages<T>(async (offset, limit) => {
      const page = (await call({
        endpoint,
        ...(params.id === undefined ? {} : { id: params.id }),
        query: { ...params.query, limit, offset },
        schema,
        signal: params.signal,
        ...(params.subject ? { subject: params.subject } : {}),
      })) as Record<string, unknown> & { more?: boolean | null };
      return { items: page[key] as T[], more: page.more === true };
    }, maxItems);
  }

  const incidentSubject = (id: string): RequestSubject => ({ resource: 'Incident', id });

  /** `GET /<things>/{id}`: checks the id, names the thing in a 404. */
  function getOne<S extends z.ZodType>(
    endpoint: EndpointName,
    resource: string,
    id: string,
    schema: S,
    options: ReadOptions & { query?: Record<string, QueryValue> },
  ): Promise<z.output<S>> {
    return call({
      endpoint,
      id: checkId(id, `${resource.toLowerCase()} id`),
      ...(options.query ? { query: options.query } : {}),
      schema,
      subject: { resource, id },
      signal: options.signal,
    });
  }

  /** A write on one incident, on behalf of `options.from` (checked before anything is sent). */
  function writeIncident<S extends z.ZodType>(
    endpoint: EndpointName,
    id: string,
    body: unknown,
    schema: S,
    options: WriteOptions,
  ): Promise<z.output<S>> {
    const from = checkFrom(options);
    return call({ endpoint, id, body, from, schema, subject: incidentSubject(id), signal: options.signal });
  }

  const client: PagerDutyClient = {
    async listIncidents(params = {}) {
      checkIds(params.serviceIds, 'serviceIds');
      checkIds(params.teamIds, 'teamIds');
      checkIds(params.userIds, 'userIds');
      return list<Incident, typeof IncidentListSchema>('listIncidents', 'incidents', IncidentListSchema, {
        query: {
          statuses: params.statuses,
          service_ids: params.serviceIds,
          team_ids: params.teamIds,
          user_ids: params.userIds,
          urgencies: params.urgencies,
          since: params.since,
          until: params.until,
          date_range: params.dateRange,
          sort_by: params.sortBy && params.sortBy.length > 0 ? params.sortBy.join(',') : undefined,
          incident_key: params.incidentKey,
          time_zone: params.timeZone,
          include: params.include,
        },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async getIncident(id, options = {}) {
      const query = { include: options.include };
      return (await getOne('getIncident', 'Incident', id, IncidentEnvelopeSchema, { ...options, query })).incident;
    },

    async createIncident(input, options) {
      checkId(input.serviceId, 'serviceId');
      if (input.priorityId !== undefined) checkId(input.priorityId, 'priorityId');
      if (input.escalationPolicyId !== undefined) checkId(input.escalationPolicyId, 'escalationPolicyId');
      checkIds(input.assigneeIds, 'assigneeIds');
      const from = checkFrom(options);
      const incident: Record<string, unknown> = {
        type: 'incident',
        title: input.title,
        service: { id: input.serviceId, type: 'service_reference' },
      };
      if (input.urgency) incident.urgency = input.urgency;
      if (input.details !== undefined) incident.body = { type: 'incident_body', details: input.details };
      if (input.priorityId) incident.priority = { id: input.priorityId, type: 'priority_reference' };
      if (input.incidentKey) incident.incident_key = input.incidentKey;
      if (input.escalationPolicyId) {
        incident.escalation_policy = { id: input.escalationPolicyId, type: 'escalation_policy_reference' };
      }
      if (input.assigneeIds && input.assigneeIds.length > 0) {
        incident.assignments = input.assigneeIds.map((id) => ({ assignee: { id, type: 'user_reference' } }));
      }
      const data = await call({
        endpoint: 'createIncident',
        body: { incident },
        from,
        schema: IncidentEnvelopeSchema,
        subject: { resource: 'Service', id: input.serviceId },
        signal: options.signal,
      });
      return data.incident;
    },

    async updateIncident(id, changes, options) {
      checkId(id, 'incident id');
      if (changes.priorityId !== undefined) checkId(changes.priorityId, 'priorityId');
      if (changes.escalationPolicyId !== undefined) checkId(changes.escalationPolicyId, 'escalationPolicyId');
      checkIds(changes.assigneeIds, 'assigneeIds');
      const incident: Record<string, unknown> = { type: 'incident_reference' };
      if (changes.status !== undefined) incident.status = changes.status;
      if (changes.resolution !== undefined) incident.resolution = changes.resolution;
      if (changes.urgency !== undefined) incident.urgency = changes.urgency;
      if (changes.priorityId !== undefined) incident.priority = { id: changes.priorityId, type: 'priority_reference' };
      if (changes.title !== undefined) incident.title = changes.title;
      if (changes.escalationLevel !== undefined) incident.escalation_level = changes.escalationLevel;
      if (changes.assigneeIds !== undefined) {
        incident.assignments = changes.assigneeIds.map((a) => ({ assignee: { id: a, type: 'user_reference' } }));
      }
      if (changes.escalationPolicyId !== undefined) {
        incident.escalation_policy = { id: changes.escalationPolicyId, type: 'escalation_policy_reference' };
      }
      if (Object.keys(incident).length === 1) {
        throw new InvalidInputError('Nothing to update: give at least one change', [
          { path: 'changes', message: 'at least one change is required' },
        ]);
      }
      return (await writeIncident('updateIncident', id, { incident }, IncidentEnvelopeSchema, options)).incident;
    },

    async mergeIncidents(targetId, sourceIds, options) {
      checkId(targetId, 'target incident id');
      checkIds(sourceIds, 'sourceIds');
      if (sourceIds.length === 0) {
        throw new InvalidInputError('Nothing to merge: give at least one source incident', [
          { path: 'sourceIds', message: 'at least one incident id is required' },
        ]);
      }
      const data = await writeIncident(
        'mergeIncidents',
        targetId,
        { source_incidents: sourceIds.map((id) => ({ id, type: 'incident_reference' })) },
        IncidentReferenceEnvelopeSchema,
        options,
      );
      return data.incident;
    },

    async snoozeIncident(id, durationSeconds, options) {
      checkId(id, 'incident id');
      if (!Number.isInteger(durationSeconds) || durationSeconds < 1 || durationSeconds > 604_800) {
        const message = 'must be a whole number of seconds between 1 and 604800 (7 days)';
        throw new InvalidInputError(`Invalid durationSeconds: ${message}`, [{ path: 'durationSeconds', message }]);
      }
      const data = await writeIncident(
        'snoozeIncident',
        id,
        { duration: durationSeconds },
        IncidentEnvelopeSchema,
        options,
      );
      return data.incident;
    },

    async listIncidentNotes(id, options = {}) {
      const data = await getOne('listIncidentNotes', 'Incident', id, NoteListSchema, options);
      return { items: data.notes, truncated: false };
    },

    async createIncidentNote(id, content, options) {
      checkId(id, 'incident id');
      if (typeof content !== 'string' || content.trim() === '') {
        throw new InvalidInputError('A note needs some content', [{ path: 'content', message: 'must not be empty' }]);
      }
      const data = await writeIncident('createIncidentNote', id, { note: { content } }, NoteEnvelopeSchema, options);
      return data.note;
    },

    async listIncidentLogEntries(id, params = {}) {
      checkId(id, 'incident id');
      return list<LogEntry, typeof LogEntryListSchema>('listIncidentLogEntries', 'log_entries', LogEntryListSchema, {
        id,
        query: {
          since: params.since,
          until: params.until,
          time_zone: params.timeZone,
          is_overview: params.isOverview,
          include: params.include,
        },
        maxItems: params.maxItems,
        signal: params.signal,
        subject: incidentSubject(id),
      });
    },

    async listIncidentAlerts(id, params = {}) {
      checkId(id, 'incident id');
      return list<Alert, typeof AlertListSchema>('listIncidentAlerts', 'alerts', AlertListSchema, {
        id,
        query: { statuses: params.statuses, alert_key: params.alertKey, sort_by: params.sortBy },
        maxItems: params.maxItems,
        signal: params.signal,
        subject: incidentSubject(id),
      });
    },

    async createStatusUpdate(id, input, options) {
      checkId(id, 'incident id');
      if (typeof input.message !== 'string' || input.message.trim() === '') {
        throw new InvalidInputError('A status update needs a message', [
          { path: 'message', message: 'must not be empty' },
        ]);
      }
      const body: Record<string, unknown> = { message: input.message };
      if (input.subject !== undefined) body.subject = input.subject;
      if (input.htmlMessage !== undefined) body.html_message = input.htmlMessage;
      return (await writeIncident('createStatusUpdate', id, body, StatusUpdateEnvelopeSchema, options)).status_update;
    },

    async createResponderRequest(id, input, options) {
      checkId(id, 'incident id');
      checkId(input.requesterId, 'requesterId');
      if (input.targets.length === 0) {
        throw new InvalidInputError('A responder request needs at least one user or escalation policy', [
          { path: 'targets', message: 'at least one target is required' },
        ]);
      }
      input.targets.forEach((t, i) => {
        checkId(t.id, `targets[${i}].id`);
      });
      if (typeof input.message !== 'string' || input.message.trim() === '') {
        throw new InvalidInputError('A responder request needs a message', [
          { path: 'message', message: 'must not be empty' },
        ]);
      }
      const body = {
        requester_id: input.requesterId,
        message: input.message,
        responder_request_targets: input.targets.map((t) => ({
          responder_request_target: {
            id: t.id,
            type: t.type === 'user' ? 'user_reference' : 'escalation_policy_reference',
          },
        })),
      };
      const data = await writeIncident('createResponderRequest', id, body, ResponderRequestEnvelopeSchema, options);
      return data.responder_request;
    },

    async listLogEntries(params = {}) {
      checkIds(params.teamIds, 'teamIds');
      return list<LogEntry, typeof LogEntryListSchema>('listLogEntries', 'log_entries', LogEntryListSchema, {
        query: {
          since: params.since,
          until: params.until,
          time_zone: params.timeZone,
          is_overview: params.isOverview,
          include: params.include,
          team_ids: params.teamIds,
        },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async listOnCalls(params = {}) {
      checkIds(params.scheduleIds, 'scheduleIds');
      checkIds(params.escalationPolicyIds, 'escalationPolicyIds');
      checkIds(params.userIds, 'userIds');
      return list<OnCall, typeof OnCallListSchema>('listOnCalls', 'oncalls', OnCallListSchema, {
        query: {
          schedule_ids: params.scheduleIds,
          escalation_policy_ids: params.escalationPolicyIds,
          user_ids: params.userIds,
          earliest: params.earliest,
          time_zone: params.timeZone,
          since: params.since,
          until: params.until,
          include: params.include,
        },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async listSchedules(params = {}) {
      checkIds(params.teamIds, 'teamIds');
      return list<Schedule, typeof ScheduleListSchema>('listSchedules', 'schedules', ScheduleListSchema, {
        query: { query: params.query, team_ids: params.teamIds, time_zone: params.timeZone },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async getSchedule(id, options = {}) {
      const query = { since: options.since, until: options.until, time_zone: options.timeZone };
      return (await getOne('getSchedule', 'Schedule', id, ScheduleEnvelopeSchema, { ...options, query })).schedule;
    },

    async listEscalationPolicies(params = {}) {
      checkIds(params.userIds, 'userIds');
      checkIds(params.teamIds, 'teamIds');
      return list<EscalationPolicy, typeof EscalationPolicyListSchema>(
        'listEscalationPolicies',
        'escalation_policies',
        EscalationPolicyListSchema,
        {
          query: {
            query: params.query,
            user_ids: params.userIds,
            team_ids: params.teamIds,
            include: params.include,
            sort_by: params.sortBy,
          },
          maxItems: params.maxItems,
          signal: params.signal,
        },
      );
    },

    async getEscalationPolicy(id, options = {}) {
      const query = { include: options.include };
      const data = await getOne('getEscalationPolicy', 'Escalation policy', id, EscalationPolicyEnvelopeSchema, {
        ...options,
        query,
      });
      return data.escalation_policy;
    },

    async listServices(params = {}) {
      checkIds(params.teamIds, 'teamIds');
      return list<Service, typeof ServiceListSchema>('listServices', 'services', ServiceListSchema, {
        query: { query: params.query, team_ids: params.teamIds, include: params.include, sort_by: params.sortBy },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async getService(id, options = {}) {
      const query = { include: options.include };
      return (await getOne('getService', 'Service', id, ServiceEnvelopeSchema, { ...options, query })).service;
    },

    async getTechnicalServiceDependencies(id, options = {}) {
      return (await getOne('getTechnicalServiceDependencies', 'Service', id, ServiceDependencyListSchema, options))
        .relationships;
    },

    async listUsers(params = {}) {
      checkIds(params.teamIds, 'teamIds');
      return list<User, typeof UserListSchema>('listUsers', 'users', UserListSchema, {
        query: { query: params.query, team_ids: params.teamIds },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async getUser(id, options = {}) {
      return (await getOne('getUser', 'User', id, UserEnvelopeSchema, options)).user;
    },

    async findUserByEmail(email, options = {}) {
      const wanted = typeof email === 'string' ? email.trim() : '';
      if (!FromSchema.safeParse(wanted).success) {
        throw new InvalidInputError(`Invalid email: "${String(email)}" is not an email address`, [
          { path: 'email', message: 'expected an email address' },
        ]);
      }
      const users = await client.listUsers({
        query: wanted,
        maxItems: 100,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      const lower = wanted.toLowerCase();
      return users.items.find((u) => u.email.toLowerCase() === lower) ?? null;
    },

    async listTeams(params = {}) {
      return list<Team, typeof TeamListSchema>('listTeams', 'teams', TeamListSchema, {
        query: { query: params.query },
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async listPriorities(params = {}) {
      return list<Priority, typeof PriorityListSchema>('listPriorities', 'priorities', PriorityListSchema, {
        query: {},
        maxItems: params.maxItems,
        signal: params.signal,
      });
    },

    async enqueueEvent(event, options = {}) {
      const parsed = EnqueueEventSchema.safeParse(event);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
        throw new InvalidInputError(`Invalid event: ${formatIssues(parsed.error)}`, issues);
      }
      return call({
        endpoint: 'enqueueEvent',
        body: parsed.data,
        schema: EnqueueResultSchema,
        signal: options.signal,
        // An event with a dedup key is idempotent, and PagerDuty asks for retries on 5xx (Events API docs).
        retry: parsed.data.dedup_key === undefined ? 'write' : 'idempotent-write',
      });
    },
  };
  return client;
}
