/**
 * Card buttons that write: Acknowledge and the Escalate level choice (which Slack confirms before sending).
 * The write is attributed to the clicker, audited, and the card is refreshed from PagerDuty.
 */
import type { App } from '@slack/bolt';
import { decodeCardState, decodeEscalateChoice } from '../../action-values.js';
import { ActionId } from '../../ids.js';
import { type ListenerDeps, writeAndRefresh } from '../shared.js';
import { onAction } from './action-context.js';

export function registerAcknowledgeAction(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.acknowledge, 'acknowledge the incident', async (ctx) => {
    const state = decodeCardState(ctx.value);
    await ctx.once(async () => {
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'update_incident',
        { incident_id: state.incidentId, status: 'acknowledged' },
        actor,
        state.incidentId,
      );
    });
  });
}

export function registerEscalateAction(app: App, deps: ListenerDeps): void {
  onAction(app, deps, ActionId.escalate, 'escalate the incident', async (ctx) => {
    const choice = decodeEscalateChoice(ctx.value);
    await ctx.once(async () => {
      await deps.services.identity.requireResponder(ctx.userId, 'escalate incidents');
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'escalate_incident',
        {
          incident_id: choice.incidentId,
          escalation_level: choice.target,
          reason: `Escalated from Slack by ${actor.name ?? actor.email}`,
        },
        actor,
        choice.incidentId,
      );
    });
  });
}
