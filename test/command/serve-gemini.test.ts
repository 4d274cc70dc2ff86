// The Gemini API of aip serve through Google's official @google/genai SDK: generateContent, the SSE
// stream, countTokens, embedContent, Batch Mode (create, get, inline results, cancel, list), structured
// output and function calls, and Gemini's error bodies (404 unknown model, 403 without a key).
import { FunctionCallingConfigMode, GoogleGenAI, Type } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/provider-sim/index.js';
import { fault, sseEvents, startSim, validates, withSim } from '../helpers/sim.js';

let sim: Simulator;
let ai: GoogleGenAI;

beforeAll(async () => {
  sim = await startSim();
  ai = new GoogleGenAI({ apiKey: 'sim-key', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());

describe('models.generateContent', () => {
  it('answers with text, finishReason and usageMetadata (thinking tokens for 2.5 Flash)', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Say something short.' });
    expect(r.text!.length).toBeGreaterThan(0);
    expect(r.candidates![0]!.finishReason).toBe('STOP');
    const u = r.usageMetadata!;
    expect(u.promptTokenCount).toBeGreaterThan(0);
    expect(u.thoughtsTokenCount).toBeGreaterThan(0);
    expect(u.totalTokenCount).toBe(u.promptTokenCount! + u.candidatesTokenCount! + u.thoughtsTokenCount!);
    expect(r.modelVersion).toBe('gemini-2.5-flash');
  });

  it('Flash-Lite does not think; thinkingBudget 0 turns thinking off on Flash', async () => {
    const lite = await ai.models.generateContent({ model: 'gemini-2.5-flash-lite', contents: 'hi' });
    expect(lite.usageMetadata!.thoughtsTokenCount ?? 0).toBe(0);
    const off = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi', config: { thinkingConfig: { thinkingBudget: 0 } } });
    expect(off.usageMetadata!.thoughtsTokenCount ?? 0).toBe(0);
  });

  it('maxOutputTokens cuts the answer with finishReason MAX_TOKENS (thinking counts against it)', async () => {
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash-lite', contents: 'Write at length.', config: { maxOutputTokens: 5 } });
    expect(r.usageMetadata!.candidatesTokenCount).toBeLessThanOrEqual(5);
    expect(r.candidates![0]!.finishReason).toBe('MAX_TOKENS');
  });

  it('streams one chunk per token over SSE; the last chunk has the finish reason and the full usage', async () => {
    const chunks = [];
    for await (const c of await ai.models.generateContentStream({ model: 'gemini-2.5-flash-lite', contents: 'Tell me a story.' })) chunks.push(c);
    const text = chunks.map((c) => c.text ?? '').join('');
    const last = chunks.at(-1)!;
    expect(last.candidates![0]!.finishReason).toBe('STOP');
    expect(chunks.length - 1).toBe(last.usageMetadata!.candidatesTokenCount);
    expect(text.length).toBeGreaterThan(0);
  });

  it('responseSchema (Gemini Type enum) and responseJsonSchema: JSON that validates', async () => {
    const r = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'A recipe.',
      config: { responseMimeType: 'application/json', responseSchema: { type: Type.OBJECT, properties: { name: { type: Type.STRING }, steps: { type: Type.ARRAY, items: { type: Type.STRING } } }, required: ['name', 'steps'] } },
    });
    const value = JSON.parse(r.text!);
    expect(typeof value.name).toBe('string');
    expect(Array.isArray(value.steps)).toBe(true);
    const jsonSchema = { type: 'object', properties: { score: { type: 'number', minimum: 0, maximum: 1 }, label: { enum: ['spam', 'ham'] } }, required: ['score', 'label'], additionalProperties: false };
    const r2 = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'Classify.', config: { responseMimeType: 'application/json', responseJsonSchema: jsonSchema } });
    expect(validates(jsonSchema, JSON.parse(r2.text!))).toBe(true);
  });

  it('function calling mode ANY returns a functionCall whose args validate', async () => {
    const parameters = { type: Type.OBJECT, properties: { city: { type: Type.STRING } }, required: ['city'] };
    const r = await ai.models.generateContent({
      model: 'gemini-2.5-flash',
      contents: 'Weather in Paris?',
      config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parameters }] }], toolConfig: { functionCallingConfig: { mode: FunctionCallingConfigMode.ANY } } },
    });
    const call = r.functionCalls![0]!;
    expect(call.name).toBe('get_weather');
    expect(typeof call.args!.city).toBe('string');
  });

  it('an unknown model is a 404 with Gemini\'s body; a schema no value satisfies is a 400', async () => {
    const e = await ai.models.generateContent({ model: 'gemini-9-ultra', contents: 'x' }).catch((err) => err);
    expect(e.status).toBe(404);
    expect(e.message).toMatch(/models\/gemini-9-ultra is not found for API version v1beta/);
    const raw = await fetch(`${sim.url}/v1beta/models/gemini-9-ultra:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ contents: [{ parts: [{ text: 'x' }] }] }) });
    expect(await raw.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
    const bad = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: 'x', config: { responseMimeType: 'application/json', responseJsonSchema: { type: 'array', minItems: 3, maxItems: 1 } } }).catch((err) => err);
    expect(bad.status).toBe(400);
    expect(bad.message).toMatch(/INVALID_ARGUMENT|minItems/);
  });

  it('takes the API key from x-goog-api-key or ?key=, and answers 403 without one', async () => {
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
    const viaQuery = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent?key=abc`, { method: 'POST', body });
    expect(viaQuery.status).toBe(200);
    const none = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:generateContent`, { method: 'POST', body });
    expect(none.status).toBe(403);
    expect(await none.json()).toMatchObject({ error: { code: 403, status: 'PERMISSION_DENIED' } });
  });

  it('streams with alt=sse: data lines only, each a GenerateContentResponse', async () => {
    const r = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`, { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }], generationConfig: { maxOutputTokens: 40 } }) });
    expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = sseEvents(await r.text());
    expect(events.every((e) => e.event === undefined && Array.isArray(e.data.candidates))).toBe(true);
  });

  it('the malformed fault breaks one chunk of the stream', async () => {
    const r = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse`, { method: 'POST', headers: { 'x-goog-api-key': 'k', ...fault('malformed') }, body: JSON.stringify({ contents: [{ parts: [{ text: 'hi' }] }] }) });
    expect(sseEvents(await r.text()).some((e) => typeof e.data === 'string')).toBe(true);
  });
});

describe('countTokens and embeddings', () => {
  it('countTokens equals the promptTokenCount generateContent bills', async () => {
    const contents = 'Count these words, please.';
    const counted = await ai.models.countTokens({ model: 'gemini-2.5-flash', contents });
    const r = await ai.models.generateContent({ model: 'gemini-2.5-flash', contents });
    expect(counted.totalTokens).toBe(r.usageMetadata!.promptTokenCount);
  });

  it('embedContent returns one unit vector per content, at the requested dimensionality', async () => {
    const r = await ai.models.embedContent({ model: 'gemini-embedding-001', contents: ['alpha', 'beta'], config: { outputDimensionality: 256 } });
    expect(r.embeddings).toHaveLength(2);
    const v = r.embeddings![0]!.values!;
    expect(v).toHaveLength(256);
    expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    const single = await fetch(`${sim.url}/v1beta/models/text-embedding-004:embedContent`, { method: 'POST', headers: { 'x-goog-api-key': 'k' }, body: JSON.stringify({ content: { parts: [{ text: 'alpha' }] } }) });
    expect(((await single.json()) as { embedding: { values: number[] } }).embedding.values).toHaveLength(768);
  });

  it('lists only Gemini models', async () => {
    const names = [];
    for await (const m of await ai.models.list()) names.push(m.name);
    expect(names).toContain('models/gemini-2.5-flash');
    expect(names.some((n) => /gpt|claude/.test(n ?? ''))).toBe(false);
  });
});

describe('Batch Mode (ai.batches)', () => {
  it('creates an inline batch, reports it pending, then succeeded with inline responses joined by key', async () => {
    const job = await ai.batches.create({
      model: 'gemini-2.5-flash',
      src: [
        { contents: [{ role: 'user', parts: [{ text: 'one' }] }], metadata: { key: 'a' } },
        { contents: [{ role: 'user', parts: [{ text: 'two' }] }], metadata: { key: 'b' } },
      ],
      config: { displayName: 'nightly' },
    });
    expect(job.name).toMatch(/^batches\//);
    expect(job.state).toBe('JOB_STATE_PENDING');
    const done = await ai.batches.get({ name: job.name! });
    expect(done.state).toBe('JOB_STATE_SUCCEEDED');
    const responses = done.dest!.inlinedResponses!;
    expect(responses).toHaveLength(2);
    expect(responses.every((r) => (r.response?.candidates?.[0]?.content?.parts?.[0]?.text ?? '').length > 0)).toBe(true);
    expect(responses.map((r) => (r.metadata as { key: string } | undefined)?.key)).toEqual(['a', 'b']);
    const listed = [];
    for await (const b of await ai.batches.list()) listed.push(b.name);
    expect(listed).toContain(job.name);
  });

  it('batch-item-error puts an error in place of a response; cancel moves a running batch to cancelled', async () => {
    await withSim({ latencyScale: 1, batchTurnaround: { medianSeconds: 3600, sigma: 0 } }, async (s) => {
      const g = new GoogleGenAI({ apiKey: 'k', httpOptions: { baseUrl: s.url } });
      const job = await g.batches.create({ model: 'gemini-2.5-flash', src: [{ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }] });
      expect((await g.batches.get({ name: job.name! })).state).toBe('JOB_STATE_RUNNING');
      await g.batches.cancel({ name: job.name! });
      // The cancel settles after 30 s (scaled) in the simulator; the job is cancelling until then, shown as running.
      expect(['JOB_STATE_RUNNING', 'JOB_STATE_CANCELLED']).toContain((await g.batches.get({ name: job.name! })).state);
    });
    const job = await ai.batches.create({ model: 'gemini-2.5-flash', src: [{ contents: [{ role: 'user', parts: [{ text: 'x' }] }] }, { contents: [{ role: 'user', parts: [{ text: 'y' }] }] }], config: { httpOptions: { headers: fault('batch-item-error') } } });
    const done = await ai.batches.get({ name: job.name! });
    expect(done.dest!.inlinedResponses!.every((r) => r.error !== undefined)).toBe(true);
  });
});
