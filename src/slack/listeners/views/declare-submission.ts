/**
 * The declare form: checked before the ack (title and service are required; problems go back into the form),
 * then a `slack.declare` job creates the incident in PagerDuty as the submitter, posts the card, opens the
 * incident channel if asked, and starts AI triage.
 */
import type { App } from '@slack/bolt';
import { CallbackId, InputId, JobKind } from '../../ids.js';
import type { DeclareJob } from '../../jobs/declare.js';
import type { ListenerDeps } from '../shared.js';
import { onViewSubmission } from './view-context.js';

export function registerDeclareSubmission(app: App, deps: ListenerDeps): void {
  onViewSubmission(
    app,
    deps,
    CallbackId.declare,
    'declare the incident',
    (ctx) => {
      const errors: Record<string, string> = {};
      const title = ctx.text(InputId.title);
      if (title === '') errors[InputId.title] = 'Give the incident a title.';
      else if (title.length > 255) errors[InputId.title] = 'At most 255 characters.';
      if (!ctx.selected(InputId.service)) errors[InputId.service] = 'Choose the affected service.';
      if (ctx.text(InputId.description).length > 3000) errors[InputId.description] = 'At most 3,000 characters.';
      return Object.keys(errors).length > 0 ? errors : null;
    },
    async (ctx) => {
      const job: DeclareJob = {
        viewId: ctx.viewId,
        requestedBy: ctx.userId,
        teamId: ctx.teamId,
        channelId: ctx.meta.channelId,
        title: ctx.text(InputId.title),
        serviceId: ctx.selected(InputId.service) as string,
        urgency: ctx.selected(InputId.urgency) === 'low' ? 'low' : 'high',
        priority: ctx.selected(InputId.priority),
        description: ctx.text(InputId.description) || null,
        createChannel: ctx.selectedMany(InputId.createChannel).includes('yes'),
      };
      await deps.rt.store.jobs.enqueue(JobKind.declare, job, { dedupeKey: `declare:${ctx.viewId}`, maxAttempts: 3 });
    },
  );
}
