import { afterEach, describe, expect, it } from 'vitest';
import { createAiEngine } from '../../src/ai/create-engine.js';
import { type AnthropicEmulator, startAnthropicEmulator } from '../../src/sandbox/anthropic/index.js';
import { alerts, channelMessages, history, incident, NOW, notes, services, timeline } from '../fixtures/ai-inputs.js';

let emulator: AnthropicEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const anthropic = (apiKey: string | undefined, baseUrl?: string) => ({
  anthropic: { apiKey, baseUrl, model: 'claude-sonnet-5-5', timeoutMs: 5000 },
});

describe('createAiEngine', () => {
  it('uses the heuristic engine without an API key', () => {
    const engine = createAiEngine(anthropic(undefined));
    expect(engine.name).toBe('heuristic');
  });

  it('uses Claude with a key, and the sandbox emulator in auto mode answers every operation end to end', async () => {
    emulator = await startAnthropicEmulator({ mode: 'auto' });
    const engine = createAiEngine(anthropic('sk-sandbox', emulator.url));
    expect(engine).toMatchObject({ name: 'claude', cacheId: 'claude:claude-sonnet-5-5' });
    const base = { incident: incident(), alerts, timeline, notes, channelMessages, history, services, now: NOW };
    const results = [
      await engine.triage(base),
      await engine.analyze(base),
      await engine.postmortem(base),
      await engine.runbook(base),
      await engine.escalationDecision(base),
      await engine.correlate({ incidents: [incident(), incident({ id: 'Q2' })] }),
      await engine.bestResponder({
        incident: incident(),
        history,
        now: NOW,
        candidates: [{ person: { id: 'U2', name: 'Bo Chen' } }],
      }),
      await engine.fatigue({ now: NOW, people: [{ id: 'U2', name: 'Bo Chen' }] }),
    ];
    for (const r of results) {
      expect(r.fallback).toBeUndefined();
      expect(r).toMatchObject({ engine: 'claude', model: 'claude-sonnet-5-5 (emulated)' });
    }
    expect(emulator.messageRequests()).toHaveLength(8);
  });
});
