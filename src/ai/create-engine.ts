/** Picks the AI engine from the configuration: Claude when an API key is set, otherwise the heuristic engine. */
import type { Config } from '../config/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { Metrics } from '../shared/metrics.js';
import type { AnyTool } from '../tools/define-tool.js';
import type { AiEngine } from './contract.js';
import { createClaudeEngine } from './engines/claude/engine.js';
import { createHeuristicEngine } from './engines/heuristic/engine.js';

export interface CreateAiEngineDeps {
  /** Catalogue tools; the Claude engine offers the read-only, non-AI ones to the model. */
  tools?: readonly AnyTool[];
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  fetch?: typeof fetch;
  /** Configured secret values the Claude engine keeps out of its results (`secretValues(config)`). */
  secrets?: readonly string[];
}

/**
 * The configured engine. With `ANTHROPIC_API_KEY`: Claude (`ANTHROPIC_MODEL`, `ANTHROPIC_BASE_URL`,
 * `ANTHROPIC_TIMEOUT_MS` per call, one retry, twice the call timeout in total), falling back to the heuristic
 * engine on any failure. Without: the heuristic engine.
 */
export function createAiEngine(config: Pick<Config, 'anthropic'>, deps: CreateAiEngineDeps = {}): AiEngine {
  const heuristic = createHeuristicEngine();
  const { apiKey, baseUrl, model, timeoutMs } = config.anthropic;
  if (!apiKey) return heuristic;
  return createClaudeEngine({
    apiKey,
    baseUrl,
    model,
    callTimeoutMs: timeoutMs,
    totalBudgetMs: timeoutMs * 2,
    fallback: heuristic,
    ...(deps.tools ? { tools: deps.tools } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
    ...(deps.secrets ? { secrets: deps.secrets } : {}),
  });
}
