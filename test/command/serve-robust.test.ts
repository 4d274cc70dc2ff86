// Any body on any route gets an answer in the provider's error format — never a crash, never a 500 from a
// bug of ours (the simulator answers 500 only when a fault asks for it).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog: await loadCatalog(), latencyScale: 0, seed: 1 });
});
afterAll(() => sim.close());

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
