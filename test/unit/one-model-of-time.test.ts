// One model of time (issue 13): on every shipped example, the share of requests within the tolerance that
// aip recommend computes analytically for each pattern, and for the option it chooses (a service tier or
// provisioned capacity included), agrees within 2 percentage points with the share the Monte Carlo month of
// aip simulate measures (seeded, a few runs), and so does the p95 latency of direct calls.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { chosenResult, simulateFile } from '../../src/core/montecarlo/run.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import type { WorkloadFile } from '../../src/core/workload/normalise.js';
import { ROOT } from '../helpers/paths.js';
import { fileFromYaml } from '../helpers/workloads.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const EXAMPLES = readdirSync(join(ROOT, 'examples')).filter((f) => /\.ya?ml$/.test(f));

let catalog: Catalog;
const files = new Map<string, WorkloadFile>();
beforeAll(async () => {
  catalog = await loadCatalog();
  for (const f of EXAMPLES) files.set(f, await loadWorkloadFile(join('examples', f), { catalog, cwd: ROOT }));
});

describe('recommend and simulate agree on within_tolerance', () => {
  it('finds the shipped examples', () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });

  it.each(EXAMPLES)('%s: per workload and pattern, within 2 points', async (name) => {
    const file = files.get(name)!;
    const rec = recommendJson(buildRecommendation([file], catalog, { now: NOW, version: 't' }));
    const sim = await simulateFile(file.workloads, catalog, { seed: 1, runs: 2, months: 1, growthPct: 0, now: NOW, version: 't' });
    const rows: string[] = [];
    for (const w of rec.workloads) {
      const simulated = sim.workloads.find((s) => s.workload.name === w.name)!.result.patterns;
      for (const p of ['direct', 'streaming', 'batch'] as const) {
        const analytic = w.within_tolerance?.[p];
        const measured = simulated[p]?.slo.attainment;
        if (analytic === null || analytic === undefined || measured === undefined) continue;
        rows.push(`${w.name} ${p}: recommend ${(analytic * 100).toFixed(1)}%, simulate ${(measured * 100).toFixed(1)}%`);
        expect(Math.abs(analytic - measured), rows[rows.length - 1]).toBeLessThanOrEqual(0.02);
      }
      // The chosen option (a service tier or capacity is simulated as its own month): the share simulate's
      // summary line reports is recommend's for that option, within 2 points, and so is its cost + overhead.
      const report = sim.workloads.find((s) => s.workload.name === w.name)!;
      const chosen = w.options.find((o) => o.why_not === null)!;
      const res = chosenResult(report)!;
      expect(report.option === null, `${w.name}: ${chosen.pattern} · ${chosen.service_tier}`).toBe(chosen.service_tier === 'standard' && (chosen.cache_ttl === null || chosen.cache_ttl === (report.workload.input.cacheTtl ?? '5m')));
      if (chosen.within_tolerance !== null) {
        rows.push(`${w.name} chosen ${chosen.pattern} · ${chosen.service_tier}: recommend ${(chosen.within_tolerance * 100).toFixed(1)}%, simulate ${(res.slo.attainment * 100).toFixed(1)}%`);
        expect(Math.abs(chosen.within_tolerance - res.slo.attainment), rows[rows.length - 1]).toBeLessThanOrEqual(0.02);
      }
      expect(res.analytic.costUsdPerMonth, w.name).toBeCloseTo(chosen.cost_usd_per_month!, 3);
      expect(res.analytic.overheadUsdPerMonth, w.name).toBeCloseTo(chosen.overhead_usd_per_month!, 3);
      // The p95 recommend prints is simulate's (direct calls: the whole answer), within 10% or 50 ms.
      const direct = simulated.direct;
      if (direct && direct.latency.quantile(0.95) > 0) {
        const simP95 = direct.latency.quantile(0.95);
        expect(Math.abs(w.latency_s.total_p95 - simP95), `${w.name} p95 ${w.latency_s.total_p95} vs ${simP95}`).toBeLessThanOrEqual(Math.max(0.05, 0.1 * simP95));
      }
    }
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('the batch queue holds every batch in flight, in both models', () => {
  // gpt-4o-mini at OpenAI tier 1 (2M enqueued tokens), a 2 h tolerance: batches go every 30 min and the
  // typical turnaround is longer, so two are in flight at once. 3.5M requests/month of 500 input tokens put
  // ~2,431 requests (1.2M tokens) in an average window: one window fits the queue, two in flight do not.
  const YAML = `version: 1
tiers: { openai: 1 }
workloads:
  - name: labels
    model: gpt-4o-mini
    volume: 3500000
    latency: 2h
    input: { tokens: 500 }
    output: { tokens: 20 }
`;

  it('recommend counts the batches in flight against the queue, and simulate agrees on the share within the tolerance', async () => {
    const file = await fileFromYaml(YAML, catalog);
    const w = recommendJson(buildRecommendation([file], catalog, { now: NOW, version: 't' })).workloads[0]!;
    const b = w.limits.batch;
    expect(b.batches_in_flight).toBe(2);
    expect(b.queue).toMatchObject({ kind: 'tokens', limit: 2_000_000, fits: false });
    expect(b.queue!.needed / 2).toBeLessThan(2_000_000); // a window alone would fit
    // With half the queue left to each window the backlog grows all month: almost nothing is done within 2 h
    // (counting each window alone, the model said 68.8%).
    const analytic = w.within_tolerance!.batch!;
    expect(analytic).toBeLessThan(0.05);
    const sim = await simulateFile(file.workloads, catalog, { seed: 1, runs: 2, months: 1, growthPct: 0, now: NOW, version: 't' });
    const measured = sim.workloads[0]!.result.patterns.batch!;
    expect(Math.abs(analytic - measured.slo.attainment)).toBeLessThanOrEqual(0.02);
    expect(measured.queue.fraction).toBeGreaterThan(0.5);
    expect(w.pattern).not.toBe('batch');
  });
});
