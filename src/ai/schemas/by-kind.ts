/** The input and result schema of each AI operation, by kind (one table, used by both engines). */
import type { z } from 'zod';
import type { AiKind } from '../contract.js';
import {
  AnalyzeInputSchema,
  BestResponderInputSchema,
  CorrelateInputSchema,
  EscalationInputSchema,
  FatigueInputSchema,
  PostmortemInputSchema,
  RunbookInputSchema,
  TriageInputSchema,
} from './inputs.js';
import {
  AnalyzeResultSchema,
  BestResponderResultSchema,
  CorrelateResultSchema,
  EscalationResultSchema,
  FatigueResultSchema,
  PostmortemResultSchema,
  RunbookResultSchema,
  TriageResultSchema,
} from './results.js';

export const AI_INPUT_SCHEMAS = {
  triage: TriageInputSchema,
  analyze: AnalyzeInputSchema,
  correlate: CorrelateInputSchema,
  postmortem: PostmortemInputSchema,
  runbook: RunbookInputSchema,
  escalationDecision: EscalationInputSchema,
  bestResponder: BestResponderInputSchema,
  fatigue: FatigueInputSchema,
} as const satisfies Record<AiKind, z.ZodType>;

export const AI_RESULT_SCHEMAS = {
  triage: TriageResultSchema,
  analyze: AnalyzeResultSchema,
  correlate: CorrelateResultSchema,
  postmortem: PostmortemResultSchema,
  runbook: RunbookResultSchema,
  escalationDecision: EscalationResultSchema,
  bestResponder: BestResponderResultSchema,
  fatigue: FatigueResultSchema,
} as const satisfies Record<AiKind, z.ZodType>;
