import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AppError, ErrorCode, InvalidInputError } from '../../src/shared/errors.js';
import { defineTool, runTool, suggestParameter } from '../../src/tools/define-tool.js';
import { addIncidentNote } from '../../src/tools/incidents/add-incident-note.js';
import { listIncidents } from '../../src/tools/incidents/list-incidents.js';
import { fakePagerDuty, makeContext } from './fakes.js';

async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a failure');
}

describe('runTool input checks', () => {
  it('refuses an unknown parameter and names the right one, PagerDuty-MCP style', async () => {
    const pagerduty = fakePagerDuty();
    const error = await failure(runTool(listIncidents, { status: 'triggered' }, makeContext(pagerduty)));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).issues).toEqual([
      { path: 'status', message: 'unknown parameter; use `statuses` (a list such as ["triggered","acknowledged"])' },
    ]);
    expect(error.message).toBe(
      'Invalid input for list_incidents: status: unknown parameter; use `statuses` (a list such as ["triggered","acknowledged"])',
    );
    expect(pagerduty.calls).toEqual([]);
  });

  it('names every bad parameter at once, and sends nothing', async () => {
    const pagerduty = fakePagerDuty();
    const error = (await failure(
      runTool(
        listIncidents,
        { statuses: ['open'], limit: 0, serviceIds: ['P1'], since: 'yesterday' },
        makeContext(pagerduty),
      ),
    )) as InvalidInputError;
    expect(error.issues.map((i) => i.path).sort()).toEqual(['limit', 'serviceIds', 'since', 'statuses.0']);
    expect(error.issues.find((i) => i.path === 'serviceIds')?.message).toMatch(/use `service_ids`/);
    expect(pagerduty.calls).toEqual([]);
  });

  it('says a missing required parameter "is required"', async () => {
    const error = (await failure(
      runTool(addIncidentNote, { content: 'x' }, makeContext(fakePagerDuty())),
    )) as InvalidInputError;
    expect(error.issues).toEqual([{ path: 'incident_id', message: 'is required' }]);
  });

  it('refuses input that is not an object', async () => {
    for (const raw of ['PT4KHLK', 42, ['a']]) {
      const error = await failure(runTool(listIncidents, raw, makeContext(fakePagerDuty())));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toMatch(/expected an object of named parameters/);
    }
  });

  it('requires an acting person for a write tool, before touching PagerDuty', async () => {
    const pagerduty = fakePagerDuty();
    const error = await failure(
      runTool(addIncidentNote, { incident_id: 'PT4KHLK', content: 'hi' }, makeContext(pagerduty, null)),
    );
    expect(error.code).toBe(ErrorCode.MissingActor);
    expect(error.message).toMatch(/add_incident_note changes PagerDuty/);
    expect(pagerduty.calls).toEqual([]);
  });

  it('refuses a result that does not match the output schema', async () => {
    const broken = defineTool({
      name: 'get_broken',
      title: 'Broken',
      description: 'A tool that returns the wrong shape, for this test.',
      access: 'read',
      input: z.object({}),
      output: z.object({ id: z.string() }),
      run: async () => ({ id: 42 }) as unknown as { id: string },
    });
    const error = await failure(runTool(broken, {}, makeContext(fakePagerDuty())));
    expect(error.code).toBe(ErrorCode.Unknown);
    expect(error.message).toMatch(/^get_broken produced an invalid result: id:/);
  });

  it('treats null or undefined input as no parameters', async () => {
    const echo = defineTool({
      name: 'get_echo',
      title: 'Echo',
      description: 'Returns its defaulted input, for this test.',
      access: 'read',
      input: z.object({ n: z.number().default(3).describe('A number.') }),
      output: z.object({ n: z.number() }),
      run: async (input) => ({ n: input.n }),
    });
    expect(await runTool(echo, undefined, makeContext(fakePagerDuty()))).toEqual({ n: 3 });
    expect(await runTool(echo, null, makeContext(fakePagerDuty()))).toEqual({ n: 3 });
  });
});

describe('defineTool rules', () => {
  const base = {
    title: 'X',
    description: 'A tool used only to test the catalogue rules.',
    access: 'read' as const,
    output: z.object({}),
    run: async () => ({}),
  };

  it('refuses names that are not snake_case verb_noun', () => {
    expect(() => defineTool({ ...base, name: 'GetIncident', input: z.object({}) })).toThrow(/snake_case/);
    expect(() => defineTool({ ...base, name: 'incident', input: z.object({}) })).toThrow(/snake_case/);
  });

  it('refuses undescribed or nested parameters', () => {
    expect(() => defineTool({ ...base, name: 'get_x', input: z.object({ a: z.string() }) })).toThrow(/describe/);
    expect(() =>
      defineTool({ ...base, name: 'get_x', input: z.object({ a: z.object({ b: z.string() }).describe('nested') }) }),
    ).toThrow(/flat/);
    expect(() =>
      defineTool({ ...base, name: 'get_x', input: z.object({ a: z.array(z.object({})).optional().describe('list') }) }),
    ).toThrow(/flat/);
  });
});

describe('suggestParameter', () => {
  const known = ['incident_id', 'statuses', 'service_ids', 'escalation_level', 'limit'];

  it('finds plurals, other casings and small typos, and nothing for strangers', () => {
    expect(suggestParameter('status', known)).toBe('statuses');
    expect(suggestParameter('incidentId', known)).toBe('incident_id');
    expect(suggestParameter('incident-id', known)).toBe('incident_id');
    expect(suggestParameter('service_id', known)).toBe('service_ids');
    expect(suggestParameter('escalaton_level', known)).toBe('escalation_level');
    expect(suggestParameter('color', known)).toBeUndefined();
  });
});
