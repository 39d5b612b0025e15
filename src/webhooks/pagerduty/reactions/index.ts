import type { JobHandler } from '../../../store/index.js';
import { WebhookJobKind } from '../intake.js';
import { createAnnotatedReaction } from './annotated.js';
import { createCardUpdateReaction } from './card-update.js';
import type { ReactionDeps } from './deps.js';
import { createResolvedReaction } from './resolved.js';
import { createStormSummaryReaction } from './storm-summary.js';
import { createTriggeredReaction } from './triggered.js';

export { DEFAULT_REACTION_OPTIONS, type ReactionDeps, type ReactionOptions } from './deps.js';

/** The webhook reactions by job kind, to merge into the store worker's `handlers`. */
export function createWebhookJobHandlers(deps: ReactionDeps): Record<string, JobHandler> {
  return {
    [WebhookJobKind.triggered]: createTriggeredReaction(deps),
    [WebhookJobKind.cardUpdate]: createCardUpdateReaction(deps),
    [WebhookJobKind.resolved]: createResolvedReaction(deps),
    [WebhookJobKind.annotated]: createAnnotatedReaction(deps),
    [WebhookJobKind.stormSummary]: createStormSummaryReaction(deps),
  };
}
