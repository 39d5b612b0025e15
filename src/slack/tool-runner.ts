/**
 * How the Slack front runs catalogue tools: by name, with a per-call `ToolContext`, an audit row for every write
 * (who, which tool, which input, how it ended) and observer hooks. This is the only path from Slack to PagerDuty
 * and the AI engines.
 */
import { performance } from 'node:perf_hooks';
import { AppError, asAppError, ErrorCode } from '../shared/errors.js';
import type { AuditSurface } from '../store/index.js';
import { getTool } from '../tools/catalogue.js';
import { type Actor, runTool } from '../tools/define-tool.js';
import type { SlackDeps } from './deps.js';

export interface ToolRunner {
  /** Runs a read tool (no actor needed; the actor is passed along when known, e.g. for AI tools). */
  read(name: string, input: unknown, options?: { actor?: Actor; signal?: AbortSignal }): Promise<unknown>;
  /** Runs a write tool for `actor` (PagerDuty `From` = their email) and records an audit row either way. */
  write(name: string, input: unknown, actor: Actor, options?: { signal?: AbortSignal }): Promise<unknown>;
}

function incidentIdOf(input: unknown): string | null {
  if (input && typeof input === 'object') {
    const i = input as Record<string, unknown>;
    for (const key of ['incident_id', 'target_incident_id']) {
      if (typeof i[key] === 'string') return i[key] as string;
    }
  }
  return null;
}

/** Creates the runner over the catalogue. */
export function createToolRunner(
  deps: Pick<SlackDeps, 'toolContext' | 'store' | 'logger' | 'metrics' | 'observe' | 'clock'>,
): ToolRunner {
  const calls = deps.metrics?.counter('slack_tool_calls_total', 'Catalogue tools run by the Slack front');
  const errors = deps.metrics?.counter('slack_tool_errors_total', 'Catalogue tool runs from Slack that failed');

  async function run(
    name: string,
    input: unknown,
    actor: Actor | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const tool = getTool(name);
    if (!tool) {
      throw new AppError(ErrorCode.UnknownTool, `The ${name} tool is not available in this deployment`, {
        details: { tool: name },
      });
    }
    calls?.inc({ tool: name });
    deps.observe?.onToolStart?.(name, performance.now());
    try {
      const out = await runTool(tool, input, deps.toolContext(actor, signal));
      deps.observe?.onToolEnd?.(name, performance.now(), true);
      return out;
    } catch (error) {
      errors?.inc({ tool: name, code: asAppError(error).code });
      deps.observe?.onToolEnd?.(name, performance.now(), false);
      throw error;
    }
  }

  return {
    read(name, input, options = {}) {
      return run(name, input, options.actor, options.signal);
    },

    async write(name, input, actor, options = {}) {
      const started = deps.clock.now();
      const audit = async (outcome: 'ok' | 'error', error?: unknown): Promise<void> => {
        try {
          await deps.store.audit.record({
            actor: {
              surface: actor.surface as AuditSurface,
              email: actor.email,
              slackUserId: actor.slackUserId ?? null,
              pagerdutyUserId: actor.pagerdutyUserId ?? null,
            },
            tool: name,
            input,
            outcome,
            ...(error === undefined ? {} : { error: asAppError(error) }),
            incidentId: incidentIdOf(input),
            durationMs: Math.max(0, deps.clock.now() - started),
          });
        } catch (auditError) {
          deps.logger.error({ err: auditError, tool: name }, 'could not record the audit row');
        }
      };
      try {
        const out = await run(name, input, actor, options.signal);
        await audit('ok');
        return out;
      } catch (error) {
        await audit('error', error);
        throw error;
      }
    },
  };
}
