/**
 * The `/incident` listener. Usage errors and help are answered in the acknowledgement itself (no extra call);
 * everything else is acknowledged first, before any PagerDuty or AI call, then run, with failures shown to the
 * person as an ephemeral message that names what failed.
 */
import type { App } from '@slack/bolt';
import { buildHelp, buildUsageError } from '../../blocks/help.js';
import { type Command, parseCommand } from '../../command-parser.js';
import { SLASH_COMMAND } from '../../ids.js';
import type { ListenerDeps } from '../shared.js';
import { type CommandContext, createCommandContext } from './command-context.js';
import { ackSubcommand } from './subcommands/ack.js';
import { aiSubcommand, correlateSubcommand, fatigueSubcommand } from './subcommands/ai.js';
import { declareSubcommand } from './subcommands/declare.js';
import { escalateSubcommand } from './subcommands/escalate.js';
import { listSubcommand } from './subcommands/list.js';
import { noteSubcommand } from './subcommands/note.js';
import { oncallSubcommand } from './subcommands/oncall.js';
import { pageSubcommand } from './subcommands/page.js';
import { reassignSubcommand } from './subcommands/reassign.js';
import { resolveSubcommand } from './subcommands/resolve.js';
import { roleSubcommand } from './subcommands/role.js';
import { showIncident } from './subcommands/show.js';
import { snoozeSubcommand } from './subcommands/snooze.js';
import { subscribeSubcommand } from './subcommands/subscribe.js';
import { updateSubcommand } from './subcommands/update.js';

/** What each subcommand is, for "Couldn't <what>: …". */
const WHAT: Record<Command['sub'], string> = {
  declare: 'open the declare form',
  list: 'list incidents',
  show: 'show the incident',
  ack: 'acknowledge the incident',
  resolve: 'open the resolve form',
  escalate: 'escalate the incident',
  reassign: 'reassign the incident',
  page: 'page responders',
  snooze: 'snooze the incident',
  note: 'add the note',
  update: 'post the status update',
  role: 'assign the role',
  oncall: 'look up who is on call',
  triage: 'start AI triage',
  analyze: 'start the AI analysis',
  correlate: 'start the correlation',
  postmortem: 'start the postmortem draft',
  runbook: 'start the runbook',
  responder: 'suggest responders',
  fatigue: 'start the fatigue report',
  subscribe: 'subscribe this channel',
  help: 'show help',
};

async function run(ctx: CommandContext, c: Command): Promise<void> {
  switch (c.sub) {
    case 'declare':
      return declareSubcommand(ctx, c.title);
    case 'list':
      return listSubcommand(ctx, c.status, c.service);
    case 'show':
      return showIncident(ctx.deps, await ctx.incident(c.ref), {
        channelId: ctx.channelId,
        userId: ctx.userId,
        teamId: ctx.teamId,
      });
    case 'ack':
      return ackSubcommand(ctx, c.ref);
    case 'resolve':
      return resolveSubcommand(ctx, c.ref, c.note);
    case 'escalate':
      return escalateSubcommand(ctx, c.ref, c.level);
    case 'reassign':
      return reassignSubcommand(ctx, c.ref, c.slackUserId);
    case 'page':
      return pageSubcommand(ctx, c.ref, c.targets);
    case 'snooze':
      return snoozeSubcommand(ctx, c.ref, c.seconds);
    case 'note':
      return noteSubcommand(ctx, c.ref, c.text);
    case 'update':
      return updateSubcommand(ctx, c.ref, c.text);
    case 'role':
      return roleSubcommand(ctx, c.ref, c.role, c.slackUserId);
    case 'oncall':
      return oncallSubcommand(ctx, c.query);
    case 'triage':
    case 'analyze':
    case 'postmortem':
    case 'runbook':
    case 'responder':
      return aiSubcommand(ctx, c.sub, c.ref);
    case 'correlate':
      return correlateSubcommand(ctx, c.ref);
    case 'fatigue':
      return fatigueSubcommand(ctx, c.schedule);
    case 'subscribe':
      return subscribeSubcommand(ctx, c.service);
    case 'help':
      return ctx.reply(buildHelp(c.topic));
  }
}

/** Registers the `/incident` command. */
export function registerIncidentCommand(app: App, deps: ListenerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const parsed = parseCommand(command.text ?? '');
    if (!parsed.ok) {
      const usage = buildUsageError(parsed.error);
      await ack({ response_type: 'ephemeral', text: usage.text, blocks: usage.blocks as never[] });
      return;
    }
    if (parsed.command.sub === 'help') {
      const help = buildHelp(parsed.command.topic);
      await ack({ response_type: 'ephemeral', text: help.text, blocks: help.blocks as never[] });
      return;
    }
    await ack();
    const ctx = createCommandContext(deps, command);
    try {
      await run(ctx, parsed.command);
    } catch (error) {
      await ctx.fail(WHAT[parsed.command.sub], error);
    }
  });
}
