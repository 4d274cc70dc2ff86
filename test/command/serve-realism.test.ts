// What makes aip serve answer like the real services: rate-limit headers from the catalog's tier on every
// response (enforced with --tier), usage with each provider's message framing and hidden reasoning tokens,
// /v1/models per provider, retry hints that agree, tool calls and structured output on chat completions and
// Anthropic messages, and the 400 bodies for schemas no value satisfies.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/provider-sim/index.js';
import { REASONING_TOKENS_PER_OUTPUT_TOKEN } from '../../src/provider-sim/usage-model.js';
import { runAip } from '../helpers/run.js';
import { fault, sseEvents, startSim, validates, withSim } from '../helpers/sim.js';

let sim: Simulator;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  sim = await startSim();
  openai = new OpenAI({ apiKey: 'sk-sim', baseURL: `${sim.url}/v1`, maxRetries: 0 });
  anthropic = new Anthropic({ apiKey: 'sk-ant-sim', baseURL: sim.url, maxRetries: 0 });
});
afterAll(() => sim.close());

const frozen = new Date('2026-11-25T12:00:00Z');

describe('rate-limit headers from the catalog tier', () => {
  it('OpenAI: every 200 carries x-ratelimit-* of the default tier (gpt-4o-mini tier 1: 500 RPM, 200,000 TPM), counting down', async () => {
    await withSim({ now: () => frozen }, async (s) => {
      const c = new OpenAI({ apiKey: 'k', baseURL: `${s.url}/v1`, maxRetries: 0 });
      const req = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 10 };
      const a = await c.chat.completions.create(req).withResponse();
      const b = await c.chat.completions.create(req).withResponse();
      expect(a.response.headers.get('x-ratelimit-limit-requests')).toBe('500');
      expect(a.response.headers.get('x-ratelimit-limit-tokens')).toBe('200000');
      expect(a.response.headers.get('x-ratelimit-remaining-requests')).toBe('499');
      expect(b.response.headers.get('x-ratelimit-remaining-requests')).toBe('498');
      // TPM counts the input (8 tokens for "hi" with framing) plus max_tokens (10), per request.
      expect(Number(a.response.headers.get('x-ratelimit-remaining-tokens'))).toBe(200000 - 18);
      expect(b.response.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(ms|s)$/);
    });
  });

  it('Anthropic: anthropic-ratelimit-* of the start tier (Haiku 4.5: 1,000 RPM, 2M ITPM, 400k OTPM)', async () => {
    const { response } = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const h = response.headers;
    expect(h.get('anthropic-ratelimit-requests-limit')).toBe('1000');
    expect(h.get('anthropic-ratelimit-input-tokens-limit')).toBe('2000000');
    expect(h.get('anthropic-ratelimit-output-tokens-limit')).toBe('400000');
    expect(h.get('anthropic-ratelimit-tokens-limit')).toBe('400000');
    expect(h.get('anthropic-ratelimit-requests-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('a chosen tier is quoted, and enforced: Gemini free tier 2.5 Pro allows 5 RPM, then 429 RESOURCE_EXHAUSTED with RetryInfo', async () => {
    await withSim({ now: () => frozen, tiers: { google: 'free', openai: '5' }, enforceTier: true }, async (s) => {
      const c = new OpenAI({ apiKey: 'k', baseURL: `${s.url}/v1`, maxRetries: 0 });
      const r = await c.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 }).withResponse();
      expect(r.response.headers.get('x-ratelimit-limit-requests')).toBe('30000');
      const call = () => fetch(`${s.url}/v1beta/models/gemini-2.5-pro:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 10 } }) });
      for (let i = 0; i < 5; i++) expect((await call()).status).toBe(200);
      const refused = await call();
      expect(refused.status).toBe(429);
      const body = (await refused.json()) as { error: { status: string; details: Array<Record<string, string>> } };
      expect(body.error.status).toBe('RESOURCE_EXHAUSTED');
      // 5 RPM refills one request every 12 s.
      expect(body.error.details.find((d) => d['@type']!.endsWith('RetryInfo'))!.retryDelay).toBe('12s');
      expect(refused.headers.get('retry-after')).toBe('12');
    });
  });

  it('retry-after is retry-after-ms rounded up to whole seconds; at latency scale 0 both are 0', async () => {
    await withSim({ latencyScale: 0.25 }, async (s) => {
      const e = await new OpenAI({ apiKey: 'k', baseURL: `${s.url}/v1`, maxRetries: 0 }).chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: fault('429') }).catch((err) => err);
      expect(e.headers.get('retry-after-ms')).toBe('250');
      expect(e.headers.get('retry-after')).toBe('1');
    });
    const e0 = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { headers: fault('429') }).catch((err) => err);
    expect([e0.headers.get('retry-after'), e0.headers.get('retry-after-ms')]).toEqual(['0', '0']);
  });
});

describe('usage as the providers bill it', () => {
  it('"hi" to gpt-4o-mini is 8 prompt tokens: 3 per message + 1 for the role + 1 for the text + 3 to prime the reply', async () => {
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    expect(r.usage!.prompt_tokens).toBe(8);
    // A name costs 1 more plus its own tokens.
    const named = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi', name: 'bob' }], max_tokens: 5 });
    expect(named.usage!.prompt_tokens).toBe(8 + 1 + 1);
  });

  it('a reasoning model on chat completions bills hidden reasoning tokens at the stated ratio', async () => {
    const r = await openai.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'Think.' }] });
    const reasoning = r.usage!.completion_tokens_details!.reasoning_tokens!;
    const visible = r.usage!.completion_tokens - reasoning;
    expect(reasoning).toBe(Math.round(visible * REASONING_TOKENS_PER_OUTPUT_TOKEN.medium!));
    // max_completion_tokens covers both; the budget is shared in the same proportion when both do not fit.
    const capped = await openai.chat.completions.create({ model: 'o4-mini', messages: [{ role: 'user', content: 'Think.' }], max_completion_tokens: 40 });
    expect(capped.usage!.completion_tokens).toBeLessThanOrEqual(40);
    expect(capped.choices[0]!.finish_reason).toBe('length');
    expect(capped.usage!.completion_tokens_details!.reasoning_tokens).toBe(30);
    const fast = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    expect(fast.usage!.completion_tokens_details!.reasoning_tokens).toBe(0);
  });
});

describe('/v1/models per provider', () => {
  it('the OpenAI surface lists only OpenAI models; the Anthropic surface only Claude', async () => {
    const o = [];
    for await (const m of openai.models.list()) o.push(m.id);
    expect(o).toContain('gpt-4o-mini');
    expect(o.some((id) => /claude|gemini/.test(id))).toBe(false);
    const a = [];
    for await (const m of anthropic.models.list()) a.push(m.id);
    expect(a.length).toBeGreaterThan(0);
    expect(a.every((id) => id.startsWith('claude'))).toBe(true);
  });
});

describe('chat completions: tools and response_format', () => {
  const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { id: { type: 'integer' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } }, required: ['id', 'tags'], additionalProperties: false }, strict: true } }];

  it('tool_choice required: a tool call with finish_reason tool_calls; streamed as tool_calls deltas', async () => {
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Look it up.' }], tools, tool_choice: 'required' });
    const call = r.choices[0]!.message.tool_calls![0]! as OpenAI.Chat.Completions.ChatCompletionMessageFunctionToolCall;
    expect(r.choices[0]!.finish_reason).toBe('tool_calls');
    expect(validates(tools[0]!.function.parameters, JSON.parse(call.function.arguments))).toBe(true);
    const stream = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Look it up.' }], tools, tool_choice: { type: 'function', function: { name: 'lookup' } }, stream: true });
    let args = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      args += chunk.choices[0]?.delta.tool_calls?.[0]?.function?.arguments ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(finish).toBe('tool_calls');
    expect(validates(tools[0]!.function.parameters, JSON.parse(args))).toBe(true);
  });

  it('json_schema output validates; json_object needs the word "json" in the messages, as OpenAI requires', async () => {
    const schema = { type: 'object', properties: { label: { type: 'string', enum: ['a', 'b'] }, score: { type: 'number', minimum: 0, maximum: 1 } }, required: ['label', 'score'], additionalProperties: false };
    const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Label it.' }], response_format: { type: 'json_schema', json_schema: { name: 'label', schema, strict: true } } });
    expect(validates(schema, JSON.parse(r.choices[0]!.message.content!))).toBe(true);
    const e = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Label it.' }], response_format: { type: 'json_object' } }).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toMatch(/must contain the word 'json'/);
    const ok = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Answer in JSON.' }], response_format: { type: 'json_object' } });
    expect(typeof JSON.parse(ok.choices[0]!.message.content!)).toBe('object');
  });

  it('a schema no value satisfies gets OpenAI\'s 400 invalid_json_schema, naming the place', async () => {
    const e = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: { name: 'bad', schema: { type: 'object', properties: { s: { type: 'string', minLength: 5, maxLength: 2 } }, required: ['s'], additionalProperties: false } } } }).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.code).toBe('invalid_json_schema');
    expect(e.message).toMatch(/properties\.s/);
  });
});

describe('Anthropic tool use and structured output', () => {
  const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1, maximum: 7 } }, required: ['city', 'days'] } }];

  it('tool_choice any: a tool_use block with stop_reason tool_use; tool_choice tool names it', async () => {
    const m = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Weather?' }], tools, tool_choice: { type: 'any' } });
    expect(m.stop_reason).toBe('tool_use');
    const block = m.content[0] as Anthropic.ToolUseBlock;
    expect(block.type).toBe('tool_use');
    expect(block.id).toMatch(/^toolu_/);
    expect(validates(tools[0]!.input_schema, block.input)).toBe(true);
  });

  it('streams tool input as input_json_delta events that the SDK assembles', async () => {
    const stream = anthropic.messages.stream({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Weather?' }], tools, tool_choice: { type: 'tool', name: 'get_weather' } });
    const deltas: string[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta' && e.delta.type === 'input_json_delta') deltas.push(e.delta.partial_json);
    });
    const final = await stream.finalMessage();
    const block = final.content[0] as Anthropic.ToolUseBlock;
    expect(deltas.length).toBeGreaterThan(1);
    expect(JSON.parse(deltas.join(''))).toEqual(block.input);
    expect(final.stop_reason).toBe('tool_use');
  });

  it('after a tool_result, auto answers in text', async () => {
    const first = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 200, messages: [{ role: 'user', content: 'Weather?' }], tools });
    const use = first.content[0] as Anthropic.ToolUseBlock;
    const next = await anthropic.messages.create({
      model: 'claude-haiku-4-5',
      max_tokens: 200,
      tools,
      messages: [{ role: 'user', content: 'Weather?' }, { role: 'assistant', content: first.content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny' }] }],
    });
    expect(next.content[0]!.type).toBe('text');
    expect(next.stop_reason).not.toBe('tool_use');
  });

  it('output_config.format json_schema: text that is JSON matching the schema; an impossible schema is a 400 invalid_request_error', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['name', 'tags'], additionalProperties: false };
    const r = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 300, messages: [{ role: 'user', content: 'x' }], output_config: { format: { type: 'json_schema', schema } } }) });
    const m = (await r.json()) as Anthropic.Message;
    expect(validates(schema, JSON.parse((m.content[0] as Anthropic.TextBlock).text))).toBe(true);
    const bad = await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 20, messages: [{ role: 'user', content: 'x' }], tools: [{ name: 't', input_schema: { type: 'object', properties: { e: { enum: [] } }, required: ['e'] } }] }).catch((err) => err);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect(bad.error.error.type).toBe('invalid_request_error');
    expect(bad.error.error.message).toMatch(/tools\.0\.custom\.input_schema/);
  });

  it('the raw stream of a tool call starts the block as tool_use and sends input_json_delta', async () => {
    const r = await fetch(`${sim.url}/v1/messages`, { method: 'POST', headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' }, body: JSON.stringify({ model: 'claude-haiku-4-5', max_tokens: 300, stream: true, messages: [{ role: 'user', content: 'x' }], tools, tool_choice: { type: 'any' } }) });
    const events = sseEvents(await r.text());
    expect(events[1]!.data.content_block.type).toBe('tool_use');
    expect(events.filter((e) => e.event === 'content_block_delta').every((e) => e.data.delta.type === 'input_json_delta')).toBe(true);
  });
});

describe('aip serve options', () => {
  it('an unknown --tier is a usage error naming the option and the known tiers, exit 2', async () => {
    const r = await runAip(['serve', '--tier', 'platinum']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tier/);
    expect(r.stderr).toMatch(/no provider has a tier "platinum"/);
    expect(r.stderr).toMatch(/anthropic: start, build, scale/);
    const p = await runAip(['serve', '--tier', 'openai:scale']);
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/openai has no tier "scale"/);
  });

  it('an unknown fault kind lists the new kinds', async () => {
    const r = await runAip(['serve', '--fault', 'nope:0.1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid-json, tool-error, shed/);
  });
});
