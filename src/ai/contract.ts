/**
 * The AI contract: one `AiEngine` interface with eight operations, implemented by the offline heuristic engine
 * and the Claude engine. Engines are pure functions of their inputs (plus their model); inputs are our own
 * compact domain shapes (`./schemas/inputs.ts`), results are zod schemas shared by both engines
 * (`./schemas/results.ts`). AI only suggests: nothing here writes to PagerDuty.
 */
import type {
  AnalyzeInput,
  BestResponderInput,
  CorrelateInput,
  EscalationInput,
  FatigueInput,
  PostmortemInput,
  RunbookInput,
  TriageInput,
} from './schemas/inputs.js';
import type {
  AnalyzeResult,
  BestResponderResult,
  CorrelateResult,
  EscalationResult,
  FatigueResult,
  PostmortemResult,
  RunbookResult,
  TriageResult,
} from './schemas/results.js';

export * from './schemas/common.js';
export * from './schemas/inputs.js';
export * from './schemas/results.js';

/** The eight operations, also the `kind` of a cached result. */
export const AI_KINDS = [
  'triage',
  'analyze',
  'correlate',
  'postmortem',
  'runbook',
  'escalationDecision',
  'bestResponder',
  'fatigue',
] as const;
export type AiKind = (typeof AI_KINDS)[number];

export type AiEngineName = 'heuristic' | 'claude';

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
}

/** What every operation returns: the result plus who produced it. */
export interface AiResult<T> {
  result: T;
  engine: AiEngineName;
  model?: string;
  /** Set when Claude failed and the heuristic answered instead. */
  fallback?: { from: 'claude'; reason: string };
  usage?: TokenUsage;
  /** True when the result came from the AI result cache. */
  cached?: boolean;
}

/** Key of a cached AI result. `engine` is `AiEngine.cacheId` (engine + model/version). */
export interface AiCacheKey {
  incidentId: string | null;
  /** The operation's `AiKind` in snake_case, as the store keeps it (`cacheKind`). */
  kind: string;
  engine: string;
  inputHash: string;
}

/** Implemented by the store's `ai_results` repository. */
export interface AiResultCache {
  get(key: AiCacheKey): Promise<unknown | undefined>;
  put(key: AiCacheKey, value: unknown, usage?: TokenUsage): Promise<void>;
}

/**
 * Per-call options. `toolContext` is the catalogue `ToolContext` of the calling tool: the Claude engine uses it
 * to run read-only catalogue tools the model asks for (the heuristic engine ignores it). It is typed loosely here
 * so that this file does not depend on `src/tools/`; the Claude engine checks its shape.
 */
export interface AiCallOptions {
  signal?: AbortSignal;
  toolContext?: unknown;
}

/** Input type of each operation, by kind. */
export interface AiInputs {
  triage: TriageInput;
  analyze: AnalyzeInput;
  correlate: CorrelateInput;
  postmortem: PostmortemInput;
  runbook: RunbookInput;
  escalationDecision: EscalationInput;
  bestResponder: BestResponderInput;
  fatigue: FatigueInput;
}

/** Result type of each operation, by kind. */
export interface AiResults {
  triage: TriageResult;
  analyze: AnalyzeResult;
  correlate: CorrelateResult;
  postmortem: PostmortemResult;
  runbook: RunbookResult;
  escalationDecision: EscalationResult;
  bestResponder: BestResponderResult;
  fatigue: FatigueResult;
}

/**
 * An AI engine. Every operation validates its input (throwing `InvalidInputError` on bad input, before any
 * work) and resolves with a result that matches the operation's result schema.
 */
export interface AiEngine {
  readonly name: AiEngineName;
  /** Stable identity for cache keys: engine, model and algorithm version (e.g. `heuristic@1`). */
  readonly cacheId: string;
  triage(input: TriageInput, options?: AiCallOptions): Promise<AiResult<TriageResult>>;
  analyze(input: AnalyzeInput, options?: AiCallOptions): Promise<AiResult<AnalyzeResult>>;
  correlate(input: CorrelateInput, options?: AiCallOptions): Promise<AiResult<CorrelateResult>>;
  postmortem(input: PostmortemInput, options?: AiCallOptions): Promise<AiResult<PostmortemResult>>;
  runbook(input: RunbookInput, options?: AiCallOptions): Promise<AiResult<RunbookResult>>;
  escalationDecision(input: EscalationInput, options?: AiCallOptions): Promise<AiResult<EscalationResult>>;
  bestResponder(input: BestResponderInput, options?: AiCallOptions): Promise<AiResult<BestResponderResult>>;
  fatigue(input: FatigueInput, options?: AiCallOptions): Promise<AiResult<FatigueResult>>;
}
