// The analytic share of requests within the tolerance (core/time) against the Monte Carlo month that draws
// the same distributions: they agree within 2 points (issue 13, "one model of time").
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { dailyCycle } from '../../src/core/montecarlo/arrivals.js';
import { simulateWorkload } from '../../src/core/montecarlo/engine.js';
import { simWorkloadOf } from '../../src/core/montecarlo/input.js';
import { withinTolerance, withinTolerancePerPattern } from '../../src/core/time/within-tolerance.js';
import { workload } from '../helpers/workloads.js';

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

async function simOf(fields: Record<string, unknown>, batchEveryS = 3600) {
  const w = await workload(fields, catalog);
  return simWorkloadOf(w, catalog, { arrivals: dailyCycle(w.peakFactor), batchEveryS }).sim;
}

describe('withinTolerance', () => {
  it('agrees with the simulated month for a sub-second router (latency spread, retries)', async () => {
    const sim = await simOf({ model: 'gpt-4.1-nano', task: 'classification', volume: '20/min', latency: '800ms', input: { tokens: 600 }, output: { tokens: 8 }, peak_factor: 4 });
    const mc = simulateWorkload(sim, { seed: 1, runs: 4, assumptions: { latencySamples: 40_000 } });
    const est = withinTolerancePerPattern(sim);
    for (const p of ['direct', 'streaming'] as const) {
      expect(Math.abs(est[p]!.share - mc.patterns[p]!.slo.attainment)).toBeLessThan(0.02);
    }
    // p95 of the direct call: the figure simulate reports (not TTFT + p95 output ÷ speed).
    expect(est.direct!.latencyP95S).toBeCloseTo(mc.patterns.direct!.latency.quantile(0.95), 1);
    expect(est.direct!.share).toBeLessThan(0.99);
  });

  it('finds the batch queue overflow of a large labeling job at a low tier', async () => {
    const sim = await simOf({ model: 'gemini-2.5-flash', task: 'labeling', volume: '2M/month', latency: 'hours', input: { tokens: 900 }, output: { tokens: 40 } });
    const batch = sim.patterns.find((p) => p.pattern === 'batch')!;
    const est = withinTolerance(sim, batch);
    const mc = simulateWorkload(sim, { seed: 1, runs: 2, assumptions: { latencySamples: 20_000 } });
    expect(Math.abs(est.share - mc.patterns.batch!.slo.attainment)).toBeLessThan(0.02);
    expect(Math.abs(est.queuedShare - mc.patterns.batch!.queue.fraction)).toBeLessThan(0.02);
  });
});
