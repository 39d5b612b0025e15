import { withGeneratedIds } from './payloads.js';
import type { View } from './types.js';
import { slackError } from './web-api/args.js';
import type { Workspace } from './workspace.js';

/** A modal allows two `views.push` after it is opened: three views deep. */
export const MAX_VIEW_STACK = 3;

/** `view` must already have passed `validateView`. */
type ViewInput = Record<string, unknown>;

function newHash(ws: Workspace): string {
  return `${ws.nowSeconds()}.${ws.ids.hex(8)}`;
}

function buildView(
  ws: Workspace,
  input: ViewInput,
  userId: string,
  links: { id?: string; rootViewId?: string; previousViewId?: string | null },
): View {
  const id = links.id ?? ws.ids.id('V');
  const str = (key: string): string => (typeof input[key] === 'string' ? (input[key] as string) : '');
  const view: View = {
    id,
    team_id: ws.team.id,
    type: input.type === 'home' ? 'home' : 'modal',
    blocks: Array.isArray(input.blocks) ? withGeneratedIds(input.blocks as unknown[], ws.ids) : [],
    private_metadata: str('private_metadata'),
    callback_id: str('callback_id'),
    external_id: str('external_id'),
    state: { values: {} },
    hash: newHash(ws),
    clear_on_close: input.clear_on_close === true,
    notify_on_close: input.notify_on_close === true,
    submit_disabled: input.submit_disabled === true,
    root_view_id: links.rootViewId ?? id,
    previous_view_id: links.previousViewId ?? null,
    app_id: ws.bot.appId,
    app_installed_team_id: ws.team.id,
    bot_id: ws.bot.botId,
    userId,
  };
  if (view.type === 'modal') {
    view.title = input.title;
    if (input.submit !== undefined) view.submit = input.submit;
    if (input.close !== undefined) view.close = input.close;
  }
  return view;
}

function checkExternalId(ws: Workspace, input: ViewInput, exceptViewId?: string): void {
  const externalId = input.external_id;
  if (typeof externalId !== 'string' || externalId === '') return;
  for (const v of ws.views.values()) {
    if (v.external_id === externalId && v.id !== exceptViewId) throw slackError('duplicate_external_id');
  }
}

/** The user's open modal stack (bottom first). */
export function stackOf(ws: Workspace, userId: string): View[] {
  return (ws.stacks.get(userId) ?? []).map((id) => ws.views.get(id)).filter((v): v is View => v !== undefined);
}

/** views.open: a new modal replaces whatever the user had open. */
export function openModal(ws: Workspace, userId: string, input: ViewInput): View {
  checkExternalId(ws, input);
  for (const old of stackOf(ws, userId)) ws.views.delete(old.id);
  const view = buildView(ws, input, userId, {});
  ws.views.set(view.id, view);
  ws.stacks.set(userId, [view.id]);
  ws.emit({ type: 'view', userId, viewId: view.id });
  return view;
}

/** views.push / response_action push: on top of the open modal, at most three deep. */
export function pushModal(ws: Workspace, userId: string, input: ViewInput): View {
  const stack = ws.stacks.get(userId) ?? [];
  const top = stack.at(-1);
  if (top === undefined) throw slackError('not_found');
  if (stack.length >= MAX_VIEW_STACK) throw slackError('push_limit_reached');
  checkExternalId(ws, input);
  const root = stack[0] ?? top;
  const view = buildView(ws, input, userId, { rootViewId: root, previousViewId: top });
  ws.views.set(view.id, view);
  stack.push(view.id);
  ws.stacks.set(userId, stack);
  ws.emit({ type: 'view', userId, viewId: view.id });
  return view;
}

/** views.update / response_action update: same id, new content and hash; input state and errors are reset. */
export function replaceView(ws: Workspace, existing: View, input: ViewInput): View {
  checkExternalId(ws, input, existing.id);
  if ((input.type === 'home') !== (existing.type === 'home')) throw slackError('invalid_arguments');
  const view = buildView(ws, input, existing.userId, {
    id: existing.id,
    rootViewId: existing.root_view_id,
    previousViewId: existing.previous_view_id,
  });
  ws.views.set(view.id, view);
  ws.emit({ type: 'view', userId: view.userId, viewId: view.id });
  return view;
}

/** Closes the top modal (or the whole stack when it was opened with clear_on_close); returns the closed views. */
export function closeTop(ws: Workspace, userId: string): View[] {
  const stack = ws.stacks.get(userId) ?? [];
  const topId = stack.at(-1);
  if (topId === undefined) return [];
  const top = ws.views.get(topId);
  if (top?.clear_on_close) return clearStack(ws, userId);
  stack.pop();
  ws.views.delete(topId);
  if (stack.length === 0) ws.stacks.delete(userId);
  ws.emit({ type: 'view', userId, viewId: topId });
  return top ? [top] : [];
}

/** Closes every modal of the user (response_action clear). */
export function clearStack(ws: Workspace, userId: string): View[] {
  const closed = stackOf(ws, userId);
  for (const v of closed) ws.views.delete(v.id);
  ws.stacks.delete(userId);
  for (const v of closed) ws.emit({ type: 'view', userId, viewId: v.id });
  return closed;
}

/** views.publish: the user's Home tab. */
export function publishHome(ws: Workspace, userId: string, input: ViewInput): View {
  const existingId = ws.homes.get(userId);
  const existing = existingId === undefined ? undefined : ws.views.get(existingId);
  const view = existing ? replaceView(ws, existing, input) : buildView(ws, input, userId, {});
  ws.views.set(view.id, view);
  ws.homes.set(userId, view.id);
  ws.emit({ type: 'view', userId, viewId: view.id });
  return view;
}
