/**
 * The shared shape of a modal submission: payload and `private_metadata` parsed with zod, inputs validated before
 * the ack (problems go back into the form as `response_action: errors`, and nothing happens), then the ack closes
 * the modal before any PagerDuty or AI call, the submission is deduplicated by view id, and failures reach the
 * person as an ephemeral message in the channel the modal came from.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import type { ModalMetadata } from '../../blocks/modals.js';
import type { MessagePayload } from '../../blocks/model.js';
import { buildNotice } from '../../blocks/notice.js';
import { claim, dedupeKey, errorNotice, type ListenerDeps } from '../shared.js';

const InputState = z.looseObject({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_option: z.looseObject({ value: z.string() }).nullish(),
  selected_options: z.array(z.looseObject({ value: z.string() })).nullish(),
  selected_user: z.string().nullish(),
});

export const ViewSubmissionSchema = z.looseObject({
  type: z.literal('view_submission'),
  user: z.looseObject({ id: z.string() }),
  team: z.looseObject({ id: z.string() }).nullish(),
  view: z.looseObject({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string().optional(),
    state: z.looseObject({ values: z.record(z.string(), z.record(z.string(), InputState)) }),
  }),
});

const MetadataSchema = z.object({
  channelId: z
    .string()
    .regex(/^[CGD][A-Z0-9]+$/)
    .nullable(),
  threadTs: z
    .string()
    .regex(/^\d+\.\d+$/)
    .nullish(),
  incidentId: z
    .string()
    .regex(/^[A-Z0-9]{1,20}$/)
    .nullish(),
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional(),
});

export interface ViewContext {
  deps: ListenerDeps;
  userId: string;
  teamId: string | null;
  viewId: string;
  meta: ModalMetadata;
  /** Text input value (trimmed; '' when empty). */
  text(blockId: string, actionId?: string): string;
  /** Selected option value of a select / radio. */
  selected(blockId: string, actionId?: string): string | null;
  selectedMany(blockId: string, actionId?: string): string[];
  user(blockId: string, actionId?: string): string | null;
  reply(payload: MessagePayload): Promise<void>;
  ok(text: string): Promise<void>;
  fail(what: string, error: unknown): Promise<void>;
}

type Values = z.infer<typeof ViewSubmissionSchema>['view']['state']['values'];

function input(values: Values, blockId: string, actionId = blockId): z.infer<typeof InputState> | undefined {
  return values[blockId]?.[actionId];
}

/** Registers a modal submission. `validate` returns errors by block id (shown in the form) or nothing. */
export function onViewSubmission(
  app: App,
  deps: ListenerDeps,
  callbackId: string,
  what: string,
  validate: (ctx: ViewContext) => Record<string, string> | null,
  handler: (ctx: ViewContext) => Promise<void>,
): void {
  app.view({ callback_id: callbackId, type: 'view_submission' }, async ({ ack, body }) => {
    const parsed = ViewSubmissionSchema.safeParse(body);
    let meta: ModalMetadata | null = null;
    if (parsed.success) {
      try {
        const m = MetadataSchema.safeParse(JSON.parse(parsed.data.view.private_metadata || '{}'));
        if (m.success) meta = m.data;
      } catch {
        meta = null;
      }
    }
    if (!parsed.success || !meta) {
      await ack({
        response_action: 'update',
        view: {
          type: 'modal',
          title: { type: 'plain_text', text: 'Out of date' },
          close: { type: 'plain_text', text: 'Close' },
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: '⚠️ This form is out of date or damaged, so nothing was done. Close it and start again.',
              },
            },
          ],
        },
      } as never);
      deps.rt.logger.warn('malformed view submission refused');
      return;
    }
    const b = parsed.data;
    const values = b.view.state.values;
    const channel = meta.channelId;
    const reply = (payload: MessagePayload): Promise<void> =>
      deps.services.poster.ephemeral(channel, b.user.id, payload, meta?.threadTs ?? null);
    const ctx: ViewContext = {
      deps,
      userId: b.user.id,
      teamId: b.team?.id ?? null,
      viewId: b.view.id,
      meta,
      text: (block, action) => (input(values, block, action)?.value ?? '').trim(),
      selected: (block, action) => input(values, block, action)?.selected_option?.value ?? null,
      selectedMany: (block, action) => (input(values, block, action)?.selected_options ?? []).map((o) => o.value),
      user: (block, action) => input(values, block, action)?.selected_user ?? null,
      reply,
      ok: (text) => reply(buildNotice('success', text)),
      fail: (w, error) => {
        deps.rt.logger.warn({ err: error, what: w }, 'modal submission failed');
        return reply(errorNotice(w, error));
      },
    };
    const errors = validate(ctx);
    if (errors && Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors } as never);
      return;
    }
    await ack();
    if (!(await claim(deps, dedupeKey('view', b.view.id)))) return;
    try {
      await handler(ctx);
    } catch (error) {
      await ctx.fail(what, error);
    }
  });
}
