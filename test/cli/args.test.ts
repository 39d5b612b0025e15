import { describe, expect, it } from 'vitest';
import { flagToParameter, parameterToFlag, parseToolArgs } from '../../src/cli/args.js';
import { getIncidentTimeline } from '../../src/tools/incidents/get-incident-timeline.js';
import { listIncidents } from '../../src/tools/incidents/list-incidents.js';
import { listOncalls } from '../../src/tools/oncall/list-oncalls.js';

describe('parseToolArgs', () => {
  it('turns kebab flags into snake parameters, repeating flags into lists and numbers into numbers', () => {
    const parsed = parseToolArgs(listIncidents, [
      '--statuses',
      'triggered',
      '--statuses=acknowledged',
      '--service-ids',
      'PIJ90N7',
      '--limit',
      '5',
      '--sandbox',
      '--as',
      'jane@example.com',
      '--pretty',
    ]);
    expect(parsed.input).toEqual({ statuses: ['triggered', 'acknowledged'], service_ids: ['PIJ90N7'], limit: 5 });
    expect(parsed.flags).toEqual({ sandbox: true, as: 'jane@example.com', pretty: true, help: false });
    expect(parsed.issues).toEqual([]);
  });

  it('reads booleans as a bare flag, an explicit value or --no-flag', () => {
    expect(parseToolArgs(listOncalls, ['--earliest']).input).toEqual({ earliest: true });
    expect(parseToolArgs(listOncalls, ['--earliest', 'false']).input).toEqual({ earliest: false });
    expect(parseToolArgs(listOncalls, ['--earliest=no']).input).toEqual({ earliest: false });
    expect(parseToolArgs(listOncalls, ['--no-earliest']).input).toEqual({ earliest: false });
    expect(parseToolArgs(getIncidentTimeline, ['--overview', '--incident-id', 'PT4KHLK']).input).toEqual({
      overview: true,
      incident_id: 'PT4KHLK',
    });
  });

  it('leaves non-numbers as text so validation can name them, and keeps unknown flags for the hint', () => {
    const parsed = parseToolArgs(listIncidents, ['--limit', 'ten', '--status', 'triggered']);
    expect(parsed.input).toEqual({ limit: 'ten', status: 'triggered' });
  });

  it('reports missing values, repeated single values and stray words', () => {
    const parsed = parseToolArgs(listIncidents, ['oops', '--since', '--limit', '1', '--limit', '2', '--as']);
    expect(parsed.issues).toEqual([
      { path: 'oops', message: 'unexpected argument; parameters are given as --name value' },
      { path: 'since', message: '--since needs a value' },
      { path: 'limit', message: '--limit was given more than once' },
      { path: '--as', message: 'needs the email of the person acting' },
    ]);
  });

  it('merges --input JSON underneath the flags', () => {
    const parsed = parseToolArgs(listIncidents, ['--input', '{"limit":3,"urgencies":["high"]}', '--limit', '4']);
    expect(parsed.input).toEqual({ limit: 4, urgencies: ['high'] });
    expect(parseToolArgs(listIncidents, ['--input', '[1]']).issues[0]?.path).toBe('--input');
  });

  it('maps names both ways', () => {
    expect(flagToParameter('schedule-id')).toBe('schedule_id');
    expect(parameterToFlag('escalation_policy_ids')).toBe('--escalation-policy-ids');
  });
});
