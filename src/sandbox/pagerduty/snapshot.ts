/**
 * The simulator's state as plain JSON, so a sandbox can stop and start again where it was (the sandbox launcher
 * writes it under DATA_DIR). A snapshot carries a format version: a snapshot of another version is refused, never
 * half-read. Maps become `[key, value]` entry lists; records keep their shape (`model.ts`).
 */
import { z } from 'zod';
import { InvalidInputError } from '../../shared/errors.js';
import type { SimState } from './model.js';
import type { SeedSummary } from './seed/org.js';

/** Bump whenever a record shape in `model.ts` or `SeedSummary` changes. */
export const PAGERDUTY_SNAPSHOT_VERSION = 1;

const id = z.string().min(1);
const epochMs = z.number().finite();
const entries = <T extends z.ZodType>(value: T) => z.array(z.tuple([id, value]));
const agent = z.union([
  z.looseObject({ type: z.literal('user'), id }),
  z.looseObject({ type: z.literal('service'), id }),
  z.looseObject({ type: z.literal('integration'), id, serviceId: id }),
]);

const user = z.looseObject({ id, name: z.string(), email: z.string(), timeZone: z.string(), teamIds: z.array(id) });
const team = z.looseObject({ id, name: z.string() });
const layer = z.looseObject({
  id,
  start: epochMs,
  end: epochMs.nullable(),
  rotationVirtualStart: epochMs,
  turnLengthSeconds: z.number().positive(),
  userIds: z.array(id),
  restrictions: z.array(z.looseObject({ type: z.enum(['daily_restriction', 'weekly_restriction']) })),
});
const schedule = z.looseObject({ id, name: z.string(), timeZone: z.string(), layers: z.array(layer) });
const policy = z.looseObject({
  id,
  name: z.string(),
  numLoops: z.number().int().min(0),
  rules: z.array(
    z.looseObject({
      id,
      delayMinutes: z.number(),
      targets: z.array(z.object({ type: z.enum(['schedule', 'user']), id })),
    }),
  ),
});
const service = z.looseObject({
  id,
  name: z.string(),
  escalationPolicyId: id,
  integrationIds: z.array(id),
  urgency: z.enum(['high', 'low']),
});
const integration = z.looseObject({ id, serviceId: id, integrationKey: z.string() });
const incident = z.looseObject({
  id,
  number: z.number().int().positive(),
  title: z.string(),
  status: z.enum(['triggered', 'acknowledged', 'resolved']),
  urgency: z.enum(['high', 'low']),
  serviceId: id,
  escalationPolicyId: id,
  escalationLevel: z.number().int().min(1),
  createdAt: epochMs,
  updatedAt: epochMs,
  lastStatusChangeBy: agent,
  assignments: z.array(z.looseObject({ at: epochMs, userId: id })),
  acknowledgements: z.array(z.looseObject({ at: epochMs, userId: id })),
  alertIds: z.array(id),
  responders: z.array(z.looseObject({ userId: id })),
  responderRequestIds: z.array(id),
});
const alert = z.looseObject({ id, incidentId: id, serviceId: id, status: z.enum(['triggered', 'resolved']) });
const logEntry = z.looseObject({ id, type: z.string().endsWith('_log_entry'), createdAt: epochMs, incidentId: id });
const note = z.looseObject({ id, incidentId: id, content: z.string(), createdAt: epochMs });
const statusUpdate = z.looseObject({ id, incidentId: id, message: z.string(), createdAt: epochMs });
const responderRequest = z.looseObject({ id, incidentId: id });

const StateSchema = z.object({
  users: entries(user),
  teams: entries(team),
  schedules: entries(schedule),
  escalationPolicies: entries(policy),
  services: entries(service),
  integrations: entries(integration),
  priorities: z.array(z.looseObject({ id, name: z.string() })),
  dependencies: z.array(z.looseObject({ id, supportingServiceId: id, dependentServiceId: id })),
  incidents: entries(incident),
  incidentOrder: z.array(id),
  alerts: entries(alert),
  logEntries: entries(logEntry),
  logOrder: z.array(id),
  incidentLog: entries(z.array(id)),
  notes: entries(z.array(note)),
  statusUpdates: entries(z.array(statusUpdate)),
  responderRequests: entries(responderRequest),
  nextIncidentNumber: z.number().int().positive(),
});

const SummarySchema = z.looseObject({
  domain: z.string(),
  botUserEmail: z.string(),
  users: z.array(z.looseObject({ id, key: z.string(), name: z.string(), email: z.string(), timeZone: z.string() })),
  teams: z.array(z.looseObject({ id, key: z.string(), name: z.string() })),
  services: z.array(z.looseObject({ id, name: z.string(), escalationPolicyId: id, dependsOn: z.array(id) })),
  schedules: z.array(z.looseObject({ id, name: z.string() })),
  escalationPolicies: z.array(z.looseObject({ id, name: z.string() })),
  priorities: z.array(z.looseObject({ id, name: z.string() })),
});

const SnapshotSchema = z.object({
  kind: z.literal('pagerduty-simulator'),
  version: z.number().int(),
  seed: z.number().int(),
  generation: z.number().int().min(0),
  org: SummarySchema,
  state: StateSchema,
});

/** The state with its maps as `[key, value]` lists. */
export type SerializedSimState = {
  [K in keyof SimState]: SimState[K] extends Map<string, infer V> ? Array<[string, V]> : SimState[K];
};

export interface PagerDutySnapshot {
  kind: 'pagerduty-simulator';
  version: number;
  /** The seed the organisation was built from. */
  seed: number;
  /** How many times this state has been restored; forks the id streams so a restart never repeats an id. */
  generation: number;
  org: SeedSummary;
  state: SerializedSimState;
}

/** Plain JSON of the state (copies: later changes to the simulator do not show in it). */
export function snapshotState(input: {
  state: SimState;
  org: SeedSummary;
  seed: number;
  generation: number;
}): PagerDutySnapshot {
  const { state } = input;
  const list = <V>(map: Map<string, V>): Array<[string, V]> => [...map.entries()];
  return structuredClone<PagerDutySnapshot>({
    kind: 'pagerduty-simulator',
    version: PAGERDUTY_SNAPSHOT_VERSION,
    seed: input.seed,
    generation: input.generation,
    org: input.org,
    state: {
      users: list(state.users),
      teams: list(state.teams),
      schedules: list(state.schedules),
      escalationPolicies: list(state.escalationPolicies),
      services: list(state.services),
      integrations: list(state.integrations),
      priorities: state.priorities,
      dependencies: state.dependencies,
      incidents: list(state.incidents),
      incidentOrder: state.incidentOrder,
      alerts: list(state.alerts),
      logEntries: list(state.logEntries),
      logOrder: state.logOrder,
      incidentLog: list(state.incidentLog),
      notes: list(state.notes),
      statusUpdates: list(state.statusUpdates),
      responderRequests: list(state.responderRequests),
      nextIncidentNumber: state.nextIncidentNumber,
    },
  });
}

function refuse(problems: Array<{ path: string; message: string }>): never {
  throw new InvalidInputError(
    `not a usable PagerDuty simulator snapshot: ${problems
      .slice(0, 5)
      .map((p) => `${p.path}: ${p.message}`)
      .join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`,
    problems,
  );
}

/**
 * Checks a snapshot read back from disk: the version, every record's shape, and that references between records
 * resolve (an incident's service, the creation order, log entries, the next incident number). Throws
 * `InvalidInputError` naming what is wrong; nothing is restored from a snapshot that fails.
 */
export function parsePagerDutySnapshot(raw: unknown): PagerDutySnapshot {
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== PAGERDUTY_SNAPSHOT_VERSION) {
    refuse([
      { path: 'version', message: `is ${JSON.stringify(version)}; this simulator reads ${PAGERDUTY_SNAPSHOT_VERSION}` },
    ]);
  }
  const parsed = SnapshotSchema.safeParse(raw);
  if (!parsed.success) {
    refuse(parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(snapshot)', message: i.message })));
  }
  // The schema checks what the simulator relies on; the records' remaining fields are the model's own (same version).
  const snapshot = parsed.data as unknown as PagerDutySnapshot;
  const { state } = snapshot;
  const problems: Array<{ path: string; message: string }> = [];
  const services = new Set(state.services.map(([key]) => key));
  const incidents = new Set(state.incidents.map(([key]) => key));
  const logEntries = new Set(state.logEntries.map(([key]) => key));
  let maxNumber = 0;
  for (const [key, record] of state.incidents) {
    if (record.id !== key) problems.push({ path: `state.incidents.${key}`, message: `holds incident ${record.id}` });
    if (!services.has(record.serviceId)) {
      problems.push({ path: `state.incidents.${key}.serviceId`, message: `no service ${record.serviceId}` });
    }
    maxNumber = Math.max(maxNumber, record.number);
  }
  if (state.incidentOrder.length !== incidents.size || state.incidentOrder.some((i) => !incidents.has(i))) {
    problems.push({ path: 'state.incidentOrder', message: 'does not list exactly the incidents' });
  }
  if (state.logOrder.length !== logEntries.size || state.logOrder.some((i) => !logEntries.has(i))) {
    problems.push({ path: 'state.logOrder', message: 'does not list exactly the log entries' });
  }
  if (state.nextIncidentNumber <= maxNumber) {
    problems.push({ path: 'state.nextIncidentNumber', message: `must be above the highest number (${maxNumber})` });
  }
  for (const s of snapshot.org.services) {
    if (!services.has(s.id)) problems.push({ path: 'org.services', message: `no service ${s.id} in the state` });
  }
  if (problems.length > 0) refuse(problems);
  return snapshot;
}

/** The state a snapshot describes (fresh objects, owned by the caller). */
export function stateFromSnapshot(snapshot: PagerDutySnapshot): SimState {
  const copy = structuredClone(snapshot.state);
  return {
    users: new Map(copy.users),
    teams: new Map(copy.teams),
    schedules: new Map(copy.schedules),
    escalationPolicies: new Map(copy.escalationPolicies),
    services: new Map(copy.services),
    integrations: new Map(copy.integrations),
    priorities: copy.priorities,
    dependencies: copy.dependencies,
    incidents: new Map(copy.incidents),
    incidentOrder: copy.incidentOrder,
    alerts: new Map(copy.alerts),
    logEntries: new Map(copy.logEntries),
    logOrder: copy.logOrder,
    incidentLog: new Map(copy.incidentLog),
    notes: new Map(copy.notes),
    statusUpdates: new Map(copy.statusUpdates),
    responderRequests: new Map(copy.responderRequests),
    nextIncidentNumber: copy.nextIncidentNumber,
  };
}

const GENERATED_ID = /^(?:P[A-Z0-9]{6}|Q[A-Z0-9]{13}|R[A-Z0-9]{25}|01[0-9A-Z]{24}|[0-9a-f]{32})$/;

/** Every generated-looking id in a state (keys and values alike), so restored id factories skip them. */
export function idsInState(state: SimState): Set<string> {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      if (GENERATED_ID.test(value)) found.add(value);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (value instanceof Map) {
      for (const [key, item] of value) {
        visit(key);
        visit(item);
      }
    } else if (value !== null && typeof value === 'object') {
      for (const item of Object.values(value)) visit(item);
    }
  };
  visit(state);
  return found;
}
