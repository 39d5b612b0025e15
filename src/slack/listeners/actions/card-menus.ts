/**
 * Card buttons that open something: Resolve (modal), the AI button, the overflow menu (note, snooze, reassign,
 * runbook, postmortem), Open channel, and the list's Show card. URL buttons are acknowledged and ignored.
 */
import type { App } from '@slack/bolt';
import { decodeAiButton, decodeCardState, decodeIncidentId, decodeOverflow } from '../../action-values.js';
import { ActionId, OverflowChoice } from '../../ids.js';
import { channelMention } from '../../text.js';
import { showIncident } from '../commands/subcommands/show.js';
import { openNoteModal, openReassignModal, openResolveModal, openSnoozeModal } from '../modal-openers.js';
import { claim, dedupeKey, type ListenerDeps } from '../shared.js';
import { type ActionContext, onAction } from './action-context.js';

/** AI buttons may be clicked again later on purpose; only clicks within the same minute count as doubles. */
async function claimWithinMinute(ctx: ActionContext): Promise<boolean> {
  const minute = Math.floor(ctx.deps.rt.clock.now() / 60_000);
  const release = await claim(ctx.deps, dedupeKey('ai', ctx.action.action_id, ctx.messageTs, ctx.value, minute));
  return release !== null;
}

function requireTrigger(ctx: ActionContext): string {
  if (!ctx.triggerId) throw new Error('Slack sent no trigger id, so no form can be opened');
  return ctx.triggerId;
}

export function registerResolveButton(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.resolve, 'open the resolve form', async (ctx) => {
    const state = decodeCardState(ctx.value);
    await deps.services.identity.requireResponder(ctx.userId, 'resolve incidents');
    await openResolveModal(
      deps,
      requireTrigger(ctx),
      state.incidentId,
      { channelId: ctx.channelId, threadTs: ctx.threadTs },
      null,
    );
  });
}

export function registerAiButton(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.ai, 'start the AI', async (ctx) => {
    const { kind, incidentId } = decodeAiButton(ctx.value);
    if (!ctx.channelId || !(await claimWithinMinute(ctx))) return;
    await deps.services.aiPosts.start(kind, { incidentId, channel: ctx.channelId, requestedBy: ctx.userId });
  });
}

export function registerOverflowMenu(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.overflow, 'open that', async (ctx) => {
    const { choice, incidentId } = decodeOverflow(ctx.value);
    const meta = { channelId: ctx.channelId, threadTs: ctx.threadTs };
    switch (choice) {
      case OverflowChoice.note:
        await openNoteModal(deps, requireTrigger(ctx), incidentId, meta);
        return;
      case OverflowChoice.snooze:
        await openSnoozeModal(deps, requireTrigger(ctx), incidentId, meta);
        return;
      case OverflowChoice.reassign:
        await openReassignModal(deps, requireTrigger(ctx), incidentId, meta);
        return;
      case OverflowChoice.runbook:
      case OverflowChoice.postmortem:
        if (!ctx.channelId || !(await claimWithinMinute(ctx))) return;
        await deps.services.aiPosts.start(choice, { incidentId, channel: ctx.channelId, requestedBy: ctx.userId });
        return;
    }
  });
}

export function registerOpenChannelButton(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.openChannel, 'open the incident channel', async (ctx) => {
    const incidentId = decodeIncidentId(ctx.value);
    await ctx.once(async () => {
      const { channelId, created } = await deps.services.channels.open(incidentId, { requestedBy: ctx.userId });
      await ctx.ok(
        created ? `Opened ${channelMention(channelId)}.` : `The incident channel is ${channelMention(channelId)}.`,
      );
    });
  });
}

export function registerShowButton(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.show, 'show the incident', async (ctx) => {
    const incidentId = decodeIncidentId(ctx.value);
    if (!ctx.channelId) return;
    await showIncident(deps, incidentId, { channelId: ctx.channelId, userId: ctx.userId, teamId: ctx.teamId });
  });
}

export function registerLinkButtons(app: App): void {
  for (const id of [ActionId.openInPagerDuty, ActionId.link]) {
    app.action({ action_id: id }, async ({ ack }) => {
      await ack();
    });
  }
}
