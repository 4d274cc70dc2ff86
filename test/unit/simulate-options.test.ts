// simulate runs the option recommend chose (issue 13, "a headline that never contradicts itself"): where it is a
// service tier or provisioned capacity, simulate simulates that option's month (its prices from the cost model,
// its speed, the share sent to standard and its delay, no rate-limit queue on capacity) beside the three
// patterns, and its mean bill and within-tolerance share agree with recommend's figures for the option.
// In-process, seeded, a bounded number of runs.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import type { Catalog } from '../../src/core/catalog/schema.js';
import { buildRecommendation } from '../../src/core/recommend/build.js';
import { recommendJson } from '../../src/core/recommend/document.js';
import { chosenResult, simulateFile, type WorkloadReport } from '../../src/core/montecarlo/run.js';
import { simulationJson } from '../../src/render/simulate/json.js';
import { loadWorkloadFile } from '../../src/io/workload-files.js';
import type { WorkloadFile } from '../../src/core/workload/normalise.js';
import { backendJobYaml, fileFromYaml, steadyProvisionedYaml } from '../helpers/workloads.js';
import { ROOT } from '../helpers/paths.js';

const NOW = new Date('2026-11-25T12:00:00Z');
/** Issue 13's 15-minute gpt-5-mini job: flex is its choice. */
const BACKEND_JOB = backendJobYaml();
const RUNS = 20;

let catalog: Catalog;
beforeAll(async () => {
  catalog = await loadCatalog();
});

async function both(file: WorkloadFile, name: string) {
  const rec = recommendJson(buildRecommendation([file], catalog, { now: NOW, version: 't' })).workloads.find((w) => w.name === name)!;
  const only = file.workloads.filter((w) => w.name === name);
  const sim = await simulateFile(only, catalog, { seed: 3, runs: RUNS, months: 1, growthPct: 0, now: NOW, version: 't' });
  return { rec, sim, report: sim.workloads[0]! };
}

/** The mean bill agrees with the option's cost + overhead within 4 standard errors of the mean over the runs (and a cent). */
function expectBillAgrees(report: WorkloadReport, expected: number): void {
  const res = chosenResult(report)!;
  const sem = res.cost.sd / Math.sqrt(res.cost.runs.length);
  expect(Math.abs(res.cost.mean - expected), `mean ${res.cost.mean} vs ${expected} (sem ${sem})`).toBeLessThanOrEqual(4 * sem + 0.01);
}

describe('simulate simulates the chosen option', () => {
  it('comment-moderation: direct · priority, at priority prices, with the share within 800 ms recommend gives', async () => {
    const file = await loadWorkloadFile(join('examples', 'workloads.yaml'), { catalog, cwd: ROOT });
    const { rec, report } = await both(file, 'comment-moderation');
    expect(rec).toMatchObject({ pattern: 'direct', service_tier: 'priority' });
    const chosen = rec.options.find((o) => o.pattern === 'direct' && o.service_tier === 'priority')!;
    // gpt-4o-mini priority ($0.25 / $1.00 against $0.15 / $0.60): 12,960,000 requests × (300 × 0.25 + 5 × 1.00) / 1e6 = $1,036.80
    expect(chosen.cost_usd_per_month).toBe(1036.8);
    expect(report.option).not.toBeNull();
    expect(report.option!.label).toBe('direct · priority');
    expect(report.option!.result.analytic.costUsdPerMonth).toBeCloseTo(1036.8, 6);
    // the bill: the option's cost + its failure overhead (failed attempts billed at priority prices)
    expect(chosen.overhead_usd_per_month).toBeGreaterThan(0);
    expectBillAgrees(report, 1036.8 + chosen.overhead_usd_per_month!);
    // the share within the tolerance: recommend's for the option, within 2 points (not standard's ~90%)
    const share = chosenResult(report)!.slo.attainment;
    expect(Math.abs(share - chosen.within_tolerance!), `simulate ${share} vs recommend ${chosen.within_tolerance}`).toBeLessThanOrEqual(0.02);
    expect(share).toBeGreaterThan(report.result.patterns.direct!.slo.attainment + 0.03);
    // the standard patterns are still there, as before
    expect(report.result.patterns.direct!.analytic.costUsdPerMonth).toBeCloseTo(622.08, 6);
    // JSON: the option as its own entry, and the chosen figures
    const doc = simulationJson({ ...(await simulateFile([], catalog, { seed: 3, runs: 1, months: 1, growthPct: 0, now: NOW, version: 't' })), workloads: [report] }, catalog, 't') as { workloads: Array<Record<string, unknown>> };
    const w = doc.workloads[0]!;
    expect(w.chosen).toMatchObject({ pattern: 'direct', service_tier: 'priority', cache_ttl: null, simulated: 'options' });
    expect(w.options).toEqual([expect.objectContaining({ pattern: 'direct', service_tier: 'priority', label: 'direct · priority' })]);
    expect((w.chosen as { within_tolerance: number }).within_tolerance).toBe(Math.round(share * 1e6) / 1e6);
  });

  it('a 15-minute gpt-5-mini job: direct · flex, its refused 1% at standard after the refusal', async () => {
    const file = await fileFromYaml(BACKEND_JOB, catalog);
    const { rec, report } = await both(file, 'backend-job');
    expect(rec).toMatchObject({ pattern: 'direct', service_tier: 'flex', recommended_cost_usd_per_month: 2032.625 });
    const chosen = rec.options.find((o) => o.pattern === 'direct' && o.service_tier === 'flex')!;
    expect(report.option!.label).toBe('direct · flex');
    expectBillAgrees(report, 2032.625 + chosen.overhead_usd_per_month!);
    expect(Math.abs(chosenResult(report)!.slo.attainment - chosen.within_tolerance!)).toBeLessThanOrEqual(0.02);
    // flex is slower than standard: the option's median latency is longer than direct's at standard
    expect(report.option!.result.latency.quantile(0.5)).toBeGreaterThan(report.result.patterns.direct!.latency.quantile(0.5));
  });

  it('each growth month simulates the option recommend picks at its volume, and reports its bill', async () => {
    // The 15-minute gpt-5-mini job growing 50% a month: flex stays the choice, and each month's bill of it is
    // flex's (about half of direct's), scaling with the volume: month m costs 1.5^(m−1) × month 1 within noise.
    const file = await fileFromYaml(BACKEND_JOB, catalog);
    const sim = await simulateFile(file.workloads, catalog, { seed: 3, runs: 6, months: 3, growthPct: 50, now: NOW, version: 't' });
    const report = sim.workloads[0]!;
    const doc = simulationJson(sim, catalog, 't') as { workloads: Array<{ growth: Array<{ recommended_service_tier: string; recommended_cost_usd: { mean: number } | null; cost_usd: { direct: { mean: number } } }> }> };
    const growth = doc.workloads[0]!.growth;
    expect(growth.map((g) => g.recommended_service_tier)).toEqual(['flex', 'flex', 'flex']);
    // Month 1 is the option simulate reports in full.
    expect(growth[0]!.recommended_cost_usd!.mean).toBeCloseTo(report.option!.result.cost.mean, 2);
    for (const [i, g] of growth.entries()) {
      expect(g.recommended_cost_usd!.mean / g.cost_usd.direct.mean).toBeLessThan(0.6);
      expect(g.recommended_cost_usd!.mean / (growth[0]!.recommended_cost_usd!.mean * 1.5 ** i)).toBeCloseTo(1, 1);
    }
  });

  it('provisioned capacity: the fee every month, no rate-limit queue', async () => {
    const file = await fileFromYaml(steadyProvisionedYaml(0.01), catalog);
    const { rec, report } = await both(file, 'steady');
    expect(rec).toMatchObject({ service_tier: 'provisioned', recommended_cost_usd_per_month: 756 });
    const chosen = rec.options.find((o) => o.pattern === 'direct' && o.service_tier === 'provisioned')!;
    // 105 units × $0.01 × 720 h = $756, nothing per token, failed attempts included
    expect(chosen.overhead_usd_per_month).toBe(0);
    const res = chosenResult(report)!;
    expect(res.cost.mean).toBeCloseTo(756, 6);
    expect(res.queue.fraction).toBe(0);
    expect(Math.abs(res.slo.attainment - chosen.within_tolerance!)).toBeLessThanOrEqual(0.02);
  });

  it("warns at recommend's threshold for the tolerance (data/thresholds.yaml), not at a fixed 99%", async () => {
    const file = await loadWorkloadFile(join('examples', 'workloads.yaml'), { catalog, cwd: ROOT });
    const only = file.workloads.filter((w) => w.name === 'ticket-router');
    const opts = { seed: 3, runs: 2, months: 1, growthPct: 0, now: NOW, version: 't' };
    // ticket-router's direct calls: ~96% within 800 ms, over min_within_tolerance_seconds (0.95): no warning
    const report = (await simulateFile(only, catalog, opts)).workloads[0]!;
    expect(report.minWithinTolerance).toBe(catalog.thresholds.values.min_within_tolerance_seconds.value);
    expect(chosenResult(report)!.slo.attainment).toBeGreaterThan(0.95);
    expect(report.warnings.join('\n')).not.toMatch(/only [\d.]+% of direct requests meet/);
    // the same workload held to 0.99 by the thresholds: the warning names the share
    const v = catalog.thresholds.values;
    const strict: Catalog = { ...catalog, thresholds: { ...catalog.thresholds, values: { ...v, min_within_tolerance_seconds: { ...v.min_within_tolerance_seconds, value: 0.99 } } } };
    const held = (await simulateFile(only, strict, opts)).workloads[0]!;
    expect(held.warnings.join('\n')).toMatch(/only 9\d\.\d% of direct requests meet the 0\.8 s tolerance/);
  });

  it('keeps to the patterns where recommend chose one at the standard tier', async () => {
    const file = await loadWorkloadFile(join('examples', 'workloads.yaml'), { catalog, cwd: ROOT });
    const { report } = await both(file, 'ticket-router');
    expect(report.option).toBeNull();
    expect(chosenResult(report)).toBe(report.result.patterns.direct);
  });
});
