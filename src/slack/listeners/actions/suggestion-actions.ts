/**
 * Buttons on AI posts, each a human decision confirmed in a dialog: apply the suggested urgency, escalate as
 * suggested, merge a correlated group, page a suggested responder. Attributed, audited, written once.
 */
import type { App } from '@slack/bolt';
import { decodeApplyUrgency, decodeMerge, decodeTriageEscalate } from '../../action-values.js';
import { MERGE_ACTION } from '../../blocks/correlation-post.js';
import { ActionId } from '../../ids.js';
import { userMention } from '../../text.js';
import { type ListenerDeps, refreshQuietly, writeAndRefresh } from '../shared.js';
import { onAction } from './action-context.js';
import { consumeButton } from './consume.js';

export function registerApplyUrgency(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.applyUrgency, 'apply the urgency', async (ctx) => {
    const { incidentId, urgency } = decodeApplyUrgency(ctx.value);
    const wrote = await ctx.once(async () => {
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(deps, 'update_incident', { incident_id: incidentId, urgency }, actor, incidentId);
    });
    if (!wrote) return;
    await consumeButton(ctx, `✅ Urgency set to *${urgency}* by ${userMention(ctx.userId)}`);
  });
}

export function registerTriageEscalate(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.triageEscalate, 'escalate the incident', async (ctx) => {
    const { incidentId, level } = decodeTriageEscalate(ctx.value);
    const wrote = await ctx.once(async () => {
      await deps.services.identity.requireResponder(ctx.userId, 'escalate incidents');
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'escalate_incident',
        {
          incident_id: incidentId,
          escalation_level: level,
          reason: `Escalated after AI triage by ${actor.name ?? actor.email}`,
        },
        actor,
        incidentId,
      );
    });
    if (!wrote) return;
    await consumeButton(ctx, `⬆️ Escalated to level ${level} by ${userMention(ctx.userId)}`);
  });
}

export function registerMerge(app: App, deps: ListenerDeps): void {
  onAction(app, deps, MERGE_ACTION, 'merge the incidents', async (ctx) => {
    const { targetId, sourceIds } = decodeMerge(ctx.value);
    const wrote = await ctx.once(async () => {
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'merge_incidents',
        { target_incident_id: targetId, source_incident_ids: sourceIds },
        actor,
        targetId,
      );
    });
    if (!wrote) return;
    for (const id of sourceIds) await refreshQuietly(deps, id);
    await consumeButton(
      ctx,
      `🔗 Merged ${sourceIds.length} incident${sourceIds.length === 1 ? '' : 's'} by ${userMention(ctx.userId)}`,
    );
  });
}

export function registerPageResponder(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.pageResponder, 'page the responder', async (ctx) => {
    const [incidentId, userId] = (ctx.value ?? '').split('|');
    if (!incidentId || !userId || !/^[A-Z0-9]{1,20}$/.test(incidentId) || !/^[A-Z0-9]{1,20}$/.test(userId)) {
      throw new Error('this button is out of date; ask for new suggestions');
    }
    const wrote = await ctx.once(async () => {
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'add_responders',
        {
          incident_id: incidentId,
          user_ids: [userId],
          message: `${actor.name ?? actor.email} asks for your help on this incident (from Slack).`,
        },
        actor,
        incidentId,
      );
    });
    if (!wrote) return;
    await consumeButton(ctx, `📟 Paged by ${userMention(ctx.userId)}`);
  });
}
