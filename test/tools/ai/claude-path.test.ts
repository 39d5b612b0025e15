import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiEngine } from '../../../src/ai/create-engine.js';
import { type AnthropicEmulator, startAnthropicEmulator } from '../../../src/sandbox/anthropic/index.js';
import { silentLogger } from '../../../src/shared/logger.js';
import { analyzeIncident } from '../../../src/tools/ai/analyze-incident.js';
import { tools } from '../../../src/tools/catalogue.js';
import { runTool } from '../../../src/tools/define-tool.js';
import { type Harness, serviceId, startHarness } from './harness.js';

let h: Harness;
let emulator: AnthropicEmulator;
beforeAll(async () => {
  emulator = await startAnthropicEmulator({ mode: 'auto' });
  const ai = createAiEngine(
    { anthropic: { apiKey: 'sk-sandbox', baseUrl: emulator.url, model: 'claude-sonnet-5-5', timeoutMs: 10_000 } },
    { tools, logger: silentLogger() },
  );
  h = await startHarness({ ai, cache: true });
}, 60_000);
afterAll(async () => {
  await h.close();
  await emulator.close();
});

describe('AI tools on the Claude path (sandbox emulator)', () => {
  it('analyze_incident: the model calls a read tool against PagerDuty, then answers; the result is cached', async () => {
    const incident = h.sim.triggerIncident({
      serviceId: serviceId(h, /api|checkout/i),
      title: 'Checkout API returning 502s',
      urgency: 'high',
    });
    const out = await runTool(analyzeIncident, { incident_id: incident.id }, h.ctx);
    expect(out).toMatchObject({
      engine: 'claude',
      model: 'claude-sonnet-5-5 (emulated)',
      fallback: null,
      cached: false,
    });
    const reqs = emulator.messageRequests();
    expect(reqs).toHaveLength(2);
    const followUp = reqs[1]?.body?.messages as Array<{
      role: string;
      content: Array<{ type: string; content?: string; is_error?: boolean }>;
    }>;
    const toolResult = followUp[2]?.content[0];
    expect(toolResult?.type).toBe('tool_result');
    expect(toolResult?.is_error).toBeUndefined();
    expect(toolResult?.content).toContain('<tool_data>');
    const again = await runTool(analyzeIncident, { incident_id: incident.id }, h.ctx);
    expect(again.cached).toBe(true);
    expect(emulator.messageRequests()).toHaveLength(2);
  });
});
