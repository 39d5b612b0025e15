/**
 * The seed history: about 90 days of incidents before the clock's now, replayed through the real state machine
 * in time order (so assignments follow the schedules of the day, unacknowledged pages escalate on their own,
 * snoozes end and merges resolve their sources exactly as they would live), plus a handful of incidents still
 * open at the end.
 */

import type { IdFactory } from '../ids.js';
import type { Actor, IncidentMachine } from '../incidents.js';
import type { IncidentRecord, SimState } from '../model.js';
import type { Rng } from '../rng.js';
import type { SeedOrg, ServiceKey } from './org.js';
import { REGIONS, SCENARIOS, type Scenario, SERVICE_CONTEXT } from './scenarios.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
export const HISTORY_DAYS = 90;

interface HistoryDeps {
  state: SimState;
  machine: IncidentMachine;
  ids: IdFactory;
  rng: Rng;
  org: SeedOrg;
  now: number;
}

interface PlannedAction {
  at: number;
  seq: number;
  run(at: number): void;
}

/** Titles of the incidents a failing service causes on the services that depend on it. */
export const CASCADE_TITLES = [
  '{svc}: elevated errors calling {upstream}',
  '{svc} degraded: upstream {upstream} timing out',
  '{svc}: dependency {upstream} unhealthy, circuit breaker open',
  '{svc} latency SLO at risk (waiting on {upstream})',
];

const TEAM_OF: Record<ServiceKey, 'payments' | 'platform' | 'discovery'> = {
  'payments-api': 'payments',
  'checkout-web': 'payments',
  'orders-db': 'platform',
  'auth-service': 'platform',
  'cdn-edge': 'platform',
  search: 'discovery',
  notifications: 'discovery',
  'inventory-api': 'discovery',
};

const TEAM_PEOPLE: Record<'payments' | 'platform' | 'discovery', string[]> = {
  payments: ['maya', 'daniel', 'priya', 'lucas', 'rachel'],
  platform: ['sofia', 'kenji', 'hannah', 'omar', 'grace', 'marco'],
  discovery: ['tom', 'aisha', 'liam', 'nadia'],
};

const MANAGER: Record<'payments' | 'platform' | 'discovery', string> = {
  payments: 'rachel',
  platform: 'marco',
  discovery: 'nadia',
};

/** Fills `{name}` placeholders; unknown names stay as written. */
export function fillTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{([a-z]+)\}/g, (match, name: string) => vars[name] ?? match);
}

function incidentVars(rng: Rng, service: ServiceKey, at: number): Record<string, string> {
  const ctx = SERVICE_CONTEXT[service];
  const pick = (key: string): string => rng.pick(ctx[key] ?? ['unknown']);
  const date = new Date(at);
  const week = Math.ceil(((at - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY + 1) / 7);
  return {
    svc: service,
    region: rng.pick(REGIONS),
    host: pick('host'),
    endpoint: pick('endpoint'),
    provider: pick('provider'),
    db: pick('db'),
    queue: pick('queue'),
    job: pick('job'),
    pool: pick('pool'),
    flag: pick('flag'),
    table: pick('table'),
    domain: pick('domain'),
    version: `v${String(date.getUTCFullYear()).slice(2)}.${String(week).padStart(2, '0')}.${rng.int(1, 9)}`,
    pct: String(rng.pick([7, 12, 18, 23, 31, 46, 62, 88, 93, 97])),
    n: String(rng.pick([12, 37, 140, 512, 1800, 4200, 12000, 86000])),
  };
}

/** Picks when an incident starts on a given day: working hours (UTC 08–21) or off-hours. */
function startTime(rng: Rng, dayStart: number, businessHours: boolean): number {
  const offHours = businessHours ? rng.chance(0.15) : rng.chance(0.4);
  const hour = offHours ? rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 22, 23]) : rng.int(8, 20);
  return dayStart + hour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000;
}

function ackDelayMinutes(rng: Rng, at: number): number {
  const hour = new Date(at).getUTCHours();
  const night = hour < 7 || hour >= 22;
  if (rng.chance(night ? 0.2 : 0.08)) return rng.int(16, 55); // missed page: escalates first
  return night ? rng.int(3, 14) : rng.int(1, 8);
}

/** Builds the history into a state that already holds the organisation. */
export function buildSeedHistory(deps: HistoryDeps): void {
  const { state, machine, rng, org, now } = deps;
  const actions: PlannedAction[] = [];
  let seq = 0;
  const plan = (at: number, run: (at: number) => void): void => {
    actions.push({ at, seq: seq++, run });
  };
  const userId = (key: string): string => org.userIds[key] as string;
  const userActor = (id: string): Actor => ({ agent: { type: 'user', id }, via: rng.chance(0.7) ? 'website' : 'api' });
  const integrationOf = (service: ServiceKey): string => {
    const record = state.services.get(org.serviceIds[service]);
    return record?.integrationIds[0] ?? '';
  };

  const weighted = SCENARIOS.map((s) => [s, s.weight] as const);
  const historyStart = Math.floor((now - HISTORY_DAYS * DAY) / DAY) * DAY;
  const openWindowStart = now - 6 * HOUR;

  /** Plans one incident from trigger to resolution. Returns a handle to the created incident. */
  function planIncident(
    scenario: Scenario,
    service: ServiceKey,
    t0: number,
    vars: Record<string, string>,
    options: {
      title?: string;
      cascadeOf?: { get(): IncidentRecord | undefined };
      open?: 'triggered' | 'acknowledged' | 'snoozed';
    } = {},
  ): { get(): IncidentRecord | undefined } {
    let incident: IncidentRecord | undefined;
    const handle = { get: () => incident };
    const team = TEAM_OF[service];
    const viaEvents = options.cascadeOf !== undefined || rng.chance(0.85);
    const title = options.title ?? fillTemplate(rng.pick(scenario.titles), vars);
    const alertSummary = fillTemplate(rng.pick(scenario.alerts), vars);
    const reporter = userId(rng.pick(TEAM_PEOPLE[team]));
    plan(t0, (at) => {
      if (viaEvents) {
        // Shaped like monitoring dedup keys: host, check, and a per-occurrence suffix.
        const key = `${vars.host ?? service}:${scenario.component.replace(/ /g, '_')}:${deps.ids.hex32().slice(0, 8)}`;
        incident = machine.create(
          {
            serviceId: org.serviceIds[service],
            title,
            urgency: scenario.urgency,
            incidentKey: key,
            alert: {
              integrationId: integrationOf(service),
              alertKey: key,
              summary: alertSummary,
              severity: scenario.severity,
              source: vars.host ?? service,
              component: scenario.component,
              group: service,
              eventClass: scenario.eventClass,
              details: {
                region: vars.region,
                host: vars.host,
                metric_value: vars.pct,
                runbook_url: `https://runbooks.example.com/${service}/${scenario.key}`,
                dashboard: `https://grafana.example.com/d/${service}`,
              },
              contexts: [
                { type: 'link', href: `https://runbooks.example.com/${service}/${scenario.key}`, text: 'Runbook' },
              ],
            },
          },
          { agent: { type: 'service', id: org.serviceIds[service] }, via: 'events' },
          at,
        );
      } else {
        incident = machine.create(
          {
            serviceId: org.serviceIds[service],
            title,
            urgency: scenario.urgency,
            bodyDetails: `Reported by a customer-facing team: ${alertSummary}`,
          },
          { agent: { type: 'user', id: reporter }, via: 'website' },
          at,
        );
      }
    });
    if (options.open === 'triggered') return handle;

    const ackAt = t0 + ackDelayMinutes(rng, t0) * MINUTE + rng.int(0, 59) * 1000;
    let acker: string | undefined;
    plan(ackAt, (at) => {
      if (incident?.status !== 'triggered') return;
      acker = incident.assignments[0]?.userId ?? reporter;
      machine.acknowledge(incident, userActor(acker), at);
    });
    const [minDur, maxDur] = scenario.durationMinutes;
    const duration = rng.int(minDur, maxDur) * MINUTE;
    const resolveAt = ackAt + duration;
    const priority = rng.weighted(scenario.priorities);
    const major = priority === 'P1' || priority === 'P2';
    if (priority) {
      plan(ackAt + rng.int(1, 6) * MINUTE, (at) => {
        if (!incident || incident.status === 'resolved' || !acker) return;
        const record = state.priorities.find((p) => p.name === priority) ?? null;
        machine.setPriority(incident, record, userActor(acker), at);
      });
    }
    if (scenario.urgency === 'low' && major) {
      plan(ackAt + 2 * MINUTE, (at) => {
        if (incident && acker && incident.status !== 'resolved')
          machine.setUrgency(incident, 'high', userActor(acker), at);
      });
    }
    // Investigation notes, sometimes from a teammate.
    const notes = rng.shuffle(scenario.investigation).slice(0, rng.int(1, Math.min(3, scenario.investigation.length)));
    const span = options.open ? 90 * MINUTE : Math.max(duration, 5 * MINUTE);
    notes.forEach((text, i) => {
      const at = ackAt + Math.round(((i + 1) / (notes.length + 1)) * span * 0.8);
      const helper = rng.chance(0.25) ? userId(rng.pick(TEAM_PEOPLE[team])) : undefined;
      plan(at, (when) => {
        if (!incident || (!acker && !helper)) return;
        machine.addNote(incident, fillTemplate(text, vars), userActor(helper ?? (acker as string)), when);
      });
    });
    // Major incidents: an incident commander is paged in, and stakeholders get status updates.
    if (major) {
      const manager = userId(MANAGER[team]);
      plan(ackAt + rng.int(3, 9) * MINUTE, (at) => {
        if (!incident || incident.status === 'resolved' || !acker) return;
        if (incident.assignments.some((a) => a.userId === manager)) return;
        machine.addResponderRequest(
          incident,
          {
            requesterId: acker,
            message: `Joining as incident commander? ${priority} on ${service}: ${incident.title}`,
            targets: [{ type: 'user', id: manager }],
          },
          userActor(acker),
          at,
        );
      });
      const updates = scenario.statusUpdates ?? [
        `We are investigating an issue affecting ${service}. Next update in 30 minutes.`,
      ];
      plan(ackAt + rng.int(8, 15) * MINUTE, (at) => {
        if (!incident || incident.status === 'resolved') return;
        machine.addStatusUpdate(
          incident,
          { message: fillTemplate(rng.pick(updates), vars), subject: `[${priority}] ${service} incident` },
          userActor(manager),
          at,
        );
      });
    }
    if (options.open === 'acknowledged') return handle;
    if (options.open === 'snoozed') {
      plan(ackAt + 3 * MINUTE, (at) => {
        if (incident && incident.status === 'acknowledged' && acker)
          machine.snooze(incident, 4 * 3600, userActor(acker), at);
      });
      return handle;
    }
    // Low-urgency noise is sometimes snoozed until working hours, then picked up again.
    if (scenario.urgency === 'low' && rng.chance(0.12)) {
      const snoozeHours = rng.int(1, 3);
      plan(ackAt + 2 * MINUTE, (at) => {
        if (incident && incident.status === 'acknowledged' && acker)
          machine.snooze(incident, snoozeHours * 3600, userActor(acker), at);
      });
      plan(ackAt + (2 + snoozeHours * 60 + rng.int(5, 25)) * MINUTE, (at) => {
        if (incident && incident.status === 'triggered') {
          acker = incident.assignments[0]?.userId ?? acker;
          if (acker) machine.acknowledge(incident, userActor(acker), at);
        }
      });
    }
    // Hand-over to a teammate who knows the system better; the resolver is then that teammate.
    let resolver: string | undefined;
    if (rng.chance(0.1)) {
      const expert = userId(rng.pick(TEAM_PEOPLE[team]));
      plan(ackAt + Math.round(duration / 3), (at) => {
        if (!incident || incident.status === 'resolved' || !acker || expert === acker) return;
        machine.reassign(incident, [expert], userActor(acker), at);
        resolver = expert;
      });
      plan(ackAt + Math.round(duration / 3) + rng.int(2, 9) * MINUTE, (at) => {
        if (incident && resolver && incident.status === 'triggered')
          machine.acknowledge(incident, userActor(resolver), at);
      });
    }
    const autoResolved = viaEvents && rng.chance(scenario.autoResolve ?? 0);
    const resolution = fillTemplate(rng.pick(scenario.resolutions), vars);
    plan(resolveAt, (at) => {
      if (!incident || incident.status === 'resolved') return;
      if (autoResolved) {
        const alert = state.alerts.get(incident.alertIds[0] ?? '');
        if (alert) {
          machine.resolveAlert(alert, { agent: { type: 'service', id: incident.serviceId }, via: 'events' }, at);
          return;
        }
      }
      const who = resolver ?? acker ?? incident.assignments[0]?.userId ?? reporter;
      const actor = userActor(who);
      machine.addNote(incident, `Resolution Note: ${resolution}`, actor, at);
      machine.resolve(incident, actor, at, resolution);
    });
    return handle;
  }

  /** Dependent services page too; the root's responder merges them into the root incident. */
  function planCascade(
    root: { get(): IncidentRecord | undefined },
    scenario: Scenario,
    service: ServiceKey,
    t0: number,
  ): void {
    const dependents = [
      ...new Set(
        deps.state.dependencies
          .filter((d) => d.supportingServiceId === org.serviceIds[service])
          .map((d) =>
            (Object.keys(org.serviceIds) as ServiceKey[]).find((k) => org.serviceIds[k] === d.dependentServiceId),
          ),
      ),
    ].filter((k): k is ServiceKey => k !== undefined);
    if (dependents.length === 0) return;
    const chosen = rng.shuffle(dependents).slice(0, rng.int(1, Math.min(3, dependents.length)));
    const children = chosen.map((dep, i) => {
      const vars = incidentVars(rng, dep, t0);
      vars.upstream = service;
      return planIncident(scenario, dep, t0 + (i + 1) * rng.int(30, 150) * 1000, vars, {
        title: fillTemplate(rng.pick(CASCADE_TITLES), vars),
        cascadeOf: root,
      });
    });
    plan(t0 + rng.int(10, 20) * MINUTE, (at) => {
      const target = root.get();
      if (!target || target.status === 'resolved') return;
      const sources = children
        .map((c) => c.get())
        .filter((c): c is IncidentRecord => c !== undefined && c.resolveReason === null && c.status !== 'resolved');
      if (sources.length === 0) return;
      const who = target.acknowledgements[0]?.userId ?? target.assignments[0]?.userId;
      if (!who) return;
      machine.merge(target, sources, userActor(who), at);
    });
  }

  // ~90 days of history: busier on weekdays.
  for (let day = historyStart; day < openWindowStart - DAY / 4; day += DAY) {
    const weekday = new Date(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    const count = weekend ? rng.int(1, 3) : rng.int(2, 6);
    for (let i = 0; i < count; i++) {
      const scenario = rng.weighted(weighted);
      const service = rng.pick(scenario.services);
      const t0 = startTime(rng, day, scenario.businessHours === true && !weekend);
      if (t0 >= openWindowStart - 8 * HOUR) continue;
      const vars = incidentVars(rng, service, t0);
      const root = planIncident(scenario, service, t0, vars);
      if (scenario.cascade !== undefined && rng.chance(scenario.cascade)) planCascade(root, scenario, service, t0);
    }
  }

  // Still open when the simulator starts.
  const openPlans: Array<{
    key: string;
    service: ServiceKey;
    minutesAgo: number;
    state: 'triggered' | 'acknowledged' | 'snoozed';
  }> = [
    { key: 'replication-lag', service: 'orders-db', minutesAgo: 170, state: 'acknowledged' },
    { key: 'disk-full', service: 'search', minutesAgo: 95, state: 'snoozed' },
    { key: 'upstream-rate-limiting', service: 'notifications', minutesAgo: 40, state: 'triggered' },
    { key: 'memory-leak', service: 'inventory-api', minutesAgo: 11, state: 'triggered' },
    { key: 'bad-deploy', service: 'payments-api', minutesAgo: 3, state: 'triggered' },
  ];
  for (const open of openPlans) {
    const scenario = SCENARIOS.find((s) => s.key === open.key) as Scenario;
    const t0 = now - open.minutesAgo * MINUTE;
    planIncident(scenario, open.service, t0, incidentVars(rng, open.service, t0), { open: open.state });
  }

  actions.sort((a, b) => a.at - b.at || a.seq - b.seq);
  for (const action of actions) {
    if (action.at > now) continue;
    machine.tick(action.at);
    action.run(action.at);
  }
  machine.tick(now);
}
