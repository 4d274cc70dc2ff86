// Any body on any route gets an answer in the provider's error format — never a crash, never a 500 from a
// bug of ours (the simulator answers 500 only when a fault asks for it).
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 1 });
});
afterAll(() => sim.close());

const openaiBody = JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 8 });

const ROUTES = ['/v1/chat/completions', '/v1/embeddings', '/v1/batches', '/v1/messages', '/v1/messages/count_tokens', '/v1/messages/batches', '/v1/files'];

// Bodies shaped like real requests with fields of the wrong kind, plus arbitrary JSON.
const fieldValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }));
const messages = fc.array(fc.record({ role: fc.oneof(fc.constantFrom('user', 'assistant', 'system'), fc.string()), content: fieldValue }, { requiredKeys: [] }), { maxLength: 3 });
const requestLike = fc.record(
  {
    model: fc.oneof(fc.constantFrom('gpt-4o-mini', 'claude-haiku-4-5', 'text-embedding-3-small'), fieldValue),
    messages: fc.oneof(messages, fieldValue),
    max_tokens: fc.oneof(fc.integer({ min: -5, max: 300 }), fieldValue),
    stream: fc.oneof(fc.boolean(), fieldValue),
    input: fieldValue,
    requests: fc.oneof(fc.array(fc.record({ custom_id: fieldValue, params: fieldValue }), { maxLength: 2 }), fieldValue),
    input_file_id: fieldValue,
    endpoint: fieldValue,
    completion_window: fieldValue,
  },
  { requiredKeys: [] },
);

describe('the simulator under arbitrary input', () => {
  it('answers every body on every route with a 2xx or 4xx in the provider format', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.oneof(requestLike, fc.jsonValue()), async (route, body) => {
        const r = await fetch(`${sim.url}${route}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
        const text = await r.text();
        expect(r.status, text).toBeLessThan(500);
        if (r.status >= 400) {
          const json = JSON.parse(text);
          if (route.startsWith('/v1/messages')) expect(json).toMatchObject({ type: 'error', error: { type: expect.any(String), message: expect.any(String) } });
          else expect(json.error.message).toEqual(expect.any(String));
        }
      }),
      { numRuns: 150, seed: 20261125 },
    );
  });

  it('answers raw bytes that are not JSON with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES.filter((r) => r !== '/v1/files')), fc.uint8Array({ maxLength: 64 }), async (route, bytes) => {
        const r = await fetch(`${sim.url}${route}`, { method: 'POST', body: Buffer.from(bytes) });
        expect([200, 400]).toContain(r.status);
        await r.arrayBuffer();
      }),
      { numRuns: 60, seed: 7 },
    );
  });
});

// Each abuse from issue 16 answered with the provider's own error body; the server stays up for the next client.
describe('the simulator bounds what one request may ask for', () => {
  const json = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body));
  const openaiChat = (extra: string) => `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],${extra}}`;
  const anthropic = (extra: string) => `{"model":"claude-haiku-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}],${extra}}`;
  const gemini = (gc: string) => `{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{${gc}}}`;
  const GEMINI = '/v1beta/models/gemini-2.5-flash:generateContent';

  it.each([
    ['embeddings dimensions: 100000000 (was: out of heap)', '/v1/embeddings', { model: 'text-embedding-3-small', input: 'hi', dimensions: 100_000_000 }, /dimensions|maximum/],
    ['embeddings with 100,000 inputs (was: 2.5 GB)', '/v1/embeddings', { model: 'text-embedding-3-small', input: Array.from({ length: 100_000 }, () => 'a') }, /maximum length 2048/],
    ['chat n: 1000000', '/v1/chat/completions', openaiChat('"n":1000000'), /n/],
    ['chat n: -1', '/v1/chat/completions', openaiChat('"n":-1'), /n/],
    ['chat temperature: 1e999 (JSON reads it as Infinity)', '/v1/chat/completions', openaiChat('"temperature":1e999'), /temperature/],
    ['chat temperature: 3', '/v1/chat/completions', openaiChat('"temperature":3'), /temperature/],
    ['responses temperature: 1e999', '/v1/responses', '{"model":"gpt-4o-mini","input":"hi","temperature":1e999}', /temperature/],
    ['messages temperature: 1e999', '/v1/messages', anthropic('"temperature":1e999'), /temperature/],
    ['Gemini temperature: 1e999', GEMINI, gemini('"temperature":1e999'), /temperature/],
    ['Gemini candidateCount: 1000000', GEMINI, gemini('"candidateCount":1000000'), /candidate_count/],
  ])('%s: 400 in the provider\'s format', async (_name, route, body, message) => {
    const r = await fetch(`${sim.url}${route}`, { method: 'POST', body: json(body), headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });
    const text = await r.text();
    expect(r.status, text).toBe(400);
    const err = JSON.parse(text) as { type?: string; error: { message: string; type?: string; status?: string } };
    if (route.startsWith('/v1/messages')) expect(err).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    else if (route.startsWith('/v1beta')) expect(err.error).toMatchObject({ status: 'INVALID_ARGUMENT' });
    else expect(err.error.type).toBe('invalid_request_error');
    expect(err.error.message).toMatch(message);
    // Still serving.
    const ok = await fetch(`${sim.url}/v1/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'text-embedding-3-small', input: 'hi', dimensions: 256 }), headers: { 'content-type': 'application/json' } });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { data: Array<{ embedding: number[] }> }).data[0]!.embedding).toHaveLength(256);
  });
});

describe('connections and stored files are bounded', () => {
  it('slow-header and idle connections are cut after the header timeout, freeing every slot for a real client', async () => {
    const small = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 1, maxConnections: 8, headersTimeoutMs: 300 });
    try {
      const { port } = small;
      // All eight slots taken: four send part of their headers and stop, four send nothing at all.
      const sockets = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          new Promise<Socket>((resolve) => {
            const s = connect(port, '127.0.0.1', () => {
              if (i % 2 === 0) s.write('POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
              resolve(s);
            });
            s.on('error', () => undefined);
            s.resume();
          }),
        ),
      );
      // The server ends every one of them (the test's own timeout bounds the wait).
      await Promise.all(sockets.map((s) => (s.closed || s.destroyed ? Promise.resolve() : once(s, 'close'))));
      const r = await fetch(`${small.url}/v1/chat/completions`, { method: 'POST', body: openaiBody, headers: { 'content-type': 'application/json' } });
      expect(r.status).toBe(200);
      await r.text();
    } finally {
      await small.close();
    }
  });

  it('uploaded files are capped in total; deleting one frees its space', async () => {
    const small = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 1, maxStoredBytes: 1000 });
    const upload = async () => {
      const form = new FormData();
      form.append('purpose', 'batch');
      form.append('file', new Blob(['x'.repeat(600)]), 'in.jsonl');
      const r = await fetch(`${small.url}/v1/files`, { method: 'POST', body: form });
      return { status: r.status, body: (await r.json()) as { id?: string; error?: { message: string; type: string } } };
    };
    try {
      const first = await upload();
      expect(first.status).toBe(200);
      const second = await upload();
      expect(second.status).toBe(400);
      expect(second.body.error).toMatchObject({ type: 'invalid_request_error', message: expect.stringMatching(/storage limit/) });
      expect((await fetch(`${small.url}/v1/files/${first.body.id}`, { method: 'DELETE' })).status).toBe(200);
      expect((await upload()).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe('batches are bounded in size', () => {
  it('an OpenAI batch file of more than 50,000 requests is refused at create, in OpenAI\'s format', async () => {
    const line = JSON.stringify({ custom_id: 'x', method: 'POST', url: '/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 } });
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([`${Array.from({ length: 50_001 }, () => line).join('\n')}\n`]), 'big.jsonl');
    const file = (await (await fetch(`${sim.url}/v1/files`, { method: 'POST', body: form })).json()) as { id: string };
    const r = await fetch(`${sim.url}/v1/batches`, { method: 'POST', body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { message: string } }).error.message).toMatch(/at most 50000/);
  });

  it('a Gemini inline batch of more than 100,000 requests is refused, in Gemini\'s format', async () => {
    const requests = Array.from({ length: 100_001 }, () => ({ request: { contents: [{ parts: [{ text: 'hi' }] }] } }));
    const r = await fetch(`${sim.url}/v1beta/models/gemini-2.5-flash:batchGenerateContent`, { method: 'POST', body: JSON.stringify({ batch: { inputConfig: { requests: { requests } } } }), headers: { 'content-type': 'application/json', 'x-goog-api-key': 'k' } });
    expect(r.status).toBe(400);
    expect(((await r.json()) as { error: { status: string; message: string } }).error).toMatchObject({ status: 'INVALID_ARGUMENT', message: expect.stringMatching(/at most 100000/) });
  });
});
