// The simulation core, pure: RNG, fitted distributions, arrivals, traces, histograms, and the engine's
// figures against the analytic cost model, the tier's limits and the batch window.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { UsageError } from '../../src/core/errors.js';
import { dailyCycle, MINUTES_PER_DAY } from '../../src/core/montecarlo/arrivals.js';
import { drawSum, fitLogNormal, logNormalQuantile, standardNormal, Z95 } from '../../src/core/montecarlo/distributions.js';
import { simulateWorkload, type WorkloadSimulation } from '../../src/core/montecarlo/engine.js';
import { DurationHistogram, percentileOfSorted } from '../../src/core/montecarlo/histogram.js';
import { simWorkloadOf } from '../../src/core/montecarlo/input.js';
import type { SimWorkload } from '../../src/core/montecarlo/model.js';
import { seededRandom } from '../../src/core/random.js';
import { monthlyVolumes, simulateFile } from '../../src/core/montecarlo/run.js';
import { parseTrace } from '../../src/core/montecarlo/trace.js';
import { queueMinute, waitAt } from '../../src/core/montecarlo/queue.js';
import { workload } from '../helpers/workloads.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

async function simOf(fields: Record<string, unknown>, tiers?: Record<string, string | number>): Promise<SimWorkload> {
  const w = await workload(fields, catalog, tiers);
  return simWorkloadOf(w, catalog, { arrivals: dailyCycle(w.peakFactor), batchEveryS: 3600 }).sim;
}

const chat = { model: 'gpt-4o-mini', volume: '300k/month', latency: '3s', user_facing: true, input: { tokens: 1200, cached: 0.6 }, output: { tokens: 450, p95: 1500 }, peak_factor: 3 };

describe('seeded random source', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
    expect(xs.every((x) => x > 0 && x < 1)).toBe(true);
  });

  it.each([0.3, 4, 29, 30, 250, 1e6])('draws Poisson(%d) with the right mean and variance', (mean) => {
    const rng = seededRandom(1);
    const n = 20_000;
    let s = 0;
    let s2 = 0;
    let whole = true;
    for (let i = 0; i < n; i++) {
      const k = rng.poisson(mean);
      whole &&= Number.isInteger(k) && k >= 0;
      s += k;
      s2 += k * k;
    }
    expect(whole).toBe(true);
    const m = s / n;
    const v = s2 / n - m * m;
    // The sample mean's standard error is √(mean/n); allow 5 of them. Variance within 5%.
    expect(Math.abs(m - mean)).toBeLessThan(5 * Math.sqrt(mean / n));
    expect(Math.abs(v / mean - 1)).toBeLessThan(0.05);
  });

  it('draws standard normals', () => {
    const rng = seededRandom(3);
    let s = 0;
    let s2 = 0;
    const n = 50_000;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.03);
  });
});

describe('the ziggurat normal the Monte Carlo month draws', () => {
  it('has the standard normal\'s mean, variance and tails, beyond the ziggurat\'s base layer (3.44) too', () => {
    const rng = seededRandom(4);
    const n = 400_000;
    let s = 0;
    let s2 = 0;
    let above1645 = 0;
    let beyond3 = 0;
    let beyondBase = 0;
    for (let i = 0; i < n; i++) {
      const z = standardNormal(rng);
      s += z;
      s2 += z * z;
      if (z > 1.6448536269514722) above1645 += 1;
      if (Math.abs(z) > 3) beyond3 += 1;
      if (Math.abs(z) > 3.442619855899) beyondBase += 1;
    }
    // Each share within 5 standard errors of the normal's: P(z > 1.645) = 0.05, P(|z| > 3) = 0.0026998,
    // P(|z| > 3.4426) = 0.000576.
    const within = (count: number, p: number) => expect(Math.abs(count / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    expect(Math.abs(s / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.01);
    within(above1645, 0.05);
    within(beyond3, 0.0026998);
    within(beyondBase, 0.000576);
  });
});

describe('lognormal fitted to a mean and a p95', () => {
  it('mean 450, p95 1500 (worked)', () => {
    // ln(1500/450) = 1.2040; σ = 1.6449 − √(1.6449² − 2×1.2040) = 1.6449 − √0.2976 = 1.6449 − 0.5455 = 1.0993
    // μ = ln 450 − σ²/2 = 6.1092 − 0.6043 = 5.5050
    const d = fitLogNormal(450, 1500, 0.5);
    expect(d.sigma).toBeCloseTo(1.0993, 3);
    expect(d.mu).toBeCloseTo(5.505, 3);
    expect(d.mean).toBe(450);
    expect(logNormalQuantile(d, 0.95)).toBeCloseTo(1500, 2);
    expect(d.capped).toBeUndefined();
  });

  it('caps a tail no lognormal can have (p95 above 3.87 × the mean) and says so', () => {
    const d = fitLogNormal(100, 1000, 0.5);
    expect(d.sigma).toBeCloseTo(Z95, 9);
    expect(d.capped?.askedP95).toBe(1000);
    expect(d.capped!.fittedP95).toBeCloseTo(100 * Math.exp((Z95 * Z95) / 2), 6);
  });

  it('matches any reachable mean and p95 (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 1.01, max: 3.8, noNaN: true }), (mean, ratio) => {
        const d = fitLogNormal(mean, mean * ratio, 0.5);
        expect(d.capped).toBeUndefined();
        expect(Math.exp(d.mu + (d.sigma * d.sigma) / 2) / mean).toBeCloseTo(1, 9);
        expect(logNormalQuantile(d, 0.95) / (mean * ratio)).toBeCloseTo(1, 6);
      }),
    );
  });

  it.each([1, 29, 30, 400, 5000])('draws a sum of %d draws with the exact mean and variance, never negative, skewed right', (n) => {
    // One by one below 30, one moment-matched lognormal from 30 on: either way E[S] = n·E[X], Var[S] = n·Var[X].
    const d = fitLogNormal(450, 1500, 0.5);
    const rng = seededRandom(9);
    const k = 40_000;
    const xs = Array.from({ length: k }, () => drawSum(d, n, rng, 30));
    const mean = xs.reduce((a, x) => a + x, 0) / k;
    const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (k - 1);
    const skew = xs.reduce((a, x) => a + (x - mean) ** 3, 0) / k / variance ** 1.5;
    expect(xs.every((x) => x > 0)).toBe(true);
    // The sample mean's standard error is √(n·Var/k): within 5 of them; the variance within 10%.
    expect(Math.abs(mean - n * d.mean)).toBeLessThan(5 * Math.sqrt((n * d.variance) / k));
    expect(Math.abs(variance / (n * d.variance) - 1)).toBeLessThan(0.1);
    expect(skew).toBeGreaterThan(0);
  });

  it('uses the default spread without a p95, and none when p95 ≤ mean', () => {
    expect(fitLogNormal(100, undefined, 0.25).sigma).toBe(0.25);
    expect(fitLogNormal(100, 90, 0.25).sigma).toBe(0);
  });
});

describe('arrivals', () => {
  it.each([1, 2, 3, 8])('a daily cycle with peak factor %d averages 1 and peaks at the factor', (pf) => {
    const p = dailyCycle(pf);
    const mean = p.weights.reduce((s, x) => s + x, 0) / MINUTES_PER_DAY;
    expect(mean).toBeCloseTo(1, 9);
    expect(p.peakFactor).toBeCloseTo(pf, 6);
  });

  it('grows the volume month by month', () => {
    // 100K × 1.1^0, 1.1^1, 1.1^2 = 100,000, 110,000, 121,000
    const v = monthlyVolumes(100_000, 3, 10);
    expect(v[0]).toBe(100_000);
    expect(v[1]).toBeCloseTo(110_000, 6);
    expect(v[2]).toBeCloseTo(121_000, 6);
  });
});

describe('trace files', () => {
  it('reads seconds, milliseconds and ISO date-times, skipping comments and blank lines', () => {
    const t = parseTrace(['# ts', '1700000000', '', '1700000030000', '2023-11-14T22:15:20Z, extra', '1700000125'].join('\n'), 't.txt');
    // 1700000000 s = 2023-11-14T22:13:20Z; +30 s; +120 s (22:15:20); +125 s → minutes 0, 0, 2, 2
    expect(t.requests).toBe(4);
    expect(t.spanMinutes).toBe(3);
    expect(Array.from(t.perMinute)).toEqual([2, 0, 2]);
  });

  it.each([
    ['1700000000\nyesterday\n', 2, 1],
    ['timestamp\n1700000000\n', 1, 1],
    ['1700000000\n  12:30\n', 2, 3],
  ])('rejects a line that is not a timestamp with file:line:col', (text, line, col) => {
    try {
      parseTrace(text, 'trace.txt');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      const e = err as UsageError;
      expect(e.where).toMatchObject({ file: 'trace.txt', line, col });
      expect(e.expected).toMatch(/timestamp/);
    }
  });

  it('rejects an empty trace', () => {
    expect(() => parseTrace('# nothing\n\n', 'e.txt')).toThrow(/no timestamps/);
  });
});

describe('the rate-limit queue of one minute', () => {
  it.each([
    // backlog, load, capacity → backlog after, share that waits, busy
    [0, 400, 500, 0, 0, false], // below the limit: nobody waits
    [0, 500, 500, 0, 0, false], // exactly at the limit: still nobody
    [0, 501, 500, 1, 1, true], // one over: the line grows from the start, everyone waits a little
    [100, 300, 500, 0, 0.5, true], // backlog 100 drains at 500 − 300 = 200/min: gone at u = 0.5
    [100, 600, 500, 200, 1, true], // 100 + 600 − 500 = 200 left over
  ])('backlog %d, load %d, capacity %d → %d left, %d waits', (backlog, load, capacity, after, waiting, busy) => {
    const q = queueMinute(backlog, load, capacity);
    expect(q.backlogAfter).toBeCloseTo(after, 9);
    expect(q.waitingFraction).toBeCloseTo(waiting, 9);
    expect(q.busy).toBe(busy);
  });

  it('never has anyone wait below the limit, and never loses requests (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1e5, noNaN: true }), fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (backlog, load, capacity, u) => {
        const q = queueMinute(backlog, load, capacity);
        expect(q.backlogAfter).toBeGreaterThanOrEqual(0);
        // conservation: what is left is what came in minus what the limit let through
        expect(q.backlogAfter).toBeCloseTo(Math.max(0, backlog + load - capacity), 6);
        expect(q.waitingFraction).toBeGreaterThanOrEqual(0);
        expect(q.waitingFraction).toBeLessThanOrEqual(1);
        if (backlog === 0 && load <= capacity) {
          expect(q.busy).toBe(false);
          expect(waitAt(backlog, load, capacity, u)).toBe(0);
        }
      }),
    );
  });

  it('waits the line ahead over the service rate', () => {
    // backlog 100, load 300, capacity 500, arrival at u = 0.25: line = 100 − 200 × 0.25 = 50 → 50/500 min = 6 s
    expect(waitAt(100, 300, 500, 0.25)).toBeCloseTo(6, 9);
    expect(waitAt(100, 300, 500, 0.75)).toBe(0);
    // load 600 against 500 and no backlog, at the end of the minute: 100 ahead → 100/500 min = 12 s
    expect(waitAt(0, 600, 500, 1)).toBeCloseTo(12, 9);
    expect(waitAt(0, 600, Infinity, 1)).toBe(0);
  });
});

describe('duration histogram', () => {
  it('gives percentiles within 1% in bounded memory', () => {
    const h = new DurationHistogram();
    for (let i = 1; i <= 10_000; i++) h.record(i / 100); // 0.01 s … 100 s, uniform
    expect(h.total).toBe(10_000);
    expect(Math.abs(h.quantile(0.5) / 50 - 1)).toBeLessThan(0.01);
    expect(Math.abs(h.quantile(0.99) / 99 - 1)).toBeLessThan(0.01);
    expect(h.mean).toBeCloseTo(50.005, 6);
    h.record(0);
    expect(h.fractionAtOrBelow(0)).toBeCloseTo(1 / 10_001, 9);
  });

  it('interpolates percentiles of run totals', () => {
    expect(percentileOfSorted([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(percentileOfSorted([10, 20], 0.05)).toBeCloseTo(10.5, 9);
  });
});

/** The simulated mean is within 4 standard errors (sd over runs / √runs) of the analytic figure. */
function expectAgreement(r: WorkloadSimulation): void {
  for (const p of Object.values(r.patterns)) {
    const se = p.cost.sd / Math.sqrt(r.runs);
    expect(Math.abs(p.cost.mean - p.analytic.totalUsdPerMonth), `${p.pattern}: mean ${p.cost.mean}, analytic ${p.analytic.totalUsdPerMonth}, se ${se}`).toBeLessThanOrEqual(4 * se + 1e-9);
  }
}

describe('the simulation engine', () => {
  it('is reproducible under a seed', async () => {
    const sim = await simOf(chat, { openai: 4 });
    const few = { latencySamples: 5000 };
    const a = simulateWorkload(sim, { seed: 5, runs: 4, assumptions: few });
    const b = simulateWorkload(sim, { seed: 5, runs: 4, assumptions: few });
    const c = simulateWorkload(sim, { seed: 6, runs: 4, assumptions: few });
    expect(a.patterns.direct!.cost.runs).toEqual(b.patterns.direct!.cost.runs);
    expect(a.patterns.streaming!.latency.quantile(0.95)).toBe(b.patterns.streaming!.latency.quantile(0.95));
    expect(c.patterns.direct!.cost.runs).not.toEqual(a.patterns.direct!.cost.runs);
  });

  it('agrees with recommend\'s cost + overhead (one cost model), per pattern', async () => {
    // support-chat: its 720-token cached prefix is under gpt-4o-mini's 1,024 minimum, so it is priced uncached:
    // direct = 300K × (1200×0.15 + 450×0.60)/1e6 = 300K × $0.00045 = $135.00, minus the content filter's
    // unbilled 0.1% and plus retried 5xx/429 at no charge → the cost model's total; batch $67.50.
    const sim = await simOf(chat, { openai: 4 });
    const r = simulateWorkload(sim, { seed: 11, runs: 60, trafficRuns: 4 });
    expect(r.patterns.direct!.analytic.costUsdPerMonth).toBeCloseTo(135, 9);
    expect(r.patterns.batch!.analytic.costUsdPerMonth).toBeCloseTo(67.5, 9);
    expectAgreement(r);
  });

  it('agrees at a small volume too, where every request is drawn one by one', async () => {
    const sim = await simOf({ ...chat, volume: 900, model: 'claude-haiku-4-5', output: { tokens: 1200 } });
    const r = simulateWorkload(sim, { seed: 2, runs: 200, trafficRuns: 5 });
    expect(r.tracedRequests).toBeGreaterThan(4000); // all of ~5 × 900
    expectAgreement(r);
  });

  it('more failure raises failures, retries and cost, and lowers SLO attainment', async () => {
    const sim = await simOf(chat, { openai: 4 });
    const worse: SimWorkload = {
      ...sim,
      patterns: sim.patterns.map((p) => ({ ...p, failures: p.failures.map((f) => ({ ...f, probability: f.probability * 5 })) })),
    };
    const base = simulateWorkload(sim, { seed: 3, runs: 10, trafficRuns: 3, assumptions: { latencySamples: 60_000 } });
    const bad = simulateWorkload(worse, { seed: 3, runs: 10, trafficRuns: 3, assumptions: { latencySamples: 60_000 } });
    for (const p of ['direct', 'streaming', 'batch'] as const) {
      expect(bad.patterns[p]!.failures).toBeGreaterThan(base.patterns[p]!.failures * 3);
      expect(bad.patterns[p]!.retries).toBeGreaterThan(base.patterns[p]!.retries * 3);
    }
    // Dropped streams bill half their output: streaming costs more; direct's 5xx/429 bill nothing.
    expect(bad.patterns.streaming!.cost.mean).toBeGreaterThan(base.patterns.streaming!.cost.p95);
    expect(bad.patterns.streaming!.latency.quantile(0.99)).toBeGreaterThan(base.patterns.streaming!.latency.quantile(0.99));
    expect(bad.patterns.direct!.slo.attainment).toBeLessThan(base.patterns.direct!.slo.attainment);
  });

  it('a longer tail (higher output p95) raises latency p95 and the spread of the bill, not its mean', async () => {
    const short = await simOf({ ...chat, output: { tokens: 450, p95: 700 } }, { openai: 4 });
    const long = await simOf({ ...chat, output: { tokens: 450, p95: 1700 } }, { openai: 4 });
    const a = simulateWorkload(short, { seed: 4, runs: 40, trafficRuns: 3 });
    const b = simulateWorkload(long, { seed: 4, runs: 40, trafficRuns: 3 });
    expect(b.patterns.direct!.latency.quantile(0.95)).toBeGreaterThan(1.5 * a.patterns.direct!.latency.quantile(0.95));
    expect(b.patterns.streaming!.latency.quantile(0.99)).toBeGreaterThan(a.patterns.streaming!.latency.quantile(0.99));
    expect(b.patterns.direct!.cost.sd).toBeGreaterThan(a.patterns.direct!.cost.sd);
    expect(b.patterns.direct!.analytic.totalUsdPerMonth).toBeCloseTo(a.patterns.direct!.analytic.totalUsdPerMonth, 9);
  });

  it('queues exactly when the load passes the tier\'s limits', async () => {
    // gpt-4o-mini at OpenAI tier 1: 500 RPM, 200,000 TPM. Tokens per request 200 + 100 = 300, so TPM
    // allows 666 requests/min and RPM binds at 500. Peak RPM = R / 43,200 × peak factor 2.
    //   R = 5.4M  → peak 250/min: half the limit, no minute reaches it (Poisson sd ≈ 16) → nothing waits
    //   R = 15.1M → peak ≈ 699/min: above 500 for hours a day → requests wait
    const small = { model: 'gpt-4o-mini', latency: '10s', input: { tokens: 200 }, output: { tokens: 100, p95: 150 }, peak_factor: 2 };
    const below = simulateWorkload(await simOf({ ...small, volume: 5_400_000 }, { openai: 1 }), { seed: 1, runs: 2 });
    const above = simulateWorkload(await simOf({ ...small, volume: 15_100_000 }, { openai: 1 }), { seed: 1, runs: 2 });
    for (const p of ['direct', 'streaming'] as const) {
      expect(below.patterns[p]!.queue.requests).toBe(0);
      expect(below.patterns[p]!.queue.busyMinutes).toBe(0);
      expect(below.patterns[p]!.queue.wait.max).toBe(0);
      expect(above.patterns[p]!.queue.fraction).toBeGreaterThan(0.1);
      expect(above.patterns[p]!.queue.wait.quantile(0.95)).toBeGreaterThan(1);
    }
    // Batch has its own limit: tier 1 lets 2M input tokens wait in the batch queue, 2,000,000 / 200 =
    // 10,000 requests per hourly window, while 15.1M / 720 ≈ 21,000 arrive per hour: the backlog grows.
    expect(above.patterns.batch!.queue.fraction).toBeGreaterThan(0.5);
  });

  it('queues on Anthropic\'s output-token limit (OTPM), minute by minute, before the request limit binds', async () => {
    // claude-haiku-4-5 at tier 1: 50 RPM, 50,000 ITPM, 10,000 OTPM. 500 output tokens a request → OTPM lets
    // 20 requests/min through. Flat traffic (peak factor 1):
    //   172,800/month = 4/min: a minute of 20 arrivals is ~10 standard deviations away → nobody waits
    //   648,000/month = 15/min: 75% of the limit on average, but Poisson minutes of 21+ arrivals (~8% of
    //     them) pass it → requests wait in those minutes and the next ones, while the backlog drains
    //   1,296,000/month = 30/min: 15,000 OTPM against 10,000 → most wait, though 30 RPM and 30,000 ITPM fit
    const fields = { model: 'claude-haiku-4-5', latency: '1m', input: { tokens: 1000 }, output: { tokens: 500, p95: 700 } };
    const run = async (volume: number) => simulateWorkload(await simOf({ ...fields, volume }, { anthropic: '1' }), { seed: 1, runs: 2, assumptions: { latencySamples: 4000 } }).patterns.direct!.queue;
    const below = await run(172_800);
    const near = await run(648_000);
    const above = await run(1_296_000);
    expect(below.requests).toBe(0);
    expect(near.fraction).toBeGreaterThan(0);
    expect(near.fraction).toBeLessThan(above.fraction / 2);
    expect(near.wait.quantile(0.95)).toBeLessThan(60); // a burst drains within a minute or so
    expect(above.fraction).toBeGreaterThan(0.5);
    expect(above.wait.quantile(0.95)).toBeGreaterThan(3600); // a backlog that grows all month
  });

  it('puts batch latency in hours: submission window plus turnaround, within the 24 h guarantee mostly', async () => {
    const sim = await simOf({ model: 'gpt-4o-mini', volume: '50k/month', latency: 'overnight', input: { tokens: 2000 }, output: { tokens: 300 } });
    const r = simulateWorkload(sim, { seed: 9, runs: 5 });
    const b = r.patterns.batch!;
    // Wait for the hourly submission (mean 30 min) + turnaround (median 60 min): p50 between 1 and 3 h.
    expect(b.latency.quantile(0.5)).toBeGreaterThan(3600);
    expect(b.latency.quantile(0.5)).toBeLessThan(3 * 3600);
    expect(b.latency.quantile(0.99)).toBeLessThan(2 * 24 * 3600);
    expect(b.ttft.quantile(0.5)).toBe(b.latency.quantile(0.5)); // no partial output before the results file
    expect(b.slo.attainment).toBeGreaterThan(0.95); // overnight tolerance
    // ~50K/month in 720 hourly windows: one batch per window, also when only some runs go window by window.
    expect(b.batchesPerMonth).toBe(720);
    expect(simulateWorkload(sim, { seed: 9, runs: 12, trafficRuns: 3, assumptions: { latencySamples: 2000 } }).patterns.batch!.batchesPerMonth).toBe(720);
    expect(r.patterns.direct!.latency.quantile(0.5)).toBeLessThan(60);
  });
});

describe('stopping early (Ctrl-C)', () => {
  it('reports the runs done so far and says it was interrupted', async () => {
    const w = await workload(chat, catalog, { openai: 4 });
    let asked = 0;
    const report = await simulateFile([w, { ...w, name: 'second' }], catalog, {
      seed: 1,
      runs: 50,
      months: 3,
      growthPct: 10,
      now: new Date('2026-11-25T12:00:00Z'),
      version: 'test',
      stopped: () => ++asked >= 2,
    });
    expect(report.interrupted).toBe(true);
    expect(report.workloads).toHaveLength(1);
    expect(report.workloads[0]!.result.runs).toBe(2);
    expect(report.workloads[0]!.growth).toHaveLength(1);
  });
});
