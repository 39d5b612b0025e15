import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeuristicEngine } from '../../src/ai/engines/heuristic/engine.js';
import {
  createPagerDutyClient,
  type Incident,
  PAGERDUTY_ENDPOINTS,
  type PagerDutyClient,
} from '../../src/pagerduty/index.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { createManualClock, systemClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { tools } from '../../src/tools/catalogue.js';
import { type Actor, runTool, type ToolContext } from '../../src/tools/define-tool.js';
import { createPagerDutyOpenApiValidator, formatViolations } from '../helpers/pagerduty-openapi.js';
import { validateEventsExchange } from './events-v2-spec.js';
import { type RecordedExchange, type RecordingProxy, startRecordingProxy } from './recording-proxy.js';

/**
 * The PagerDuty client against the simulator, through a recording proxy: every endpoint the client can call is
 * exercised, and every request it sends and every answer it gets is checked against PagerDuty's official
 * OpenAPI document (Events API v2: against its own official document). The simulator is only the counterpart;
 * the spec is the judge.
 */

const validator = createPagerDutyOpenApiValidator();

/** Spec violations in a list of exchanges, one line per problem, prefixed with the request. */
function violations(exchanges: readonly RecordedExchange[]): string[] {
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const label = `${exchange.method} ${exchange.url} → ${exchange.status}`;
    if (exchange.pathname === '/v2/enqueue') {
      problems.push(...validateEventsExchange(exchange).map((p) => `${label}: ${p}`));
      continue;
    }
    const body = exchange.requestBody === '' ? undefined : exchange.requestBody;
    const request = validator.validateRequest({
      method: exchange.method,
      path: exchange.url,
      headers: exchange.requestHeaders,
      ...(body === undefined ? {} : { body }),
    });
    const response = validator.validateResponse({
      method: exchange.method,
      path: exchange.url,
      status: exchange.status,
      headers: exchange.responseHeaders,
      ...(exchange.responseBody === '' ? {} : { body: exchange.responseBody }),
    });
    if (request.length > 0) problems.push(`${label} request:\n${formatViolations(request)}`);
    if (response.length > 0) problems.push(`${label} response:\n${formatViolations(response)}`);
  }
  return problems;
}

function endpointOf(exchange: RecordedExchange): string {
  if (exchange.pathname === '/v2/enqueue') return `${exchange.method} /v2/enqueue`;
  const operation = validator.findOperation(exchange.method, exchange.pathname);
  return `${exchange.method} ${operation?.template ?? `(no operation for ${exchange.pathname})`}`;
}

let simulator: PagerDutySimulator;
let proxy: RecordingProxy;
let client: PagerDutyClient;

beforeAll(async () => {
  simulator = await startPagerDutySimulator();
  proxy = await startRecordingProxy(simulator.url);
  client = createPagerDutyClient({
    token: simulator.token,
    baseUrl: proxy.url,
    eventsUrl: proxy.url,
    logger: silentLogger(),
    timeoutMs: 20_000,
  });
});

afterAll(async () => {
  await proxy?.close();
  await simulator?.close();
});

describe('PagerDuty client contract (simulator, judged by the official OpenAPI documents)', {
  timeout: 120_000,
}, () => {
  const now = Date.now();
  const since = new Date(now - 7 * 24 * 3600_000).toISOString();
  const until = new Date(now + 3600_000).toISOString();

  it('reads every kind of object', async () => {
    const { org } = simulator;
    const person = org.users[0];
    const schedule = org.schedules[0];
    const policy = org.escalationPolicies[0];
    const service = org.services.find((s) => s.dependsOn.length > 0) ?? org.services[0];
    if (!person || !schedule || !policy || !service) throw new Error('the seed organisation is missing objects');

    expect((await client.listPriorities()).items.length).toBeGreaterThan(0);
    expect((await client.listTeams({ query: org.teams[0]?.name.slice(0, 4) ?? '' })).items.length).toBeGreaterThan(0);
    const users = await client.listUsers({
      query: person.name.split(' ')[0] as string,
      teamIds: person.teamIds.slice(0, 1),
    });
    expect(users.items.map((u) => u.id)).toContain(person.id);
    expect((await client.getUser(person.id)).email).toBe(person.email);
    expect((await client.findUserByEmail(person.email.toUpperCase()))?.id).toBe(person.id);

    const services = await client.listServices({
      include: ['escalation_policies', 'teams'],
      sortBy: 'name',
      maxItems: 500,
    });
    expect(services.items.map((s) => s.id)).toContain(service.id);
    expect((await client.getService(service.id, { include: ['escalation_policies', 'teams'] })).name).toBe(
      service.name,
    );
    const edges = await client.getTechnicalServiceDependencies(service.id);
    expect(edges.some((e) => e.dependent_service.id === service.id)).toBe(true);

    const policies = await client.listEscalationPolicies({
      query: policy.name.slice(0, 5),
      include: ['teams'],
      sortBy: 'name:asc',
    });
    expect(policies.items.map((p) => p.id)).toContain(policy.id);
    expect((await client.getEscalationPolicy(policy.id, { include: ['services'] })).escalation_rules.length).toBe(
      policy.levels.length,
    );

    expect(
      (await client.listSchedules({ query: schedule.name.slice(0, 5), timeZone: 'UTC' })).items.length,
    ).toBeGreaterThan(0);
    const rendered = await client.getSchedule(schedule.id, { since, until, timeZone: 'Europe/Paris' });
    expect(rendered.final_schedule?.rendered_schedule_entries?.length).toBeGreaterThan(0);
    const oncalls = await client.listOnCalls({
      scheduleIds: [schedule.id],
      earliest: true,
      include: ['users'],
      timeZone: 'UTC',
      since: new Date(now).toISOString(),
      until: new Date(now + 24 * 3600_000).toISOString(),
    });
    expect(oncalls.items.length).toBeGreaterThan(0);
    expect((await client.listOnCalls({ escalationPolicyIds: [policy.id], userIds: [person.id] })).truncated).toBe(
      false,
    );

    const open = await client.listIncidents({
      statuses: ['triggered', 'acknowledged'],
      urgencies: ['high', 'low'],
      since,
      until,
      sortBy: ['created_at:desc'],
      include: ['assignees', 'services'],
      timeZone: 'UTC',
    });
    expect(open.items.length).toBeGreaterThan(0);
    // Several pages of history: limit=100 pages, and the offset cap, against the real pagination fields.
    const history = await client.listIncidents({ dateRange: 'all', statuses: ['resolved'], maxItems: 250 });
    expect(history.items.length).toBe(250);
    expect(history.truncated).toBe(true);

    const incident = open.items[0] as Incident;
    expect((await client.getIncident(incident.id, { include: ['assignees', 'priorities'] })).id).toBe(incident.id);
    expect(
      (await client.listIncidentAlerts(incident.id, { statuses: ['triggered'], sortBy: 'created_at:asc' })).items
        .length,
    ).toBeGreaterThan(0);
    expect(
      (await client.listIncidentLogEntries(incident.id, { include: ['channels'], timeZone: 'UTC' })).items.length,
    ).toBeGreaterThan(0);
    expect(
      (await client.listLogEntries({ since, until, isOverview: true, maxItems: 150 })).items.length,
    ).toBeGreaterThan(0);
    expect((await client.listIncidentNotes(incident.id)).truncated).toBe(false);
  });

  it('writes on behalf of a person: create, acknowledge, note, status update, responders, snooze, escalate, reassign, merge, resolve', async () => {
    const { org } = simulator;
    const [first, second] = org.users;
    const service = org.services[0];
    const policy = org.escalationPolicies.find((p) => p.levels.length >= 2);
    const priority = org.priorities[0];
    if (!first || !second || !service || !policy || !priority)
      throw new Error('the seed organisation is missing objects');
    const as = { from: first.email };

    const created = await client.createIncident(
      {
        title: 'Contract test: checkout 502s',
        serviceId: service.id,
        urgency: 'high',
        details: 'Raised by the contract test',
        priorityId: priority.id,
        incidentKey: `contract-${now}`,
      },
      as,
    );
    expect(created.status).toBe('triggered');
    expect((await client.updateIncident(created.id, { status: 'acknowledged' }, as)).status).toBe('acknowledged');
    expect((await client.createIncidentNote(created.id, 'Looking at the load balancer', as)).content).toBe(
      'Looking at the load balancer',
    );
    expect(
      (await client.createStatusUpdate(created.id, { message: 'Investigating', subject: 'Checkout degraded' }, as))
        .message,
    ).toBe('Investigating');
    const requester = await client.findUserByEmail(first.email);
    const request = await client.createResponderRequest(
      created.id,
      {
        requesterId: requester?.id as string,
        message: 'Please join the bridge',
        targets: [
          { type: 'user', id: second.id },
          { type: 'escalation_policy', id: policy.id },
        ],
      },
      as,
    );
    expect(request.responder_request_targets?.map((t) => t.id)).toEqual(expect.arrayContaining([second.id, policy.id]));
    expect((await client.snoozeIncident(created.id, 600, as)).id).toBe(created.id);

    const onPolicy = await client.createIncident(
      { title: 'Contract test: escalation', serviceId: service.id, escalationPolicyId: policy.id },
      as,
    );
    const escalated = await client.updateIncident(onPolicy.id, { escalationLevel: 2 }, as);
    expect(escalated.assignments?.length).toBeGreaterThan(0);
    const reassigned = await client.updateIncident(onPolicy.id, { assigneeIds: [second.id] }, as);
    expect(reassigned.assignments?.map((a) => a.assignee.id)).toEqual([second.id]);
    const handedOver = await client.updateIncident(
      onPolicy.id,
      { escalationPolicyId: policy.id, urgency: 'low', title: 'Renamed' },
      as,
    );
    expect(handedOver.urgency).toBe('low');

    const duplicate = await client.createIncident({ title: 'Contract test: duplicate', serviceId: service.id }, as);
    const merged = await client.mergeIncidents(onPolicy.id, [duplicate.id], as);
    expect(merged.id).toBe(onPolicy.id);
    expect((await client.getIncident(duplicate.id)).status).toBe('resolved');

    const resolved = await client.updateIncident(
      created.id,
      { status: 'resolved', resolution: 'Rolled back deploy 42' },
      as,
    );
    expect(resolved.status).toBe('resolved');
  });

  it('sends Events API v2 events', async () => {
    const service = simulator.org.services[0];
    if (!service) throw new Error('no service');
    const dedupKey = `contract/${now}`;
    const triggered = await client.enqueueEvent({
      routing_key: service.integrationKey,
      event_action: 'trigger',
      dedup_key: dedupKey,
      payload: {
        summary: 'Disk at 99% on db-1',
        source: 'db-1.example.com',
        severity: 'critical',
        timestamp: new Date(now).toISOString(),
        component: 'postgres',
        group: 'db',
        class: 'disk',
        custom_details: { free: '1%' },
      },
      client: 'contract test',
      client_url: 'https://monitoring.example.com',
      links: [{ href: 'https://monitoring.example.com/db-1', text: 'Dashboard' }],
    });
    expect(triggered.dedup_key).toBe(dedupKey);
    expect(
      (
        await client.enqueueEvent({
          routing_key: service.integrationKey,
          event_action: 'acknowledge',
          dedup_key: dedupKey,
        })
      ).status,
    ).toBe('success');
    expect(
      (await client.enqueueEvent({ routing_key: service.integrationKey, event_action: 'resolve', dedup_key: dedupKey }))
        .status,
    ).toBe('success');
  });

  it('sent only requests, and got only answers, that conform to the official documents', () => {
    expect(proxy.exchanges.length).toBeGreaterThan(30);
    expect(
      proxy.exchanges.filter((e) => e.status >= 400).map((e) => `${e.method} ${e.url} → ${e.status} ${e.responseBody}`),
    ).toEqual([]);
    expect(violations(proxy.exchanges)).toEqual([]);
  });

  it('went through @pagerduty/pdjs (its wire format), and the Events API never saw the REST key', () => {
    const gets = proxy.exchanges.filter((e) => e.method === 'GET');
    const events = proxy.exchanges.filter((e) => e.pathname === '/v2/enqueue');
    expect(gets.length).toBeGreaterThan(10);
    expect(events.length).toBe(3);
    // pdjs puts its JSON Content-Type on GETs too; node-fetch 2 (pdjs's transport) asks for `gzip,deflate`.
    expect(new Set(gets.map((e) => e.requestHeaders['content-type']))).toEqual(
      new Set(['application/json; charset=utf-8']),
    );
    expect(new Set(proxy.exchanges.map((e) => e.requestHeaders['accept-encoding']))).toEqual(new Set(['gzip,deflate']));
    expect(events.map((e) => e.requestHeaders.authorization)).toEqual([undefined, undefined, undefined]);
  });

  it('would catch a non-conforming exchange (the judge is not blind)', () => {
    const list = proxy.exchanges.find((e) => e.method === 'GET' && e.pathname === '/incidents');
    const write = proxy.exchanges.find((e) => e.method === 'POST' && e.pathname === '/incidents');
    const events = proxy.exchanges.find((e) => e.pathname === '/v2/enqueue');
    if (!list || !write || !events) throw new Error('missing exchanges');
    const { from: _from, ...noFrom } = write.requestHeaders;
    const broken: RecordedExchange[] = [
      { ...list, url: `${list.url}&status%5B%5D=open` },
      { ...list, requestHeaders: { ...list.requestHeaders, accept: 'text/html' } },
      { ...write, requestHeaders: noFrom },
      { ...write, requestBody: JSON.stringify({ incident: { type: 'incident', title: 'x', urgency: 'urgent' } }) },
      { ...list, responseBody: JSON.stringify({ incidents: [{ id: 'P1', status: 'exploded' }] }) },
      { ...events, requestBody: JSON.stringify({ event_action: 'explode' }) },
    ];
    for (const exchange of broken) expect(violations([exchange]), exchange.url).not.toEqual([]);
  });

  it('exercised exactly the endpoints the client can call', () => {
    const exercised = [...new Set(proxy.exchanges.map(endpointOf))].sort();
    const callable = Object.values(PAGERDUTY_ENDPOINTS)
      .map((e) => `${e.method} ${e.path}`)
      .sort();
    expect(exercised).toEqual(callable);
  });
});

describe('catalogue tools against the simulator (every request judged by the OpenAPI document)', {
  timeout: 120_000,
}, () => {
  function context(actor?: Actor): ToolContext {
    return {
      pagerduty: client,
      ai: createHeuristicEngine(),
      logger: silentLogger(),
      clock: systemClock,
      ...(actor ? { actor } : {}),
    };
  }

  it('runs every PagerDuty tool successfully with spec-conforming traffic', async () => {
    const start = proxy.exchanges.length;
    const { org } = simulator;
    const person = org.users[1] ?? org.users[0];
    const schedule = org.schedules[0];
    const policy = org.escalationPolicies.find((p) => p.levels.length >= 3) ?? org.escalationPolicies[0];
    const service = org.services[0];
    if (!person || !schedule || !policy || !service) throw new Error('the seed organisation is missing objects');
    const actor: Actor = { email: person.email, surface: 'cli' };
    const ctx = context(actor);
    const ran = new Set<string>();
    const call = async (name: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
      const tool = tools.find((t) => t.name === name);
      if (!tool) throw new Error(`no tool ${name}`);
      ran.add(name);
      return (await runTool(tool, input, ctx)) as Record<string, unknown>;
    };

    const created = await call('create_incident', {
      title: 'Tools contract: API latency',
      service_id: service.id,
      priority: org.priorities[1]?.name,
      body: 'p99 above 2 s',
    });
    const id = created.id as string;
    await call('get_incident', { incident_id: id });
    await call('list_incidents', {
      statuses: ['triggered'],
      service_ids: [service.id],
      since: new Date(Date.now() - 3600_000).toISOString(),
    });
    await call('list_incident_alerts', { incident_id: id });
    await call('update_incident', { incident_id: id, status: 'acknowledged' });
    await call('add_incident_note', { incident_id: id, content: 'Scaling the pool' });
    await call('list_incident_notes', { incident_id: id });
    await call('post_status_update', { incident_id: id, message: 'Mitigation in progress' });
    await call('add_responders', { incident_id: id, user_ids: [org.users[0]?.id], message: 'Need the DB owner' });
    await call('snooze_incident', { incident_id: id, duration_minutes: 15 });
    await call('escalate_incident', { incident_id: id, reason: 'no progress' });
    await call('reassign_incident', { incident_id: id, user_ids: [person.id] });
    const duplicate = await call('create_incident', {
      title: 'Tools contract: duplicate',
      service_id: service.id,
      urgency: 'low',
    });
    await call('merge_incidents', { target_incident_id: id, source_incident_ids: [duplicate.id] });
    await call('get_incident_timeline', { incident_id: id });
    await call('update_incident', { incident_id: id, status: 'resolved', resolution: 'Pool resized' });
    await call('get_oncall', { schedule_id: schedule.id });
    await call('get_oncall', { escalation_policy_id: policy.id });
    await call('list_oncalls', { escalation_policy_ids: [policy.id], earliest: true });
    await call('list_services', { query: service.name.slice(0, 4) });
    await call('get_service', { service_id: service.id });
    await call('list_escalation_policies', {});
    await call('find_user_by_email', { email: person.email });
    await call('list_priorities', {});

    // The AI tools read PagerDuty too (the heuristic engine answers offline); their traffic is judged the same way.
    const open = (await call('list_incidents', { statuses: ['triggered', 'acknowledged'], limit: 1 })).items as Array<{
      id: string;
    }>;
    const openId = open[0]?.id as string;
    await call('auto_triage', { incident_id: openId });
    await call('analyze_incident', { incident_id: openId });
    await call('suggest_runbook', { incident_id: openId });
    await call('smart_escalation', { incident_id: openId });
    await call('find_best_responder', { incident_id: openId });
    await call('correlate_incidents', {});
    await call('generate_postmortem', { incident_id: id });
    await call('predict_fatigue', { schedule_ids: [schedule.id], days: 7 });

    // Every tool in the catalogue ran here.
    expect(tools.map((t) => t.name).filter((n) => !ran.has(n))).toEqual([]);
    const traffic = proxy.exchanges.slice(start);
    expect(
      traffic.filter((e) => e.status >= 400).map((e) => `${e.method} ${e.url} → ${e.status} ${e.responseBody}`),
    ).toEqual([]);
    expect(violations(traffic)).toEqual([]);
  });

  it('refuses bad input without sending anything', async () => {
    const start = proxy.exchanges.length;
    const tool = tools.find((t) => t.name === 'escalate_incident');
    if (!tool) throw new Error('no escalate_incident');
    await expect(
      runTool(
        tool,
        { incident_id: '../users', escalation_level: 0 },
        context({ email: 'a@example.com', surface: 'cli' }),
      ),
    ).rejects.toThrow(/incident_id.*escalation_level|escalation_level.*incident_id/s);
    await expect(
      runTool(tool, { incident_id: 'PT4KHLK' }, { ...context(), clock: createManualClock() }),
    ).rejects.toThrow(/acting user/);
    expect(proxy.exchanges.length).toBe(start);
  });
});
