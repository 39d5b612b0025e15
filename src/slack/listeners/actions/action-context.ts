/**
 * The shared shape of a block action: the payload parsed with zod, acknowledged first, deduplicated (a double
 * click writes once: the key is derived from the action, the message, and the value, which carries the incident
 * state the person saw), and failures shown to the clicker as an ephemeral message naming what failed.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { MessagePayload } from '../../blocks/model.js';
import { buildNotice } from '../../blocks/notice.js';
import { claim, dedupeKey, errorNotice, type ListenerDeps, mayHaveWritten } from '../shared.js';

const ActionSchema = z.looseObject({
  action_id: z.string(),
  block_id: z.string().optional(),
  type: z.string().optional(),
  value: z.string().optional(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).optional(),
});

export const BlockActionBodySchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: z.string() }),
  team: z.looseObject({ id: z.string() }).nullish(),
  trigger_id: z.string().optional(),
  channel: z.looseObject({ id: z.string() }).nullish(),
  container: z
    .looseObject({
      type: z.string(),
      message_ts: z.string().optional(),
      channel_id: z.string().optional(),
      thread_ts: z.string().optional(),
      is_ephemeral: z.boolean().optional(),
      view_id: z.string().optional(),
    })
    .optional(),
  message: z
    .looseObject({
      ts: z.string(),
      thread_ts: z.string().optional(),
      blocks: z.array(z.record(z.string(), z.unknown())).optional(),
    })
    .optional(),
  state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), z.unknown())) }).optional(),
  actions: z.array(ActionSchema).min(1),
});
export type BlockActionBody = z.infer<typeof BlockActionBodySchema>;

export interface ActionContext {
  deps: ListenerDeps;
  body: BlockActionBody;
  action: z.infer<typeof ActionSchema>;
  userId: string;
  teamId: string | null;
  channelId: string | null;
  /** The clicked message (null for ephemeral messages and modals). */
  messageTs: string | null;
  /** Thread the clicked message is in, if any. */
  threadTs: string | null;
  triggerId: string | null;
  /** The clicked option's value (selects, overflow) or the button's value. */
  value: string | undefined;
  reply(payload: MessagePayload): Promise<void>;
  ok(text: string): Promise<void>;
  fail(what: string, error: unknown): Promise<void>;
  /**
   * Claims this click once (action + message + value). Returns a release function (call it when the write
   * failed, so a retry can run), or null for a duplicate (do nothing).
   */
  claimOnce(): Promise<(() => Promise<void>) | null>;
  /**
   * Runs `write` once per click (see `claimOnce`): a duplicate does nothing; a failure that certainly changed
   * nothing releases the claim (so the person can try again) and is rethrown. Resolves true when `write` ran.
   */
  once(write: () => Promise<void>): Promise<boolean>;
}

/** Registers a block action: ack first, then the handler; `what` names it in failure messages. */
export function onAction(
  app: App,
  deps: ListenerDeps,
  actionId: string | RegExp,
  what: string,
  handler: (ctx: ActionContext) => Promise<void>,
): void {
  app.action({ action_id: actionId }, async ({ ack, body }) => {
    await ack();
    const parsed = BlockActionBodySchema.safeParse(body);
    if (!parsed.success) {
      deps.rt.logger.warn({ issues: parsed.error.issues.slice(0, 3) }, 'malformed block_actions payload ignored');
      return;
    }
    const b = parsed.data;
    const action = b.actions[0] as z.infer<typeof ActionSchema>;
    const channelId = b.container?.channel_id ?? b.channel?.id ?? null;
    const ephemeral = b.container?.is_ephemeral === true;
    const messageTs = ephemeral ? null : (b.container?.message_ts ?? b.message?.ts ?? null);
    const threadTs = b.container?.thread_ts ?? b.message?.thread_ts ?? null;
    const value = action.selected_option?.value ?? action.value;
    const reply = (payload: MessagePayload): Promise<void> =>
      deps.services.poster.ephemeral(channelId, b.user.id, payload, threadTs);
    const ctx: ActionContext = {
      deps,
      body: b,
      action,
      userId: b.user.id,
      teamId: b.team?.id ?? null,
      channelId,
      messageTs,
      threadTs,
      triggerId: b.trigger_id ?? null,
      value,
      reply,
      ok: (text) => reply(buildNotice('success', text)),
      fail: (w, error) => {
        deps.rt.logger.warn({ err: error, what: w }, 'block action failed');
        return reply(errorNotice(w, error));
      },
      claimOnce: () =>
        claim(
          deps,
          dedupeKey(
            'action',
            action.action_id,
            channelId,
            b.container?.message_ts ?? b.container?.view_id,
            value ?? '',
          ),
        ),
      once: async (write) => {
        const release = await ctx.claimOnce();
        if (!release) return false;
        try {
          await write();
          return true;
        } catch (error) {
          if (!mayHaveWritten(error)) await release();
          throw error;
        }
      },
    };
    try {
      await handler(ctx);
    } catch (error) {
      await ctx.fail(what, error);
    }
  });
}
