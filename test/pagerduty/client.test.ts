import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPagerDutyClient,
  DERIVED_METHODS,
  PAGERDUTY_ACCEPT,
  PAGERDUTY_ENDPOINTS,
  PagerDutyApiError,
} from '../../src/pagerduty/index.js';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { type LoopbackServer, startLoopbackServer } from './loopback-server.js';
import { makeTestClient, rejection, TEST_TOKEN } from './setup.js';
import { lastPage, specResponseExample } from './spec-examples.js';

let server: LoopbackServer;

beforeEach(async () => {
  server = await startLoopbackServer();
});

afterEach(async () => {
  await server.close();
});

describe('PagerDuty client: wire format', () => {
  it('sends the vendor Accept header, the token and repeated [] array parameters on reads', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ body: lastPage('GET', '/incidents') });
    const result = await client.listIncidents({
      statuses: ['triggered', 'acknowledged'],
      serviceIds: ['PSVC001', 'PSVC002'],
      urgencies: ['high'],
      since: '2026-01-01T00:00:00Z',
      sortBy: ['created_at:desc', 'urgency:asc'],
      maxItems: 50,
    });
    expect(result.items.map((i) => i.id)).toEqual(['PT4KHLK']);
    const [request] = server.requests;
    expect(request?.method).toBe('GET');
    expect(request?.path).toBe('/incidents');
    expect(request?.headers.accept).toBe(PAGERDUTY_ACCEPT);
    expect(request?.headers.authorization).toBe(`Token token=${TEST_TOKEN}`);
    expect(request?.headers.from).toBeUndefined();
    expect(request?.query.getAll('statuses[]')).toEqual(['triggered', 'acknowledged']);
    expect(request?.query.getAll('service_ids[]')).toEqual(['PSVC001', 'PSVC002']);
    expect(request?.query.getAll('urgencies[]')).toEqual(['high']);
    expect(request?.query.get('sort_by')).toBe('created_at:desc,urgency:asc');
    expect(request?.query.get('limit')).toBe('50');
    expect(request?.query.get('offset')).toBe('0');
  });

  it('sends writes with From, a JSON body and the documented incident shape', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 201, body: specResponseExample('POST', '/incidents') });
    const incident = await client.createIncident(
      { title: 'Disk full', serviceId: 'PWIXJZS', urgency: 'high', details: 'df says 100%', priorityId: 'P53ZZH5' },
      { from: 'oncall@example.com' },
    );
    expect(incident.id).toBe('PT4KHLK');
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers.from).toBe('oncall@example.com');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual({
      incident: {
        type: 'incident',
        title: 'Disk full',
        service: { id: 'PWIXJZS', type: 'service_reference' },
        urgency: 'high',
        body: { type: 'incident_body', details: 'df says 100%' },
        priority: { id: 'P53ZZH5', type: 'priority_reference' },
      },
    });
  });

  it('builds each write body the way the REST API documents it', async () => {
    const { client } = makeTestClient(server);
    const from = { from: 'ic@example.com' };
    server.enqueue(
      { body: specResponseExample('PUT', '/incidents/{id}') },
      { body: specResponseExample('PUT', '/incidents/{id}/merge') },
      { status: 201, body: specResponseExample('POST', '/incidents/{id}/snooze') },
      { body: specResponseExample('POST', '/incidents/{id}/notes') },
      { body: specResponseExample('POST', '/incidents/{id}/status_updates') },
      { body: specResponseExample('POST', '/incidents/{id}/responder_requests') },
    );
    await client.updateIncident('PT4KHLK', { status: 'resolved', resolution: 'Rolled back', escalationLevel: 2 }, from);
    const merged = await client.mergeIncidents('PT4KHLK', ['P1', 'P2'], from);
    await client.snoozeIncident('PT4KHLK', 3600, from);
    await client.createIncidentNote('PT4KHLK', 'Rolled back deploy 42', from);
    await client.createStatusUpdate('PT4KHLK', { message: 'Mitigated', subject: 'Checkout' }, from);
    const request = await client.createResponderRequest(
      'PT4KHLK',
      {
        requesterId: 'PL1JMK5',
        message: 'Join the bridge',
        targets: [
          { type: 'user', id: 'PJ25ZYX' },
          { type: 'escalation_policy', id: 'PEP0001' },
        ],
      },
      from,
    );
    expect(merged.id).toBeTruthy();
    expect(request.responder_request_targets?.[0]?.id).toBe('PL7A2O4');
    const bodies = server.requests.map((r) => [r.method, r.path, r.json, r.headers.from]);
    expect(bodies).toEqual([
      [
        'PUT',
        '/incidents/PT4KHLK',
        {
          incident: { type: 'incident_reference', status: 'resolved', resolution: 'Rolled back', escalation_level: 2 },
        },
        'ic@example.com',
      ],
      [
        'PUT',
        '/incidents/PT4KHLK/merge',
        {
          source_incidents: [
            { id: 'P1', type: 'incident_reference' },
            { id: 'P2', type: 'incident_reference' },
          ],
        },
        'ic@example.com',
      ],
      ['POST', '/incidents/PT4KHLK/snooze', { duration: 3600 }, 'ic@example.com'],
      ['POST', '/incidents/PT4KHLK/notes', { note: { content: 'Rolled back deploy 42' } }, 'ic@example.com'],
      ['POST', '/incidents/PT4KHLK/status_updates', { message: 'Mitigated', subject: 'Checkout' }, 'ic@example.com'],
      [
        'POST',
        '/incidents/PT4KHLK/responder_requests',
        {
          requester_id: 'PL1JMK5',
          message: 'Join the bridge',
          responder_request_targets: [
            { responder_request_target: { id: 'PJ25ZYX', type: 'user_reference' } },
            { responder_request_target: { id: 'PEP0001', type: 'escalation_policy_reference' } },
          ],
        },
        'ic@example.com',
      ],
    ]);
  });

  it('reads every endpoint in the table at the documented path', async () => {
    const { client } = makeTestClient(server);
    const reads: Array<[string, () => Promise<unknown>]> = [
      ['/incidents/{id}', () => client.getIncident('PT4KHLK', { include: ['assignees'] })],
      ['/incidents/{id}/notes', () => client.listIncidentNotes('PT4KHLK')],
      ['/incidents/{id}/log_entries', () => client.listIncidentLogEntries('PT4KHLK', { isOverview: true })],
      ['/incidents/{id}/alerts', () => client.listIncidentAlerts('PT4KHLK', { statuses: ['triggered'] })],
      ['/log_entries', () => client.listLogEntries({ since: '2026-01-01T00:00:00Z' })],
      ['/oncalls', () => client.listOnCalls({ scheduleIds: ['PI7DH85'], earliest: true })],
      ['/schedules', () => client.listSchedules({ query: 'primary' })],
      [
        '/schedules/{id}',
        () => client.getSchedule('PI7DH85', { since: '2026-01-05T03:00:00Z', until: '2026-01-05T03:01:00Z' }),
      ],
      ['/escalation_policies', () => client.listEscalationPolicies({ query: 'web' })],
      ['/escalation_policies/{id}', () => client.getEscalationPolicy('PT20YPA')],
      ['/services', () => client.listServices({ query: 'mail' })],
      ['/services/{id}', () => client.getService('PIJ90N7')],
      ['/service_dependencies/technical_services/{id}', () => client.getTechnicalServiceDependencies('PIJ90N7')],
      ['/users', () => client.listUsers({ query: 'earline' })],
      ['/users/{id}', () => client.getUser('PXPGF42')],
      ['/teams', () => client.listTeams({ query: 'ops' })],
      ['/priorities', () => client.listPriorities()],
    ];
    for (const [path, run] of reads) {
      server.enqueue({ body: lastPage('GET', path) });
      await run();
    }
    expect(server.requests.map((r) => r.method)).toEqual(reads.map(() => 'GET'));
    expect(server.requests.map((r) => r.path)).toEqual([
      '/incidents/PT4KHLK',
      '/incidents/PT4KHLK/notes',
      '/incidents/PT4KHLK/log_entries',
      '/incidents/PT4KHLK/alerts',
      '/log_entries',
      '/oncalls',
      '/schedules',
      '/schedules/PI7DH85',
      '/escalation_policies',
      '/escalation_policies/PT20YPA',
      '/services',
      '/services/PIJ90N7',
      '/service_dependencies/technical_services/PIJ90N7',
      '/users',
      '/users/PXPGF42',
      '/teams',
      '/priorities',
    ]);
    expect(server.requests[0]?.query.getAll('include[]')).toEqual(['assignees']);
    expect(server.requests[2]?.query.get('is_overview')).toBe('true');
    expect(server.requests[5]?.query.getAll('schedule_ids[]')).toEqual(['PI7DH85']);
    expect(server.requests[5]?.query.get('earliest')).toBe('true');
    expect(server.requests[7]?.query.get('since')).toBe('2026-01-05T03:00:00Z');
  });

  it('finds a user by exact email, ignoring case and partial matches', async () => {
    const { client } = makeTestClient(server);
    const example = specResponseExample('GET', '/users');
    const [first] = example.users as Array<Record<string, unknown>>;
    example.users = [
      { ...first, id: 'PNEAR01', email: 'earline.greenholt@example.com.au' },
      { ...first, id: 'PEXACT1', email: 'Earline.Greenholt@Example.com' },
    ];
    server.enqueue({ body: example }, { body: { users: [], limit: 100, offset: 0, more: false } });
    const found = await client.findUserByEmail('earline.greenholt@example.com');
    expect(found?.id).toBe('PEXACT1');
    expect(server.requests[0]?.query.get('query')).toBe('earline.greenholt@example.com');
    expect(await client.findUserByEmail('nobody@example.com')).toBeNull();
  });

  it('sends Events API v2 events to the events host without the REST API key', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'disk-42' } });
    const result = await client.enqueueEvent({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'disk-42',
      payload: { summary: 'Disk full on db-1', source: 'db-1', severity: 'critical' },
    });
    expect(result.dedup_key).toBe('disk-42');
    const [request] = server.requests;
    expect(request?.path).toBe('/events/v2/enqueue');
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.json).toMatchObject({ routing_key: 'R0UT1NGKEY', event_action: 'trigger' });
  });

  it('sends through @pagerduty/pdjs by default (its wire format), and an injected fetch replaces it', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ body: specResponseExample('GET', '/users/{id}') });
    await client.getUser('PXPGF42');
    server.enqueue({ status: 202, body: { status: 'success', message: 'Event processed', dedup_key: 'k' } });
    await client.enqueueEvent({ routing_key: 'R0UT1NGKEY', event_action: 'resolve', dedup_key: 'k' });
    const [rest, events] = server.requests;
    // pdjs puts its JSON Content-Type on every request, GETs included, and sends through node-fetch 2
    // (`gzip,deflate` without a space); our own headers replace pdjs's defaults rather than joining them.
    expect(rest?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(rest?.headers['accept-encoding']).toBe('gzip,deflate');
    expect(rest?.headers['user-agent']).toMatch(/^incident-bot \(node v/);
    expect(rest?.headers.accept).toBe(PAGERDUTY_ACCEPT);
    expect(rest?.headers['sec-fetch-mode']).toBeUndefined();
    expect(events?.headers['accept-encoding']).toBe('gzip,deflate');
    expect(events?.headers['content-type']).toBe('application/json');
    expect(events?.headers.authorization).toBeUndefined();

    const seen: string[] = [];
    const injected: typeof fetch = (input, init) => {
      seen.push(String(input));
      return fetch(input, init);
    };
    const { client: direct } = makeTestClient(server, { fetch: injected });
    server.enqueue({ body: specResponseExample('GET', '/users/{id}') });
    await direct.getUser('PXPGF42');
    expect(seen).toEqual([`${server.url}/users/PXPGF42`]);
    const viaFetch = server.requests[2];
    expect(viaFetch?.headers['content-type']).toBeUndefined();
    expect(viaFetch?.headers['sec-fetch-mode']).toBe('cors');
  });

  it('has exactly one method per endpoint in the table, plus the documented derived ones', () => {
    const { client } = makeTestClient(server);
    const methods = Object.keys(client).sort();
    const expected = [...Object.keys(PAGERDUTY_ENDPOINTS), ...Object.keys(DERIVED_METHODS)].sort();
    expect(methods).toEqual(expected);
  });
});

describe('PagerDuty client: refusing bad input before sending', () => {
  it('refuses a write without a From email, and sends nothing', async () => {
    const { client } = makeTestClient(server);
    for (const from of ['', '   ', 'not-an-email']) {
      const error = await rejection(client.createIncidentNote('PT4KHLK', 'hello', { from }));
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.MissingActor);
      expect((error as AppError).message).toMatch(/From header/);
    }
    const missing = await rejection(
      client.updateIncident('PT4KHLK', { status: 'acknowledged' }, undefined as unknown as { from: string }),
    );
    expect((missing as AppError).code).toBe(ErrorCode.MissingActor);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses ids that would change the URL path, and sends nothing', async () => {
    const { client } = makeTestClient(server);
    for (const id of ['../users', 'P1/notes', '', 'P 1', 'x'.repeat(200)]) {
      const error = await rejection(client.getIncident(id));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect((error as InvalidInputError).issues[0]?.path).toBe('incident id');
    }
    for (const call of [
      () => client.listIncidentLogEntries('../x'),
      () => client.listIncidentAlerts('../x'),
      () => client.snoozeIncident('../x', 60, { from: 'a@example.com' }),
      () => client.getTechnicalServiceDependencies('../x'),
    ]) {
      // Bad input is a rejected promise, never a synchronous throw.
      const pending = call();
      expect(pending).toBeInstanceOf(Promise);
      await expect(pending).rejects.toBeInstanceOf(InvalidInputError);
    }
    const listError = await rejection(client.listOnCalls({ scheduleIds: ['PI7DH85', '?x=1'] }));
    expect((listError as InvalidInputError).issues[0]?.path).toBe('scheduleIds[1]');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses an invalid Events API event, naming each problem', async () => {
    const { client } = makeTestClient(server);
    const error = await rejection(
      client.enqueueEvent({ routing_key: '', event_action: 'resolve' } as Parameters<typeof client.enqueueEvent>[0]),
    );
    expect(error).toBeInstanceOf(InvalidInputError);
    const paths = (error as InvalidInputError).issues.map((i) => i.path);
    expect(paths).toContain('routing_key');
    expect(server.requests).toHaveLength(0);
  });

  it('refuses invalid client options with a config error', () => {
    expect(() => createPagerDutyClient({ token: '' })).toThrow(/API key is required/);
    expect(() => createPagerDutyClient({ token: 't', baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
    expect(() => createPagerDutyClient({ token: 't', rateLimitPerMinute: 960 })).toThrow(/rateLimitPerMinute/);
  });
});

describe('PagerDuty client: error answers', () => {
  it('explains a 401 in terms of the API key', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 401, body: { error: { message: 'Unauthorized', code: 2006 } } });
    const error = await rejection(client.listPriorities());
    expect(error).toBeInstanceOf(PagerDutyApiError);
    const apiError = error as PagerDutyApiError;
    expect(apiError.code).toBe(ErrorCode.PagerDutyApi);
    expect(apiError.status).toBe(401);
    expect(apiError.pagerdutyCode).toBe(2006);
    expect(apiError.message).toBe('PagerDuty rejected the API key (401): check PAGERDUTY_API_KEY');
    expect(server.requests).toHaveLength(1);
  });

  it('names the missing incident on a 404', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 404, body: { error: { message: 'Not Found', code: 2100 } } });
    const error = (await rejection(client.getIncident('Q1234'))) as PagerDutyApiError;
    expect(error.status).toBe(404);
    expect(error.message).toBe('Incident Q1234 not found in PagerDuty');
  });

  it("carries PagerDuty's own code, message and errors on a 400", async () => {
    const { client } = makeTestClient(server);
    server.enqueue({
      status: 400,
      body: { error: { message: 'Invalid Input Provided', code: 2001, errors: ['Priority not found'] } },
    });
    const error = (await rejection(
      client.updateIncident('PT4KHLK', { priorityId: 'PNOPE01' }, { from: 'a@example.com' }),
    )) as PagerDutyApiError;
    expect(error.status).toBe(400);
    expect(error.pagerdutyCode).toBe(2001);
    expect(error.pagerdutyMessage).toBe('Invalid Input Provided');
    expect(error.errors).toEqual(['Priority not found']);
    expect(error.message).toBe(
      'PagerDuty rejected the request (400) for Incident PT4KHLK: Invalid Input Provided; Priority not found',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('reports a 2xx body that does not match the model, naming the field', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ body: { incident: { id: 'PT4KHLK', status: 'exploded' } } });
    const error = (await rejection(client.getIncident('PT4KHLK'))) as AppError;
    expect(error.code).toBe(ErrorCode.PagerDutyMalformedResponse);
    expect(error.message).toMatch(/GET \/incidents\/\{id\} with an unexpected body/);
    expect(error.message).toMatch(/incident\.status/);
    expect(error.message).toMatch(/incident\.service/);
  });

  it('reports a 2xx body that is not JSON', async () => {
    const { client } = makeTestClient(server);
    server.enqueue({ status: 200, body: '<html>gateway</html>' });
    const error = (await rejection(client.getIncident('PT4KHLK'))) as AppError;
    expect(error.code).toBe(ErrorCode.PagerDutyMalformedResponse);
    expect(error.message).toMatch(/not JSON/);
  });

  it('never writes the API key to its logs', async () => {
    const { client, logs } = makeTestClient(server);
    server.enqueue(
      { status: 503, body: { error: { message: 'down', code: 1 } } },
      { body: specResponseExample('GET', '/priorities') },
    );
    await client.listPriorities();
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.join('\n')).not.toContain(TEST_TOKEN);
  });
});
