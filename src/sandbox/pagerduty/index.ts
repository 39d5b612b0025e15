/**
 * A stateful PagerDuty simulator on 127.0.0.1: REST API v2 (incidents, notes, log entries, alerts, on-calls,
 * schedules, escalation policies, services and dependencies, users, teams, priorities), Events API v2, v3
 * webhooks, PagerDuty's errors and rate limits, deterministic fault injection, and a seed organisation with
 * about 90 days of incident history. Clients talk to it exactly as to api.pagerduty.com.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Clock, sleep, systemClock } from '../../shared/clock.js';
import { type Logger, silentLogger } from '../../shared/logger.js';
import { PagerDutySimError } from './errors.js';
import { createFaultInjector, type FaultOptions } from './faults.js';
import { createIdFactory } from './ids.js';
import { type Actor, createIncidentMachine, type DomainEvent } from './incidents.js';
import { createEmptyState, type IncidentRecord, type IncidentStatus, type SimState } from './model.js';
import { onCallForLevel } from './oncall.js';
import { createRateLimiter } from './rate-limit.js';
import { type Json, type RenderContext, renderIncident, SANDBOX_HTML_BASE } from './render.js';
import { createRng } from './rng.js';
import { CASCADE_TITLES, fillTemplate } from './seed/history.js';
import { type SeedSummary, seedState } from './seed/index.js';
import { SCENARIOS } from './seed/scenarios.js';
import { createRequestHandler, type Exchange } from './server.js';
import { idsInState, type PagerDutySnapshot, snapshotState, stateFromSnapshot } from './snapshot.js';
import { isoUtc } from './time-zones.js';
import { createWebhookDispatcher, DEFAULT_WEBHOOK_RETRY, type WebhookRetryPolicy } from './webhooks.js';

export { PagerDutySimError } from './errors.js';
export type { FaultOptions, FaultRule, FaultSpec } from './faults.js';
export { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './incidents.js';
export type { SeedSummary } from './seed/org.js';
export type { Exchange } from './server.js';
export {
  PAGERDUTY_SNAPSHOT_VERSION,
  type PagerDutySnapshot,
  parsePagerDutySnapshot,
} from './snapshot.js';
export type { WebhookDeliveryRecord, WebhookRetryPolicy } from './webhooks.js';
export { signWebhookBody } from './webhooks.js';

export interface PagerDutySimulatorOptions {
  /** Default 0 (ephemeral); the host is always 127.0.0.1. */
  port?: number;
  /** Seeds the organisation, the history, generated ids and fault decisions (default 1). */
  seed?: number;
  /** On-call, timestamps and history are relative to it (default: the system clock). */
  clock?: Clock;
  /** Accepted API tokens (default `['sandbox-token']`). */
  tokens?: string[];
  /** `seed` (default): organisation + ~90 days of history + open incidents; `empty`: organisation only. */
  org?: 'seed' | 'empty';
  faults?: FaultOptions;
  logger?: Logger;
  /** Webhook retries (default 5 attempts after 1 s, 5 s, 15 s, 60 s). */
  webhookRetry?: WebhookRetryPolicy;
  /**
   * Real time from a change to its webhooks' first delivery attempt (default 0: at once). PagerDuty queues webhooks
   * and sends them asynchronously, so a client's API call usually returns well before its webhook arrives.
   */
  webhookLatencyMs?: number;
  /**
   * Start from this state (from `snapshot()`, checked with `parsePagerDutySnapshot`) instead of seeding: `seed` and
   * `org` are ignored, and new ids come from freshly forked streams (not reproducible), so none repeats one made
   * before, whether kept in the snapshot or not.
   */
  snapshot?: PagerDutySnapshot;
}

/** An incident as the REST API renders it (`GET /incidents/{id}`). */
export type Incident = Json & {
  id: string;
  incident_number: number;
  title: string;
  status: IncidentStatus;
  urgency: 'high' | 'low';
};

export interface OnCallNow {
  scheduleId: string | null;
  scheduleName: string | null;
  escalationPolicyId: string;
  level: number;
  user: { id: string; name: string; email: string };
  start: string | null;
  end: string | null;
}

export interface IncidentFilter {
  statuses?: IncidentStatus[];
  serviceIds?: string[];
  /** Most recent first; default 50. */
  limit?: number;
}

export interface PagerDutySimulator {
  /** REST base, e.g. `http://127.0.0.1:PORT` (paths at the root: `/incidents` …). */
  url: string;
  /** Events API v2 base (same server): `POST ${eventsUrl}/v2/enqueue`. */
  eventsUrl: string;
  /** The first accepted token. */
  token: string;
  org: SeedSummary;
  addWebhookSubscription(sub: { url: string; secret: string; events?: string[]; serviceIds?: string[] }): {
    id: string;
  };
  setFaults(faults: FaultOptions): void;
  /** Calls the listener after every request; returns the unsubscribe function. */
  onExchange(listener: (exchange: Exchange) => void): () => void;
  /** An alert-driven incident on a service (as monitoring would open it), through the state machine. */
  triggerIncident(input: { serviceId: string; title: string; urgency?: 'high' | 'low'; body?: string }): Incident;
  /** Many alerts at once, cascading along the dependency graph, spread over the last `withinMs`. */
  alertStorm(input: { count: number; serviceIds?: string[]; withinMs?: number; scenario?: string }): Incident[];
  /** Acknowledge as a person in the web UI (default: the first assignee). */
  acknowledge(incidentId: string, userEmail?: string): Incident;
  /** Resolve as a person in the web UI (default: the first assignee, else the first acknowledger). */
  resolve(incidentId: string, userEmail?: string): Incident;
  /** Read-only view of incidents, most recent first. */
  listIncidents(filter?: IncidentFilter): Incident[];
  /** Who is on call right now, per escalation policy and level. */
  oncallNow(): OnCallNow[];
  /** Resolves when queued webhook deliveries have finished (delivered, dropped or given up). */
  webhooksIdle(): Promise<void>;
  /**
   * The whole state as plain JSON (organisation, incidents, alerts, log entries, notes…), for a later
   * `startPagerDutySimulator({ snapshot })`. Webhook subscriptions and queued deliveries are not part of it.
   */
  snapshot(): PagerDutySnapshot;
  /** Grows with every change to the state (an incident change, a write request), so callers can save only when needed. */
  revision(): number;
  /** Closes the server, timers and pending webhook retries. */
  close(): Promise<void>;
}

const TICK_MS = 1_000;

/** Starts the simulator on 127.0.0.1 and resolves once it listens. */
export async function startPagerDutySimulator(options: PagerDutySimulatorOptions = {}): Promise<PagerDutySimulator> {
  const clock = options.clock ?? systemClock;
  const restored = options.snapshot;
  const seed = restored?.seed ?? options.seed ?? 1;
  // A restore forks every id stream (salted: two restarts from one snapshot must not repeat each other's ids, nor
  // X-Webhook-Ids a receiver has already seen), so ids made after it never repeat those made before.
  const generation = restored ? restored.generation + 1 : 0;
  const salt = restored ? randomBytes(6).toString('hex') : '';
  const fork = (label: string): string => (generation === 0 ? label : `${label}#${generation}.${salt}`);
  const tokens = options.tokens && options.tokens.length > 0 ? options.tokens : ['sandbox-token'];
  const logger = options.logger ?? silentLogger();
  const rng = createRng(seed, 'pagerduty');
  const ids = createIdFactory(rng.fork(fork('ids')));
  const state: SimState = restored ? stateFromSnapshot(restored) : createEmptyState();
  const render: RenderContext = { state, apiBase: 'http://127.0.0.1', htmlBase: SANDBOX_HTML_BASE, timeZone: 'UTC' };
  let dispatch: (event: DomainEvent) => void = () => {};
  let revision = 0;
  const machine = createIncidentMachine({
    state,
    ids,
    render,
    emit: (event) => {
      revision += 1;
      dispatch(event);
    },
  });
  const org = restored
    ? structuredClone(restored.org)
    : seedState({ state, machine, ids, rng }, clock.now(), options.org ?? 'seed');
  const runtimeRng = rng.fork(fork('runtime'));
  const runtimeIds = createIdFactory(runtimeRng.fork('ids'));
  if (restored) {
    const taken = idsInState(state);
    ids.reserve(taken);
    runtimeIds.reserve(taken);
  }

  const closing = new AbortController();
  const sockets = new Set<import('node:net').Socket>();
  const listeners = new Set<(exchange: Exchange) => void>();
  const faults = createFaultInjector(seed, options.faults ?? {});
  const webhooks = createWebhookDispatcher({
    clock,
    ids: runtimeIds,
    render,
    retry: options.webhookRetry ?? DEFAULT_WEBHOOK_RETRY,
    logger,
    latencyMs: options.webhookLatencyMs ?? 0,
  });
  dispatch = (event) => webhooks.dispatch(event);
  const tick = (): void => machine.tick(clock.now());
  // Resolves early (never rejects) when the simulator closes.
  const delay = (ms: number): Promise<void> => sleep(ms, closing.signal).catch(() => undefined);

  const handler = createRequestHandler({
    sim: { state, machine, ids },
    clock,
    render: () => render,
    tokens: new Set(tokens),
    rateLimiter: createRateLimiter(clock),
    faults,
    logger,
    tick,
    delay,
    onExchange: (exchange) => {
      if (exchange.method !== 'GET') revision += 1;
      for (const listener of listeners) {
        try {
          listener(exchange);
        } catch (error) {
          logger.warn({ err: error }, 'exchange listener failed');
        }
      }
    },
  });
  const server: Server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  render.apiBase = url;
  const timer = setInterval(tick, TICK_MS);
  timer.unref();

  const view = (incident: IncidentRecord): Incident => renderIncident(render, incident) as Incident;
  const userByEmail = (email: string) => {
    const user = [...state.users.values()].find((u) => u.email.toLowerCase() === email.toLowerCase());
    if (!user) throw new PagerDutySimError(400, 1008, 'Requester User Not Found', [email]);
    return user;
  };
  const websiteActor = (incident: IncidentRecord, email: string | undefined): Actor => {
    const id = email
      ? userByEmail(email).id
      : (incident.assignments[0]?.userId ?? incident.acknowledgements[0]?.userId ?? org.users[0]?.id ?? '');
    return { agent: { type: 'user', id }, via: 'website' };
  };

  function trigger(
    serviceId: string,
    title: string,
    at: number,
    extra: { urgency?: 'high' | 'low'; body?: string; severity?: 'critical' | 'error' | 'warning'; source?: string },
  ): IncidentRecord {
    const service = state.services.get(serviceId);
    if (!service) throw new PagerDutySimError(404, 2100, 'Not Found', [`Service ${serviceId} not found`]);
    if (title.trim() === '')
      throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', ['title must not be empty']);
    const key = runtimeIds.hex32();
    return machine.create(
      {
        serviceId,
        title,
        urgency: extra.urgency,
        incidentKey: key,
        bodyDetails: extra.body,
        alert: {
          integrationId: service.integrationIds[0] ?? null,
          alertKey: key,
          summary: title,
          severity: extra.severity ?? (extra.urgency === 'low' ? 'warning' : 'critical'),
          source: extra.source ?? `${service.name}.sandbox`,
          component: null,
          group: service.name,
          eventClass: null,
          details: extra.body ? { description: extra.body } : {},
          contexts: [],
        },
      },
      { agent: { type: 'service', id: serviceId }, via: 'events' },
      at,
    );
  }

  return {
    url,
    eventsUrl: url,
    token: tokens[0] as string,
    org,

    addWebhookSubscription(sub) {
      if (!/^https?:\/\//.test(sub.url))
        throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', ['url must be http(s)']);
      if (sub.secret === '')
        throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', ['secret must not be empty']);
      return webhooks.subscribe(sub);
    },

    setFaults(next) {
      faults.set(next);
    },

    onExchange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    triggerIncident(input) {
      tick();
      return view(trigger(input.serviceId, input.title, clock.now(), { urgency: input.urgency, body: input.body }));
    },

    alertStorm(input) {
      tick();
      if (!Number.isInteger(input.count) || input.count < 1 || input.count > 500) {
        throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', ['count must be an integer from 1 to 500']);
      }
      const scenario = input.scenario
        ? SCENARIOS.find((s) => s.key === input.scenario)
        : runtimeRng.pick(SCENARIOS.filter((s) => s.cascade !== undefined));
      if (!scenario) {
        throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', [
          `Unknown scenario "${input.scenario}"; known: ${SCENARIOS.map((s) => s.key).join(', ')}`,
        ]);
      }
      for (const id of input.serviceIds ?? []) {
        if (!state.services.has(id)) throw new PagerDutySimError(404, 2100, 'Not Found', [`Service ${id} not found`]);
      }
      // Start at a root service and walk its dependents, as a real outage cascades.
      const root =
        input.serviceIds?.[0] ??
        state.dependencies[runtimeRng.int(0, Math.max(0, state.dependencies.length - 1))]?.supportingServiceId ??
        [...state.services.keys()][0];
      if (!root) throw new PagerDutySimError(400, 2001, 'Invalid Input Provided', ['There are no services']);
      const order: string[] = input.serviceIds && input.serviceIds.length > 0 ? [...input.serviceIds] : [root];
      if (!input.serviceIds || input.serviceIds.length === 0) {
        for (let i = 0; i < order.length; i++) {
          for (const d of state.dependencies) {
            if (d.supportingServiceId === order[i] && !order.includes(d.dependentServiceId))
              order.push(d.dependentServiceId);
          }
        }
      }
      const now = clock.now();
      const within = Math.max(0, input.withinMs ?? 60_000);
      const rootName = state.services.get(root)?.name ?? root;
      const created: IncidentRecord[] = [];
      for (let i = 0; i < input.count; i++) {
        const serviceId = order[i % order.length] as string;
        const name = state.services.get(serviceId)?.name ?? serviceId;
        const vars = {
          svc: name,
          upstream: rootName,
          region: 'us-east-1',
          host: `${name}-${runtimeRng.hex(5)}`,
          pct: String(runtimeRng.int(20, 95)),
          n: String(runtimeRng.int(100, 9000)),
          endpoint: name,
          provider: 'upstream',
          version: 'latest',
          db: 'orders-db',
          queue: 'events',
          job: 'batch',
          pool: 'pool',
          flag: 'flag',
          table: 'table',
          domain: `${name}.example.com`,
        };
        const title =
          serviceId === root
            ? fillTemplate(runtimeRng.pick(scenario.titles), vars)
            : fillTemplate(runtimeRng.pick(CASCADE_TITLES), vars);
        const at = input.count === 1 ? now : now - within + Math.round((within * i) / (input.count - 1));
        created.push(trigger(serviceId, title, at, { severity: scenario.severity, source: vars.host }));
      }
      return created.map(view);
    },

    acknowledge(incidentId, userEmail) {
      tick();
      const incident = machine.getIncident(incidentId);
      if (incident.status === 'resolved') throw new PagerDutySimError(400, 1001, 'Incident Already Resolved');
      machine.acknowledge(incident, websiteActor(incident, userEmail), clock.now());
      return view(incident);
    },

    resolve(incidentId, userEmail) {
      tick();
      const incident = machine.getIncident(incidentId);
      machine.resolve(incident, websiteActor(incident, userEmail), clock.now());
      return view(incident);
    },

    listIncidents(filter = {}) {
      tick();
      const limit = filter.limit ?? 50;
      const out: Incident[] = [];
      for (let i = state.incidentOrder.length - 1; i >= 0 && out.length < limit; i--) {
        const incident = state.incidents.get(state.incidentOrder[i] as string);
        if (!incident) continue;
        if (filter.statuses && !filter.statuses.includes(incident.status)) continue;
        if (filter.serviceIds && !filter.serviceIds.includes(incident.serviceId)) continue;
        out.push(view(incident));
      }
      return out;
    },

    oncallNow() {
      const now = clock.now();
      const out: OnCallNow[] = [];
      for (const policy of state.escalationPolicies.values()) {
        for (let level = 1; level <= policy.rules.length; level++) {
          for (const entry of onCallForLevel(policy, level, now, state.schedules)) {
            const user = state.users.get(entry.userId);
            if (!user) continue;
            out.push({
              scheduleId: entry.scheduleId,
              scheduleName: entry.scheduleId ? (state.schedules.get(entry.scheduleId)?.name ?? null) : null,
              escalationPolicyId: policy.id,
              level,
              user: { id: user.id, name: user.name, email: user.email },
              start: entry.start === null ? null : isoUtc(entry.start),
              end: entry.end === null ? null : isoUtc(entry.end),
            });
          }
        }
      }
      return out;
    },

    webhooksIdle: () => webhooks.idle(),

    snapshot() {
      tick();
      return snapshotState({ state, org, seed, generation });
    },

    revision: () => revision,

    async close() {
      if (closing.signal.aborted) return;
      closing.abort();
      clearInterval(timer);
      await webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}
