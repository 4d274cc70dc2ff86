// The prices of the assembled catalog in every corner, hand-worked: batch × cache stacking per provider and
// family, the long-context tiers (200k, 272k) complete, a pricing override deriving what it does not give by
// the provider's own ratios, and the cache-write price of the chosen TTL.
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { findModel } from '../../src/core/catalog/models.js';
import { effectivePrices } from '../../src/core/recommend/cost/prices.js';
import { cacheWriteCost, monthlyCost } from '../../src/core/recommend/cost/monthly.js';
import type { Model } from '../../src/core/catalog/schema.js';

const catalog = await loadCatalog();
const model = (name: string): Model => {
  const m = findModel(catalog, name);
  if (!m) throw new Error(`${name} missing`);
  return m;
};
const usage = (requestsPerMonth: number, inputTokens: number, cachedFraction: number, outputTokens: number) => ({ requestsPerMonth, inputTokens, cachedFraction, outputTokens });

describe('batch × cache stacking, per provider and family', () => {
  it('OpenAI GPT-5 family: the batch price of cached input is 50% of the cached price (gpt-5: $0.625 / $0.0625 / $5.00)', () => {
    const p = effectivePrices(model('gpt-5'), undefined, 1000);
    expect([p.batchInput, p.batchCachedInput, p.batchOutput]).toEqual([0.625, 0.0625, 5]);
    for (const id of ['gpt-5-mini', 'gpt-5-nano', 'gpt-5.4', 'gpt-5.5', 'gpt-5.4-mini']) {
      const m = model(id).prices;
      expect(m.batch_cached_input, id).toBeCloseTo(m.cached_input! / 2, 12);
    }
  });

  it('gpt-5.4-mini overnight, 80% cached: batch $1,755 a month, not $3,375 (cached tokens at the full batch input price)', () => {
    // 1M requests × 6,000 input (80% cached) + 500 output. Batch: 1,200 × $0.375 + 4,800 × $0.0375 + 500 × $2.25
    // = 450 + 180 + 1,125 = 1,755 per 1e6 per request → $1,755. Direct: 1,200 × 0.75 + 4,800 × 0.075 + 500 × 4.5 = 3,510.
    const m = monthlyCost(usage(1_000_000, 6000, 0.8, 500), effectivePrices(model('gpt-5.4-mini'), undefined, 6000));
    expect(m.batch).toBeCloseTo(1755, 6);
    expect(m.direct).toBeCloseTo(3510, 6);
  });

  it('older OpenAI models do not stack: cached tokens pay the batch input price (gpt-4.1)', () => {
    const p = effectivePrices(model('gpt-4.1'), undefined, 1000);
    expect(p.batchCachedInput).toBe(p.batchInput);
  });

  it('Anthropic halves cached input and cache writes in a batch; Gemini keeps its cache price', () => {
    expect(effectivePrices(model('claude-haiku-4-5'), undefined, 1000)).toMatchObject({ batchInput: 0.5, batchCachedInput: 0.05, batchOutput: 2.5 });
    expect(effectivePrices(model('gemini-2.5-flash'), undefined, 1000)).toMatchObject({ batchInput: 0.15, batchCachedInput: 0.03 });
  });

  it('providers without a published batch price have none (xAI, OpenRouter), never a borrowed one', () => {
    for (const name of ['xai/grok-4.3', 'openrouter/openai/gpt-4o']) {
      const m = model(name);
      expect(m.batch_api, name).toBe(false);
      expect(monthlyCost(usage(10, 10, 0, 10), effectivePrices(m, undefined, 10)).batch, name).toBeNull();
    }
  });
});

describe('long-context tiers, complete', () => {
  it('gpt-5.4 above 272k input: input and cached ×2, output ×1.5, batch and batch cached by the same rules', () => {
    expect(model('gpt-5.4').prices.long_context).toMatchObject({ above_input_tokens: 271999, input: 5, cached_input: 0.5, output: 22.5, batch_input: 2.5, batch_output: 11.25, batch_cached_input: 0.25 });
  });

  it('the 400k-token gpt-5.4 workload costs $20,450 a month, not $10,300', () => {
    // 10,000 requests × (400,000 × $5 + 2,000 × $22.50) / 1e6 = 10,000 × 2.045 = $20,450. Without the tier:
    // 10,000 × (400,000 × $2.50 + 2,000 × $15) / 1e6 = $10,300.
    const p = effectivePrices(model('gpt-5.4'), undefined, 400_000);
    expect(p.longContext).toBe(true);
    expect(monthlyCost(usage(10_000, 400_000, 0, 2000), p).direct).toBeCloseTo(20_450, 6);
    expect(monthlyCost(usage(10_000, 200_000, 0, 2000), effectivePrices(model('gpt-5.4'), undefined, 200_000)).direct).toBeCloseTo(10_000 * (0.5 + 0.03), 6);
  });

  it('gemini-2.5-pro above 200k: batch cached is $0.25 (the tier\'s cache price, unchanged in batch), not $0.125', () => {
    const p = effectivePrices(model('gemini-2.5-pro'), undefined, 250_000);
    expect(p).toMatchObject({ input: 2.5, cachedInput: 0.25, output: 15, batchInput: 1.25, batchOutput: 7.5, batchCachedInput: 0.25 });
    // 1,000 × (125,000 × 1.25 + 125,000 × 0.25 + 1,000 × 7.5) / 1e6 = 1,000 × 0.195 = $195.
    expect(monthlyCost(usage(1000, 250_000, 0.5, 1000), p).batch).toBeCloseTo(195, 9);
  });

  it('Claude Sonnet 4.5\'s >200k tier has its cache writes (5 m and 1 h) and batch cached price', () => {
    expect(model('claude-sonnet-4-5').prices.long_context).toMatchObject({ above_input_tokens: 200000, input: 6, output: 22.5, cached_input: 0.6, cache_write: 7.5, cache_write_1h: 12, batch_input: 3, batch_output: 11.25, batch_cached_input: 0.3 });
    expect(effectivePrices(model('claude-sonnet-4-5'), undefined, 300_000, '1h').cacheWrite).toBe(12);
  });
});

describe('a pricing override derives what it does not give, by the provider\'s own ratios', () => {
  it('a cached price below the catalog\'s carries into batch (Anthropic halves it): a cached batch token is never dearer than a direct one', () => {
    const p = effectivePrices(model('claude-haiku-4-5'), { cached_input: 0.04 }, 1000);
    expect(p.cachedInput).toBe(0.04);
    expect(p.batchCachedInput).toBeCloseTo(0.02, 12);
    expect(p.derived).toEqual(['batch_cached_input']);
  });

  it('a negotiated input price scales batch (not the cached price it says nothing of); the long-context tier follows the override', () => {
    const p = effectivePrices(model('claude-haiku-4-5'), { input: 0.8, output: 4 }, 1000);
    expect(p).toMatchObject({ input: 0.8, cachedInput: 0.1, cacheWrite: 1.25, batchInput: 0.4, batchOutput: 2, batchCachedInput: 0.05 });
    expect(p.derived).toEqual(['batch_input', 'batch_output']);
    // A self-hosted price below the catalog's cached price: a cached token never costs more than an uncached one.
    expect(effectivePrices(model('gpt-4o-mini'), { input: 0.05 }, 1000)).toMatchObject({ cachedInput: 0.05, batchInput: 0.025, batchCachedInput: 0.025 });
    // gpt-5.4 at a negotiated $2.00 input: above 272k the tier doubles it ($4.00), as it doubles the list price.
    const long = effectivePrices(model('gpt-5.4'), { input: 2 }, 300_000);
    expect(long.input).toBeCloseTo(4, 12);
    expect(long.batchInput).toBeCloseTo(2, 12);
  });

  it('a field the override gives is kept as given', () => {
    const p = effectivePrices(model('gpt-4o-mini'), { input: 0.1, batch_input: 0.07 }, 1000);
    expect(p.batchInput).toBe(0.07);
    expect(p.derived).not.toContain('batch_input');
  });
});

describe('the cache TTL is the workload\'s choice', () => {
  it('Anthropic 1-hour TTL: the 1-hour write price, and writes at most once an hour', () => {
    const m = model('claude-haiku-4-5');
    const five = effectivePrices(m, undefined, 10_000, '5m');
    const hour = effectivePrices(m, undefined, 10_000, '1h');
    expect([five.cacheWrite, hour.cacheWrite]).toEqual([1.25, 2]);
    // 100,000 requests, 10,000 input of which 50% cached: a 5,000-token prefix.
    // 1 h: writes = min(100,000, 2,592,000 / 3,600 = 720) = 720; each adds (2.00 − 0.10) × 5,000 / 1e6 = $0.0095 → $6.84.
    // 5 m: writes = min(100,000, 8,640) = 8,640 × (1.25 − 0.10) × 5,000 / 1e6 = $49.68.
    const u = usage(100_000, 10_000, 0.5, 100);
    expect(cacheWriteCost(u, hour, 3600).direct).toBeCloseTo(6.84, 9);
    expect(cacheWriteCost(u, five, 300).direct).toBeCloseTo(49.68, 9);
  });
});
