/**
 * Posting to Slack without losing anything: `chat.postMessage`, `chat.update` and ephemeral replies. A 429 is
 * not dropped: the call is stored as a `slack.retry_post` job to run after Slack's `Retry-After` (with an
 * optional follow-up, e.g. linking the card once it exists). Ephemeral replies fall back to a DM when the bot
 * cannot post in the channel.
 */
import type { WebClient } from '@slack/web-api';
import { z } from 'zod';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { Block, MessagePayload } from '../blocks/model.js';
import type { SlackStore } from '../deps.js';
import { JobKind } from '../ids.js';
import { asSlackError, rateLimitRetryAfter, slackErrorCode } from '../web-client.js';

/** What to do once a deferred post finally went out. */
export const FollowUpSchema = z
  .object({
    /** Record the posted message as the incident's card (and its thread). */
    linkCardFor: z.string().min(1).max(64).optional(),
    /** Pin the posted message. */
    pin: z.boolean().optional(),
  })
  .strict();
export type FollowUp = z.infer<typeof FollowUpSchema>;

export const RetryPostSchema = z
  .object({
    method: z.enum(['chat.postMessage', 'chat.update', 'chat.postEphemeral']),
    args: z.record(z.string(), z.unknown()),
    followUp: FollowUpSchema.optional(),
  })
  .strict();
export type RetryPost = z.infer<typeof RetryPostSchema>;

/** Dedupe key of the deferred post of an incident's card: at most one waits, and others can see that it does. */
export const deferredCardKey = (incidentId: string): string => `slack:deferred-card:${incidentId}`;

export interface PostResult {
  /** The message ts, or null when the post was deferred (rate limited) or skipped. */
  ts: string | null;
  deferred: boolean;
}

export interface PostOptions {
  threadTs?: string | null | undefined;
  followUp?: FollowUp | undefined;
  /** Also show a thread reply in the channel. */
  broadcast?: boolean | undefined;
  /** A transient post (a "working…" placeholder): on a 429, skip it instead of posting it later. */
  skipWhenRateLimited?: boolean | undefined;
}

export interface Poster {
  post(channel: string, payload: MessagePayload, options?: PostOptions): Promise<PostResult>;
  update(channel: string, ts: string, payload: MessagePayload): Promise<PostResult>;
  /** Ephemeral to one user in a channel (DM when the channel does not allow it). Never throws. */
  ephemeral(channel: string | null, user: string, payload: MessagePayload, threadTs?: string | null): Promise<void>;
  /** Runs a deferred call (the `slack.retry_post` job). Throws (so the job retries) on another 429. */
  retry(job: RetryPost): Promise<PostResult>;
}

export interface PosterDeps {
  client: WebClient;
  store: Pick<SlackStore, 'jobs' | 'incidentLinks'>;
  clock: Clock;
  logger: Logger;
}

const NO_CHANNEL = new Set(['channel_not_found', 'not_in_channel', 'user_not_in_channel', 'is_archived']);

export function createPoster(deps: PosterDeps): Poster {
  async function defer(job: RetryPost, retryAfterSeconds: number): Promise<PostResult> {
    const runAt = deps.clock.now() + Math.max(1, retryAfterSeconds) * 1000;
    const card = job.followUp?.linkCardFor;
    await deps.store.jobs.enqueue(JobKind.retryPost, job, {
      runAt,
      maxAttempts: 8,
      ...(card ? { dedupeKey: deferredCardKey(card) } : {}),
    });
    deps.logger.warn({ method: job.method, retryAfterSeconds }, 'slack rate limited; post deferred to a job');
    return { ts: null, deferred: true };
  }

  async function followUp(channel: string, ts: string, f: FollowUp | undefined): Promise<void> {
    if (!f) return;
    if (f.linkCardFor) {
      await deps.store.incidentLinks.upsert(f.linkCardFor, { channelId: channel, messageTs: ts, threadTs: ts });
    }
    if (f.pin) {
      await deps.client.pins.add({ channel, timestamp: ts }).catch((error: unknown) => {
        if (slackErrorCode(error) !== 'already_pinned') throw asSlackError('pins.add', error);
      });
    }
  }

  /** On a 429: `defer` to a job, `skip` (transient posts), or `throw` (inside the retry job itself). */
  async function call(job: RetryPost, on429: 'defer' | 'skip' | 'throw'): Promise<PostResult> {
    try {
      const res = (await deps.client.apiCall(job.method, job.args)) as { ts?: string; message_ts?: string };
      const ts = res.ts ?? res.message_ts ?? (typeof job.args.ts === 'string' ? job.args.ts : null);
      if (ts && typeof job.args.channel === 'string') {
        await followUp(job.args.channel, ts, job.followUp).catch((error: unknown) =>
          deps.logger.error({ err: error, method: job.method }, 'the post went out but its follow-up failed'),
        );
      }
      return { ts, deferred: false };
    } catch (error) {
      const retryAfter = rateLimitRetryAfter(error);
      if (retryAfter !== null && on429 === 'defer') return defer(job, retryAfter);
      if (retryAfter !== null && on429 === 'skip') return { ts: null, deferred: false };
      throw asSlackError(job.method, error);
    }
  }

  function args(
    channel: string,
    payload: MessagePayload,
    extra: Record<string, unknown> = {},
  ): Record<string, unknown> {
    return {
      channel,
      text: payload.text,
      blocks: payload.blocks as Block[],
      unfurl_links: false,
      unfurl_media: false,
      ...extra,
    };
  }

  return {
    post(channel, payload, options = {}) {
      const extra: Record<string, unknown> = {};
      if (options.threadTs) extra.thread_ts = options.threadTs;
      if (options.broadcast) extra.reply_broadcast = true;
      return call(
        {
          method: 'chat.postMessage',
          args: args(channel, payload, extra),
          ...(options.followUp ? { followUp: options.followUp } : {}),
        },
        options.skipWhenRateLimited ? 'skip' : 'defer',
      );
    },

    update(channel, ts, payload) {
      return call(
        { method: 'chat.update', args: { channel, ts, text: payload.text, blocks: payload.blocks } },
        'defer',
      );
    },

    async ephemeral(channel, user, payload, threadTs) {
      const dm = async (): Promise<void> => {
        await deps.client.chat
          .postMessage({ channel: user, text: payload.text, blocks: payload.blocks as never[] })
          .catch((error: unknown) =>
            deps.logger.error({ err: asSlackError('chat.postMessage', error) }, 'could not DM'),
          );
      };
      if (!channel) return dm();
      try {
        await deps.client.chat.postEphemeral({
          channel,
          user,
          text: payload.text,
          blocks: payload.blocks as never[],
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
      } catch (error) {
        const code = slackErrorCode(error);
        if (code && NO_CHANNEL.has(code)) return dm();
        const retryAfter = rateLimitRetryAfter(error);
        if (retryAfter !== null) {
          await defer(
            { method: 'chat.postEphemeral', args: { channel, user, text: payload.text, blocks: payload.blocks } },
            retryAfter,
          ).catch((e: unknown) => deps.logger.error({ err: e }, 'could not defer an ephemeral reply'));
          return;
        }
        deps.logger.error({ err: asSlackError('chat.postEphemeral', error) }, 'could not send an ephemeral reply');
      }
    },

    retry(job) {
      return call(job, 'throw');
    },
  };
}
