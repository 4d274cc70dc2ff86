// The Vercel AI SDK (ai@6) against aip serve: the default openai() provider (Responses API), openai.chat(),
// @ai-sdk/anthropic and @ai-sdk/google — generateText, streamText, generateObject and a required tool call.
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { generateObject, generateText, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Simulator } from '../../src/provider-sim/index.js';
import { startSim } from '../helpers/sim.js';

let sim: Simulator;
let openai: ReturnType<typeof createOpenAI>;
let anthropic: ReturnType<typeof createAnthropic>;
let google: ReturnType<typeof createGoogleGenerativeAI>;

beforeAll(async () => {
  sim = await startSim();
  openai = createOpenAI({ baseURL: `${sim.url}/v1`, apiKey: 'sk-sim' });
  anthropic = createAnthropic({ baseURL: `${sim.url}/v1`, apiKey: 'sk-ant-sim' });
  google = createGoogleGenerativeAI({ baseURL: `${sim.url}/v1beta`, apiKey: 'sim' });
});
afterAll(() => sim.close());

const recipe = z.object({ name: z.string(), servings: z.number().int().min(1).max(12), steps: z.array(z.string()) });
const weather = tool({ description: 'Weather for a city', inputSchema: z.object({ city: z.string() }) });

// Each provider gets a describe block of its own name; the model is made once the simulator's URL is known.
const models = [
  ['openai() (Responses API)', () => openai('gpt-4o-mini')],
  ['openai.chat()', () => openai.chat('gpt-4o-mini')],
  ['openai.responses()', () => openai.responses('gpt-4o-mini')],
  ['anthropic()', () => anthropic('claude-haiku-4-5')],
  ['anthropic() (json tool: a model without native structured output)', () => anthropic('claude-3-haiku')],
  ['google()', () => google('gemini-2.5-flash')],
] as const;

describe.each(models)('AI SDK %s', (name, make) => {
  const pick = () => [name, make()] as const;

  it('generateText: text, usage and a stop finish reason', async () => {
    const [, model] = pick();
    const r = await generateText({ model, prompt: 'Say something short.', maxRetries: 0, maxOutputTokens: 400 });
    expect(r.text.length).toBeGreaterThan(0);
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.usage.outputTokens).toBeGreaterThan(0);
    expect(['stop', 'length']).toContain(r.finishReason);
  });

  it('streamText: the deltas join to the final text', async () => {
    const [, model] = pick();
    const r = streamText({ model, prompt: 'Tell me a story.', maxRetries: 0, maxOutputTokens: 400 });
    let joined = '';
    for await (const d of r.textStream) joined += d;
    expect(joined).toBe(await r.text);
    expect(joined.length).toBeGreaterThan(0);
    expect((await r.usage).outputTokens).toBeGreaterThan(0);
  });

  it('generateObject: an object that the zod schema accepts', async () => {
    const [, model] = pick();
    const r = await generateObject({ model, schema: recipe, prompt: 'A recipe.', maxRetries: 0 });
    expect(recipe.safeParse(r.object).success).toBe(true);
  });

  it("toolChoice 'required': a tool call whose input the schema accepts", async () => {
    const [, model] = pick();
    const r = await generateText({ model, prompt: 'Weather in Paris?', tools: { weather }, toolChoice: 'required', maxRetries: 0 });
    expect(r.toolCalls).toHaveLength(1);
    expect(r.toolCalls[0]!.toolName).toBe('weather');
    expect(typeof (r.toolCalls[0]!.input as { city: unknown }).city).toBe('string');
    expect(r.finishReason).toBe('tool-calls');
  });
});

describe('AI SDK details', () => {
  it('openai() reports reasoning tokens of a reasoning model', async () => {
    const r = await generateText({ model: openai('o4-mini'), prompt: 'Think.', maxRetries: 0 });
    expect(r.usage.outputTokenDetails?.reasoningTokens ?? r.usage.reasoningTokens).toBeGreaterThan(0);
  });

  it('a tool loop: the model calls the tool, gets its result, then answers in text', async () => {
    const r = await generateText({
      model: openai('gpt-4o-mini'),
      prompt: 'Weather in Paris?',
      tools: { weather: tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, temp: 21 }) }) },
      stopWhen: ({ steps }) => steps.length >= 3,
      maxRetries: 0,
    });
    expect(r.steps[0]!.toolCalls).toHaveLength(1);
    expect(r.text.length).toBeGreaterThan(0);
  });
});
