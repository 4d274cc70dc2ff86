// LangChain's chat models against aip serve: ChatOpenAI on chat completions and on the Responses API
// (useResponsesApi), ChatAnthropic, and ChatGoogleGenerativeAI (@langchain/google-genai, Node 20) —
// invoke, stream, withStructuredOutput and a required tool call.
import { ChatAnthropic } from '@langchain/anthropic';
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatGoogleGenerativeAI } from '@langchain/google-genai';
import { ChatOpenAI } from '@langchain/openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Simulator } from '../../src/provider-sim/index.js';
import { startSim } from '../helpers/sim.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSim();
});
afterAll(() => sim.close());

const clients: Array<[string, () => BaseChatModel]> = [
  ['ChatOpenAI (chat completions)', () => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-sim', maxRetries: 0, configuration: { baseURL: `${sim.url}/v1` } })],
  ['ChatOpenAI (useResponsesApi)', () => new ChatOpenAI({ model: 'gpt-4o-mini', apiKey: 'sk-sim', maxRetries: 0, useResponsesApi: true, configuration: { baseURL: `${sim.url}/v1` } })],
  ['ChatAnthropic', () => new ChatAnthropic({ model: 'claude-haiku-4-5', apiKey: 'sk-ant-sim', maxRetries: 0, maxTokens: 400, anthropicApiUrl: sim.url })],
  ['ChatGoogleGenerativeAI', () => new ChatGoogleGenerativeAI({ model: 'gemini-2.5-flash', apiKey: 'sim', maxRetries: 0, baseUrl: sim.url })],
];

const city = z.object({ city: z.string(), population: z.number().int() });
const weather = { name: 'get_weather', description: 'Weather for a city', schema: z.object({ city: z.string() }) };

describe.each(clients)('%s', (_name, make) => {
  it('invoke: an AI message with text and usage metadata', async () => {
    const m = await make().invoke('Say something short.');
    expect(typeof m.content === 'string' ? m.content : m.text).not.toBe('');
    expect(m.usage_metadata?.input_tokens).toBeGreaterThan(0);
    expect(m.usage_metadata?.output_tokens).toBeGreaterThan(0);
  });

  it('stream: chunks that join to text', async () => {
    let text = '';
    let chunks = 0;
    for await (const c of await make().stream('Tell me a story.')) {
      text += typeof c.content === 'string' ? c.content : c.text;
      chunks++;
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
  });

  it('withStructuredOutput: an object the zod schema accepts', async () => {
    const r = await make().withStructuredOutput(city).invoke('A city, please.');
    expect(city.safeParse(r).success).toBe(true);
  });

  it('bindTools with a required tool: a tool call with its arguments', async () => {
    const model = make() as unknown as { bindTools: (tools: unknown[], opts: unknown) => BaseChatModel };
    const m = await model.bindTools([weather], { tool_choice: 'any' }).invoke('Weather in Paris?');
    expect(m.tool_calls).toHaveLength(1);
    expect(m.tool_calls![0]!.name).toBe('get_weather');
    expect(typeof m.tool_calls![0]!.args.city).toBe('string');
  });
});
