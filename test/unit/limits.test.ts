// Rate-limit headroom, Little's law, batches per window and the context window, against hand-worked sums.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { checkLimits, peakRequestsPerMinute, type LimitsInput } from '../../src/core/recommend/limits.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

function check(over: Partial<LimitsInput> & { modelId?: string }) {
  const model = catalog.models.find((m) => m.id === (over.modelId ?? 'gpt-4o-mini'))!;
  return checkLimits({ catalog, model, tier: '4', requestsPerMonth: 300_000, peakFactor: 3, inputTokens: 1200, cachedFraction: 0.6, outputTokens: 450, outputP95: undefined, latencyS: 5.744, batchSubmitEveryS: 3600, batchTypicalTurnaroundS: 3600, ...over });
}

describe('limits', () => {
  it('docs/spec.md example: support-chat at OpenAI tier 4', () => {
    // peak RPM = 300,000 / 43,200 × 3 = 20.833; peak TPM = 20.833 × (1,200 + 450) = 34,375
    // concurrency = 20.833 / 60 × 5.744 s = 1.9944
    const l = check({});
    expect(peakRequestsPerMinute(300_000, 3)).toBeCloseTo(20.8333, 4);
    expect(l.peakRpm).toBeCloseTo(20.8333, 4);
    expect(l.peakTpm).toBeCloseTo(34_375, 6);
    expect(l.concurrency).toBeCloseTo(1.99444, 4);
    expect(l.limits).toMatchObject({ rpm: 10_000, tpm: 10_000_000 });
    expect(l.fits).toBe(true);
  });

  it('names what is exceeded at the stated tier and the first tier that fits', () => {
    // 30M/month at tier 1: 30,000,000 / 43,200 = 694.4 RPM > 500; × 1,000 tokens = 694,444 TPM > 200,000;
    // 1,000,000 requests/day > 10,000 RPD. Tier 2 (5,000 RPM, 2M TPM, no RPD) fits.
    const l = check({ tier: '1', requestsPerMonth: 30_000_000, peakFactor: 1, inputTokens: 900, outputTokens: 100 });
    expect(l.fits).toBe(false);
    expect(l.exceeded.map((e) => e.limit)).toEqual(['rpm', 'tpm', 'rpd']);
    expect(l.exceeded[0]!.peak).toBeCloseTo(694.44, 2);
    expect(l.fittingTier).toBe('2');
  });

  it('Anthropic: input and output per minute separately, cache reads not counted', () => {
    // 4,320,000/month = 100 RPM; ITPM counts uncached input only: 100 × 10,000 × (1 − 0.9) = 100,000;
    // OTPM = 100 × 500 = 50,000. Build tier: 5M ITPM, 1M OTPM.
    const l = check({ modelId: 'claude-haiku-4-5', tier: 'build', requestsPerMonth: 4_320_000, peakFactor: 1, inputTokens: 10_000, cachedFraction: 0.9, outputTokens: 500 });
    expect(l.peakItpm).toBeCloseTo(100_000, 6);
    expect(l.peakOtpm).toBeCloseTo(50_000, 6);
    expect(l.limits).toMatchObject({ itpm: 5_000_000, otpm: 1_000_000 });
    expect(l.fits).toBe(true);
    // at Anthropic tier 1 (50 RPM, 50K ITPM, 10K OTPM) all three are exceeded
    expect(check({ modelId: 'claude-haiku-4-5', tier: '1', requestsPerMonth: 4_320_000, peakFactor: 1, inputTokens: 10_000, cachedFraction: 0.9, outputTokens: 500 }).exceeded.map((e) => e.limit)).toEqual(['rpm', 'itpm', 'otpm']);
  });

  it('the batch queue holds every batch in flight: a window alone fits, four overlapping do not', () => {
    // 720M/month submitted every hour: 720,000,000 / 2,592,000 s × 3,600 s = 1,000,000 requests per window,
    // × 500 input tokens = 500M enqueued tokens, under tier 4's 1B. With a 4 h typical turnaround, ceil(4 h / 1 h)
    // = 4 batches are in flight at once: 2B tokens, over it. Tier 5 queues 15B.
    const alone = check({ requestsPerMonth: 720_000_000, inputTokens: 500, batchSubmitEveryS: 3600, batchTypicalTurnaroundS: 3600 });
    expect(alone.batch.inFlight).toBe(1);
    expect(alone.batch.queue).toMatchObject({ needed: 500_000_000, fits: true });
    const overlapping = check({ requestsPerMonth: 720_000_000, inputTokens: 500, batchSubmitEveryS: 3600, batchTypicalTurnaroundS: 4 * 3600 });
    expect(overlapping.batch.inFlight).toBe(4);
    expect(overlapping.batch.queue).toMatchObject({ kind: 'tokens', limit: 1_000_000_000, needed: 2_000_000_000, fits: false });
    expect(overlapping.batch.queueFittingTier).toBe('5');
    // A turnaround just over an interval puts two in flight; exactly one interval, one.
    expect(check({ batchSubmitEveryS: 3600, batchTypicalTurnaroundS: 3601 }).batch.inFlight).toBe(2);
  });

  it('batches per submission window: ceil(requests / max per batch), or more when the file is too big', () => {
    // 90M/month, submitted daily: 90,000,000 / 2,592,000 s × 86,400 s = 3,000,000 requests → ceil(3M / 50,000) = 60
    // bytes: 3M × (500 tokens × 4 B + 300 B) = 6.9 GB / 200 MB = 32.9 → 33 files; 60 > 33
    const l = check({ requestsPerMonth: 90_000_000, inputTokens: 500, batchSubmitEveryS: 86_400 });
    expect(l.batch.requestsPerWindow).toBeCloseTo(3_000_000, 6);
    expect(l.batch.batches).toBe(60);
    // queue at tier 4: 1B tokens; needed 3M × 500 = 1.5B → does not fit
    expect(l.batch.queue).toMatchObject({ kind: 'tokens', limit: 1_000_000_000, needed: 1_500_000_000, fits: false });
    // tier 5 queues 15B tokens
    expect(l.batch.queueFittingTier).toBe('5');
  });

  it('near the limit: from 70% of a per-minute limit (data/thresholds.yaml), while it still fits', () => {
    // claude-haiku-4-5 at Anthropic tier 1: 50 RPM, 50,000 ITPM, 10,000 OTPM; 1,000 in / 500 out, flat peak.
    const at = (requestsPerMonth: number) => check({ modelId: 'claude-haiku-4-5', tier: '1', requestsPerMonth, peakFactor: 1, inputTokens: 1000, cachedFraction: 0, outputTokens: 500 });
    // just below: 604,000 / 43,200 = 13.981 RPM × 500 = 6,990.7 OTPM = 69.9% → no warning
    const below = at(604_000);
    expect(below.fits).toBe(true);
    expect(below.nearLimits).toEqual([]);
    expect(below.headroomTier).toBeUndefined();
    // at it: 604,800 / 43,200 = 14 RPM × 500 = 7,000 OTPM = 70.0% (RPM 28%, ITPM 14,000 = 28%: not near)
    const near = at(604_800);
    expect(near.fits).toBe(true);
    expect(near.nearLimits).toHaveLength(1);
    expect(near.nearLimits[0]).toMatchObject({ limit: 'otpm', allowed: 10_000 });
    expect(near.nearLimits[0]!.peak).toBeCloseTo(7_000, 6);
    expect(near.nearLimits[0]!.used).toBeCloseTo(0.7, 9);
    // tier 2 (1,000 RPM, 450K ITPM, 90K OTPM): 7,000 / 90,000 = 7.8% → headroom
    expect(near.headroomTier).toBe('2');
    // over 100%: 1,296,000 / 43,200 = 30 RPM × 500 = 15,000 OTPM > 10,000 → exceeded, not "near"
    const over = at(1_296_000);
    expect(over.fits).toBe(false);
    expect(over.exceeded.map((e) => e.limit)).toEqual(['otpm']);
    expect(over.nearLimits).toEqual([]);
    expect(over.fittingTier).toBe('2');
  });

  it('context window: input + output p95 against the model', () => {
    // 127,000 + 2,000 = 129,000 > 128,000
    const l = check({ inputTokens: 127_000, outputTokens: 500, outputP95: 2000 });
    expect(l.context).toMatchObject({ needed: 129_000, window: 128_000, fits: false });
  });

  it('no published limits → fits is null', () => {
    expect(check({ modelId: 'text-embedding-3-small', outputTokens: 0 }).fits).toBeNull();
  });
});
