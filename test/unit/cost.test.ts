// The cost model against hand-worked examples (the working is in the comments).
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { cacheWriteCost, monthlyCost } from '../../src/core/recommend/cost/monthly.js';
import { applicableFailures, expectedAttempts, failureOverhead } from '../../src/core/recommend/cost/overhead.js';
import { effectivePrices } from '../../src/core/recommend/cost/prices.js';
import { costWorkload } from '../../src/core/recommend/cost/workload-cost.js';
import { workload } from '../helpers/workloads.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});
const model = (id: string) => catalog.models.find((m) => m.id === id)!;

describe('monthly cost (the formula of docs/spec.md "Arithmetic")', () => {
  it('gpt-4o-mini, 300K requests, 1,200 in (60% cached), 450 out', () => {
    // per request, USD per 1M: 1200×0.4×0.15 = 72; 1200×0.6×0.075 = 54; 450×0.60 = 270 → 396 / 1e6
    // direct = streaming = 300,000 × 0.000396 = $118.80
    // batch (gpt-4o-mini: caching does not stack with batch, cached tokens at batch_input 0.075):
    //   1200×0.4×0.075 = 36; 1200×0.6×0.075 = 54; 450×0.30 = 135 → 225 / 1e6 × 300,000 = $67.50
    const u = { requestsPerMonth: 300_000, inputTokens: 1200, cachedFraction: 0.6, outputTokens: 450 };
    const m = monthlyCost(u, effectivePrices(model('gpt-4o-mini'), undefined, 1200));
    expect(m.direct).toBeCloseTo(118.8, 9);
    expect(m.streaming).toBeCloseTo(118.8, 9);
    expect(m.batch).toBeCloseTo(67.5, 9);
  });

  it('claude-haiku-4-5: batch stacks with caching; cache writes reported separately', () => {
    // 100K requests, 5,000 in (80% cached), 200 out.
    // direct: 5000×0.2×1.00 = 1000; 5000×0.8×0.10 = 400; 200×5.00 = 1000 → 2400/1e6 × 1e5 = $240
    // batch (stacked: batch_cached_input 0.05): 1000×0.50 = 500; 4000×0.05 = 200; 200×2.50 = 500 → $120
    const u = { requestsPerMonth: 100_000, inputTokens: 5000, cachedFraction: 0.8, outputTokens: 200 };
    const p = effectivePrices(model('claude-haiku-4-5'), undefined, 5000);
    const m = monthlyCost(u, p);
    expect(m.direct).toBeCloseTo(240, 9);
    expect(m.batch).toBeCloseTo(120, 9);
    // writes: min(100,000, 2,592,000 s / 300 s = 8,640) = 8,640 writes of 4,000 tokens = 34.56M tokens
    // direct: 34.56 × (1.25 − 0.10) = $39.744; batch: write at 1.25×0.5 = 0.625, minus 0.05 → 34.56 × 0.575 = $19.872
    const w = cacheWriteCost(u, p, 300);
    expect(w.direct).toBeCloseTo(39.744, 9);
    expect(w.batch).toBeCloseTo(19.872, 9);
  });

  it('does not copy the seed table: 1K requests of 1K input tokens on gpt-4o-mini is $0.15, not $2.50', () => {
    // 1,000 × 1,000 tokens = 1M tokens × $0.15 = $0.15 (the seed's $2.50 is gpt-4o's input price)
    const m = monthlyCost({ requestsPerMonth: 1000, inputTokens: 1000, cachedFraction: 0, outputTokens: 0 }, effectivePrices(model('gpt-4o-mini'), undefined, 1000));
    expect(m.direct).toBeCloseTo(0.15, 12);
    expect(m.batch).toBeCloseTo(0.075, 12);
  });

  it('batch can cost more than direct where caching does not stack with batch (gpt-4.1: cached 0.50, batch 1.00)', () => {
    // 1,000 in, 90% cached, 0 out. direct: 100×2.00 + 900×0.50 = 650 per 1e6; batch: 1000×1.00 = 1,000 per 1e6
    const m = monthlyCost({ requestsPerMonth: 1e6, inputTokens: 1000, cachedFraction: 0.9, outputTokens: 0 }, effectivePrices(model('gpt-4.1'), undefined, 1000));
    expect(m.direct).toBeCloseTo(650, 9);
    expect(m.batch).toBeCloseTo(1000, 9);
  });

  it('applies a pricing override over the catalog', () => {
    // input 0.10 instead of 0.15: 1000×0.10 + 100×0.60 = 160 / 1e6 × 10,000 = $1.60
    const p = effectivePrices(model('gpt-4o-mini'), { input: 0.1 }, 1000);
    expect(p.overridden).toEqual(['input']);
    expect(monthlyCost({ requestsPerMonth: 10_000, inputTokens: 1000, cachedFraction: 0, outputTokens: 100 }, p).direct).toBeCloseTo(1.6, 12);
  });

  it('is null for batch where the model has no batch API, and uses the long-context tier above its threshold', () => {
    const m = model('gpt-4o-mini');
    const noBatch = { ...m, batch_api: false, prices: { ...m.prices, batch_input: null, batch_output: null } };
    expect(monthlyCost({ requestsPerMonth: 10, inputTokens: 10, cachedFraction: 0, outputTokens: 10 }, effectivePrices(noBatch, undefined, 10)).batch).toBeNull();
    const long = { ...m, prices: { ...m.prices, long_context: { above_input_tokens: 100_000, input: 0.3, output: 1.2, cached_input: null, cache_write: null, cache_write_1h: null, batch_input: null, batch_output: null, batch_cached_input: null } } };
    // 200,000 input tokens > 100,000: 200,000 × 0.30 = 60,000 / 1e6 = $0.06 per request
    expect(monthlyCost({ requestsPerMonth: 1, inputTokens: 200_000, cachedFraction: 0, outputTokens: 0 }, effectivePrices(long, undefined, 200_000)).direct).toBeCloseTo(0.06, 12);
    expect(effectivePrices(long, undefined, 50_000).longContext).toBe(false);
  });
});

describe('failure and retry overhead', () => {
  it('direct, OpenAI, short unstructured output: only 429, 5xx and content filter apply', () => {
    const modes = applicableFailures(catalog.failureRates, 'direct', { provider: 'openai', outputTokens: 450, structured: false });
    expect(modes.map((m) => m.kind)).toEqual(['rate_limit', 'server_error', 'content_filter']);
    const withTimeouts = applicableFailures(catalog.failureRates, 'direct', { provider: 'anthropic', outputTokens: 2000, structured: true });
    expect(withTimeouts.map((m) => m.kind)).toEqual(['timeout', 'rate_limit', 'server_error', 'overloaded', 'content_filter', 'invalid_format']);
  });

  it('expected attempts with a retry cap', () => {
    // q = 0.5 retried, M = 2 retries: A = 1 + 0.5 + 0.25 = 1.75; success = 1 − 0.5^3 = 0.875
    const e = expectedAttempts([{ kind: 'server_error', probability: 0.5, retried: true, failsRequest: true, billedInput: 0, billedOutput: 0 }], 2);
    expect(e.attempts).toBeCloseTo(1.75, 12);
    expect(e.retries).toBeCloseTo(0.75, 12);
    expect(e.successProbability).toBeCloseTo(0.875, 12);
    expect(e.exhaustedProbability).toBeCloseTo(0.125, 12);
    expect(e.failedAttempts.server_error).toBeCloseTo(0.875, 12); // 0.5 × 1.75
  });

  it('streaming on gpt-4o-mini: dropped streams bill the input and half the output', () => {
    // 100K requests, 1,000 in, 500 out. Request: input 1000×0.15/1e6 = 0.00015, output 500×0.60/1e6 = 0.0003.
    // Modes: stream_drop 0.02 and idle_timeout 0.0075 (billed 1 × input + 0.5 × output = 0.0003 each),
    // rate_limit 0.0005 (not billed), chunk_parse_error 0.003 (recovered in place: no cost).
    // q = 0.028, A = (1 − 0.028^4)/(1 − 0.028); wasted = 0.0275 × A × 0.0003
    // lost = 1 − (1 − 0.028) × A = 0.028^4 → overhead/request = wasted − 0.028^4 × 0.00045
    const A = (1 - 0.028 ** 4) / (1 - 0.028);
    const expected = (0.0275 * A * 0.0003 - 0.028 ** 4 * 0.00045) * 100_000; // ≈ $0.8487
    const modes = applicableFailures(catalog.failureRates, 'streaming', { provider: 'openai', outputTokens: 500, structured: false });
    const o = failureOverhead(modes, 3, { input: 0.00015, output: 0.0003, total: 0.00045 }, { input: 1000, output: 500 });
    expect(o.usd * 100_000).toBeCloseTo(expected, 10);
    expect(o.usd * 100_000).toBeCloseTo(0.8487, 3);
    // tokens billed for nothing: 0.0275 × A × (1000 in, 250 out) per request
    expect(o.wastedTokens.input).toBeCloseTo(0.0275 * A * 1000, 10);
    expect(o.wastedTokens.output).toBeCloseTo(0.0275 * A * 250, 10);
  });

  it('a workload: per-1K cost, overhead per pattern and the fallback taking over', async () => {
    const w = await workload({ model: 'gpt-4o-mini', volume: 100_000, latency: '3s', input: { tokens: 1000 }, output: { tokens: 500 }, fallback: 'claude-haiku-4-5' }, catalog);
    const c = costWorkload(w, catalog);
    // direct: 100K × (1000×0.15 + 500×0.60)/1e6 = 100K × 0.00045 = $45; per 1K requests $0.45
    expect(c.monthly.direct).toBeCloseTo(45, 9);
    expect(c.per1k.direct).toBeCloseTo(0.45, 12);
    expect(c.overhead.streaming).toBeCloseTo(0.8487, 3);
    // fallback haiku: (1000×1 + 500×5)/1e6 = 0.0035 × 100K = $350 if it carried all traffic
    expect(c.fallback?.monthly.direct).toBeCloseTo(350, 9);
    // direct failover: exhausted = q^4 with q = 0.005 + 0.003 = 0.008 → 100K × 0.008^4 × 0.0035
    expect(c.fallback?.failoverUsdPerMonth.direct).toBeCloseTo(100_000 * 0.008 ** 4 * 0.0035, 15);
  });
});

describe('cost model properties', () => {
  const usage = fc.record({
    requestsPerMonth: fc.integer({ min: 1, max: 50_000_000 }),
    inputTokens: fc.integer({ min: 0, max: 200_000 }),
    cachedFraction: fc.double({ min: 0, max: 1, noNaN: true }),
    outputTokens: fc.integer({ min: 0, max: 30_000 }),
  });

  it('is linear in volume, and without caching batch never costs more than direct, for any catalog model', () => {
    fc.assert(
      fc.property(usage, fc.integer({ min: 0, max: 1000 }), (u, i) => {
        const m = catalog.models[i % catalog.models.length]!;
        const p = effectivePrices(m, undefined, u.inputTokens);
        const one = monthlyCost(u, p);
        const two = monthlyCost({ ...u, requestsPerMonth: u.requestsPerMonth * 2 }, p);
        expect(two.direct!).toBeCloseTo(2 * one.direct!, 6);
        expect(one.streaming === null || one.streaming === one.direct).toBe(true);
        const uncached = monthlyCost({ ...u, cachedFraction: 0 }, p);
        if (uncached.batch !== null) expect(uncached.batch).toBeLessThanOrEqual(uncached.direct! + 1e-9);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('attempts: every request ends in success or loss, and retries stay within the cap', () => {
    const mode = fc.record({ probability: fc.double({ min: 0, max: 0.3, noNaN: true }), retried: fc.boolean(), failsRequest: fc.boolean() });
    fc.assert(
      fc.property(fc.array(mode, { maxLength: 5 }), fc.integer({ min: 0, max: 6 }), (modes, maxRetries) => {
        const ms = modes.map((m, i) => ({ ...m, kind: (['timeout', 'rate_limit', 'server_error', 'overloaded', 'content_filter'] as const)[i]!, billedInput: 1, billedOutput: 1 }));
        const total = ms.filter((m) => m.failsRequest).reduce((s, m) => s + m.probability, 0);
        fc.pre(total < 1);
        const e = expectedAttempts(ms, maxRetries);
        expect(e.attempts).toBeGreaterThanOrEqual(1 - 1e-12);
        expect(e.retries).toBeLessThanOrEqual(maxRetries + 1e-12);
        expect(e.successProbability).toBeGreaterThanOrEqual(-1e-12);
        expect(e.successProbability).toBeLessThanOrEqual(1 + 1e-12);
        expect(e.exhaustedProbability).toBeLessThanOrEqual(1 - e.successProbability + 1e-12);
      }),
      { numRuns: 300, seed: 11 },
    );
  });
});
