// The OpenAI Responses API of aip serve through the official openai SDK: plain and streamed responses with
// their typed events, usage with reasoning tokens, service_tier (flex and its shed), stored responses,
// structured output, function calls, mid-stream failure, and batches on /v1/responses.
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/provider-sim/index.js';
import { REASONING_TOKENS_PER_OUTPUT_TOKEN } from '../../src/provider-sim/usage-model.js';
import { fault, sseEvents, startSim, validates } from '../helpers/sim.js';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSim();
  client = new OpenAI({ apiKey: 'sk-sim', baseURL: `${sim.url}/v1`, maxRetries: 0 });
});
afterAll(() => sim.close());

const schema = {
  type: 'object',
  properties: { city: { type: 'string' }, population: { type: 'integer', minimum: 0 }, tags: { type: 'array', items: { type: 'string' } } },
  required: ['city', 'population', 'tags'],
  additionalProperties: false,
};

describe('responses.create', () => {
  it('answers a plain request with output text, usage and service_tier default', async () => {
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'Say something short.', max_output_tokens: 40 });
    expect(r.object).toBe('response');
    expect(r.id).toMatch(/^resp_/);
    expect(['completed', 'incomplete']).toContain(r.status);
    expect(r.output_text.length).toBeGreaterThan(0);
    expect(r.output[0]).toMatchObject({ type: 'message', role: 'assistant' });
    expect(r.usage!.output_tokens).toBeLessThanOrEqual(40);
    expect(r.usage!.total_tokens).toBe(r.usage!.input_tokens + r.usage!.output_tokens);
    // One user message: 3 framing + 1 role + the text's tokens + 3 to prime the reply.
    expect(r.usage!.input_tokens).toBeGreaterThan(7);
    expect(r.service_tier).toBe('default');
  });

  it('streams the typed event sequence, one output_text.delta per token, ending in response.completed', async () => {
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: [{ role: 'user', content: 'Tell me a story.' }], stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 4)).toEqual(['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    expect(types.slice(-4)).toEqual(['response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']);
    const deltas = events.filter((e): e is OpenAI.Responses.ResponseTextDeltaEvent => e.type === 'response.output_text.delta');
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    // Each delta is one token: as many deltas as output tokens (gpt-4o-mini is counted exactly).
    expect(deltas.length).toBe(completed.response.usage!.output_tokens);
    expect(deltas.map((d) => d.delta).join('')).toBe(completed.response.output_text ?? (completed.response.output[0] as any).content[0].text);
    // sequence_number counts every event from 0.
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
  });

  it('the SDK stream helper assembles the final response', async () => {
    const stream = client.responses.stream({ model: 'gpt-4o-mini', input: 'hi', max_output_tokens: 20 });
    const final = await stream.finalResponse();
    expect(final.output_text.length).toBeGreaterThan(0);
  });

  it('a reasoning model reports hidden reasoning tokens at the stated ratio, bills them, and adds a reasoning item', async () => {
    const r = await client.responses.create({ model: 'o4-mini', input: 'Think, then answer.' });
    const reasoning = r.usage!.output_tokens_details.reasoning_tokens;
    const visible = r.usage!.output_tokens - reasoning;
    expect(visible).toBeGreaterThan(0);
    expect(reasoning).toBe(Math.round(visible * REASONING_TOKENS_PER_OUTPUT_TOKEN.medium!));
    expect(r.output[0]!.type).toBe('reasoning');
    const low = await client.responses.create({ model: 'o4-mini', input: 'Think less.', reasoning: { effort: 'low' } });
    expect(low.usage!.output_tokens_details.reasoning_tokens).toBe(Math.round((low.usage!.output_tokens - low.usage!.output_tokens_details.reasoning_tokens) * REASONING_TOKENS_PER_OUTPUT_TOKEN.low!));
  });

  it('echoes service_tier (auto → default) and sheds flex requests with 429 resource_unavailable under the shed fault', async () => {
    for (const [asked, used] of [['auto', 'default'], ['default', 'default'], ['flex', 'flex'], ['priority', 'priority']] as const) {
      const r = await client.responses.create({ model: 'o4-mini', input: 'x', service_tier: asked, max_output_tokens: 64 });
      expect(r.service_tier).toBe(used);
    }
    const e = await client.responses.create({ model: 'o4-mini', input: 'x', service_tier: 'flex' }, { headers: fault('shed') }).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.RateLimitError);
    expect(e.code).toBe('resource_unavailable');
    expect(e.message).toMatch(/Resource Unavailable/);
    // Only flex is shed: the same fault on a default-tier request does nothing.
    const ok = await client.responses.create({ model: 'o4-mini', input: 'x', max_output_tokens: 64 }, { headers: fault('shed') });
    expect(ok.status).not.toBe('failed');
    const bad = await client.responses.create({ model: 'o4-mini', input: 'x', service_tier: 'turbo' as never }).catch((err) => err);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('stores responses for GET and previous_response_id, whose context is billed as input', async () => {
    const first = await client.responses.create({ model: 'gpt-4o-mini', input: 'Remember: blue.', max_output_tokens: 20 });
    const got = await client.responses.retrieve(first.id);
    expect(got.id).toBe(first.id);
    expect(got.usage).toEqual(first.usage);
    const second = await client.responses.create({ model: 'gpt-4o-mini', input: 'Remember: blue.', previous_response_id: first.id, max_output_tokens: 20 });
    expect(second.usage!.input_tokens).toBe(first.usage!.input_tokens * 2 + first.usage!.output_tokens);
    const missing = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', previous_response_id: 'resp_nope' }).catch((err) => err);
    expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
    await client.responses.delete(first.id);
    await expect(client.responses.retrieve(first.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('counts input tokens as responses.create bills them', async () => {
    const params = { model: 'gpt-4o-mini', input: 'Count me, please.', instructions: 'Be terse.' };
    const counted = await client.responses.inputTokens.count(params);
    const r = await client.responses.create({ ...params, max_output_tokens: 16 });
    expect(counted.input_tokens).toBe(r.usage!.input_tokens);
  });
});

describe('structured output and function calls', () => {
  it('text.format json_schema: the output is JSON that validates against the schema', async () => {
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'A city, please.', text: { format: { type: 'json_schema', name: 'city', schema, strict: true } } });
    expect(validates(schema, JSON.parse(r.output_text))).toBe(true);
  });

  it('a strict schema that breaks OpenAI strict-mode rules, and one no value satisfies, get OpenAI 400 bodies', async () => {
    const loose = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    const e = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', text: { format: { type: 'json_schema', name: 'loose', schema: loose, strict: true } } }).catch((err) => err);
    expect(e).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e.message).toMatch(/Invalid schema for response_format 'loose'.*'additionalProperties' is required to be supplied and to be false/);
    const impossible = { type: 'object', properties: { n: { type: 'integer', minimum: 5, maximum: 2 } }, required: ['n'], additionalProperties: false };
    const e2 = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', text: { format: { type: 'json_schema', name: 'impossible', schema: impossible, strict: true } } }).catch((err) => err);
    expect(e2).toBeInstanceOf(OpenAI.BadRequestError);
    expect(e2.code).toBe('invalid_json_schema');
    expect(e2.param).toBe('text.format.schema');
  });

  it('tool_choice required: a function_call item whose arguments validate against the parameters', async () => {
    const tools = [{ type: 'function' as const, name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false }, strict: true }];
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'Weather in Paris?', tools, tool_choice: 'required' });
    const call = r.output.find((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall;
    expect(call.name).toBe('get_weather');
    expect(call.call_id).toMatch(/^call_/);
    expect(validates(tools[0]!.parameters, JSON.parse(call.arguments))).toBe(true);
    // After the tool's output, "auto" answers in text.
    const next = await client.responses.create({ model: 'gpt-4o-mini', tools, input: [{ role: 'user', content: 'Weather in Paris?' }, call, { type: 'function_call_output', call_id: call.call_id, output: '{"temp":21}' }] });
    expect(next.output_text.length).toBeGreaterThan(0);
  });

  it('streams a function call as output_item.added, arguments deltas, arguments.done', async () => {
    const r = await fetch(`${sim.url}/v1/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sk' },
      body: JSON.stringify({ model: 'gpt-4o-mini', stream: true, input: 'x', tool_choice: 'required', tools: [{ type: 'function', name: 'f', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } }] }),
    });
    const events = sseEvents(await r.text());
    const types = events.map((e) => e.event);
    expect(types).toContain('response.function_call_arguments.delta');
    const done = events.find((e) => e.event === 'response.function_call_arguments.done')!.data;
    const deltas = events.filter((e) => e.event === 'response.function_call_arguments.delta').map((e) => e.data.delta).join('');
    expect(deltas).toBe(done.arguments);
    expect(JSON.parse(done.arguments)).toHaveProperty('q');
    expect(events.every((e) => e.event === e.data.type)).toBe(true);
  });

  it('invalid-json and tool-error faults break the output: cut JSON or a missing required field', async () => {
    const broken = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', text: { format: { type: 'json_schema', name: 'city', schema, strict: true } } }, { headers: fault('invalid-json') });
    let ok: boolean;
    try {
      ok = validates(schema, JSON.parse(broken.output_text));
    } catch {
      ok = false;
    }
    expect(ok).toBe(false);
    const tools = [{ type: 'function' as const, name: 'f', parameters: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'], additionalProperties: false }, strict: true }];
    const call = (await client.responses.create({ model: 'gpt-4o-mini', input: 'x', tools, tool_choice: 'required' }, { headers: fault('tool-error') })).output[0] as OpenAI.Responses.ResponseFunctionToolCall;
    let args: unknown;
    try {
      args = JSON.parse(call.arguments);
    } catch {
      args = undefined;
    }
    expect(args !== undefined && validates(tools[0]!.parameters, args)).toBe(false);
  });
});

describe('failures in a stream', () => {
  it('a 500 after the stream began ends it with response.failed, as the real API does', async () => {
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'x', stream: true }, { headers: fault('500') });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    expect(events.map((e) => e.type)).toEqual(['response.created', 'response.in_progress', 'response.failed']);
    const failed = events[2] as OpenAI.Responses.ResponseFailedEvent;
    expect(failed.response.status).toBe('failed');
    expect(failed.response.error).toMatchObject({ code: 'server_error' });
  });

  it('max_output_tokens cuts the answer: status incomplete, reason max_output_tokens, event response.incomplete', async () => {
    const r = await client.responses.create({ model: 'gpt-4o-mini', input: 'Write at length.', max_output_tokens: 16 });
    if (r.status === 'incomplete') expect(r.incomplete_details).toEqual({ reason: 'max_output_tokens' });
    expect(r.usage!.output_tokens).toBeLessThanOrEqual(16);
  });
});

describe('batches on /v1/responses', () => {
  it('runs each line as a response and returns response objects in the output file', async () => {
    const lines = ['a', 'b', 'c'].map((id) => JSON.stringify({ custom_id: id, method: 'POST', url: '/v1/responses', body: { model: 'o4-mini', input: `Line ${id}`, max_output_tokens: 200 } }));
    const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n')), 'in.jsonl'), purpose: 'batch' });
    const b = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/responses', completion_window: '24h' });
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('completed');
    expect(done.endpoint).toBe('/v1/responses');
    const out = (await (await client.files.content(done.output_file_id!)).text()).trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id).sort()).toEqual(['a', 'b', 'c']);
    expect(out.every((l) => l.response.body.object === 'response')).toBe(true);
    const reasoning = out.reduce((a, l) => a + l.response.body.usage.output_tokens_details.reasoning_tokens, 0);
    expect(reasoning).toBeGreaterThan(0);
    expect(done.usage!.output_tokens_details.reasoning_tokens).toBe(reasoning);
  });
});
