/**
 * AI posts: a "working…" placeholder goes into the card's thread at once, a `slack.ai_post` job runs the AI tool
 * after the ack, and the placeholder is replaced by the Block Kit result (long results continue in further thread
 * replies). Failures replace the placeholder with what failed, and the job retries while it can. AI only
 * suggests: every button on these posts needs a human click (and a confirm) to write.
 */
import { z } from 'zod';
import {
  AnalyzeResultSchema,
  BestResponderResultSchema,
  CorrelateResultSchema,
  FatigueResultSchema,
  PostmortemResultSchema,
  RunbookResultSchema,
  TriageResultSchema,
} from '../../ai/contract.js';
import type { Clock } from '../../shared/clock.js';
import { asAppError, describeError, ErrorCode } from '../../shared/errors.js';
import type { Logger } from '../../shared/logger.js';
import type { Actor } from '../../tools/define-tool.js';
import type { AiMeta } from '../blocks/ai-common.js';
import { buildAnalysisPost } from '../blocks/analysis-post.js';
import { buildCorrelationPost, type CorrelatedIncident } from '../blocks/correlation-post.js';
import { buildFatiguePost } from '../blocks/fatigue-post.js';
import { incidentLabel } from '../blocks/incident-card.js';
import type { MessagePayload } from '../blocks/model.js';
import { buildNotice, buildWorking } from '../blocks/notice.js';
import { buildPostmortemPosts } from '../blocks/postmortem-post.js';
import { buildResponderPost } from '../blocks/responder-post.js';
import { buildRunbookPost } from '../blocks/runbook-post.js';
import { buildTriagePost } from '../blocks/triage-post.js';
import type { SlackStore } from '../deps.js';
import { JobKind } from '../ids.js';
import { fetchIncident, IncidentListShape, toBrief, toIncidentView } from '../incident-view.js';
import { mrkdwn } from '../text.js';
import type { ToolRunner } from '../tool-runner.js';
import type { CardService } from './cards.js';
import type { Poster } from './poster.js';

export const AI_POST_KINDS = [
  'triage',
  'analyze',
  'correlate',
  'postmortem',
  'runbook',
  'responder',
  'fatigue',
] as const;
export type AiPostKind = (typeof AI_POST_KINDS)[number];

/** The catalogue tool behind each post. */
export const AI_TOOLS: Record<AiPostKind, string> = {
  triage: 'auto_triage',
  analyze: 'analyze_incident',
  correlate: 'correlate_incidents',
  postmortem: 'generate_postmortem',
  runbook: 'suggest_runbook',
  responder: 'find_best_responder',
  fatigue: 'predict_fatigue',
};

const TITLES: Record<AiPostKind, string> = {
  triage: 'AI triage',
  analyze: 'AI analysis',
  correlate: 'correlation',
  postmortem: 'the postmortem draft',
  runbook: 'a runbook',
  responder: 'responder suggestions',
  fatigue: 'the fatigue report',
};

export const AiPostJobSchema = z
  .object({
    kind: z.enum(AI_POST_KINDS),
    incidentId: z.string().min(1).max(64).nullable(),
    channel: z.string().min(1).max(64),
    /** The placeholder to replace; null when it could not be posted (rate limited): the result is posted anew. */
    ts: z.string().min(1).max(32).nullable(),
    /** Thread of the placeholder (continuation replies go there). */
    threadTs: z.string().min(1).max(32).nullable(),
    /** Also post the result (top level) in these channels (e.g. the incident channel for a postmortem). */
    alsoIn: z.array(z.string().min(1).max(64)).max(5).default([]),
    /** Who asked (Slack user id), for attribution and the actor of read tools. */
    requestedBy: z.string().min(1).max(64).nullable(),
    /** Extra tool input (e.g. `{ schedule_id }`, `{ regenerate: true }`). */
    input: z.record(z.string(), z.unknown()).default({}),
    /** Human label of the subject when there is no incident ("all schedules"). */
    subject: z.string().max(300).nullable().default(null),
  })
  .strict();
export type AiPostJob = z.input<typeof AiPostJobSchema>;

/** Reads engine information from a tool output (`{ engine, model?, fallback?, cached? }`, flat or nested). */
export function aiMetaOf(output: unknown): AiMeta {
  const o = (output && typeof output === 'object' ? output : {}) as Record<string, unknown>;
  const fallback = o.fallback as { reason?: unknown } | null | undefined;
  return {
    engine: o.engine === 'claude' ? 'claude' : 'heuristic',
    model: typeof o.model === 'string' ? o.model : undefined,
    fallback: fallback && typeof fallback.reason === 'string' ? { from: 'claude', reason: fallback.reason } : undefined,
    cached: o.cached === true ? true : undefined,
  };
}

/** The result part of a tool output: `output.result` when nested, else the output itself. */
function resultOf<S extends z.ZodType>(schema: S, output: unknown): z.output<S> {
  const o = output as { result?: unknown } | null;
  const candidate = o && typeof o === 'object' && o.result && typeof o.result === 'object' ? o.result : output;
  return schema.parse(candidate);
}

export interface AiPostService {
  /**
   * Posts the placeholder (in the incident's card thread in `channel`, posting the card first if the incident has
   * none there) and enqueues the job. Returns where the placeholder is.
   */
  start(
    kind: AiPostKind,
    target: { incidentId: string | null; channel: string; requestedBy: string | null },
    options?: { input?: Record<string, unknown>; alsoIn?: string[]; subject?: string | null; primaryThread?: boolean },
  ): Promise<{ channel: string; ts: string | null }>;
  /** The job: runs the tool and replaces the placeholder. */
  run(job: z.output<typeof AiPostJobSchema>, attempt: { attempt: number; maxAttempts: number }): Promise<void>;
}

export function createAiPostService(deps: {
  runner: ToolRunner;
  cards: CardService;
  poster: Poster;
  store: Pick<SlackStore, 'jobs' | 'timeline'>;
  clock: Clock;
  logger: Logger;
  /** Actor for read tools on behalf of someone (optional; AI tools are read-only). */
  actorFor?: (slackUserId: string) => Promise<Actor | undefined>;
}): AiPostService {
  /** Captured channel messages, as the AI tools take them ("<ISO time> <author>: <text>", oldest first). */
  async function channelMessages(incidentId: string): Promise<string[]> {
    const events = await deps.store.timeline.list(incidentId, { limit: 5000 });
    return events
      .filter((e) => e.source === 'message' || e.source === 'pin')
      .map((e) => {
        const author =
          (e.authorName ?? e.authorId ?? 'someone')
            .replace(/[:\s]+/g, ' ')
            .trim()
            .slice(0, 300) || 'someone';
        return `${e.occurredAt.toISOString()} ${author}: ${e.text}`.slice(0, 20_000);
      });
  }

  async function toolInput(job: z.output<typeof AiPostJobSchema>): Promise<Record<string, unknown>> {
    if (job.kind === 'fatigue') return { ...job.input };
    if (job.kind === 'correlate') {
      if (!job.incidentId) return { ...job.input };
      const open = IncidentListShape.parse(await deps.runner.read('list_incidents', { limit: 100 }));
      return {
        incident_ids: [...new Set([job.incidentId, ...open.items.map((i) => i.id)])].slice(0, 200),
        ...job.input,
      };
    }
    const input: Record<string, unknown> = { incident_id: job.incidentId, ...job.input };
    if ((job.kind === 'postmortem' || job.kind === 'analyze') && job.incidentId) {
      const messages = await channelMessages(job.incidentId);
      if (messages.length > 0) input.channel_messages = messages;
    }
    return input;
  }

  async function render(job: z.output<typeof AiPostJobSchema>, output: unknown): Promise<MessagePayload[]> {
    const meta = aiMetaOf(output);
    if (job.kind === 'fatigue') {
      return [buildFatiguePost(job.subject ?? 'all schedules', resultOf(FatigueResultSchema, output), meta)];
    }
    if (job.kind === 'correlate') {
      const result = resultOf(CorrelateResultSchema, output);
      const ids = [...new Set(result.groups.flatMap((g) => g.incidentIds))].slice(0, 100);
      const open = IncidentListShape.parse(
        await deps.runner.read('list_incidents', { statuses: ['triggered', 'acknowledged', 'resolved'], limit: 200 }),
      );
      const known: CorrelatedIncident[] = open.items
        .filter((i) => ids.includes(i.id) || ids.length === 0)
        .map((i) => ({ id: i.id, number: i.number, title: i.title }));
      const base = open.items.find((i) => i.html_url)?.html_url ?? null;
      return [buildCorrelationPost(result, known, meta, base)];
    }
    if (!job.incidentId) throw new Error(`${job.kind} needs an incident`);
    const brief = toBrief(toIncidentView(await fetchIncident(deps.runner, job.incidentId)));
    switch (job.kind) {
      case 'triage':
        return [buildTriagePost(brief, resultOf(TriageResultSchema, output), meta)];
      case 'analyze':
        return [buildAnalysisPost(brief, resultOf(AnalyzeResultSchema, output), meta)];
      case 'runbook':
        return [buildRunbookPost(brief, resultOf(RunbookResultSchema, output), meta)];
      case 'responder':
        return [buildResponderPost(brief, resultOf(BestResponderResultSchema, output), meta)];
      case 'postmortem':
        return buildPostmortemPosts(brief, resultOf(PostmortemResultSchema, output), meta);
    }
  }

  return {
    async start(kind, target, options = {}) {
      let where: { channel: string; ts: string } | null = null;
      if (target.incidentId) {
        where = options.primaryThread
          ? await deps.cards.threadFor(target.incidentId, null)
          : await deps.cards.cardIn(target.incidentId, target.channel);
        if (!where && !(await deps.cards.threadFor(target.incidentId))) {
          // No card anywhere yet: this channel's new card becomes the incident's card and hosts the thread.
          const posted = await deps.cards.post(target.incidentId, target.channel, { primary: true });
          where = posted.ts ? { channel: target.channel, ts: posted.ts } : null;
        }
        // A card elsewhere: answer here at the top level rather than in a thread nobody in this channel sees.
      }
      const channel = where?.channel ?? target.channel;
      const threadTs = where?.ts ?? null;
      const label = target.incidentId ? ` for ${await labelOf(target.incidentId)}` : '';
      // A rate-limited placeholder is skipped (not posted late and never replaced); the result is then posted anew.
      const placeholder = await deps.poster.post(channel, buildWorking(`${TITLES[kind]}${label}`), {
        threadTs,
        skipWhenRateLimited: true,
      });
      const job: AiPostJob = {
        kind,
        incidentId: target.incidentId,
        channel,
        ts: placeholder.ts,
        threadTs,
        alsoIn: options.alsoIn ?? [],
        requestedBy: target.requestedBy,
        input: options.input ?? {},
        subject: options.subject ?? null,
      };
      await deps.store.jobs.enqueue(JobKind.aiPost, job, {
        maxAttempts: 3,
        ...(target.incidentId ? { orderingKey: `ai:${target.incidentId}` } : {}),
      });
      return { channel, ts: placeholder.ts };
    },

    async run(job, attempt) {
      const actor =
        job.requestedBy && deps.actorFor ? await deps.actorFor(job.requestedBy).catch(() => undefined) : undefined;
      let posts: MessagePayload[];
      try {
        const output = await deps.runner.read(AI_TOOLS[job.kind], await toolInput(job), actor ? { actor } : {});
        posts = await render(job, output);
      } catch (error) {
        const e = asAppError(error);
        const final =
          attempt.attempt >= attempt.maxAttempts ||
          e.code === ErrorCode.InvalidInput ||
          e.code === ErrorCode.NotFound ||
          e.code === ErrorCode.UnknownTool;
        const what = TITLES[job.kind];
        const text = final
          ? `Couldn't produce ${what}: ${mrkdwn(describeError(e), 600)}`
          : `Couldn't produce ${what} yet: ${mrkdwn(describeError(e), 600)}. Retrying…`;
        const notice = buildNotice(final ? 'error' : 'warning', text);
        if (job.ts) await deps.poster.update(job.channel, job.ts, notice);
        else if (final) await deps.poster.post(job.channel, notice, { threadTs: job.threadTs });
        if (final) return;
        throw error;
      }
      const [first, ...rest] = posts;
      if (!first) return;
      if (job.ts) await deps.poster.update(job.channel, job.ts, first);
      else await deps.poster.post(job.channel, first, { threadTs: job.threadTs });
      for (const more of rest) await deps.poster.post(job.channel, more, { threadTs: job.threadTs ?? job.ts });
      for (const channel of job.alsoIn) {
        for (const p of posts) await deps.poster.post(channel, p);
      }
    },
  };

  async function labelOf(incidentId: string): Promise<string> {
    try {
      const i = await fetchIncident(deps.runner, incidentId);
      return incidentLabel({ id: i.id, number: i.number });
    } catch {
      return incidentId;
    }
  }
}
