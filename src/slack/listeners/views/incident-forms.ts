/**
 * Submissions of the incident forms: resolve (with a resolution note; starts the postmortem draft), note, snooze,
 * reassign and status update. Each is attributed to the submitter and audited; the card is refreshed.
 */
import type { App } from '@slack/bolt';
import { AppError, ErrorCode } from '../../../shared/errors.js';
import { IncidentShape } from '../../../tools/shapes.js';
import { incidentLabel } from '../../blocks/incident-card.js';
import { CallbackId, InputId } from '../../ids.js';
import { formatDuration, userMention } from '../../text.js';
import { type ListenerDeps, pagerDutyUserFor, writeAndRefresh } from '../shared.js';
import { publishStatusUpdate } from '../status-update.js';
import { onViewSubmission, type ViewContext } from './view-context.js';

function incidentOf(ctx: ViewContext): string {
  const id = ctx.meta.incidentId;
  if (!id) throw new AppError(ErrorCode.InvalidInput, 'the form does not say which incident it is for');
  return id;
}

export function registerResolveSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.resolve,
    'resolve the incident',
    (ctx) =>
      ctx.text(InputId.resolution).length > 10_000 ? { [InputId.resolution]: 'At most 10,000 characters.' } : null,
    async (ctx) => {
      const incidentId = incidentOf(ctx);
      await deps.services.identity.requireResponder(ctx.userId, 'resolve incidents');
      const actor = await deps.services.identity.actorFor(ctx.userId);
      const resolution = ctx.text(InputId.resolution);
      const input: Record<string, unknown> = { incident_id: incidentId, status: 'resolved' };
      if (resolution) input.resolution = resolution;
      const out = IncidentShape.parse(await writeAndRefresh(deps, 'update_incident', input, actor, incidentId));
      await deps.services.incidentSide
        .startPostmortem(incidentId)
        .catch((error: unknown) => deps.rt.logger.warn({ err: error, incidentId }, 'postmortem draft not started'));
      if (!(await deps.services.cards.cardIn(incidentId, ctx.meta.channelId ?? ''))) {
        await ctx.ok(`Resolved ${incidentLabel(out)}.`);
      }
    },
  );
}

export function registerNoteSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.note,
    'add the note',
    (ctx) => (ctx.text(InputId.note) === '' ? { [InputId.note]: 'Write the note.' } : null),
    async (ctx) => {
      const incidentId = incidentOf(ctx);
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await writeAndRefresh(
        deps,
        'add_incident_note',
        { incident_id: incidentId, content: ctx.text(InputId.note) },
        actor,
        incidentId,
      );
      await ctx.ok('Note added to the PagerDuty incident.');
    },
  );
}

export function registerSnoozeSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.snooze,
    'snooze the incident',
    (ctx) => {
      const seconds = Number(ctx.selected(InputId.duration));
      return Number.isInteger(seconds) && seconds >= 60 && seconds <= 604_800
        ? null
        : { [InputId.duration]: 'Choose a duration.' };
    },
    async (ctx) => {
      const incidentId = incidentOf(ctx);
      const minutes = Math.round(Number(ctx.selected(InputId.duration)) / 60);
      const actor = await deps.services.identity.actorFor(ctx.userId);
      const out = IncidentShape.parse(
        await writeAndRefresh(
          deps,
          'snooze_incident',
          { incident_id: incidentId, duration_minutes: minutes },
          actor,
          incidentId,
        ),
      );
      await ctx.ok(`Snoozed ${incidentLabel(out)} for ${formatDuration(minutes * 60)}.`);
    },
  );
}

export function registerReassignSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.reassign,
    'reassign the incident',
    (ctx) => (ctx.user(InputId.assignee) ? null : { [InputId.assignee]: 'Choose a person.' }),
    async (ctx) => {
      const incidentId = incidentOf(ctx);
      const assignee = ctx.user(InputId.assignee) as string;
      const actor = await deps.services.identity.actorFor(ctx.userId);
      const target = await pagerDutyUserFor(deps, assignee);
      const out = IncidentShape.parse(
        await writeAndRefresh(
          deps,
          'reassign_incident',
          { incident_id: incidentId, user_ids: [target] },
          actor,
          incidentId,
        ),
      );
      await ctx.ok(`Reassigned ${incidentLabel(out)} to ${userMention(assignee)}.`);
    },
  );
}

export function registerStatusUpdateSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.statusUpdate,
    'post the status update',
    (ctx) => (ctx.text(InputId.statusMessage) === '' ? { [InputId.statusMessage]: 'Write the update.' } : null),
    async (ctx) => {
      const incidentId = incidentOf(ctx);
      const actor = await deps.services.identity.actorFor(ctx.userId);
      await publishStatusUpdate(deps, incidentId, ctx.text(InputId.statusMessage), actor, ctx.meta.channelId);
    },
  );
}
