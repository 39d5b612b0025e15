import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createPagerDutyOpenApiValidator, formatViolations, PAGERDUTY_OPENAPI_PATH } from './pagerduty-openapi.js';

type Json = Record<string, unknown>;
const spec = JSON.parse(readFileSync(PAGERDUTY_OPENAPI_PATH, 'utf8')) as {
  paths: Record<string, Record<string, Json>>;
};
const validator = createPagerDutyOpenApiValidator();

const HEADERS = {
  Authorization: 'Token token=abc',
  Accept: 'application/vnd.pagerduty+json;version=2',
  'Content-Type': 'application/json',
  From: 'maya.chen@example.com',
};

function deref(node: Json): Json {
  let current = node;
  while (typeof current.$ref === 'string') {
    current = (current.$ref as string)
      .slice(2)
      .split('/')
      .reduce<unknown>((o, k) => (o as Json)[k.replace(/~1/g, '/')], spec) as Json;
  }
  return current;
}

function example(path: string, method: string, status: string): Json {
  const response = deref(spec.paths[path]?.[method]?.responses as Json);
  const declared = deref((response as Json)[status] as Json);
  const content = (declared.content as Json)['application/json'] as Json;
  const examples = content.examples as Record<string, { value: Json }>;
  return structuredClone(Object.values(examples)[0]?.value as Json);
}

const where = (violations: Array<{ where: string }>): string[] => violations.map((v) => v.where);

/** The operations the simulator serves. */
const SIMULATED = new Set([
  'get /incidents',
  'post /incidents',
  'put /incidents',
  'get /incidents/{id}',
  'put /incidents/{id}',
  'get /incidents/{id}/notes',
  'post /incidents/{id}/notes',
  'get /incidents/{id}/log_entries',
  'get /incidents/{id}/alerts',
  'get /incidents/{id}/alerts/{alert_id}',
  'put /incidents/{id}/merge',
  'post /incidents/{id}/snooze',
  'post /incidents/{id}/status_updates',
  'post /incidents/{id}/responder_requests',
  'get /log_entries',
  'get /log_entries/{id}',
  'get /oncalls',
  'get /schedules',
  'get /schedules/{id}',
  'get /escalation_policies',
  'get /escalation_policies/{id}',
  'get /services',
  'get /services/{id}',
  'get /service_dependencies/technical_services/{id}',
  'get /users',
  'get /users/{id}',
  'get /teams',
  'get /teams/{id}',
  'get /priorities',
]);

describe('createPagerDutyOpenApiValidator: the spec against its own examples', () => {
  it('accepts the published examples of every simulated operation, except the ones that contradict the spec', () => {
    const failing: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!SIMULATED.has(`${method} ${path}`)) continue;
        const responses = (op as Json).responses as Json | undefined;
        if (!responses) continue;
        for (const [status, raw] of Object.entries(responses)) {
          const content = (deref(raw as Json).content as Json | undefined)?.['application/json'] as Json | undefined;
          const examples = content?.examples as Record<string, { value?: unknown }> | undefined;
          for (const ex of Object.values(examples ?? {})) {
            if (ex.value === undefined) continue;
            checked++;
            const concrete = path.replace(/\{[^}]+\}/g, 'PABC123');
            const violations = validator.validateResponse({
              method,
              path: concrete,
              status: Number(status),
              headers: { 'content-type': 'application/json' },
              body: ex.value,
            });
            if (violations.length > 0) failing.push(`${method.toUpperCase()} ${path} ${status}`);
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(25);
    // The example has `next_oncall_for_user.user` as an array where the schema says object.
    expect(failing).toEqual(['GET /schedules/{id} 200']);
  });
});

describe('createPagerDutyOpenApiValidator: request examples', () => {
  it('accepts the published request examples of every simulated operation', () => {
    const failing: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!SIMULATED.has(`${method} ${path}`)) continue;
        const requestBody = (op as Json).requestBody as Json | undefined;
        if (!requestBody) continue;
        const content = (deref(requestBody).content as Json)['application/json'] as Json | undefined;
        const examples = content?.examples as Record<string, { value?: unknown }> | undefined;
        for (const ex of Object.values(examples ?? {})) {
          if (ex.value === undefined) continue;
          checked++;
          const violations = validator.validateRequest({
            method,
            path: path.replace(/\{[^}]+\}/g, 'PABC123'),
            headers: HEADERS,
            body: ex.value,
          });
          if (violations.length > 0) failing.push(`${method.toUpperCase()} ${path}: ${formatViolations(violations)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(5);
    expect(failing).toEqual([]);
  });
});

describe('validateResponse', () => {
  it('accepts a conforming incident and reports a wrong field type with its location', () => {
    const body = example('/incidents/{id}', 'get', '200');
    const ok = validator.validateResponse({
      method: 'GET',
      path: '/incidents/PT4KHLK',
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body,
    });
    expect(ok).toEqual([]);
    (body.incident as Json).incident_number = '1234';
    const bad = validator.validateResponse({
      method: 'GET',
      path: '/incidents/PT4KHLK',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(where(bad)).toContain('body/incident/incident_number');
  });

  it('reports a missing required field, a value outside an enum and a null where the API never sends one', () => {
    const missing = validator.validateResponse({
      method: 'GET',
      path: '/incidents/P1',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: {},
    });
    expect(formatViolations(missing)).toContain("must have required property 'incident'");
    const body = example('/incidents/{id}', 'get', '200');
    (body.incident as Json).status = 'closed';
    (body.incident as Json).title = null;
    const bad = validator.validateResponse({
      method: 'GET',
      path: '/incidents/P1',
      status: 200,
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(where(bad)).toEqual(expect.arrayContaining(['body/incident/status', 'body/incident/title']));
  });

  it('accepts null for the optional fields PagerDuty sends as null (quirk 6)', () => {
    const body = example('/incidents/{id}', 'get', '200');
    Object.assign(body.incident as Json, {
      priority: null,
      resolved_at: null,
      conference_bridge: null,
      resolve_reason: null,
    });
    expect(
      validator.validateResponse({
        method: 'GET',
        path: '/incidents/P1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      }),
    ).toEqual([]);
  });

  it('accepts the vendor media type on responses and refuses anything that is not JSON', () => {
    const body = example('/priorities', 'get', '200');
    const vendor = validator.validateResponse({
      method: 'GET',
      path: '/priorities',
      status: 200,
      headers: { 'Content-Type': 'application/vnd.pagerduty+json;version=2' },
      body,
    });
    expect(vendor).toEqual([]);
    const html = validator.validateResponse({
      method: 'GET',
      path: '/priorities',
      status: 200,
      headers: { 'Content-Type': 'text/html' },
      body,
    });
    expect(where(html)).toEqual(['header.Content-Type']);
  });

  it('accepts an undeclared 400 only with a PagerDuty error body, and refuses undeclared other statuses', () => {
    const error = { error: { message: 'Incident Already Resolved', code: 1001 } };
    expect(
      validator.validateResponse({
        method: 'PUT',
        path: '/incidents/P1',
        status: 400,
        headers: { 'content-type': 'application/json' },
        body: error,
      }),
    ).toEqual([]);
    const garbage = validator.validateResponse({
      method: 'PUT',
      path: '/incidents/P1',
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: { oops: true },
    });
    expect(where(garbage)).toContain('body/error');
    const teapot = validator.validateResponse({
      method: 'PUT',
      path: '/incidents/P1',
      status: 418,
      headers: { 'content-type': 'application/json' },
      body: error,
    });
    expect(where(teapot)).toEqual(['status']);
  });

  it('knows the log entry types the API sends beyond the spec (quirks 10 and 11) and still refuses made-up ones', () => {
    const body = example('/log_entries/{id}', 'get', '200');
    for (const type of [
      'acknowledge_log_entry',
      'priority_change_log_entry',
      'status_update_log_entry',
      'responder_request_log_entry',
    ]) {
      (body.log_entry as Json).type = type;
      const violations = validator.validateResponse({
        method: 'GET',
        path: '/log_entries/R1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(violations, `${type}: ${formatViolations(violations)}`).toEqual([]);
    }
    (body.log_entry as Json).type = 'teleport_log_entry';
    expect(
      validator.validateResponse({
        method: 'GET',
        path: '/log_entries/R1',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      }).length,
    ).toBeGreaterThan(0);
  });

  it('accepts self links on loopback addresses (quirk 13) but not relative ones', () => {
    const body = example('/priorities', 'get', '200');
    const first = (body.priorities as Json[])[0] as Json;
    first.self = 'http://127.0.0.1:4010/priorities/P1';
    expect(
      validator.validateResponse({
        method: 'GET',
        path: '/priorities',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body,
      }),
    ).toEqual([]);
    first.self = '/priorities/P1';
    expect(
      where(
        validator.validateResponse({
          method: 'GET',
          path: '/priorities',
          status: 200,
          headers: { 'content-type': 'application/json' },
          body,
        }),
      ),
    ).toEqual(['body/priorities/0/self']);
  });
});

describe('validateRequest', () => {
  const incident = {
    incident: {
      type: 'incident',
      title: 'Disk full',
      service: { id: 'PWIXJZS', type: 'service_reference' },
      urgency: 'high',
    },
  };

  it('accepts a correct incident creation', () => {
    expect(validator.validateRequest({ method: 'POST', path: '/incidents', headers: HEADERS, body: incident })).toEqual(
      [],
    );
  });

  it('requires From (as an email) on writes but not on reads', () => {
    const { From: _from, ...noFrom } = HEADERS;
    expect(
      where(validator.validateRequest({ method: 'POST', path: '/incidents', headers: noFrom, body: incident })),
    ).toEqual(['header.From']);
    expect(
      where(
        validator.validateRequest({
          method: 'POST',
          path: '/incidents',
          headers: { ...HEADERS, From: 'maya' },
          body: incident,
        }),
      ),
    ).toEqual(['header.From']);
    expect(validator.validateRequest({ method: 'GET', path: '/incidents', headers: noFrom })).toEqual([]);
  });

  it('checks the body: required fields and enums', () => {
    const bad = validator.validateRequest({
      method: 'POST',
      path: '/incidents',
      headers: HEADERS,
      body: { incident: { type: 'incident', urgency: 'urgent' } },
    });
    const text = formatViolations(bad);
    expect(text).toContain("must have required property 'title'");
    expect(text).toContain("must have required property 'service'");
    expect(where(bad)).toContain('body/incident/urgency');
    expect(where(validator.validateRequest({ method: 'POST', path: '/incidents', headers: HEADERS }))).toEqual([
      'body',
    ]);
    expect(
      where(validator.validateRequest({ method: 'POST', path: '/incidents', headers: HEADERS, body: '{nope' })),
    ).toContain('body');
  });

  it('handles Accept (quirk 1): the vendor type or JSON is required', () => {
    const { Accept: _accept, ...noAccept } = HEADERS;
    expect(where(validator.validateRequest({ method: 'GET', path: '/incidents', headers: noAccept }))).toEqual([
      'header.Accept',
    ]);
    expect(
      where(
        validator.validateRequest({ method: 'GET', path: '/incidents', headers: { ...HEADERS, Accept: 'text/html' } }),
      ),
    ).toEqual(['header.Accept']);
    expect(
      where(
        validator.validateRequest({
          method: 'GET',
          path: '/incidents',
          headers: { ...HEADERS, Accept: 'application/vnd.pagerduty+json;version=3' },
        }),
      ),
    ).toEqual(['header.Accept']);
    expect(
      validator.validateRequest({
        method: 'GET',
        path: '/incidents',
        headers: { ...HEADERS, Accept: 'application/json' },
      }),
    ).toEqual([]);
  });

  it('handles Content-Type (quirk 2): charset allowed, required only with a body', () => {
    const { 'Content-Type': _ct, ...noType } = HEADERS;
    expect(validator.validateRequest({ method: 'GET', path: '/incidents', headers: noType })).toEqual([]);
    expect(
      validator.validateRequest({
        method: 'POST',
        path: '/incidents',
        headers: { ...HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
        body: incident,
      }),
    ).toEqual([]);
    expect(
      where(
        validator.validateRequest({
          method: 'POST',
          path: '/incidents',
          headers: { ...HEADERS, 'Content-Type': 'text/plain' },
          body: incident,
        }),
      ),
    ).toEqual(['header.Content-Type']);
  });

  it('checks `[]` array parameters value by value (quirk 3) and types scalar ones', () => {
    expect(
      validator.validateRequest({
        method: 'GET',
        path: '/incidents?statuses[]=triggered&statuses[]=resolved&limit=5',
        headers: HEADERS,
      }),
    ).toEqual([]);
    expect(
      where(validator.validateRequest({ method: 'GET', path: '/incidents?statuses[]=bogus', headers: HEADERS })),
    ).toEqual(['query.statuses[]']);
    expect(
      where(
        validator.validateRequest({ method: 'GET', path: '/incidents', query: { limit: 'abc' }, headers: HEADERS }),
      ),
    ).toEqual(['query.limit']);
    expect(
      where(
        validator.validateRequest({ method: 'GET', path: '/incidents', query: 'limit=1&limit=2', headers: HEADERS }),
      ),
    ).toEqual(['query.limit']);
    expect(
      where(
        validator.validateRequest({ method: 'GET', path: '/incidents', query: { total: 'yes' }, headers: HEADERS }),
      ),
    ).toEqual(['query.total']);
  });

  it('splits comma-separated form arrays (quirk 4) and enforces their limits', () => {
    expect(
      validator.validateRequest({
        method: 'GET',
        path: '/incidents?sort_by=created_at:desc,urgency:asc',
        headers: HEADERS,
      }),
    ).toEqual([]);
    expect(
      where(validator.validateRequest({ method: 'GET', path: '/incidents?sort_by=a,b,c', headers: HEADERS })),
    ).toEqual(['query.sort_by']);
  });

  it('reports query parameters the operation does not have (quirk 7)', () => {
    expect(
      where(validator.validateRequest({ method: 'GET', path: '/incidents?status[]=triggered', headers: HEADERS })),
    ).toEqual(['query.status[]']);
  });

  it('requires a Token or Bearer authorization', () => {
    const { Authorization: _auth, ...noAuth } = HEADERS;
    expect(where(validator.validateRequest({ method: 'GET', path: '/users', headers: noAuth }))).toEqual([
      'header.Authorization',
    ]);
    expect(
      where(
        validator.validateRequest({
          method: 'GET',
          path: '/users',
          headers: { ...HEADERS, Authorization: 'Basic Zm9v' },
        }),
      ),
    ).toEqual(['header.Authorization']);
    expect(
      validator.validateRequest({
        method: 'GET',
        path: '/users',
        headers: { ...HEADERS, Authorization: 'Bearer abc.def' },
      }),
    ).toEqual([]);
  });

  it('matches templated paths, preferring literal segments, and reports unknown paths and methods', () => {
    expect(validator.findOperation('POST', '/incidents/Q1ABC/notes')).toEqual({
      operationId: 'createIncidentNote',
      template: '/incidents/{id}/notes',
    });
    expect(validator.findOperation('GET', '/incidents/types')?.template).toBe('/incidents/types');
    // `/incidents/count` is in the spec without operations, so GET falls through to `/incidents/{id}`.
    expect(validator.findOperation('GET', '/incidents/count')?.template).toBe('/incidents/{id}');
    expect(validator.findOperation('GET', '/incidents/Q1ABC')?.template).toBe('/incidents/{id}');
    expect(where(validator.validateRequest({ method: 'GET', path: '/nothing/here', headers: HEADERS }))).toEqual([
      'operation',
    ]);
    expect(
      formatViolations(validator.validateRequest({ method: 'DELETE', path: '/incidents/Q1', headers: HEADERS })),
    ).toContain('DELETE is not defined for /incidents/{id}');
  });

  it('checks path parameters and request bodies of nested operations', () => {
    expect(
      validator.validateRequest({
        method: 'POST',
        path: '/incidents/Q1/snooze',
        headers: HEADERS,
        body: { duration: 3600 },
      }),
    ).toEqual([]);
    expect(
      where(
        validator.validateRequest({
          method: 'POST',
          path: '/incidents/Q1/snooze',
          headers: HEADERS,
          body: { duration: 604801 },
        }),
      ),
    ).toEqual(['body/duration']);
    expect(
      where(
        validator.validateRequest({
          method: 'POST',
          path: '/incidents/Q1/notes',
          headers: HEADERS,
          body: { note: {} },
        }),
      ),
    ).toEqual(['body/note']);
  });
});
