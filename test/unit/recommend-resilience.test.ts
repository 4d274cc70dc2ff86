// The resilience plan that comes with a recommendation: numbers from data/thresholds.yaml, worked by hand.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { estimateLatency } from '../../src/core/recommend/latency.js';
import { resiliencePlan } from '../../src/core/recommend/resilience.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function plan(pattern: 'direct' | 'streaming' | 'batch', output: { tokens: number; p95: number | undefined }, spend = 100) {
  const model = catalog.models.find((m) => m.id === 'gpt-4o-mini')!;
  const fallback = catalog.models.find((m) => m.id === 'claude-haiku-4-5')!;
  return resiliencePlan({
    pattern,
    model,
    fallback: pattern === 'direct' ? undefined : fallback,
    suggestedFallback: pattern === 'direct' ? fallback : undefined,
    latency: estimateLatency(model, output, { typicalMinutes: 60, windowHours: 24 }, 2),
    toleranceS: 6 * 3600,
    batchSubmitEveryS: 3 * 3600,
    expectedRetriesPerRequest: 0.03,
    expectedSpendUsdPerMonth: spend,
    thresholds: catalog.thresholds.values,
  });
}

describe('resilience plan', () => {
  it('streaming: timeout from the p95 output at the model speed, idle timeout, the given fallback', () => {
    // (0.45 s + 1,500 tokens / 85 tok/s) × 2 = (0.45 + 17.647) × 2 = 36.19 → 37 s
    const p = plan('streaming', { tokens: 450, p95: 1500 });
    expect(p.timeoutS).toBe(37);
    expect(p.idleTimeoutS).toBe(30);
    expect(p.retry).toMatchObject({ maxRetries: 3, baseS: 1, capS: 30, delaysS: [1, 2, 4], honourRetryAfter: true });
    expect(p.retry.retryOn).toEqual(expect.arrayContaining([429, 500, 503, 529]));
    expect(p.retry.doNotRetry).toEqual(expect.arrayContaining([400, 401]));
    expect(p.circuitBreaker).toEqual({ consecutiveFailures: 5, cooldownS: 30, halfOpenProbes: 1 });
    expect(p.fallback).toMatchObject({ model: 'claude-haiku-4-5', suggested: false });
    expect(p.batch).toBeNull();
  });

  it('direct: no p95 given assumes mean × 2; never below the minimum timeout; a suggested fallback', () => {
    // (0.45 + 8 × 2 / 85) × 2 = (0.45 + 0.188) × 2 = 1.28 s → the 10 s minimum
    const p = plan('direct', { tokens: 8, p95: undefined });
    expect(p.timeoutS).toBe(10);
    expect(p.idleTimeoutS).toBeNull();
    expect(p.fallback).toMatchObject({ model: 'claude-haiku-4-5', suggested: true });
  });

  it('batch: the submission cadence, poll interval, custom_id, a deadline at the tolerance; spend cap 1.5× rounded up', () => {
    // spend $1,234.5 × 1.5 = $1,851.75 → two significant figures, up: $1,900; per day 1,900 / 30 = 63.33 → $64
    const p = plan('batch', { tokens: 300, p95: undefined }, 1234.5);
    expect(p.batch).toEqual({ submitEveryS: 10_800, pollIntervalS: 30, resubmitFailed: true, matchBy: 'custom_id', deadlineS: 21_600 });
    expect(p.spendCapUsdPerMonth).toBe(1900);
    expect(p.spendCapUsdPerDay).toBe(64);
  });
});
