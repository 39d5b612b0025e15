/**
 * The Slack front's durable jobs: AI posts, declare, card refresh and deferred (rate-limited) posts.
 * `registerJobHandlers(registry, deps)` adds them to the handler map the job worker is created with.
 */
import { z } from 'zod';
import { defineJobHandler, type JobHandler } from '../../store/index.js';
import { JobKind } from '../ids.js';
import type { ListenerDeps } from '../listeners/shared.js';
import { AiPostJobSchema } from '../services/ai-posts.js';
import { RetryPostSchema } from '../services/poster.js';
import { declareJobHandler } from './declare.js';

const RefreshJobSchema = z.object({ incidentId: z.string().regex(/^[A-Za-z0-9]{1,64}$/) }).strict();

/** Every job kind of the Slack front, with its handler. */
export function slackJobHandlers(deps: ListenerDeps): Record<string, JobHandler> {
  return {
    [JobKind.aiPost]: defineJobHandler(AiPostJobSchema, (payload, job) =>
      deps.services.aiPosts.run(payload, { attempt: job.attempt, maxAttempts: job.maxAttempts }),
    ),
    [JobKind.declare]: declareJobHandler(deps),
    [JobKind.refreshCard]: defineJobHandler(RefreshJobSchema, async (payload) => {
      await deps.services.cards.refresh(payload.incidentId);
    }),
    [JobKind.retryPost]: defineJobHandler(RetryPostSchema, async (payload) => {
      await deps.services.poster.retry(payload);
    }),
  };
}

/** Adds the Slack job handlers to `registry` (the map given to `createJobWorker({ handlers })`). */
export function registerJobHandlers(
  registry: Record<string, JobHandler>,
  deps: ListenerDeps,
): Record<string, JobHandler> {
  Object.assign(registry, slackJobHandlers(deps));
  return registry;
}
