import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/shared/errors.js';
import { findUserByEmail } from '../../../src/tools/account/find-user-by-email.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { fakePagerDuty, fixtures, makeContext } from '../fakes.js';

describe('find_user_by_email', () => {
  it('returns the user, or null when nobody has the email', async () => {
    const user = fixtures.user();
    const pagerduty = fakePagerDuty({ findUserByEmail: async (email) => (email === user.email ? user : null) });
    expect((await runTool(findUserByEmail, { email: user.email }, makeContext(pagerduty))).user).toMatchObject({
      id: user.id,
      name: user.name,
      email: user.email,
    });
    expect(await runTool(findUserByEmail, { email: 'nobody@example.com' }, makeContext(pagerduty))).toEqual({
      user: null,
    });
  });

  it('refuses something that is not an email', async () => {
    await expect(runTool(findUserByEmail, { email: 'jane' }, makeContext(fakePagerDuty()))).rejects.toThrow(
      InvalidInputError,
    );
  });
});
