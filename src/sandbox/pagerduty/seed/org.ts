/**
 * The seed organisation's structure: people, teams, services with a technical dependency graph, schedules with
 * rotations and restrictions in several time zones, escalation policies with 3 levels, priorities P1–P5.
 * Names are fixed; ids, integration keys and rotation orders come from the seed.
 */
import type { IdFactory } from '../ids.js';
import type {
  ContactMethodRecord,
  EscalationPolicyRecord,
  ScheduleLayerRecord,
  ScheduleRecord,
  ServiceRecord,
  SimState,
  UserRecord,
} from '../model.js';
import type { Rng } from '../rng.js';
import { fromWall } from '../time-zones.js';

export const SEED_DOMAIN = 'example.com';

interface PersonSeed {
  key: string;
  name: string;
  timeZone: string;
  team: TeamKey | null;
  jobTitle: string;
  role: UserRecord['role'];
  phone: string;
}

type TeamKey = 'payments' | 'platform' | 'discovery';

const TEAMS: Record<TeamKey, { name: string; description: string }> = {
  payments: { name: 'Payments', description: 'Checkout, charges, refunds and payouts.' },
  platform: { name: 'Platform & SRE', description: 'Databases, identity, edge and the shared runtime.' },
  discovery: { name: 'Discovery & Messaging', description: 'Search, inventory and customer notifications.' },
};

const PEOPLE: readonly PersonSeed[] = [
  {
    key: 'maya',
    name: 'Maya Chen',
    timeZone: 'America/Los_Angeles',
    team: 'payments',
    jobTitle: 'Senior Software Engineer',
    role: 'user',
    phone: '+1 415-555-0131',
  },
  {
    key: 'daniel',
    name: 'Daniel Okafor',
    timeZone: 'Europe/London',
    team: 'payments',
    jobTitle: 'Staff Engineer',
    role: 'admin',
    phone: '+44 20 7946 0321',
  },
  {
    key: 'priya',
    name: 'Priya Raman',
    timeZone: 'Asia/Kolkata',
    team: 'payments',
    jobTitle: 'Software Engineer',
    role: 'user',
    phone: '+91 80 5550 1402',
  },
  {
    key: 'lucas',
    name: 'Lucas Moreau',
    timeZone: 'Europe/Paris',
    team: 'payments',
    jobTitle: 'Software Engineer II',
    role: 'user',
    phone: '+33 1 55 55 01 77',
  },
  {
    key: 'sofia',
    name: 'Sofia Alvarez',
    timeZone: 'America/New_York',
    team: 'platform',
    jobTitle: 'Site Reliability Engineer',
    role: 'user',
    phone: '+1 212-555-0199',
  },
  {
    key: 'kenji',
    name: 'Kenji Watanabe',
    timeZone: 'Asia/Tokyo',
    team: 'platform',
    jobTitle: 'Site Reliability Engineer',
    role: 'user',
    phone: '+81 3-5555-0148',
  },
  {
    key: 'hannah',
    name: 'Hannah Becker',
    timeZone: 'Europe/Berlin',
    team: 'platform',
    jobTitle: 'Senior Site Reliability Engineer',
    role: 'user',
    phone: '+49 30 5555 0162',
  },
  {
    key: 'omar',
    name: 'Omar Haddad',
    timeZone: 'Europe/London',
    team: 'platform',
    jobTitle: 'Platform Engineer',
    role: 'user',
    phone: '+44 161 555 0107',
  },
  {
    key: 'grace',
    name: 'Grace Liu',
    timeZone: 'America/Chicago',
    team: 'platform',
    jobTitle: 'Staff Site Reliability Engineer',
    role: 'admin',
    phone: '+1 312-555-0114',
  },
  {
    key: 'tom',
    name: 'Tom Eriksen',
    timeZone: 'Europe/Oslo',
    team: 'discovery',
    jobTitle: 'Software Engineer',
    role: 'user',
    phone: '+47 21 55 50 12',
  },
  {
    key: 'aisha',
    name: 'Aisha Bello',
    timeZone: 'Africa/Lagos',
    team: 'discovery',
    jobTitle: 'Senior Software Engineer',
    role: 'user',
    phone: '+234 1 555 0190',
  },
  {
    key: 'liam',
    name: "Liam O'Brien",
    timeZone: 'Australia/Sydney',
    team: 'discovery',
    jobTitle: 'Software Engineer',
    role: 'user',
    phone: '+61 2 5550 1234',
  },
  {
    key: 'rachel',
    name: 'Rachel Kim',
    timeZone: 'America/New_York',
    team: 'payments',
    jobTitle: 'Engineering Manager, Payments',
    role: 'admin',
    phone: '+1 646-555-0175',
  },
  {
    key: 'marco',
    name: 'Marco Rossi',
    timeZone: 'Europe/Rome',
    team: 'platform',
    jobTitle: 'Engineering Manager, Platform',
    role: 'admin',
    phone: '+39 06 5555 0133',
  },
  {
    key: 'nadia',
    name: 'Nadia Petrova',
    timeZone: 'Europe/Berlin',
    team: 'discovery',
    jobTitle: 'Head of Engineering',
    role: 'owner',
    phone: '+49 89 5555 0188',
  },
  {
    key: 'bot',
    name: 'Incident Bot',
    timeZone: 'Etc/UTC',
    team: null,
    jobTitle: 'Service account for the incident-bot Slack app',
    role: 'user',
    phone: '',
  },
];

export type ServiceKey =
  | 'payments-api'
  | 'checkout-web'
  | 'orders-db'
  | 'auth-service'
  | 'cdn-edge'
  | 'search'
  | 'notifications'
  | 'inventory-api';

interface ServiceSeed {
  key: ServiceKey;
  description: string;
  team: TeamKey;
  policy: 'payments' | 'platform' | 'discovery';
  integration: string;
  urgency: 'high' | 'low';
}

export const SERVICES: readonly ServiceSeed[] = [
  {
    key: 'payments-api',
    description: 'Charges, refunds and payouts API (Go, behind the API gateway).',
    team: 'payments',
    policy: 'payments',
    integration: 'Datadog',
    urgency: 'high',
  },
  {
    key: 'checkout-web',
    description: 'Storefront checkout frontend (Next.js, server-rendered).',
    team: 'payments',
    policy: 'payments',
    integration: 'Sentry',
    urgency: 'high',
  },
  {
    key: 'orders-db',
    description: 'Primary PostgreSQL 16 cluster for orders, with two streaming replicas.',
    team: 'platform',
    policy: 'platform',
    integration: 'Prometheus Alertmanager',
    urgency: 'high',
  },
  {
    key: 'auth-service',
    description: 'OAuth 2.0 / OIDC login, sessions and API tokens.',
    team: 'platform',
    policy: 'platform',
    integration: 'Datadog',
    urgency: 'high',
  },
  {
    key: 'cdn-edge',
    description: 'Edge CDN, WAF rules and TLS termination.',
    team: 'platform',
    policy: 'platform',
    integration: 'Grafana',
    urgency: 'high',
  },
  {
    key: 'search',
    description: 'Product search on OpenSearch, fed by the catalogue indexer.',
    team: 'discovery',
    policy: 'discovery',
    integration: 'Prometheus Alertmanager',
    urgency: 'low',
  },
  {
    key: 'notifications',
    description: 'Email, SMS and push delivery pipeline (queue workers + providers).',
    team: 'discovery',
    policy: 'discovery',
    integration: 'CloudWatch',
    urgency: 'low',
  },
  {
    key: 'inventory-api',
    description: 'Stock levels, reservations and warehouse sync.',
    team: 'discovery',
    policy: 'discovery',
    integration: 'Datadog',
    urgency: 'high',
  },
];

/** Technical dependencies: [supporting service, dependent service]. */
export const DEPENDENCIES: ReadonlyArray<readonly [ServiceKey, ServiceKey]> = [
  ['orders-db', 'payments-api'],
  ['orders-db', 'inventory-api'],
  ['orders-db', 'notifications'],
  ['auth-service', 'checkout-web'],
  ['auth-service', 'payments-api'],
  ['payments-api', 'checkout-web'],
  ['payments-api', 'notifications'],
  ['inventory-api', 'checkout-web'],
  ['inventory-api', 'search'],
  ['cdn-edge', 'checkout-web'],
  ['cdn-edge', 'search'],
];

export const PRIORITY_SEEDS = [
  {
    name: 'P1',
    description: 'Critical: customer-facing outage or data loss. All hands, status page, exec updates.',
    color: 'a8171c',
  },
  {
    name: 'P2',
    description: 'High: major feature degraded for many customers. Incident commander assigned.',
    color: 'eb6016',
  },
  { name: 'P3', description: 'Moderate: partial degradation or a single region or tenant affected.', color: 'f9b406' },
  { name: 'P4', description: 'Low: minor impact, workaround available; fix during business hours.', color: '555555' },
  { name: 'P5', description: 'Informational: no customer impact; track and tidy up.', color: '999999' },
] as const;

/** What tests, the CLI and the sandbox console need to know about the seed organisation. */
export interface SeedSummary {
  domain: string;
  /** The service account the bot can use as `From` when nobody is mapped (PAGERDUTY_FROM_EMAIL). */
  botUserEmail: string;
  users: Array<{
    id: string;
    key: string;
    name: string;
    email: string;
    timeZone: string;
    teamIds: string[];
    jobTitle: string;
  }>;
  teams: Array<{ id: string; key: string; name: string }>;
  services: Array<{
    id: string;
    name: string;
    teamIds: string[];
    escalationPolicyId: string;
    integrationId: string;
    /** Events API v2 routing key of the service's integration. */
    integrationKey: string;
    /** Ids of the services this one depends on (its supporting services). */
    dependsOn: string[];
  }>;
  schedules: Array<{ id: string; key: string; name: string; timeZone: string }>;
  escalationPolicies: Array<{
    id: string;
    key: string;
    name: string;
    teamIds: string[];
    levels: Array<{ level: number; delayMinutes: number; targets: Array<{ type: 'schedule' | 'user'; id: string }> }>;
  }>;
  priorities: Array<{ id: string; name: string }>;
}

/** Handles on the built organisation for the history generator. */
export interface SeedOrg {
  summary: SeedSummary;
  userIds: Record<string, string>;
  teamIds: Record<TeamKey, string>;
  serviceIds: Record<ServiceKey, string>;
  priorityIds: Record<string, string>;
}

function wall(y: number, m: number, d: number, h = 0, mi = 0): number {
  return Date.UTC(y, m - 1, d, h, mi);
}

/** Rotation anchor: a fixed local date-time, so on-call at any instant is reproducible. */
function anchor(timeZone: string, y: number, m: number, d: number, h: number): number {
  return fromWall(wall(y, m, d, h), timeZone);
}

function layer(
  ids: IdFactory,
  name: string,
  timeZone: string,
  start: [number, number, number, number],
  turnSeconds: number,
  userIds: string[],
  restrictions: ScheduleLayerRecord['restrictions'] = [],
): ScheduleLayerRecord {
  const at = anchor(timeZone, ...start);
  return {
    id: ids.short(),
    name,
    start: at,
    end: null,
    rotationVirtualStart: at,
    turnLengthSeconds: turnSeconds,
    userIds,
    restrictions,
  };
}

/** Builds the organisation into an empty state. `now` only dates the records' creation. */
export function buildSeedOrganisation(state: SimState, ids: IdFactory, rng: Rng, now: number): SeedOrg {
  const teamIds = {} as Record<TeamKey, string>;
  for (const key of Object.keys(TEAMS) as TeamKey[]) {
    const id = ids.short();
    teamIds[key] = id;
    state.teams.set(id, { id, name: TEAMS[key].name, description: TEAMS[key].description });
  }

  const userIds: Record<string, string> = {};
  const colors = [
    'purple',
    'teal',
    'orange',
    'green',
    'red',
    'blue',
    'brown',
    'cayenne',
    'turquoise',
    'lime',
    'violet',
    'dark-slate-blue',
  ];
  PEOPLE.forEach((p, i) => {
    const id = ids.short();
    userIds[p.key] = id;
    const email = `${p.name
      .toLowerCase()
      .replace(/'/g, '')
      .replace(/[^a-z]+/g, '.')}@${SEED_DOMAIN}`;
    const contactMethods: ContactMethodRecord[] = [
      { id: ids.short(), type: 'email_contact_method', label: 'Work', address: email },
    ];
    if (p.phone) {
      contactMethods.push(
        { id: ids.short(), type: 'phone_contact_method', label: 'Mobile', address: p.phone },
        { id: ids.short(), type: 'sms_contact_method', label: 'Mobile', address: p.phone },
        {
          id: ids.short(),
          type: 'push_notification_contact_method',
          label: 'PagerDuty app',
          address: `${p.key}-phone`,
        },
      );
    }
    state.users.set(id, {
      id,
      name: p.name,
      email,
      timeZone: p.timeZone,
      color: colors[i % colors.length] as string,
      role: p.role,
      jobTitle: p.jobTitle,
      description: p.team ? `${p.jobTitle}, ${TEAMS[p.team].name}` : p.jobTitle,
      teamIds: p.team ? [teamIds[p.team]] : [],
      contactMethods,
      notificationRuleIds: p.phone ? [ids.short(), ids.short()] : [ids.short()],
    });
  });
  const u = (key: string): string => userIds[key] as string;

  // Rotation orders depend on the seed; the people on each rotation do not.
  const paymentsOrder = rng.shuffle(['maya', 'daniel', 'priya', 'lucas']).map(u);
  const secondaryOrder = [...paymentsOrder.slice(2), ...paymentsOrder.slice(0, 2)];
  const emeaOrder = rng.shuffle(['hannah', 'omar']).map(u);
  const nightsOrder = rng.shuffle(['sofia', 'grace', 'kenji']).map(u);
  const discoveryOrder = rng.shuffle(['tom', 'aisha', 'liam']).map(u);
  const weekendOrder = rng.shuffle(['aisha', 'liam']).map(u);
  const managerOrder = rng.shuffle(['rachel', 'marco', 'nadia']).map(u);

  const schedules: Array<{ key: string; record: ScheduleRecord }> = [];
  const addSchedule = (key: string, record: Omit<ScheduleRecord, 'id'>): string => {
    const id = ids.short();
    const full = { id, ...record };
    state.schedules.set(id, full);
    schedules.push({ key, record: full });
    return id;
  };
  const ny = 'America/New_York';
  const london = 'Europe/London';
  const oslo = 'Europe/Oslo';
  const berlin = 'Europe/Berlin';
  const paymentsPrimary = addSchedule('payments-primary', {
    name: 'Payments – Primary',
    description: 'Weekly rotation, handoff Mondays 10:00 New York time.',
    timeZone: ny,
    layers: [layer(ids, 'Weekly', ny, [2024, 1, 1, 10], 7 * 86_400, paymentsOrder)],
    teamIds: [teamIds.payments],
  });
  const paymentsSecondary = addSchedule('payments-secondary', {
    name: 'Payments – Secondary',
    description: 'Backup for the primary; the same people, two weeks apart.',
    timeZone: ny,
    layers: [layer(ids, 'Weekly', ny, [2024, 1, 1, 10], 7 * 86_400, secondaryOrder)],
    teamIds: [teamIds.payments],
  });
  const platformSun = addSchedule('platform-follow-the-sun', {
    name: 'Platform – Follow the Sun',
    description: 'EMEA covers 08:00–20:00 London time; the Americas and APAC cover the night.',
    timeZone: london,
    layers: [
      layer(ids, 'EMEA days', london, [2024, 1, 1, 8], 7 * 86_400, emeaOrder, [
        { type: 'daily_restriction', startTimeOfDay: '08:00:00', durationSeconds: 12 * 3600 },
      ]),
      layer(ids, 'Americas & APAC nights', london, [2024, 1, 1, 20], 86_400, nightsOrder, [
        { type: 'daily_restriction', startTimeOfDay: '20:00:00', durationSeconds: 12 * 3600 },
      ]),
    ],
    teamIds: [teamIds.platform],
  });
  const discovery = addSchedule('discovery', {
    name: 'Discovery & Messaging',
    description: 'Daily rotation at 09:00 Oslo time; a weekend layer covers Saturday and Sunday.',
    timeZone: oslo,
    layers: [
      layer(ids, 'Daily', oslo, [2024, 1, 1, 9], 86_400, discoveryOrder),
      layer(ids, 'Weekend cover', oslo, [2024, 1, 6, 0], 7 * 86_400, weekendOrder, [
        { type: 'weekly_restriction', startTimeOfDay: '00:00:00', durationSeconds: 48 * 3600, startDayOfWeek: 6 },
      ]),
    ],
    teamIds: [teamIds.discovery],
  });
  const managers = addSchedule('engineering-managers', {
    name: 'Engineering Managers',
    description: 'Management escalation, weekly from Monday 09:00 Berlin time.',
    timeZone: berlin,
    layers: [layer(ids, 'Weekly', berlin, [2024, 1, 1, 9], 7 * 86_400, managerOrder)],
    teamIds: [teamIds.payments, teamIds.platform, teamIds.discovery],
  });

  const policies: Record<'payments' | 'platform' | 'discovery', EscalationPolicyRecord> = {
    payments: {
      id: ids.short(),
      name: 'Payments Escalation',
      description: 'Primary, then secondary, then the engineering manager on call.',
      numLoops: 1,
      teamIds: [teamIds.payments],
      rules: [
        { id: ids.short(), delayMinutes: 15, targets: [{ type: 'schedule', id: paymentsPrimary }] },
        { id: ids.short(), delayMinutes: 15, targets: [{ type: 'schedule', id: paymentsSecondary }] },
        { id: ids.short(), delayMinutes: 30, targets: [{ type: 'schedule', id: managers }] },
      ],
    },
    platform: {
      id: ids.short(),
      name: 'Platform Escalation',
      description: 'Follow-the-sun SRE, then the platform lead, then the engineering manager on call.',
      numLoops: 1,
      teamIds: [teamIds.platform],
      rules: [
        { id: ids.short(), delayMinutes: 15, targets: [{ type: 'schedule', id: platformSun }] },
        { id: ids.short(), delayMinutes: 20, targets: [{ type: 'user', id: u('grace') }] },
        { id: ids.short(), delayMinutes: 30, targets: [{ type: 'schedule', id: managers }] },
      ],
    },
    discovery: {
      id: ids.short(),
      name: 'Discovery & Messaging Escalation',
      description: 'Daily rotation, then the senior engineer, then the engineering manager on call.',
      numLoops: 0,
      teamIds: [teamIds.discovery],
      rules: [
        { id: ids.short(), delayMinutes: 15, targets: [{ type: 'schedule', id: discovery }] },
        { id: ids.short(), delayMinutes: 20, targets: [{ type: 'user', id: u('aisha') }] },
        {
          id: ids.short(),
          delayMinutes: 30,
          targets: [
            { type: 'schedule', id: managers },
            { type: 'user', id: u('nadia') },
          ],
        },
      ],
    },
  };
  for (const policy of Object.values(policies)) state.escalationPolicies.set(policy.id, policy);

  const created = Math.floor((now - 420 * 86_400_000) / 86_400_000) * 86_400_000;
  const serviceIds = {} as Record<ServiceKey, string>;
  for (const s of SERVICES) {
    const id = ids.short();
    serviceIds[s.key] = id;
    const integrationId = ids.short();
    state.integrations.set(integrationId, {
      id: integrationId,
      name: s.integration,
      serviceId: id,
      integrationKey: rng.hex(32),
      createdAt: created,
    });
    const record: ServiceRecord = {
      id,
      name: s.key,
      description: s.description,
      escalationPolicyId: policies[s.policy].id,
      teamIds: [teamIds[s.team]],
      integrationIds: [integrationId],
      createdAt: created,
      autoResolveTimeout: null,
      acknowledgementTimeout: null,
      urgency: s.urgency,
    };
    state.services.set(id, record);
  }
  for (const [supporting, dependent] of DEPENDENCIES) {
    state.dependencies.push({
      id: `D${rng.token(15)}`,
      supportingServiceId: serviceIds[supporting],
      dependentServiceId: serviceIds[dependent],
    });
  }
  const priorityIds: Record<string, string> = {};
  for (const p of PRIORITY_SEEDS) {
    const id = ids.short();
    priorityIds[p.name] = id;
    state.priorities.push({ id, name: p.name, description: p.description, color: p.color });
  }

  const summary: SeedSummary = {
    domain: SEED_DOMAIN,
    botUserEmail: state.users.get(u('bot'))?.email ?? '',
    users: PEOPLE.map((p) => {
      const user = state.users.get(u(p.key)) as UserRecord;
      return {
        id: user.id,
        key: p.key,
        name: user.name,
        email: user.email,
        timeZone: user.timeZone,
        teamIds: user.teamIds,
        jobTitle: user.jobTitle,
      };
    }),
    teams: (Object.keys(TEAMS) as TeamKey[]).map((key) => ({ id: teamIds[key], key, name: TEAMS[key].name })),
    services: SERVICES.map((s) => {
      const record = state.services.get(serviceIds[s.key]) as ServiceRecord;
      const integration = state.integrations.get(record.integrationIds[0] as string);
      return {
        id: record.id,
        name: record.name,
        teamIds: record.teamIds,
        escalationPolicyId: record.escalationPolicyId,
        integrationId: integration?.id ?? '',
        integrationKey: integration?.integrationKey ?? '',
        dependsOn: DEPENDENCIES.filter(([, dependent]) => dependent === s.key).map(
          ([supporting]) => serviceIds[supporting],
        ),
      };
    }),
    schedules: schedules.map(({ key, record }) => ({
      id: record.id,
      key,
      name: record.name,
      timeZone: record.timeZone,
    })),
    escalationPolicies: (Object.entries(policies) as Array<[string, EscalationPolicyRecord]>).map(([key, p]) => ({
      id: p.id,
      key,
      name: p.name,
      teamIds: p.teamIds,
      levels: p.rules.map((r, i) => ({
        level: i + 1,
        delayMinutes: r.delayMinutes,
        targets: r.targets.map((t) => ({ ...t })),
      })),
    })),
    priorities: state.priorities.map((p) => ({ id: p.id, name: p.name })),
  };
  return { summary, userIds, teamIds, serviceIds, priorityIds };
}
