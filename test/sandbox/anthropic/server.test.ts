import Anthropic from '@anthropic-ai/sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { buildUserPrompt } from '../../../src/ai/engines/claude/prompt.js';
import {
  type AnthropicEmulator,
  apiError,
  jsonAnswer,
  startAnthropicEmulator,
  textAnswer,
  toolCall,
} from '../../../src/sandbox/anthropic/index.js';

let emulator: AnthropicEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const KEY = 'sk-ant-test-0000';
const body = { model: 'claude-sonnet-5-5', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] };

async function post(path: string, payload: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${emulator?.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01', ...headers },
    body: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}

describe('Anthropic emulator wire format', () => {
  it('refuses requests without a key, with a wrong key, or without anthropic-version, with error bodies', async () => {
    emulator = await startAnthropicEmulator({ apiKey: KEY, responses: [jsonAnswer({ ok: true })] });
    const noKey = await fetch(`${emulator.url}/v1/messages`, {
      method: 'POST',
      headers: { 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'x-api-key header is required' },
    });
    expect((await post('/v1/messages', body, { 'x-api-key': 'wrong' })).status).toBe(401);
    const noVersion = await post('/v1/messages', body, { 'anthropic-version': '' });
    expect(noVersion.status).toBe(400);
    expect(((await noVersion.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('validates the body like the real API and 404s unknown paths', async () => {
    emulator = await startAnthropicEmulator({ apiKey: KEY });
    expect((await post('/v1/messages', '{not json')).status).toBe(400);
    const noMax = await post('/v1/messages', { ...body, max_tokens: undefined });
    expect(((await noMax.json()) as { error: { message: string } }).error.message).toContain('max_tokens');
    expect((await post('/v1/messages', { ...body, messages: [{ role: 'assistant', content: 'x' }] })).status).toBe(400);
    expect((await post('/v1/messages', { ...body, stream: true })).status).toBe(400);
    const missing = await post('/v1/complete', body);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { type: string } }).error.type).toBe('not_found_error');
  });

  it('serves the queue in order, records requests, and says when the script is exhausted', async () => {
    emulator = await startAnthropicEmulator({
      responses: [textAnswer('one'), apiError('overloaded_error', 'Overloaded', 3)],
    });
    const first = await post('/v1/messages', body);
    expect(first.status).toBe(200);
    expect(first.headers.get('request-id')).toMatch(/^req_/);
    const message = (await first.json()) as {
      type: string;
      role: string;
      content: unknown;
      stop_reason: string;
      usage: { input_tokens: number };
    };
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      content: [{ type: 'text', text: 'one' }],
      stop_reason: 'end_turn',
    });
    expect(message.usage.input_tokens).toBeGreaterThan(0);
    const second = await post('/v1/messages', body);
    expect(second.status).toBe(529);
    expect(second.headers.get('retry-after')).toBe('3');
    expect(await second.json()).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const third = await post('/v1/messages', body);
    expect(third.status).toBe(500);
    expect(emulator.messageRequests()).toHaveLength(3);
    expect(emulator.requests[0]?.headers['x-api-key']).toBe(KEY);
    expect(emulator.requests[0]?.body?.model).toBe('claude-sonnet-5-5');
  });

  it('accounts prompt caching: the first request writes the cached prefix, the next reads it', async () => {
    emulator = await startAnthropicEmulator({ responses: [textAnswer('a'), textAnswer('b')] });
    const cached = {
      ...body,
      system: [{ type: 'text', text: 'stable system prompt '.repeat(50), cache_control: { type: 'ephemeral' } }],
    };
    const u1 = ((await (await post('/v1/messages', cached)).json()) as { usage: Record<string, number> }).usage;
    const u2 = ((await (await post('/v1/messages', cached)).json()) as { usage: Record<string, number> }).usage;
    expect(u1.cache_creation_input_tokens).toBeGreaterThan(0);
    expect(u1.cache_read_input_tokens).toBe(0);
    expect(u2.cache_read_input_tokens).toBe(u1.cache_creation_input_tokens);
  });

  it('is driven by the real SDK: messages, API errors and retry-after', async () => {
    emulator = await startAnthropicEmulator({
      apiKey: KEY,
      responses: [
        jsonAnswer({ answer: 4 }),
        apiError('rate_limit_error', 'Slow down', 0),
        textAnswer('after retry'),
        apiError('invalid_request_error', 'bad thing'),
      ],
    });
    const client = new Anthropic({ apiKey: KEY, baseURL: emulator.url, maxRetries: 1, timeout: 5000, logLevel: 'off' });
    const m = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: '2+2' }],
    });
    expect(m.content[0]).toEqual({ type: 'text', text: '{"answer":4}' });
    const retried = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 50,
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(retried.content[0]).toEqual({ type: 'text', text: 'after retry' });
    const error = await client.messages
      .create({ model: 'claude-sonnet-5-5', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBe(400);
    expect(emulator.requests[1]?.headers['anthropic-version']).toBeTruthy();
  });

  it('a hanging request ends when the emulator closes', async () => {
    emulator = await startAnthropicEmulator({ responses: [{ kind: 'hang' }] });
    const pending = post('/v1/messages', body).then(
      () => 'answered',
      () => 'cut',
    );
    for (let i = 0; i < 200 && emulator.requests.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    await emulator.close();
    emulator = undefined;
    expect(await pending).toBe('cut');
  });

  it('keeps only the most recent maxRecorded requests', async () => {
    emulator = await startAnthropicEmulator({ maxRecorded: 2, handler: () => textAnswer('ok') });
    for (let i = 0; i < 4; i++) await post('/v1/messages', { ...body, max_tokens: 10 + i });
    expect(emulator.requests.map((r) => r.body?.max_tokens)).toEqual([12, 13]);
  });

  it('counts tokens on /v1/messages/count_tokens', async () => {
    emulator = await startAnthropicEmulator();
    const r = await post('/v1/messages/count_tokens', {
      model: 'claude-sonnet-5-5',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { input_tokens: number }).input_tokens).toBeGreaterThan(0);
  });
});

describe('Anthropic emulator auto mode', () => {
  const baseline = { severity: 'sev2', category: 'database' };
  const prompt = buildUserPrompt('triage', { incident: { id: 'Q1', title: 't' } }, baseline, 'n0nce');

  it('calls a read tool first when one takes the incident id, then answers with the baseline', async () => {
    emulator = await startAnthropicEmulator({ mode: 'auto' });
    const tools = [
      {
        name: 'list_incident_notes',
        description: 'd',
        input_schema: { type: 'object', properties: { incident_id: { type: 'string' } } },
      },
    ];
    const first = (await (
      await post('/v1/messages', { ...body, tools, messages: [{ role: 'user', content: prompt }] })
    ).json()) as {
      stop_reason: string;
      content: Array<{ type: string; name?: string; input?: unknown; id?: string }>;
    };
    expect(first.stop_reason).toBe('tool_use');
    expect(first.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'list_incident_notes',
      input: { incident_id: 'Q1' },
    });
    const second = (await (
      await post('/v1/messages', {
        ...body,
        tools,
        messages: [
          { role: 'user', content: prompt },
          { role: 'assistant', content: first.content },
          { role: 'user', content: [{ type: 'tool_result', tool_use_id: first.content[0]?.id, content: '[]' }] },
        ],
      })
    ).json()) as { stop_reason: string; model: string; content: Array<{ text: string }> };
    expect(second.stop_reason).toBe('end_turn');
    expect(JSON.parse(second.content[0]?.text ?? '')).toEqual(baseline);
    expect(second.model).toBe('claude-sonnet-5-5 (emulated)');
  });

  it('answers at once without tools, and says so for prompts that are not ours', async () => {
    emulator = await startAnthropicEmulator({ mode: 'auto' });
    const direct = (await (
      await post('/v1/messages', { ...body, messages: [{ role: 'user', content: prompt }] })
    ).json()) as { content: Array<{ text: string }> };
    expect(JSON.parse(direct.content[0]?.text ?? '')).toEqual(baseline);
    const other = (await (await post('/v1/messages', body)).json()) as { content: Array<{ text: string }> };
    expect(other.content[0]?.text).toContain('only understands incident-bot prompts');
  });

  it('uses a scripted tool call when told to', async () => {
    emulator = await startAnthropicEmulator({
      responses: [toolCall('get_incident', { incident_id: 'Q9' }, 'toolu_fixed')],
    });
    const r = (await (await post('/v1/messages', body)).json()) as { content: unknown[]; stop_reason: string };
    expect(r.stop_reason).toBe('tool_use');
    expect(r.content).toEqual([
      { type: 'tool_use', id: 'toolu_fixed', name: 'get_incident', input: { incident_id: 'Q9' } },
    ]);
  });
});
