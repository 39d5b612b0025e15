import { z } from 'zod';
import { validateView } from '../blockkit.js';
import { openModal, publishHome, pushModal, replaceView } from '../view-stack.js';
import { wireView } from '../workspace.js';
import { id, jsonArg, parseArgs, slackError } from './args.js';
import type { MethodContext, MethodSpec } from './context.js';

/** Slack refuses views over 250 kB. */
export const MAX_VIEW_BYTES = 250_000;

/** Validates a view argument (`invalid_arguments` with Slack's pointer messages) and the surface it is for. */
function checkedView(view: unknown, expected: 'modal' | 'home'): Record<string, unknown> {
  if (view === undefined) {
    throw slackError('invalid_arguments', {
      response_metadata: { messages: ['[ERROR] missing required field: view'] },
    });
  }
  if (Buffer.byteLength(JSON.stringify(view), 'utf8') > MAX_VIEW_BYTES) throw slackError('view_too_large');
  const problems = validateView(view);
  if (problems.length > 0) {
    throw slackError('invalid_arguments', { response_metadata: { messages: problems.map((p) => `[ERROR] ${p}`) } });
  }
  const v = view as Record<string, unknown>;
  if (v.type !== expected) {
    throw slackError('invalid_arguments', {
      response_metadata: { messages: [`[ERROR] must be ${expected} [json-pointer:/view/type]`] },
    });
  }
  return v;
}

const viewArg = jsonArg('invalid_arguments');

const openArgs = z.object({
  trigger_id: z.string().optional(),
  interactivity_pointer: z.string().optional(),
  view: viewArg,
});

/** views.open / views.push: a trigger_id Slack issued (3 s, single use) and a valid modal, placed by `place`. */
function triggeredModal(place: typeof openModal): MethodSpec {
  return {
    handler(ctx, raw) {
      const args = parseArgs(openArgs, raw);
      const trigger = args.trigger_id ?? args.interactivity_pointer;
      if (trigger === undefined || trigger === '') {
        throw slackError('invalid_arguments', {
          response_metadata: { messages: ['[ERROR] missing required field: trigger_id'] },
        });
      }
      const view = checkedView(args.view, 'modal');
      const { userId } = ctx.triggers.consume(trigger);
      return { view: wireView(place(ctx.ws, userId, view)) };
    },
  };
}

const updateArgs = z.object({
  view_id: z.string().optional(),
  external_id: z.string().optional(),
  hash: z.string().optional(),
  view: viewArg,
});

function findView(ctx: MethodContext, viewId: string | undefined, externalId: string | undefined) {
  if (viewId !== undefined && viewId !== '') return ctx.ws.views.get(viewId);
  if (externalId !== undefined && externalId !== '') {
    return [...ctx.ws.views.values()].find((v) => v.external_id === externalId);
  }
  throw slackError('invalid_arguments', {
    response_metadata: { messages: ['[ERROR] missing required field: view_id or external_id'] },
  });
}

const update: MethodSpec = {
  handler(ctx, raw) {
    const args = parseArgs(updateArgs, raw);
    const existing = findView(ctx, args.view_id, args.external_id);
    if (!existing) throw slackError('not_found');
    const view = checkedView(args.view, existing.type);
    if (args.hash !== undefined && args.hash !== '' && args.hash !== existing.hash) throw slackError('hash_conflict');
    return { view: wireView(replaceView(ctx.ws, existing, view)) };
  },
};

const publishArgs = z.object({ user_id: id, view: viewArg, hash: z.string().optional() });

const publish: MethodSpec = {
  handler(ctx, raw) {
    const args = parseArgs(publishArgs, raw);
    const user = ctx.ws.users.get(args.user_id);
    if (!user) throw slackError('user_not_found');
    const view = checkedView(args.view, 'home');
    const currentId = ctx.ws.homes.get(user.id);
    const current = currentId === undefined ? undefined : ctx.ws.views.get(currentId);
    if (args.hash !== undefined && args.hash !== '' && current && args.hash !== current.hash) {
      throw slackError('hash_conflict');
    }
    return { view: wireView(publishHome(ctx.ws, user.id, view)) };
  },
};

export const viewsMethods: Record<string, MethodSpec> = {
  'views.open': triggeredModal(openModal),
  'views.push': triggeredModal(pushModal),
  'views.update': update,
  'views.publish': publish,
};
