/**
 * After a suggestion button was used, the AI post is updated in place: the used button is replaced by a line
 * saying who did what, so nobody clicks it again.
 */
import { context } from '../../blocks/kit.js';
import type { Block } from '../../blocks/model.js';
import type { ActionContext } from './action-context.js';

/** Removes the clicked element from the message and appends `doneText` (trusted mrkdwn) under it. */
export async function consumeButton(ctx: ActionContext, doneText: string): Promise<void> {
  const blocks = ctx.body.message?.blocks as Block[] | undefined;
  if (!blocks || !ctx.channelId || !ctx.messageTs) return;
  const out: Block[] = [];
  const clicked = (e: Block | undefined): boolean =>
    !!e && e.action_id === ctx.action.action_id && (e.value === undefined || e.value === ctx.action.value);
  for (const b of blocks) {
    if (b.type === 'section' && clicked(b.accessory as Block | undefined)) {
      const { accessory: _used, ...rest } = b;
      out.push(rest, context([doneText]));
      continue;
    }
    if (b.type === 'actions' && Array.isArray(b.elements)) {
      const elements = (b.elements as Block[]).filter((e) => !clicked(e));
      if (elements.length !== (b.elements as Block[]).length) {
        if (elements.length > 0) out.push({ ...b, elements });
        out.push(context([doneText]));
        continue;
      }
    }
    out.push(b);
  }
  const original = (ctx.body.message as { text?: unknown } | undefined)?.text;
  const text = typeof original === 'string' && original !== '' ? original : 'Updated';
  await ctx.deps.services.poster.update(ctx.channelId, ctx.messageTs, { text, blocks: out });
}
