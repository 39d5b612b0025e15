import { parse as parseQuery } from 'node:querystring';
import { z } from 'zod';
import { validateBlocks } from './blockkit.js';
import { withGeneratedIds } from './payloads.js';
import type { Message } from './types.js';
import type { Workspace } from './workspace.js';

/** A response_url takes up to 5 uses within 30 minutes. */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlContext {
  kind: 'commands' | 'actions';
  userId: string;
  channelId: string;
  /** The message the interaction came from (actions on channel messages). */
  messageTs?: string;
  /** The ephemeral message the interaction came from. */
  ephemeral?: Message;
}

interface Registration extends ResponseUrlContext {
  uses: number;
  createdAt: number;
  /** The last message this URL produced, for replace_original / delete_original after a command. */
  last?: { channelTs?: string; ephemeral?: Message };
}

export interface ResponseUrlRegistry {
  issue(context: ResponseUrlContext): string;
  /** Handles a POST to `/hooks/...`: the HTTP status and text Slack answers (`ok`, `invalid_blocks`, `expired_url`…). */
  handle(path: string, body: string, contentType: string): { status: number; text: string };
}

export interface ResponseUrlDeps {
  ws: Workspace;
  baseUrl(): string;
  /** The bot's own message was posted in a channel (for message events back to the bot). */
  onBotMessage(message: Message): void;
}

const responseBody = z.object({
  text: z.string().optional(),
  blocks: z.array(z.unknown()).optional(),
  attachments: z.array(z.unknown()).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  delete_original: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
  thread_ts: z.string().optional(),
  mrkdwn: z.boolean().optional(),
  metadata: z.unknown().optional(),
});

const truthy = (v: boolean | string | undefined): boolean => v === true || v === 'true';

/** response_urls served by the emulator at `/hooks/commands/…` and `/hooks/actions/…`. */
export function createResponseUrlRegistry(deps: ResponseUrlDeps): ResponseUrlRegistry {
  const { ws } = deps;
  const registrations = new Map<string, Registration>();

  const botFields = (): Omit<Message, 'channel' | 'type' | 'ts' | 'text'> => ({
    user: ws.bot.userId,
    bot_id: ws.bot.botId,
    app_id: ws.bot.appId,
    team: ws.team.id,
    bot_profile: ws.botProfile(),
  });

  return {
    issue(context) {
      const key = `${context.kind}/${ws.team.id}/${ws.ids.digits(12)}/${ws.ids.hex(24)}`;
      registrations.set(key, { ...context, uses: 0, createdAt: ws.clock.now() });
      return `${deps.baseUrl()}hooks/${key}`;
    },
    handle(path, rawBody, contentType) {
      const key = path.replace(/^\/?hooks\//, '');
      const reg = registrations.get(key);
      if (!reg) return { status: 404, text: 'no_service' };
      if (ws.clock.now() - reg.createdAt > RESPONSE_URL_TTL_MS) return { status: 404, text: 'expired_url' };
      if (reg.uses >= RESPONSE_URL_MAX_USES) return { status: 404, text: 'used_url' };

      let json: unknown;
      try {
        if (contentType.startsWith('application/x-www-form-urlencoded')) {
          const form = parseQuery(rawBody);
          json = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
        } else {
          json = JSON.parse(rawBody);
        }
      } catch {
        return { status: 400, text: 'invalid_payload' };
      }
      const parsed = responseBody.safeParse(json);
      if (!parsed.success) return { status: 400, text: 'invalid_payload' };
      const body = parsed.data;
      if (body.blocks !== undefined && validateBlocks(body.blocks, 'message').length > 0) {
        return { status: 400, text: 'invalid_blocks' };
      }
      reg.uses += 1;

      const originalTs = reg.messageTs ?? reg.last?.channelTs;
      const originalEphemeral = reg.ephemeral ?? reg.last?.ephemeral;
      if (truthy(body.delete_original)) {
        if (originalEphemeral) {
          ws.removeEphemeral(originalEphemeral);
          return { status: 200, text: 'ok' };
        }
        const original = originalTs === undefined ? undefined : ws.findMessage(reg.channelId, originalTs);
        if (!original) return { status: 404, text: 'message_not_found' };
        if (original.bot_id !== ws.bot.botId) return { status: 403, text: 'cant_delete_message' };
        ws.deleteMessage(reg.channelId, original.ts);
        return { status: 200, text: 'ok' };
      }
      const hasContent =
        (body.text ?? '').trim() !== '' || (body.blocks?.length ?? 0) > 0 || (body.attachments?.length ?? 0) > 0;
      if (!hasContent) return { status: 400, text: 'no_text' };
      const content = {
        text: body.text ?? '',
        ...(body.blocks && body.blocks.length > 0 ? { blocks: withGeneratedIds(body.blocks, ws.ids) } : {}),
        ...(body.attachments && body.attachments.length > 0 ? { attachments: body.attachments } : {}),
      };

      if (truthy(body.replace_original)) {
        if (originalEphemeral) {
          ws.replaceEphemeral(originalEphemeral, { ...content, ...(body.blocks ? {} : { blocks: undefined }) });
          return { status: 200, text: 'ok' };
        }
        const original = originalTs === undefined ? undefined : ws.findMessage(reg.channelId, originalTs);
        if (!original) return { status: 404, text: 'message_not_found' };
        if (original.bot_id !== ws.bot.botId) return { status: 403, text: 'cant_update_message' };
        original.text = content.text;
        if (content.blocks) original.blocks = content.blocks;
        else delete original.blocks;
        if (content.attachments) original.attachments = content.attachments;
        original.edited = { user: ws.bot.userId, ts: ws.ids.ts(ws.clock.now()) };
        ws.emit({ type: 'message', channel: reg.channelId, ts: original.ts });
        return { status: 200, text: 'ok' };
      }

      if (body.response_type === 'in_channel') {
        const threadTs =
          body.thread_ts !== undefined && ws.findMessage(reg.channelId, body.thread_ts) ? body.thread_ts : undefined;
        const message = ws.insertMessage(
          reg.channelId,
          { ...botFields(), ...content },
          threadTs === undefined ? {} : { threadTs },
        );
        reg.last = { channelTs: message.ts };
        deps.onBotMessage(message);
        return { status: 200, text: 'ok' };
      }
      const ephemeral = ws.addEphemeral(reg.channelId, reg.userId, {
        ...botFields(),
        ...content,
        ...(body.thread_ts !== undefined ? { thread_ts: body.thread_ts } : {}),
      });
      reg.last = { ephemeral };
      return { status: 200, text: 'ok' };
    },
  };
}
