// The simulator driven by the official openai and @anthropic-ai/sdk packages: plain calls, streams, usage,
// embeddings, models, count_tokens and each provider's error format.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';
import { counterForModel } from '../../src/core/tokens/tokenizer.js';
import { ANTHROPIC_TOKENS_PER_MESSAGE, ANTHROPIC_TOKENS_PER_REQUEST, OPENAI_REPLY_PRIMING_TOKENS, OPENAI_TOKENS_PER_MESSAGE } from '../../src/provider-sim/usage-model.js';

let sim: Simulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 42 });
  openai = new OpenAI({ apiKey: 'sk-sim', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-ant-sim', baseURL: sim.url, maxRetries: 0 });
});
afterAll(() => sim.close());

const catalog = () => loadCatalog();
const counter = async (id: string) => counterForModel((await catalog()).models.find((m) => m.id === id)!);

describe('OpenAI chat completions through the openai SDK', () => {
  it('answers a plain call with usage counted by the model tokenizer and bounded by max_completion_tokens', async () => {
    const prompt = 'Summarise the quarterly report in three bullet points.';
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'system', content: 'You are terse.' }, { role: 'user', content: prompt }], max_completion_tokens: 40 });
    const c = await counter('gpt-4o-mini');
    expect(r.object).toBe('chat.completion');
    expect(r.id).toMatch(/^chatcmpl-/);
    const text = r.choices[0]!.message.content!;
    // input = each message's framing (3) + its role (1: "system", "user") + its text, + 3 to prime the reply,
    // as OpenAI's cookbook counts it; output = tokens of the generated text (o200k_base, exact).
    expect(OPENAI_TOKENS_PER_MESSAGE).toBe(3);
    expect(OPENAI_REPLY_PRIMING_TOKENS).toBe(3);
    expect(r.usage!.prompt_tokens).toBe(3 + 1 + c.count('You are terse.') + 3 + 1 + c.count(prompt) + 3);
    expect(r.usage!.completion_tokens).toBe(c.count(text));
    expect(r.usage!.completion_tokens).toBeLessThanOrEqual(40);
    expect(r.usage!.total_tokens).toBe(r.usage!.prompt_tokens + r.usage!.completion_tokens);
    expect(['stop', 'length']).toContain(r.choices[0]!.finish_reason);
    if (r.choices[0]!.finish_reason === 'length') expect(r.usage!.completion_tokens).toBe(40);
  });

  it('exposes the x-request-id header as the SDK reads it', async () => {
    const { response, data } = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    expect(data.choices).toHaveLength(1);
  });

  it('streams role, content deltas, a finish chunk and a usage chunk whose totals match the text', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Tell me a story.' }], stream: true, stream_options: { include_usage: true }, max_tokens: 64 });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    const withChoices = chunks.filter((c) => c.choices.length > 0);
    expect(withChoices[withChoices.length - 1]!.choices[0]!.finish_reason).toMatch(/^(stop|length)$/);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const last = chunks[chunks.length - 1]!;
    expect(last.choices).toEqual([]);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const c = await counter('gpt-4o-mini');
    expect(last.usage!.completion_tokens).toBe(c.count(text));
    expect(last.usage!.prompt_tokens).toBe(3 + 1 + c.count('Tell me a story.') + 3);
    // Every chunk but the usage chunk carries usage: null.
    expect(chunks.slice(0, -1).every((ch) => ch.usage === null)).toBe(true);
  });

  it('streams without a usage chunk when include_usage is not asked for', async () => {
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true, max_tokens: 8 });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((ch) => ch.choices.length === 1 && ch.usage === undefined)).toBe(true);
  });

  it('gives the same answers for the same seed and request order', async () => {
    const a = await startSimulator({ catalog: await catalog(), latencyScale: 0, seed: 7 });
    const b = await startSimulator({ catalog: await catalog(), latencyScale: 0, seed: 7 });
    try {
      const ask = (s: Simulator) => new OpenAI({ apiKey: 'k', baseURL: `${s.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'same' }] });
      const [ra, rb] = [await ask(a), await ask(b)];
      expect(ra.choices[0]!.message.content).toBe(rb.choices[0]!.message.content);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('OpenAI embeddings and models', () => {
  it('returns unit vectors (the SDK asks for base64 and decodes it) with token usage', async () => {
    const r = await openai.embeddings.create({ model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'] });
    expect(r.data).toHaveLength(2);
    const v = r.data[0]!.embedding;
    expect(v).toHaveLength(1536);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    const again = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha beta', encoding_format: 'float', dimensions: 1536 });
    // Same text, same vector: float32 round trip of the same numbers.
    expect(again.data[0]!.embedding[0]).toBeCloseTo(v[0]!, 6);
    expect(r.usage.prompt_tokens).toBeGreaterThanOrEqual(3);
  });

  it('lists and retrieves catalog models', async () => {
    const ids = [];
    for await (const m of openai.models.list()) ids.push(m.id);
    expect(ids).toContain('gpt-4o-mini');
    expect((await openai.models.retrieve('gpt-4o-mini')).object).toBe('model');
    const anthropicIds = (await anthropic.models.list()).data.map((m) => m.id);
    expect(anthropicIds).toContain('claude-haiku-4-5');
  });
});

describe('Anthropic messages through @anthropic-ai/sdk', () => {
  it('answers a plain call with usage, end_turn or max_tokens, and a request-id', async () => {
    const { data: m, response } = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 30, system: 'Be brief.', messages: [{ role: 'user', content: 'What is a batch API?' }] }).withResponse();
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    expect(m.type).toBe('message');
    expect(m.content[0]!.type).toBe('text');
    const text = (m.content[0] as Anthropic.TextBlock).text;
    const c = await counter('claude-haiku-4-5');
    // Claude counts are the stand-in encoding scaled once: round(raw × factor), never above max_tokens.
    expect(m.usage.output_tokens).toBe(c.count(text));
    expect(m.usage.output_tokens).toBeLessThanOrEqual(30);
    // Anthropic framing (an assumption: 3 per message and 3 per request), then the Claude stand-in scaling once.
    expect(m.usage.input_tokens).toBe(c.scale(ANTHROPIC_TOKENS_PER_REQUEST + ANTHROPIC_TOKENS_PER_MESSAGE + c.countRaw('What is a batch API?') + c.countRaw('Be brief.')));
    expect(['end_turn', 'max_tokens']).toContain(m.stop_reason);
  });

  it('streams the event sequence and the final message carries cumulative usage', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'Stream please.' }] });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const final = await stream.finalMessage();
    expect(types[0]).toBe('message_start');
    // The SDK drops ping events; the raw sequence is checked below.
    expect(types[1]).toBe('content_block_start');
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(0);
    const c = await counter('claude-haiku-4-5');
    const text = (final.content[0] as Anthropic.TextBlock).text;
    expect(final.usage.output_tokens).toBe(c.count(text));
    expect(final.usage.input_tokens).toBe(c.scale(ANTHROPIC_TOKENS_PER_REQUEST + ANTHROPIC_TOKENS_PER_MESSAGE + c.countRaw('Stream please.')));
  });

  it('sends the raw event names in the documented order, each data type equal to its event name', async () => {
    const r = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 3, stream: true, messages: [{ role: 'user', content: 'x' }] }) });
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = (await r.text()).trim().split('\n\n').map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { name: eventLine!.replace('event: ', ''), type: JSON.parse(dataLine!.replace('data: ', '')).type };
    });
    const names = events.map((e) => e.name);
    expect(names.slice(0, 3)).toEqual(['message_start', 'content_block_start', 'ping']);
    expect(names.slice(3, -3).every((n) => n === 'content_block_delta')).toBe(true);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(events.every((e) => e.name === e.type)).toBe(true);
  });

  it('counts tokens as messages.create would', async () => {
    const params = { model: 'claude-haiku-4-5', messages: [{ role: 'user' as const, content: 'Count me, please.' }] };
    const counted = await anthropic.messages.countTokens(params);
    const m = await anthropic.messages.create({ ...params, max_tokens: 5 });
    expect(counted.input_tokens).toBe(m.usage.input_tokens);
  });
});

describe('error formats', () => {
  it('OpenAI: unknown model is 404 NotFoundError with code model_not_found', async () => {
    const e = await openai.chat.completions.create({ model: 'gpt-nope', messages: [{ role: 'user', content: 'x' }] }).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.NotFoundError);
    expect(e.status).toBe(404);
    expect(e.code).toBe('model_not_found');
    expect(e.requestID).toMatch(/^req_/);
  });

  it('OpenAI: a missing field is 400 BadRequestError naming the parameter', async () => {
    const e = await openai.chat.completions.create({ model: 'gpt-4o-mini' } as never).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.param).toBe('messages');
    expect(e.code).toBe('missing_required_parameter');
  });

  it('OpenAI: a wrong type is 400 invalid_type', async () => {
    const e = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: 'hello' } as never).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.code).toBe('invalid_type');
  });

  it('Anthropic: unknown model is 404 not_found_error; missing max_tokens is 400 invalid_request_error', async () => {
    const e1 = await anthropic.messages.create({ model: 'claude-nope', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((err) => err);
    expect(e1).toBeInstanceOf(Anthropic.NotFoundError);
    expect(e1.error.type).toBe('error');
    expect(e1.error.error.type).toBe('not_found_error');
    const e2 = await anthropic.messages.create({ model: 'claude-haiku-4-5', messages: [{ role: 'user', content: 'x' }] } as never).catch((err) => err);
    expect(e2).toBeInstanceOf(Anthropic.BadRequestError);
    expect(e2.error.error.type).toBe('invalid_request_error');
    expect(e2.error.error.message).toMatch(/max_tokens/);
  });

  it('max_tokens above the model maximum and prompts beyond the context window are 400s in each format', async () => {
    const base = await catalog();
    const mini = base.models.find((m) => m.id === 'gpt-4o-mini')!;
    const e1 = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], max_tokens: mini.max_output! + 1 }).catch((err) => err);
    expect(e1).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e1.param).toBe('max_tokens');
    // A catalog whose models have a 20-token context window: a 40-word prompt cannot fit.
    const tiny = { ...base, models: base.models.map((m) => ({ ...m, context_window: 20 })) };
    const small = await startSimulator({ catalog: tiny, latencyScale: 0 });
    try {
      const long = 'word '.repeat(40);
      const e2 = await new OpenAI({ apiKey: 'k', baseURL: `${small.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: long }] }).catch((err) => err);
      expect(e2).toBeInstanceOf(OpenAI.BadRequestError);
      expect(e2.code).toBe('context_length_exceeded');
      const e3 = await new Anthropic({ apiKey: 'k', baseURL: small.url, maxRetries: 0 }).messages.create({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: long }] }).catch((err) => err);
      expect(e3).toBeInstanceOf(Anthropic.BadRequestError);
      expect(e3.error.error.message).toMatch(/prompt is too long: \d+ tokens > 20 maximum/);
    } finally {
      await small.close();
    }
  });

  it('a model the catalog marks retired is a 404, as the provider answers a name it no longer serves', async () => {
    const retired = (await catalog()).models.find((m) => m.lifecycle.status === 'retired' && m.provider === 'anthropic')!;
    const e = await anthropic.messages.create({ model: retired.id, max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((err) => err);
    expect(e).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('raw HTTP: invalid JSON is 400, an unknown route 404, an oversized body 413 — each in its provider format', async () => {
    const post = (path: string, body: string, headers: Record<string, string> = {}) => fetch(`${sim.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
    const bad = await post('/v1/chat/completions', '{"model":');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.type).toBe('invalid_request_error');
    const badAnthropic = await post('/v1/messages', 'not json');
    expect(badAnthropic.status).toBe(400);
    expect(await badAnthropic.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    const route = await fetch(`${sim.url}/v1/nowhere`);
    expect(route.status).toBe(404);
    expect(((await route.json()) as any).error.message).toMatch(/Invalid URL/);
    const small = await startSimulator({ catalog: await catalog(), latencyScale: 0, maxBodyBytes: 1000 });
    try {
      const big = JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x'.repeat(5000) }] });
      const r = await fetch(`${small.url}/v1/messages`, { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(413);
      expect(((await r.json()) as any).error.type).toBe('request_too_large');
      const r2 = await fetch(`${small.url}/v1/chat/completions`, { method: 'POST', body: big });
      expect(r2.status).toBe(413);
      expect(((await r2.json()) as any).error.code).toBe('request_too_large');
    } finally {
      await small.close();
    }
  });

  it('answers a forced fault header it cannot read with 400, not a crash', async () => {
    const r = await fetch(`${sim.url}/v1/chat/completions`, { method: 'POST', headers: { 'x-aip-fault': 'meteor' }, body: '{}' });
    expect(r.status).toBe(400);
    expect(((await r.json()) as any).error.message).toMatch(/unknown fault kind "meteor"/);
  });
});
