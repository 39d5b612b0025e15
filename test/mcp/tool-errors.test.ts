import { describe, expect, it } from 'vitest';
import { describeToolError, idParameters } from '../../src/mcp/tool-errors.js';
import { PagerDutyApiError, pagerDutyUnavailable } from '../../src/pagerduty/index.js';
import { AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { getTool, tools } from '../../src/tools/catalogue.js';
import type { AnyTool } from '../../src/tools/define-tool.js';

function tool(name: string): AnyTool {
  const found = getTool(name);
  if (!found) throw new Error(`no tool ${name}`);
  return found;
}

function invalid(toolName: string, issues: Array<{ path: string; message: string }>): InvalidInputError {
  return new InvalidInputError(`Invalid input for ${toolName}`, issues);
}

function notFound(endpoint: string, resource: string, id: string): PagerDutyApiError {
  return new PagerDutyApiError({ status: 404, method: 'GET', endpoint, subject: { resource, id } });
}

describe('idParameters', () => {
  it('finds the id parameters of a tool and the tool that finds each kind of id', () => {
    expect(idParameters(tool('reassign_incident'), tools)).toEqual([
      { name: 'incident_id', noun: 'incident', finder: 'list_incidents' },
      { name: 'user_ids', noun: 'user', finder: 'find_user_by_email' },
      { name: 'escalation_policy_id', noun: 'escalation_policy', finder: 'list_escalation_policies' },
    ]);
    expect(idParameters(tool('merge_incidents'), tools).map((p) => [p.name, p.noun, p.finder])).toEqual([
      ['target_incident_id', 'incident', 'list_incidents'],
      ['source_incident_ids', 'incident', 'list_incidents'],
    ]);
  });

  it('names no finder that the catalogue does not have', () => {
    const only = tools.filter((t) => t.name !== 'list_services' && t.name !== 'get_service');
    expect(idParameters(tool('get_service'), only)).toEqual([
      { name: 'service_id', noun: 'service', finder: undefined },
    ]);
    const error = invalid('get_service', [{ path: 'service_id', message: 'expected a PagerDuty id' }]);
    expect(describeToolError(tool('get_service'), error, { service_id: 'payments api' }, only)).toBe(
      "Invalid input for get_service: service_id 'payments api' is not a PagerDuty id.",
    );
  });
});

describe('describeToolError', () => {
  it('turns a malformed id into "<param> \'<value>\' is not a PagerDuty id; call <finder> to find it"', () => {
    const error = invalid('get_service', [{ path: 'service_id', message: 'expected a PagerDuty id' }]);
    expect(describeToolError(tool('get_service'), error, { service_id: 'payments api' }, tools)).toBe(
      "Invalid input for get_service: service_id 'payments api' is not a PagerDuty id; call list_services to find it.",
    );
  });

  it('recognises an incident number given as an incident id', () => {
    const error = invalid('get_incident', [{ path: 'incident_id', message: 'expected a PagerDuty id' }]);
    expect(describeToolError(tool('get_incident'), error, { incident_id: '#1234' }, tools)).toMatch(
      /^Invalid input for get_incident: incident_id '#1234' looks like an incident number, not a PagerDuty incident id .*call list_incidents to find it\.$/,
    );
  });

  it('points at the element of a list that is wrong, and says nothing changed for a write tool', () => {
    const error = invalid('merge_incidents', [{ path: 'source_incident_ids.1', message: 'expected a PagerDuty id' }]);
    expect(
      describeToolError(
        tool('merge_incidents'),
        error,
        { target_incident_id: 'Q1', source_incident_ids: ['Q2AAAAA', 'oops'] },
        tools,
      ),
    ).toBe(
      "Invalid input for merge_incidents: source_incident_ids 'oops' is not a PagerDuty id; call list_incidents to find it. Nothing was changed.",
    );
  });

  it('sends an unknown priority to list_priorities', () => {
    const error = invalid('update_incident', [
      { path: 'priority', message: 'unknown priority "P9"; this account has P1, P2' },
    ]);
    expect(describeToolError(tool('update_incident'), error, { incident_id: 'Q1AAAAA', priority: 'P9' }, tools)).toBe(
      'Invalid input for update_incident: priority: unknown priority "P9"; this account has P1, P2; call list_priorities to see them. Nothing was changed.',
    );
  });

  it('keeps other input problems as they are', () => {
    const error = invalid('list_incidents', [{ path: 'limit', message: 'Too big: expected number to be <=1000' }]);
    expect(describeToolError(tool('list_incidents'), error, { limit: 5000 }, tools)).toBe(
      'Invalid input for list_incidents: limit: Too big: expected number to be <=1000.',
    );
  });

  it('names the parameter behind a 404, from the endpoint, with the tool that finds valid ids', () => {
    expect(
      describeToolError(
        tool('get_service'),
        notFound('/service_dependencies/technical_services/{id}', 'Service', 'PZZZZZZ'),
        { service_id: 'PZZZZZZ' },
        tools,
      ),
    ).toBe("Service PZZZZZZ not found in PagerDuty: check service_id 'PZZZZZZ'; call list_services to find valid ids.");
    const merge = new PagerDutyApiError({ status: 404, method: 'PUT', endpoint: '/incidents/{id}/merge' });
    expect(
      describeToolError(
        tool('merge_incidents'),
        merge,
        { target_incident_id: 'Q1AAAAA', source_incident_ids: ['Q2BBBBB'] },
        tools,
      ),
    ).toBe(
      "Not found in PagerDuty (404 on PUT /incidents/{id}/merge): check target_incident_id 'Q1AAAAA' or source_incident_ids 'Q2BBBBB'; call list_incidents to find valid ids. Nothing was changed.",
    );
  });

  it('says a 401 is the server configuration, not the request', () => {
    const error = new PagerDutyApiError({ status: 401, method: 'GET', endpoint: '/services' });
    expect(describeToolError(tool('list_services'), error, {}, tools)).toBe(
      "PagerDuty rejected the API key (401): check PAGERDUTY_API_KEY. This is a problem with the server's configuration, not with the request: tell the user.",
    );
  });

  it('passes PagerDuty’s own reason for a rejected write, and that nothing changed', () => {
    const error = new PagerDutyApiError({
      status: 400,
      method: 'PUT',
      endpoint: '/incidents/{id}',
      subject: { resource: 'Incident', id: 'Q1AAAAA' },
      pagerdutyMessage: 'Invalid Input Provided',
      errors: ['Incident Already Resolved'],
    });
    expect(
      describeToolError(tool('update_incident'), error, { incident_id: 'Q1AAAAA', status: 'resolved' }, tools),
    ).toBe(
      'PagerDuty rejected the request (400) for Incident Q1AAAAA: Invalid Input Provided; Incident Already Resolved. Nothing was changed.',
    );
  });

  it('tells reads to retry and writes to check the state first when PagerDuty is down', () => {
    const down = pagerDutyUnavailable('PagerDuty did not answer within 10 s');
    expect(describeToolError(tool('list_services'), down, {}, tools)).toBe(
      'list_services could not complete: PagerDuty did not answer within 10 s. Try again in a minute; if it keeps failing, tell the user PagerDuty cannot be reached from this server.',
    );
    expect(describeToolError(tool('add_incident_note'), down, {}, tools)).toMatch(
      /^add_incident_note could not complete: .* It is not certain whether the change was applied: read the current state \(e\.g\. get_incident\) before trying again\.$/,
    );
    const limited = new PagerDutyApiError({ status: 429, method: 'GET', endpoint: '/incidents', retryAfterMs: 20_000 });
    expect(describeToolError(tool('list_incidents'), limited, {}, tools)).toMatch(
      /rate limit reached \(429\); PagerDuty asks to wait 20 s\. Try again/,
    );
  });

  it('explains how to name the acting person', () => {
    const error = new AppError(
      ErrorCode.UnmappedUser,
      'No PagerDuty user has the email a@b.co, so the request cannot be made in their name',
    );
    expect(describeToolError(tool('add_responders'), error, {}, tools)).toMatch(
      /Restart the MCP server with --as <the user's PagerDuty email>/,
    );
  });

  it('says when something failed that nobody planned for', () => {
    expect(describeToolError(tool('list_services'), new TypeError('x is undefined'), {}, tools)).toBe(
      'list_services failed unexpectedly: x is undefined',
    );
  });
});
