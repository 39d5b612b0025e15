/** Runbook checklist ticks: the message is updated so everyone sees which steps are done and who ticked last. */
import type { App } from '@slack/bolt';
import type { Block } from '../../blocks/model.js';
import { applyRunbookTicks } from '../../blocks/runbook-post.js';
import { ActionId, BlockId } from '../../ids.js';
import type { ListenerDeps } from '../shared.js';
import { onAction } from './action-context.js';

export function registerRunbookCheck(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.runbookCheck, 'update the checklist', async (ctx) => {
    const blocks = ctx.body.message?.blocks as Block[] | undefined;
    if (!blocks || !ctx.channelId || !ctx.messageTs) return;
    const selected = new Map<string, string[]>();
    for (const [blockId, inputs] of Object.entries(ctx.body.state?.values ?? {})) {
      if (!blockId.startsWith(`${BlockId.runbookChecklist}:`)) continue;
      const state = inputs[ActionId.runbookCheck] as { selected_options?: Array<{ value?: unknown }> } | undefined;
      selected.set(
        blockId,
        (state?.selected_options ?? []).map((o) => String(o.value ?? '')).filter((v) => /^step-\d+$/.test(v)),
      );
    }
    // The clicked block's own selection is authoritative (state may lag behind for the element just changed).
    if (ctx.action.block_id && ctx.action.selected_options) {
      selected.set(
        ctx.action.block_id,
        ctx.action.selected_options.map((o) => o.value),
      );
    }
    const text = String((ctx.body.message as { text?: unknown } | undefined)?.text ?? 'Runbook');
    await deps.services.poster.update(ctx.channelId, ctx.messageTs, {
      text,
      blocks: applyRunbookTicks(blocks, selected, ctx.userId),
    });
  });
}
