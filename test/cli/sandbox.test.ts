import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { type PagerDutySimulator, startPagerDutySimulator } from '../../src/sandbox/pagerduty/index.js';
import { captureIo } from './capture.js';

interface IncidentOut {
  id: string;
  status: string;
  escalation_level: number | null;
  escalation_policy: { id: string; name: string } | null;
  assignees: Array<{ id: string; name: string }>;
}

async function run(
  argv: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | undefined; json: unknown; err: string }> {
  const io = captureIo(env);
  await main(['run', ...argv], io);
  return { code: io.code, json: io.out === '' ? undefined : JSON.parse(io.out), err: io.err };
}

describe('incident-bot run --sandbox', { timeout: 120_000 }, () => {
  it('lists triggered incidents from the seed organisation', async () => {
    const { code, json, err } = await run(['list_incidents', '--sandbox', '--statuses', 'triggered']);
    expect(err).toBe('');
    expect(code).toBe(0);
    const { items } = json as { items: IncidentOut[] };
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status === 'triggered')).toBe(true);
  });

  it('tells who is on call now for a schedule found through the escalation policies', async () => {
    const policies = await run(['list_escalation_policies', '--sandbox']);
    const { items } = policies.json as {
      items: Array<{ levels: Array<{ targets: Array<{ type: string; id: string }> }> }>;
    };
    const scheduleId = items.flatMap((p) => p.levels.flatMap((l) => l.targets)).find((t) => t.type === 'schedule')?.id;
    expect(scheduleId).toBeTruthy();
    const { code, json } = await run(['get_oncall', '--sandbox', '--schedule-id', scheduleId as string]);
    expect(code).toBe(0);
    const oncall = json as {
      schedule: { id: string; name: string; time_zone: string; on_call_now: Array<{ user: { name: string } }> };
      levels: Array<{ level: number; oncalls: Array<{ user: { name: string } }> }>;
      summary: string;
    };
    expect(oncall.schedule.id).toBe(scheduleId);
    expect(oncall.schedule.time_zone).toMatch(/\//);
    expect(oncall.schedule.on_call_now).toHaveLength(1);
    const person = oncall.schedule.on_call_now[0]?.user.name as string;
    expect(oncall.summary).toBe(`On call now for ${oncall.schedule.name}: ${person}`);
    expect(oncall.levels.flatMap((l) => l.oncalls.map((o) => o.user.name))).toContain(person);
  });

  it('escalates in one invocation: level and assignee change, and a note records it', async () => {
    const listed = await run(['list_incidents', '--sandbox', '--statuses', 'triggered', '--limit', '50']);
    const target = (listed.json as { items: IncidentOut[] }).items.find((i) => i.escalation_level === 1);
    expect(target).toBeDefined();
    const { code, json } = await run([
      'escalate_incident',
      '--sandbox',
      '--incident-id',
      target?.id as string,
      '--reason',
      'no progress',
    ]);
    expect(code).toBe(0);
    const result = json as {
      incident: IncidentOut;
      previous_level: number;
      escalation_level: number;
      note: { content: string };
    };
    expect([result.previous_level, result.escalation_level, result.incident.escalation_level]).toEqual([1, 2, 2]);
    expect(result.incident.assignees.map((a) => a.id)).not.toEqual(target?.assignees.map((a) => a.id));
    expect(result.note.content).toMatch(
      /^Escalated from level 1 to level 2 of \d by .+ via cli\..*Reason: no progress$/,
    );
  });
});

describe('incident-bot run against a running simulator (PAGERDUTY_API_URL)', { timeout: 120_000 }, () => {
  let simulator: PagerDutySimulator;
  let env: Record<string, string>;

  beforeAll(async () => {
    simulator = await startPagerDutySimulator();
    env = {
      PAGERDUTY_API_URL: simulator.url,
      PAGERDUTY_API_KEY: simulator.token,
      PAGERDUTY_FROM_EMAIL: simulator.org.users[0]?.email as string,
    };
  });

  afterAll(async () => {
    await simulator.close();
  });

  it('shows an escalation through get_incident and get_incident_timeline', async () => {
    const listed = await run(['list_incidents', '--statuses', 'triggered', '--limit', '50'], env);
    const target = (listed.json as { items: IncidentOut[] }).items.find((i) => i.escalation_level === 1);
    expect(target).toBeDefined();
    const id = target?.id as string;

    const escalated = await run(['escalate_incident', '--incident-id', id, '--reason', 'database team needed'], env);
    expect(escalated.err).toBe('');
    expect(escalated.code).toBe(0);

    const after = (await run(['get_incident', '--incident-id', id], env)).json as IncidentOut;
    expect(after.escalation_level).toBe(2);
    const levelTwo = simulator
      .oncallNow()
      .filter((o) => o.escalationPolicyId === after.escalation_policy?.id && o.level === 2)
      .map((o) => o.user.id)
      .sort();
    expect(after.assignees.map((a) => a.id).sort()).toEqual(levelTwo);

    const timeline = (await run(['get_incident_timeline', '--incident-id', id], env)).json as {
      items: Array<{ type: string; source: string; summary: string }>;
    };
    const types = timeline.items.map((e) => e.type);
    expect(types[0]).toBe('trigger');
    expect(types).toContain('escalate');
    const note = timeline.items.find((e) => e.source === 'note');
    expect(note?.summary).toMatch(/^Escalated from level 1 to level 2 .*Reason: database team needed$/);
    expect(types.indexOf('note')).toBeGreaterThan(types.lastIndexOf('escalate'));
  });
});
