// Pure parts of bench: thresholds and SLOs, spend pricing and the cap, percentiles, Poisson arrivals, the load loop.
import { describe, expect, it } from 'vitest';
import { checkThreshold, parseDurationMs, parseRate, parseSlo, parseThreshold } from '../../src/bench/gates.js';
import { nextArrivalS, runLoad } from '../../src/bench/load.js';
import { latencyChart } from '../../src/render/bench.js';
import { requestCostUsd, SpendLedger } from '../../src/bench/spend.js';
import { keyMaySendTo } from '../../src/client/key-hosts.js';
import { Distribution } from '../../src/bench/stats.js';
import type { EffectivePrices } from '../../src/core/recommend/cost/prices.js';
import { UsageError } from '../../src/core/errors.js';
import { seededRandom } from '../../src/core/random.js';

// gpt-4o-mini list prices per 1M tokens: input 0.15, cached 0.075, output 0.60; batch 0.075 / 0.30.
const MINI: EffectivePrices = {
  input: 0.15, output: 0.6, cachedInput: 0.075, cacheWrite: null, batchInput: 0.075, batchOutput: 0.3, batchCachedInput: 0.075,
  streaming: true, caching: true, longContext: false, longContextAbove: null, overridden: [], derived: [], cacheTtl: '5m',
};

describe('thresholds', () => {
  const figures = { requests: 100, ok: 98, failed: 2, retries: 5, ttft_ms: { p50: 400, p95: 790, p99: 1200 }, latency_ms: null };
  const shape = { requests: 0, ok: 0, failed: 0, retries: 0, ttft_ms: { p50: 0, p95: 0, p99: 0 }, latency_ms: { p50: 0, p95: 0, p99: 0 } };
  it.each([
    ['streaming.ttft_ms.p95<800', true, 790],
    ['streaming.ttft_ms.p99<800', false, 1200],
    ['streaming.ttft_ms.p99 <= 1200', true, 1200],
    // errors_rate = failed ÷ requests = 2 ÷ 100
    ['streaming.errors_rate<0.01', false, 0.02],
    ['streaming.errors_rate<0.05', true, 0.02],
    ['streaming.ok_rate>=0.98', true, 0.98],
    ['streaming.retries==5', true, 5],
  ])('%s → %s', (text, passed, actual) => {
    const v = checkThreshold(parseThreshold(text), figures, shape);
    expect(v.passed).toBe(passed);
    expect(v.actual).toBeCloseTo(actual, 9);
  });

  it('fails a threshold with no data rather than passing blind', () => {
    expect(checkThreshold(parseThreshold('streaming.latency_ms.p50<1'), figures, shape)).toEqual({ threshold: 'streaming.latency_ms.p50<1', actual: null, passed: false });
    expect(checkThreshold(parseThreshold('batch.ttft_ms.p50<1'), undefined, shape).passed).toBe(false);
  });

  it('rejects unknown patterns and metrics with a suggestion', () => {
    expect(() => parseThreshold('streamin.ttft_ms.p95<800')).toThrow(/unknown pattern/);
    try {
      checkThreshold(parseThreshold('streaming.ttf_ms.p95<800'), undefined, shape);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as UsageError).hint).toMatch(/ttft_ms\.p95/);
    }
    expect(() => parseThreshold('streaming.ttft_ms.p95 < fast')).toThrow(UsageError);
  });
});

describe('SLO, durations and rates', () => {
  it.each([
    ['800ms', 800],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['0', 0],
  ])('%s → %i ms', (text, ms) => expect(parseDurationMs(text, '--x')).toBe(ms));
  it('refuses a bare number: --timeout 5 must say 5s or 5ms', () => {
    expect(() => parseDurationMs('5', '--timeout')).toThrow(/"5" has no unit/);
    try {
      parseDurationMs('5', '--timeout');
    } catch (err) {
      expect((err as UsageError).hint).toBe('did you mean 5s or 5ms?');
    }
  });
  it('reads ttft and latency targets', () => {
    expect(parseSlo('ttft=800ms,latency=5s')).toEqual({ ttftMs: 800, latencyMs: 5000 });
    expect(() => parseSlo('ttfb=1s')).toThrow(/unknown SLO target/);
  });
  it.each([
    ['5/s', 5],
    ['2.5', 2.5],
    ['300/min', 5],
  ])('rate %s → %f/s', (text, r) => expect(parseRate(text)).toBe(r));
  it('rejects a zero rate', () => expect(() => parseRate('0/s')).toThrow(UsageError));
});

describe('spend', () => {
  it('prices a request as recommend does', () => {
    // 1,000 input (200 cached) + 500 output at list: (800×0.15 + 200×0.075 + 500×0.60) / 1e6
    //   = (120 + 15 + 300) / 1e6 = 0.000435
    expect(requestCostUsd(MINI, { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 }, false)).toBeCloseTo(0.000435, 12);
    // batch: (800×0.075 + 200×0.075 + 500×0.30) / 1e6 = (60 + 15 + 150) / 1e6 = 0.000225
    expect(requestCostUsd(MINI, { inputTokens: 1000, cachedInputTokens: 200, outputTokens: 500 }, true)).toBeCloseTo(0.000225, 12);
  });

  it('reserves the worst case and refuses a send that could pass the cap (fails closed)', () => {
    // Worst case per request: 100 input + 1000 output cap = (100×0.15 + 1000×0.60)/1e6 = 0.000615
    const ledger = new SpendLedger({ maxSpendUsd: 0.0013, pricesFor: () => MINI, inputTokens: () => 100, outputTokens: (t) => t.length });
    const req = { customId: 'a', model: 'gpt-4o-mini', prompt: 'p', maxTokens: 1000 };
    const t1 = ledger.reserve(req, 'direct');
    const t2 = ledger.reserve(req, 'direct');
    expect(t1 && t2).toBeTruthy();
    // 2 × 0.000615 = 0.00123 reserved; a third would make 0.001845 > 0.0013
    expect(ledger.reserve(req, 'direct')).toBeUndefined();
    expect(ledger.capped).toBe(true);
    // The answers were short: 100 in + 50 out = (15 + 30)/1e6 = 0.000045 each
    t1!.settle({ fate: 'answered', usage: { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50 } });
    t2!.settle({ fate: 'answered', usage: { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50 } });
    expect(ledger.spentUsd).toBeCloseTo(0.00009, 12);
    expect(ledger.spentOn('direct')).toBeCloseTo(0.00009, 12);
    // Now 0.00009 + 0.000615 ≤ 0.0013: sending is allowed again
    expect(ledger.reserve(req, 'direct')).toBeTruthy();
  });

  it('a refused attempt (an HTTP error status) costs nothing; a batch is reserved whole', () => {
    const ledger = new SpendLedger({ maxSpendUsd: 0.001, pricesFor: () => MINI, inputTokens: () => 100, outputTokens: (t) => t.length });
    ledger.reserve({ customId: 'a', model: 'm', prompt: 'p', maxTokens: 10 }, 'direct')!.settle({ fate: 'refused' });
    expect(ledger.spentUsd).toBe(0);
    // 5 items × (100×0.075 + 1000×0.30)/1e6 = 5 × 0.0003075 = 0.0015375 > 0.001: refused as a whole
    const items = Array.from({ length: 5 }, (_, i) => ({ customId: `b${i}`, model: 'm', prompt: 'p', maxTokens: 1000 }));
    expect(ledger.reserveBatch(items)).toBeUndefined();
    expect(ledger.reserveBatch(items.slice(0, 3))).toBeTruthy(); // 3 × 0.0003075 = 0.0009225
  });

  // Worst case per request below: 100 input + 1000 output cap = 0.000615 USD.
  const req = { customId: 'a', model: 'gpt-4o-mini', prompt: 'p', maxTokens: 1000 };
  const capped = (max: number) => new SpendLedger({ maxSpendUsd: max, pricesFor: () => MINI, inputTokens: () => 100, outputTokens: (t) => t.length });

  it('an attempt whose fate is unknown (timeout, lost connection) keeps its whole reservation', () => {
    const ledger = capped(0.0013);
    ledger.reserve(req, 'direct')!.settle({ fate: 'unknown' });
    expect(ledger.spentUsd).toBeCloseTo(0.000615, 12);
    expect(ledger.chargedWorstCase).toBe(1);
    ledger.reserve(req, 'direct')!.settle({ fate: 'unknown' });
    // 2 × 0.000615 = 0.00123 spent: a third worst case would pass 0.0013
    expect(ledger.reserve(req, 'direct')).toBeUndefined();
    expect(ledger.spentUsd).toBeLessThanOrEqual(0.0013);
  });

  it('usage above the reservation is counted in full, recorded as an overrun, and stops every later send', () => {
    const ledger = capped(0.01);
    const t = ledger.reserve(req, 'streaming')!;
    expect(ledger.stopSignal.aborted).toBe(false);
    // The server claims 20× the input we sent: 2000 × 0.15 + 1000 × 0.60 = 0.0009 > 0.000615
    t.settle({ fate: 'answered', usage: { inputTokens: 2000, cachedInputTokens: 0, outputTokens: 1000 } });
    expect(ledger.spentUsd).toBeCloseTo(0.0009, 12);
    expect(ledger.overruns).toBe(1);
    expect(ledger.overrunUsd).toBeCloseTo(0.0009 - 0.000615, 12);
    expect(ledger.stopSignal.aborted).toBe(true);
    expect(ledger.capped).toBe(true);
    // Far below the cap, yet nothing more is sent.
    expect(ledger.reserve(req, 'direct')).toBeUndefined();
  });

  it('an answer without usage is counted with the tokenizer (input as reserved, output from its text)', () => {
    const ledger = capped(0.01);
    // outputTokens here counts characters: 40 output tokens; (100×0.15 + 40×0.60)/1e6 = 0.000039
    ledger.reserve(req, 'direct')!.settle({ fate: 'answered', text: 'x'.repeat(40) });
    expect(ledger.spentUsd).toBeCloseTo(0.000039, 12);
    expect(ledger.countedLocally).toBe(1);
  });

  it('without a cap nothing is refused, and a timed-out attempt still counts its worst case', () => {
    const ledger = new SpendLedger({ pricesFor: () => MINI, inputTokens: () => 100, outputTokens: (t) => t.length });
    for (let i = 0; i < 50; i++) ledger.reserve(req, 'direct')!.settle({ fate: 'unknown' });
    expect(ledger.spentUsd).toBeCloseTo(50 * 0.000615, 10);
    expect(ledger.capped).toBe(false);
  });

  it('a batch whose results were never read keeps its reservation; a finished batch bills its items', () => {
    const items = Array.from({ length: 3 }, (_, i) => ({ customId: `b${i}`, model: 'm', prompt: 'p', maxTokens: 1000 }));
    const lost = capped(0.01);
    lost.reserveBatch(items)!.settle('unknown');
    expect(lost.spentOn('batch')).toBeCloseTo(3 * 0.0003075, 12);
    const done = capped(0.01);
    // One item failed (not billed), one reported usage, one had none (counted: 10 output tokens).
    // (100×0.075 + 50×0.30)/1e6 = 0.0000225; (100×0.075 + 10×0.30)/1e6 = 0.0000105
    done.reserveBatch(items)!.settle('answered', [undefined, { usage: { inputTokens: 100, cachedInputTokens: 0, outputTokens: 50 } }, { text: 'y'.repeat(10) }]);
    expect(done.spentOn('batch')).toBeCloseTo(0.0000225 + 0.0000105, 12);
    expect(done.countedLocally).toBe(1);
  });
});

describe('percentiles', () => {
  it('reads p50/p95/p99 of 1..1000 ms within HdrHistogram precision (3 digits)', () => {
    const d = new Distribution();
    for (let i = 1; i <= 1000; i++) d.record(i);
    const s = d.summary()!;
    expect(s.count).toBe(1000);
    expect(s.p50).toBeCloseTo(500, -0.5);
    expect(s.p95).toBeCloseTo(950, -0.5);
    expect(s.p99).toBeCloseTo(990, -0.5);
    expect(s.mean).toBeCloseTo(500.5, 6);
    expect(new Distribution().summary()).toBeNull();
  });
  it('keeps sub-millisecond detail', () => {
    const d = new Distribution();
    d.record(0.25);
    expect(d.summary()!.p50).toBeCloseTo(0.25, 3);
  });
});

describe('arrivals and the load loop', () => {
  it('Poisson inter-arrival times have mean 1/rate', () => {
    const rng = seededRandom(42);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += nextArrivalS(5, () => rng.uniform());
    // mean 0.2 s; standard error 0.2/√20000 ≈ 0.0014
    expect(sum / n).toBeGreaterThan(0.195);
    expect(sum / n).toBeLessThan(0.205);
  });

  it('closed loop: warm-up first (negative indexes), never more than C in flight, exactly N measured', async () => {
    const seen: number[] = [];
    let inFlight = 0;
    let peak = 0;
    const r = await runLoad(
      { requests: 10, concurrency: 3, warmup: 2 },
      {
        random: Math.random,
        stopReason: () => undefined,
        send: async (i) => {
          seen.push(i);
          inFlight += 1;
          peak = Math.max(peak, inFlight);
          await new Promise((res) => setImmediate(res));
          inFlight -= 1;
        },
      },
    );
    expect(seen.slice(0, 2)).toEqual([-1, -2]);
    expect(seen.slice(2).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(peak).toBe(3);
    expect(r).toMatchObject({ started: 10, stoppedBy: 'done' });
  });

  it('closed loop: a worker goes on to measured requests without waiting for the other workers\' warm-up', async () => {
    // A barrier after warm-up would start the measured phase with all C requests at once (a synchronised
    // burst that inflated the measured TTFB tail at C=256); a bare client loop has none, nor does bench.
    let warmInFlight = 0;
    let warmInFlightAtFirstMeasured: number | undefined;
    let releaseSlowWarmup: () => void = () => undefined;
    const r = await runLoad(
      { requests: 4, concurrency: 2, warmup: 2 },
      {
        random: Math.random,
        stopReason: () => undefined,
        send: async (i, warmup) => {
          if (warmup) {
            warmInFlight += 1;
            // The second warm-up request is slow: it ends when a measured request has started (or after 200 ms).
            if (i === -2) await new Promise<void>((res) => ((releaseSlowWarmup = res), setTimeout(res, 200)));
            else await new Promise((res) => setImmediate(res));
            warmInFlight -= 1;
            return;
          }
          warmInFlightAtFirstMeasured ??= warmInFlight;
          releaseSlowWarmup();
          await new Promise((res) => setImmediate(res));
        },
      },
    );
    expect(warmInFlightAtFirstMeasured).toBe(1);
    expect(r).toMatchObject({ started: 4, stoppedBy: 'done' });
  });

  it('stops sending when told (spend cap, Ctrl-C)', async () => {
    let sent = 0;
    const r = await runLoad({ requests: 100, concurrency: 2, warmup: 0 }, { random: Math.random, stopReason: () => (sent >= 5 ? 'spend_cap' : undefined), send: async () => void (sent += 1) });
    expect(sent).toBe(5);
    expect(r.stoppedBy).toBe('spend_cap');
  });

  it('open loop: sends N requests without waiting for answers', async () => {
    let started = 0;
    let maxInFlight = 0;
    let inFlight = 0;
    const rng = seededRandom(7);
    await runLoad(
      { requests: 20, concurrency: 1, ratePerS: 2000, warmup: 0 },
      {
        random: () => rng.uniform(),
        stopReason: () => undefined,
        send: async () => {
          started += 1;
          inFlight += 1;
          maxInFlight = Math.max(maxInFlight, inFlight);
          await new Promise((res) => setTimeout(res, 20));
          inFlight -= 1;
        },
      },
    );
    expect(started).toBe(20);
    // An open loop does not wait for answers: several overlap even at "concurrency 1".
    expect(maxInFlight).toBeGreaterThan(1);
  });
});

describe('latency chart', () => {
  it('draws a bar per bucket with its count', () => {
    const chart = latencyChart({ direct: [100, 100, 200, 700] }, ['direct'], 2, 10);
    // buckets 100–400 (3 values) and 400–700 (1 value)
    expect(chart).toContain('██████████ 3');
    expect(chart).toMatch(/███ 1$/m);
  });
});

describe('where a key may go (keyMaySendTo)', () => {
  it.each([
    ['https://api.openai.com/v1', 'openai', [], true],
    ['https://api.openai.com.evil.example/v1', 'openai', [], false],
    ['https://api.anthropic.com', 'openai', [], false], // another provider's host is not OpenAI's
    ['https://api.anthropic.com', 'anthropic', [], true],
    ['https://generativelanguage.googleapis.com', 'gemini', [], true],
    ['http://localhost:8000/v1', 'openai', [], true],
    ['http://127.0.0.9:8000/v1', 'openai', [], true],
    ['http://[::1]:8000/v1', 'openai', [], true],
    ['http://foo.localhost:8000/v1', 'openai', [], false],
    ['http://0.0.0.0:8000/v1', 'openai', [], false],
    ['https://llm.internal.example/v1', 'openai', [], false],
    ['https://llm.internal.example/v1', 'openai', ['llm.internal.example'], true],
    ['https://llm.internal.example:8443/v1', 'openai', ['llm.internal.example:8443'], true],
    ['https://llm.internal.example:8443/v1', 'openai', ['other.example'], false],
  ] as const)('%s (%s, --send-key-to %j): %s', (url, target, allowed, expected) => {
    expect(keyMaySendTo(new URL(url), target, allowed)).toBe(expected);
  });
});
