/**
 * The Claude engine: the same eight operations through the Anthropic Messages API, with zod-validated structured
 * output (`output_config.format` built by the SDK's `zodOutputFormat`), read-only catalogue tools in a bounded
 * loop, prompt caching on the stable prefix (tool definitions + system prompt), an input token budget, an
 * explicit per-call timeout and retry count, and a total time budget. Every failure — HTTP error, timeout,
 * malformed or invalid output, tool loop overrun, budget overrun — returns the heuristic engine's result marked
 * `fallback: { from: 'claude', reason }`. Bad input is refused before any call.
 */
import Anthropic from '@anthropic-ai/sdk';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import type { z } from 'zod';
import { type Clock, systemClock } from '../../../shared/clock.js';
import { AppError, describeError, ErrorCode, isAppError } from '../../../shared/errors.js';
import type { Logger } from '../../../shared/logger.js';
import type { Metrics } from '../../../shared/metrics.js';
import type { AnyTool, ToolContext } from '../../../tools/define-tool.js';
import type { AiCallOptions, AiEngine, AiInputs, AiKind, AiResult, AiResults, TokenUsage } from '../../contract.js';
import { AI_INPUT_SCHEMAS } from '../../schemas/by-kind.js';
import { parseAiInput } from '../../validate.js';
import { rankSimilarIncidents } from '../heuristic/history.js';
import { estimateTokens, fitToBudget } from './budget.js';
import { finalizeModelOutput, MODEL_OUTPUT_SCHEMAS, withoutSecrets } from './output.js';
import { buildUserPrompt, newNonce, SYSTEM_PROMPT } from './prompt.js';
import { isToolContext, offerableTools, runToolCall, toAnthropicTools } from './tools.js';

export interface ClaudeEngineOptions {
  apiKey: string;
  /** Messages API base URL (default: Anthropic's). The sandbox and tests point it at the emulator. */
  baseUrl?: string | undefined;
  model: string;
  /** Timeout of one HTTP attempt (the SDK default is 10 minutes). */
  callTimeoutMs: number;
  /** Retries of one call on 408/409/429/5xx/connection errors (the SDK default is 2). */
  maxRetries?: number;
  /** Everything one operation may take, retries and tool rounds included; then the heuristic answers. */
  totalBudgetMs?: number;
  /** Tool-use rounds before the model must answer (the SDK tool runner has no limit by default). */
  maxToolRounds?: number;
  /** Output tokens per call. */
  maxOutputTokens?: number;
  /** Estimated input tokens per call; longer data is trimmed (see budget.ts) or the call is not made. */
  inputTokenBudget?: number;
  /** The engine that answers when Claude cannot: always the heuristic engine. */
  fallback: AiEngine;
  /** Catalogue tools; only read tools that are not AI tools are offered to the model. */
  tools?: readonly AnyTool[];
  logger?: Logger | undefined;
  metrics?: Metrics | undefined;
  clock?: Clock;
  /** HTTP transport (tests and the sandbox swap it; default global fetch). */
  fetch?: typeof fetch;
  /** Configured secret values (besides `apiKey`) never returned in a result, whatever the model writes. */
  secrets?: readonly string[];
}

export const CLAUDE_DEFAULTS = {
  maxRetries: 1,
  maxToolRounds: 3,
  maxOutputTokens: 4096,
  inputTokenBudget: 60_000,
} as const;

/** Output tokens per operation: postmortems are long. */
const OUTPUT_TOKENS: Partial<Record<AiKind, number>> = { postmortem: 8192, correlate: 8192, fatigue: 8192 };

/** The baseline as shown to the model: big lists cut, Markdown dropped. */
function baselineForPrompt(kind: AiKind, baseline: unknown): unknown {
  if (kind === 'correlate') {
    const b = baseline as AiResults['correlate'];
    return {
      groups: b.groups.slice(0, 60),
      mergeRecommendations: b.mergeRecommendations.slice(0, 30),
      ungroupedCount: b.ungroupedCount,
    };
  }
  if (kind === 'postmortem') {
    const { markdown: _markdown, ...rest } = baseline as AiResults['postmortem'];
    return rest;
  }
  if (kind === 'bestResponder') {
    const b = baseline as AiResults['bestResponder'];
    return { ...b, best: b.best?.personId ?? null, candidates: b.candidates.slice(0, 100) };
  }
  return baseline;
}

/** Puts the most similar past incidents first, so trimming keeps the useful ones. */
function orderHistory(data: Record<string, unknown>): Record<string, unknown> {
  const incident = data.incident as
    | { id: string; title: string; description?: string; service: { id: string } }
    | undefined;
  const history = data.history as Parameters<typeof rankSimilarIncidents>[1] | undefined;
  if (!incident || !history || history.length < 2) return data;
  const ranked = rankSimilarIncidents(
    { id: incident.id, title: incident.title, description: incident.description, serviceId: incident.service.id },
    history,
    { limit: history.length, minSimilarity: 0 },
  ).map((r) => r.incident);
  const rankedIds = new Set(ranked.map((h) => h.id));
  return { ...data, history: [...ranked, ...history.filter((h) => !rankedIds.has(h.id))] };
}

function addUsage(total: TokenUsage, u: Anthropic.Messages.Usage | undefined): void {
  if (!u) return;
  total.inputTokens += u.input_tokens ?? 0;
  total.outputTokens += u.output_tokens ?? 0;
  total.cacheReadTokens = (total.cacheReadTokens ?? 0) + (u.cache_read_input_tokens ?? 0);
  total.cacheWriteTokens = (total.cacheWriteTokens ?? 0) + (u.cache_creation_input_tokens ?? 0);
}

/** A short, person-readable reason for a failed call. */
export function failureReason(error: unknown, budgetMs: number, budgetExpired: boolean): string {
  if (budgetExpired) return `Claude did not answer within the ${Math.round(budgetMs / 1000)} s time budget`;
  if (error instanceof Anthropic.APIConnectionTimeoutError) return 'Claude request timed out';
  if (error instanceof Anthropic.APIConnectionError) return `cannot reach the Claude API (${error.message})`;
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const type = body?.error?.type ?? 'api_error';
    const message = body?.error?.message ?? error.message;
    return `Claude API error ${error.status ?? ''} ${type}: ${message}`.replace(/\s+/g, ' ').slice(0, 300);
  }
  if (error instanceof Anthropic.AnthropicError)
    return `invalid structured output: ${error.message.split('\n')[0]}`.slice(0, 300);
  if (isAppError(error)) return error.message.slice(0, 300);
  return describeError(error).slice(0, 300);
}

/** Creates the Claude engine. */
export function createClaudeEngine(options: ClaudeEngineOptions): AiEngine {
  const clock = options.clock ?? systemClock;
  const maxToolRounds = options.maxToolRounds ?? CLAUDE_DEFAULTS.maxToolRounds;
  const inputBudget = options.inputTokenBudget ?? CLAUDE_DEFAULTS.inputTokenBudget;
  const totalBudgetMs = options.totalBudgetMs ?? options.callTimeoutMs * 2;
  const secrets = [options.apiKey, ...(options.secrets ?? [])].filter((s) => s.length > 0);
  const client = new Anthropic({
    apiKey: options.apiKey,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    timeout: options.callTimeoutMs,
    maxRetries: options.maxRetries ?? CLAUDE_DEFAULTS.maxRetries,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    logLevel: 'off',
  });
  const toolsOffered = offerableTools(options.tools ?? []);
  const toolDefs = toAnthropicTools(toolsOffered);
  const system: Anthropic.Messages.TextBlockParam[] = [
    { type: 'text', text: SYSTEM_PROMPT, cache_control: { type: 'ephemeral' } },
  ];
  const fixedTokens = estimateTokens(SYSTEM_PROMPT) + estimateTokens(JSON.stringify(toolDefs));
  const requests = options.metrics?.counter('ai_requests_total', 'AI operations by engine, kind and outcome');
  const tokens = options.metrics?.counter('ai_tokens_total', 'Claude tokens by direction');

  async function callModel<K extends AiKind>(
    kind: K,
    parsed: Record<string, unknown>,
    baseline: AiResults[K],
    signal: AbortSignal,
    toolContext: ToolContext | undefined,
    usage: TokenUsage,
  ): Promise<{ result: AiResults[K]; model: string }> {
    const nonce = newNonce();
    const shownBaseline = baselineForPrompt(kind, baseline);
    const baselineTokens = estimateTokens(JSON.stringify(shownBaseline));
    const fitted = fitToBudget(orderHistory(parsed), inputBudget - fixedTokens - baselineTokens, (d) =>
      buildUserPrompt(kind, d, null, nonce),
    );
    if (!fitted) {
      throw new AppError(
        ErrorCode.AiFailed,
        `the incident data does not fit the ${inputBudget}-token input budget even when trimmed`,
      );
    }
    if (fitted.notes.length > 0)
      options.logger?.debug({ kind, trimmed: fitted.notes }, 'trimmed AI input to the token budget');
    const format = zodOutputFormat(MODEL_OUTPUT_SCHEMAS[kind]);
    const useTools = toolContext !== undefined && toolDefs.length > 0;
    const messages: Anthropic.Messages.MessageParam[] = [
      { role: 'user', content: buildUserPrompt(kind, fitted.data, shownBaseline, nonce) },
    ];
    const toolCtx: ToolContext | undefined = toolContext ? { ...toolContext, ai: options.fallback, signal } : undefined;

    for (let round = 0; round <= maxToolRounds; round++) {
      const lastRound = round === maxToolRounds;
      const response = await client.messages.create(
        {
          model: options.model,
          max_tokens: OUTPUT_TOKENS[kind] ?? options.maxOutputTokens ?? CLAUDE_DEFAULTS.maxOutputTokens,
          system,
          messages,
          ...(useTools
            ? { tools: toolDefs, tool_choice: lastRound ? { type: 'none' as const } : { type: 'auto' as const } }
            : {}),
          output_config: { format: { type: format.type, schema: format.schema } },
        },
        { signal },
      );
      addUsage(usage, response.usage);
      if (response.stop_reason === 'tool_use' && useTools && toolCtx && !lastRound) {
        const calls = response.content.filter((b): b is Anthropic.Messages.ToolUseBlock => b.type === 'tool_use');
        if (calls.length === 0) throw new AppError(ErrorCode.AiFailed, 'stop_reason tool_use without a tool_use block');
        const results: Anthropic.Messages.ToolResultBlockParam[] = [];
        for (const call of calls.slice(0, 5)) {
          options.logger?.debug({ kind, tool: call.name }, 'Claude called a tool');
          results.push(await runToolCall(toolsOffered, call, toolCtx));
        }
        for (const call of calls.slice(5)) {
          results.push({
            type: 'tool_result',
            tool_use_id: call.id,
            is_error: true,
            content: 'Too many tool calls in one turn.',
          });
        }
        messages.push({ role: 'assistant', content: response.content as Anthropic.Messages.ContentBlockParam[] });
        messages.push({ role: 'user', content: results });
        continue;
      }
      if (response.stop_reason === 'tool_use') {
        throw new AppError(ErrorCode.AiFailed, `the model kept calling tools after ${maxToolRounds} rounds`);
      }
      if (response.stop_reason === 'max_tokens')
        throw new AppError(ErrorCode.AiFailed, 'the answer was cut off at max_tokens');
      if (response.stop_reason === 'refusal') throw new AppError(ErrorCode.AiFailed, 'the model declined to answer');
      const text = response.content
        .filter((b): b is Anthropic.Messages.TextBlock => b.type === 'text')
        .map((b) => b.text)
        .join('');
      if (text.trim() === '') throw new AppError(ErrorCode.AiFailed, 'the answer had no text');
      // format.parse: JSON.parse + the zod schema; throws AnthropicError naming the first issues.
      const modelOutput = format.parse(text);
      const result = finalizeModelOutput(kind, modelOutput, { input: parsed, baseline });
      return { result: withoutSecrets(result, secrets), model: response.model };
    }
    throw new AppError(ErrorCode.AiFailed, `the model kept calling tools after ${maxToolRounds} rounds`);
  }

  async function run<K extends AiKind>(
    kind: K,
    input: AiInputs[K],
    callOptions: AiCallOptions = {},
  ): Promise<AiResult<AiResults[K]>> {
    const parsed = parseAiInput(AI_INPUT_SCHEMAS[kind] as z.ZodType, input, kind) as Record<string, unknown>;
    const fallbackCall = options.fallback[kind] as (i: AiInputs[K]) => Promise<AiResult<AiResults[K]>>;
    const baseline = await fallbackCall.call(options.fallback, parsed as AiInputs[K]);
    const callerSignal = callOptions.signal;
    if (callerSignal?.aborted) throw new AppError(ErrorCode.Timeout, `${kind} was cancelled`);
    const controller = new AbortController();
    let budgetExpired = false;
    const timer = setTimeout(() => {
      budgetExpired = true;
      controller.abort(new AppError(ErrorCode.Timeout, 'AI time budget exceeded'));
    }, totalBudgetMs);
    const onCallerAbort = (): void => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
    const started = clock.now();
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 };
    const toolContext = isToolContext(callOptions.toolContext) ? callOptions.toolContext : undefined;
    try {
      const { result, model } = await callModel(kind, parsed, baseline.result, controller.signal, toolContext, usage);
      requests?.inc({ engine: 'claude', kind, outcome: 'ok' });
      tokens?.inc({ direction: 'input' }, usage.inputTokens);
      tokens?.inc({ direction: 'output' }, usage.outputTokens);
      options.logger?.info({ kind, model, usage, ms: clock.now() - started }, 'Claude answered');
      return { result, engine: 'claude', model, usage };
    } catch (error) {
      if (callerSignal?.aborted) throw new AppError(ErrorCode.Timeout, `${kind} was cancelled`, { cause: error });
      const reason = failureReason(error, totalBudgetMs, budgetExpired);
      requests?.inc({ engine: 'claude', kind, outcome: 'fallback' });
      options.logger?.warn(
        { kind, reason, ms: clock.now() - started },
        'Claude failed; answering with the heuristic engine',
      );
      return {
        ...baseline,
        fallback: { from: 'claude', reason },
        ...(usage.inputTokens > 0 ? { usage } : {}),
      };
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  return {
    name: 'claude',
    cacheId: `claude:${options.model}`,
    triage: (input, o) => run('triage', input, o),
    analyze: (input, o) => run('analyze', input, o),
    correlate: (input, o) => run('correlate', input, o),
    postmortem: (input, o) => run('postmortem', input, o),
    runbook: (input, o) => run('runbook', input, o),
    escalationDecision: (input, o) => run('escalationDecision', input, o),
    bestResponder: (input, o) => run('bestResponder', input, o),
    fatigue: (input, o) => run('fatigue', input, o),
  };
}
