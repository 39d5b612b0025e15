import { describe, expect, it } from 'vitest';
import { type AppError, ErrorCode } from '../../../src/shared/errors.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { addResponders } from '../../../src/tools/incidents/add-responders.js';
import { ACTOR, fakePagerDuty, fixtures, makeContext } from '../fakes.js';

const responderRequest = {
  requested_at: '2026-01-05T03:00:00Z',
  message: 'Join the bridge',
  requester: { id: 'PJANE01', summary: 'Jane Doe' },
  responder_request_targets: [{ id: 'PU1', type: 'user', summary: 'Sam Roe' }],
};

describe('add_responders', () => {
  it('asks users and escalation policies in the name of the acting person, found by email', async () => {
    const pagerduty = fakePagerDuty({
      findUserByEmail: async () => ({ ...fixtures.user(), id: 'PJANE01' }),
      createResponderRequest: async () => responderRequest,
    });
    const result = await runTool(
      addResponders,
      { incident_id: 'PT4KHLK', user_ids: ['PU1'], escalation_policy_ids: ['PEP2'], message: 'Join the bridge' },
      makeContext(pagerduty),
    );
    expect(pagerduty.calls[0]?.args[0]).toBe(ACTOR.email);
    expect(pagerduty.calls[1]?.args).toEqual([
      'PT4KHLK',
      {
        requesterId: 'PJANE01',
        message: 'Join the bridge',
        targets: [
          { type: 'user', id: 'PU1' },
          { type: 'escalation_policy', id: 'PEP2' },
        ],
      },
      { from: ACTOR.email },
    ]);
    expect(result).toMatchObject({
      requester: { id: 'PJANE01', name: 'Jane Doe' },
      targets: [{ type: 'user', id: 'PU1', name: 'Sam Roe' }],
    });
  });

  it('uses the PagerDuty user id on the actor without looking it up', async () => {
    const pagerduty = fakePagerDuty({ createResponderRequest: async () => responderRequest });
    await runTool(
      addResponders,
      { incident_id: 'PT4KHLK', user_ids: ['PU1'], message: 'Help' },
      makeContext(pagerduty, { ...ACTOR, pagerdutyUserId: 'PKNOWN1' }),
    );
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['createResponderRequest']);
    expect(pagerduty.calls[0]?.args[1]).toMatchObject({ requesterId: 'PKNOWN1' });
  });

  it('refuses when the acting person has no PagerDuty account, and requests nothing', async () => {
    const pagerduty = fakePagerDuty({ findUserByEmail: async () => null });
    const error = (await runTool(
      addResponders,
      { incident_id: 'PT4KHLK', user_ids: ['PU1'], message: 'Help' },
      makeContext(pagerduty),
    ).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe(ErrorCode.UnmappedUser);
    expect(pagerduty.calls.map((c) => c.method)).toEqual(['findUserByEmail']);
  });

  it('needs at least one target', async () => {
    await expect(
      runTool(addResponders, { incident_id: 'PT4KHLK', message: 'Help' }, makeContext(fakePagerDuty())),
    ).rejects.toThrow(/at least one user id or escalation policy id/);
  });
});
