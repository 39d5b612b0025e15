/**
 * The context a `/incident` subcommand runs in: who, where, the trigger id for modals, and replies (ephemeral to
 * the person who typed the command).
 */
import type { MessagePayload } from '../../blocks/model.js';
import { buildNotice } from '../../blocks/notice.js';
import type { IncidentRef } from '../../command-parser.js';
import { errorNotice, type ListenerDeps } from '../shared.js';

export interface CommandContext {
  deps: ListenerDeps;
  userId: string;
  channelId: string;
  teamId: string | null;
  triggerId: string;
  /** Ephemeral reply to the person. */
  reply(payload: MessagePayload): Promise<void>;
  /** Ephemeral "✅ …" / "ℹ️ …" (trusted mrkdwn). */
  ok(text: string): Promise<void>;
  /** Ephemeral failure naming what failed. */
  fail(what: string, error: unknown): Promise<void>;
  /** The incident the reference names (or the channel implies). */
  incident(ref: IncidentRef): Promise<string>;
}

export function createCommandContext(
  deps: ListenerDeps,
  command: { user_id: string; channel_id: string; team_id?: string; trigger_id: string },
): CommandContext {
  const reply = (payload: MessagePayload): Promise<void> =>
    deps.services.poster.ephemeral(command.channel_id, command.user_id, payload);
  return {
    deps,
    userId: command.user_id,
    channelId: command.channel_id,
    teamId: command.team_id ?? null,
    triggerId: command.trigger_id,
    reply,
    ok: (text) => reply(buildNotice('success', text)),
    fail: (what, error) => {
      deps.rt.logger.warn({ err: error, what }, 'slash command failed');
      return reply(errorNotice(what, error));
    },
    incident: (ref) => deps.services.resolver.resolve(ref, { channelId: command.channel_id }),
  };
}
