// The resilient client against the real simulator (in-process, loopback): each failure class, retry-after,
// the breaker opening and closing, fallback, partial streams, timeouts, both wire protocols, and batches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { runBatch } from '../../src/client/batch.js';
import { Http } from '../../src/client/http.js';
import { logLine } from '../../src/client/log.js';
import { anthropicAdapter, anthropicHeaders } from '../../src/client/providers/anthropic.js';
import { openaiAdapter } from '../../src/client/providers/openai.js';
import type { ChatRequest, ProviderAdapter } from '../../src/client/providers/types.js';
import { ResilientClient, type ResilientClientOptions } from '../../src/client/resilient.js';
import { seededRandom } from '../../src/core/random.js';
import { startSimulator, type Simulator } from '../../src/provider-sim/index.js';

const SCALE = 0.01;
let sim: Simulator;
let simWithItemErrors: Simulator;
let openaiHttp: Http;
let anthropicHttp: Http;

beforeAll(async () => {
  const catalog = await loadCatalog();
  // Batches: 20 s median × 0.01 = about 0.2 s.
  const batchTurnaround = { medianSeconds: 20, sigma: 0.1, validatingSeconds: 2, finalizingSeconds: 2, cancelSeconds: 2 };
  sim = await startSimulator({ catalog, latencyScale: SCALE, seed: 3, batchTurnaround });
  simWithItemErrors = await startSimulator({ catalog, latencyScale: SCALE, seed: 4, faults: { 'batch-item-error': 0.5 }, batchTurnaround });
  openaiHttp = new Http(`${sim.url}/v1`, { connections: 8 });
  anthropicHttp = new Http(sim.url, { connections: 8, headers: anthropicHeaders('sim-key') });
  // The simulator builds a model's tokenizer on its first request (seconds): do it before any timed attempt.
  for (const s of [sim, simWithItemErrors]) {
    const http = new Http(`${s.url}/v1`, { connections: 1 });
    for (const model of ['gpt-4o-mini', 'claude-haiku-4-5']) {
      await http.sendText({ method: 'POST', path: '/chat/completions', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 1 }) });
    }
    await http.close();
  }
});

afterAll(async () => {
  await openaiHttp.close();
  await anthropicHttp.close();
  await sim.close();
  await simWithItemErrors.close();
});

let n = 0;
const request = (model = 'gpt-4o-mini', maxTokens = 20): ChatRequest => ({ customId: `t-${++n}`, model, prompt: 'Say something short.', maxTokens });

function client(overrides: Partial<ResilientClientOptions> & { fault?: (req: ChatRequest, attempt: number) => string | undefined } = {}) {
  const rng = seededRandom(9);
  const attempts = new Map<string, number>();
  const { fault, ...rest } = overrides;
  return new ResilientClient({
    adapter: openaiAdapter,
    http: openaiHttp,
    retry: { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 40, maxRetryAfterMs: 60_000 },
    breaker: { failureThreshold: 5, cooldownMs: 10_000 },
    timeouts: { requestMs: () => 5000, idleMs: 5000 },
    random: () => rng.uniform(),
    headers: (req) => {
      const k = attempts.get(req.customId + req.model) ?? 0;
      attempts.set(req.customId + req.model, k + 1);
      const f = fault?.(req, k);
      return f ? { 'x-aip-fault': f } : undefined;
    },
    ...rest,
  });
}

describe('each failure class is seen, classified and retried (or not)', () => {
  it.each([
    ['429', 'direct', '429'],
    ['500', 'direct', '500'],
    ['503', 'streaming', '503'],
    // OpenAI has no 529: the simulator answers its overload as OpenAI does, with 503
    ['529', 'direct', '503'],
    ['timeout', 'direct', 'timeout'],
    ['drop', 'direct', 'connection'],
    ['drop', 'streaming', 'stream_drop'],
    ['stall', 'streaming', 'idle_timeout'],
    ['malformed', 'direct', 'malformed'],
    ['malformed', 'streaming', 'malformed'],
  ] as const)('fault %s on %s → one failed attempt of class %s, then a successful retry', async (fault, kind, cls) => {
    const c = client({ fault: (_r, attempt) => (attempt === 0 ? fault : undefined), timeouts: { requestMs: () => 400, idleMs: 150 } });
    const o = await c.call(kind, request());
    expect(o.ok).toBe(true);
    expect(o.attempts.map((a) => a.class ?? 'ok')).toEqual([cls, 'ok']);
    expect(o.retries).toBe(1);
    expect(o.usage?.outputTokens).toBeGreaterThan(0);
  });

  it('waits what the 429 asks (retry-after-ms, scaled like every simulator delay)', async () => {
    const c = client({ fault: (_r, attempt) => (attempt === 0 ? '429' : undefined) });
    const o = await c.call('direct', request());
    // 1 s × latency scale 0.01 = 10 ms
    expect(o.attempts[0]!.backoffMs).toBe(10);
  });

  it('never retries a 400 (our mistake: the same request fails the same way)', async () => {
    const c = client();
    const o = await c.call('direct', { ...request(), maxTokens: 0 });
    expect(o.ok).toBe(false);
    expect(o.failure?.class).toBe('400');
    expect(o.attempts).toHaveLength(1);
    expect(o.retries).toBe(0);
  });

  it('gives up after the retry budget and reports the last class', async () => {
    const c = client({ fault: () => '500' });
    const o = await c.call('direct', request());
    expect(o.ok).toBe(false);
    expect(o.attempts.map((a) => a.class)).toEqual(['500', '500', '500', '500']);
    expect(o.retries).toBe(3);
  });
});

describe('partial streams', () => {
  it('keeps what a broken stream delivered and marks it partial', async () => {
    const c = client({ fault: () => 'drop', retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 } });
    const req = request('gpt-4o-mini', 40);
    const o = await c.call('streaming', req);
    expect(o.ok).toBe(false);
    expect(o.failure?.class).toBe('stream_drop');
    expect(o.partial?.contentEvents).toBeGreaterThan(0);
    expect(o.partial?.text.length).toBeGreaterThan(0);
    const line = logLine(o, req, new Date('2026-11-25T12:00:00Z'), { includeContent: false });
    expect(line.partial).toBe(true);
    expect(line.status).toBe('failed');
    // Prompt and answer text stay out of the log unless asked for.
    expect(JSON.stringify(line)).not.toContain('Say something short');
    expect(logLine(o, req, new Date(), { includeContent: true }).prompt).toBe('Say something short.');
  });
});

describe('circuit breaker', () => {
  it('opens after consecutive faults (failing fast, nothing sent), then a probe after the cool-down closes it', async () => {
    let t = 0;
    let failing = true;
    const c = client({
      clock: () => t,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxRetryAfterMs: 1 },
      breaker: { failureThreshold: 2, cooldownMs: 1000 },
      fault: () => (failing ? '500' : undefined),
    });
    expect((await c.call('direct', request())).failure?.class).toBe('500');
    expect((await c.call('direct', request())).failure?.class).toBe('500');
    expect(c.breakerFor('gpt-4o-mini').state).toBe('open');
    const before = sim.stats().requests;
    const held = await c.call('direct', request());
    expect(held.failure?.class).toBe('breaker_open');
    expect(held.attempts[0]!.sent).toBe(false);
    expect(sim.stats().requests).toBe(before); // failing fast: nothing reached the server
    failing = false;
    t = 1000;
    const probe = await c.call('direct', request());
    expect(probe.ok).toBe(true);
    expect(c.breakerFor('gpt-4o-mini').transitions.map((x) => x.to)).toEqual(['open', 'half-open', 'closed']);
  });
});

describe('fallback model', () => {
  it('routes to the fallback when the primary keeps failing', async () => {
    const c = client({ fallbackModel: 'claude-haiku-4-5', adapter: openaiAdapter, fault: (req) => (req.model === 'gpt-4o-mini' ? '503' : undefined) });
    const o = await c.call('direct', request());
    expect(o.ok).toBe(true);
    expect(o.fellBack).toBe(true);
    expect(o.model).toBe('claude-haiku-4-5');
    expect(o.attempts.map((a) => `${a.model}:${a.class ?? 'ok'}`)).toEqual(['gpt-4o-mini:503', 'gpt-4o-mini:503', 'gpt-4o-mini:503', 'gpt-4o-mini:503', 'claude-haiku-4-5:ok']);
  });
});

describe('the Anthropic protocol', () => {
  const anthropic = (fault?: (req: ChatRequest, attempt: number) => string | undefined) =>
    client({ adapter: anthropicAdapter as ProviderAdapter, http: anthropicHttp, ...(fault ? { fault } : {}) });

  it('plain and streamed messages with usage', async () => {
    for (const kind of ['direct', 'streaming'] as const) {
      const o = await anthropic().call(kind, request('claude-haiku-4-5', 30));
      expect(o.ok).toBe(true);
      expect(o.usage!.inputTokens).toBeGreaterThan(0);
      expect(o.usage!.outputTokens).toBeGreaterThan(0);
      expect(o.result!.text.length).toBeGreaterThan(0);
      if (kind === 'streaming') expect(o.ttftMs).toBeLessThanOrEqual(o.latencyMs);
    }
  });

  it('529 overloaded is retried', async () => {
    const o = await anthropic((_r, a) => (a === 0 ? '529' : undefined)).call('streaming', request('claude-haiku-4-5'));
    expect(o.attempts.map((a) => a.class ?? 'ok')).toEqual(['529', 'ok']);
  });
});

describe('batches', () => {
  const options = (adapter: ProviderAdapter, http: Http) => {
    const rng = seededRandom(5);
    return { adapter, http, retry: { maxRetries: 2, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 1000 }, random: () => rng.uniform(), pollMs: 20, maxPollMs: 60 };
  };

  it.each([
    ['openai', 'gpt-4o-mini'],
    ['anthropic', 'claude-haiku-4-5'],
  ] as const)('%s: upload, create, poll, fetch, every result matched to its request by custom_id', async (provider, model) => {
    const http = provider === 'openai' ? openaiHttp : anthropicHttp;
    const adapter = provider === 'openai' ? openaiAdapter : anthropicAdapter;
    const items = Array.from({ length: 6 }, (_, i) => ({ ...request(model, 10 + i), customId: `${provider}-item-${i}` }));
    const run = await runBatch(items, options(adapter, http));
    expect(run.batchId).toBeTruthy();
    expect(run.status).toBe(provider === 'openai' ? 'completed' : 'ended');
    expect([...run.items.keys()].sort()).toEqual(items.map((i) => i.customId).sort());
    for (const it of items) {
      const r = run.items.get(it.customId)!;
      expect(r.ok).toBe(true);
      // Matched by id, not by order: each answer respects its own request's output cap.
      if (r.ok) expect(r.result.usage!.outputTokens).toBeLessThanOrEqual(it.maxTokens);
    }
    expect(run.turnaroundMs).toBeGreaterThan(0);
  });

  it('counts per-item failures: as many as the simulator injected', async () => {
    const http = new Http(`${simWithItemErrors.url}/v1`, { connections: 2 });
    const items = Array.from({ length: 10 }, (_, i) => ({ ...request(), customId: `e-${i}` }));
    const run = await runBatch(items, options(openaiAdapter, http));
    await http.close();
    const failed = [...run.items.values()].filter((r) => !r.ok);
    expect(failed.length).toBe(simWithItemErrors.stats().faults['batch-item-error']);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => !r.ok && r.failure.class === 'batch_item_error')).toBe(true);
  });

  it('an interrupt after submit reports the batch id and never submits it again', async () => {
    const controller = new AbortController();
    const items = [{ ...request(), customId: 'once-0' }];
    const listBatches = async () => JSON.parse((await openaiHttp.sendText({ method: 'GET', path: '/batches?limit=100' })).text).data as Array<{ id: string }>;
    const count0 = (await listBatches()).length;
    const run = await runBatch(items, { ...options(openaiAdapter, openaiHttp), signal: controller.signal, onSubmitted: () => controller.abort() });
    expect(run.interrupted).toBe(true);
    expect(run.batchId).toMatch(/^batch_/);
    const after = await listBatches();
    expect(after.length).toBe(count0 + 1);
    await openaiAdapter.cancelBatch(openaiHttp, run.batchId!);
  });
});
