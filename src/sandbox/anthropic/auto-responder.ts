/**
 * Auto mode for the sandbox: answers the Claude engine's requests plausibly without a model. It reads the
 * operation and the deterministic baseline from the delimited blocks of the first user turn, calls one read tool
 * first when the request offers one that takes the incident id (so the sandbox shows a real tool-use round), and
 * then answers with the baseline as structured JSON, labelled as emulated in the model name.
 */
import { parseUserPrompt } from '../../ai/engines/claude/prompt.js';
import type { RecordedRequest, ScriptedResponse } from './wire.js';
import { jsonAnswer, toolCall } from './wire.js';

const PREFERRED_TOOLS = ['list_incident_notes', 'get_incident_timeline', 'get_incident'];

type Msg = { role?: string; content?: unknown };

function firstUserText(messages: readonly Msg[]): string | null {
  const first = messages.find((m) => m.role === 'user');
  if (!first) return null;
  if (typeof first.content === 'string') return first.content;
  if (Array.isArray(first.content)) {
    return first.content
      .filter((b): b is { type: 'text'; text: string } => (b as { type?: string }).type === 'text')
      .map((b) => b.text)
      .join('\n');
  }
  return null;
}

function hasToolResult(messages: readonly Msg[]): boolean {
  return messages.some(
    (m) => Array.isArray(m.content) && m.content.some((b) => (b as { type?: string }).type === 'tool_result'),
  );
}

/** The model's answer shape for an operation, from the baseline the engine showed. */
function answerFromBaseline(kind: string, baseline: unknown): unknown {
  if (kind === 'bestResponder') {
    const b = baseline as { candidates: Array<{ personId: string }> };
    return { best: b.candidates[0] ?? null, candidates: b.candidates };
  }
  return baseline;
}

/** Creates the auto-mode handler. */
export function createAutoResponder(): (req: RecordedRequest) => ScriptedResponse {
  return (req) => {
    const body = req.body ?? {};
    const messages = (Array.isArray(body.messages) ? body.messages : []) as Msg[];
    const text = firstUserText(messages);
    const parsed = text ? parseUserPrompt(text) : null;
    if (!parsed) {
      return jsonAnswer({ note: 'The sandbox Anthropic emulator only understands incident-bot prompts.' });
    }
    const tools = (Array.isArray(body.tools) ? body.tools : []) as Array<{
      name?: string;
      input_schema?: { properties?: Record<string, unknown> };
    }>;
    const toolChoice = (body.tool_choice as { type?: string } | undefined)?.type;
    const incidentId = (parsed.data as { incident?: { id?: string } }).incident?.id;
    if (incidentId && toolChoice !== 'none' && !hasToolResult(messages)) {
      const tool = PREFERRED_TOOLS.map((n) => tools.find((t) => t.name === n)).find(
        (t) => t?.input_schema?.properties && 'incident_id' in t.input_schema.properties,
      );
      if (tool?.name) return toolCall(tool.name, { incident_id: incidentId });
    }
    const model = typeof body.model === 'string' ? `${body.model} (emulated)` : 'emulated';
    return jsonAnswer(answerFromBaseline(parsed.kind, parsed.baseline), { model });
  };
}
