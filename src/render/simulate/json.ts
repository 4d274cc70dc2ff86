// The JSON document of `aip simulate --json` (docs/spec.md "simulate --json"): plain numbers, fields added but never renamed.
import type { Catalog } from '../../core/catalog/schema.js';
import type { DurationHistogram } from '../../core/montecarlo/histogram.js';
import { PATTERNS } from '../../core/recommend/pattern.js';
import type { PatternResult } from '../../core/montecarlo/engine.js';
import { chosenResult, type SimulationReport, type WorkloadReport } from '../../core/montecarlo/run.js';

const usd = (x: number) => Math.round(x * 1e4) / 1e4;
const sec = (x: number) => Math.round(x * 1e3) / 1e3;
const num = (x: number) => Math.round(x * 10) / 10;
const frac = (x: number) => Math.round(x * 1e6) / 1e6;

export function simulationJson(report: SimulationReport, catalog: Catalog, version: string): unknown {
  return {
    aip_version: version,
    catalog_as_of: catalog.asOf,
    seed: report.seed,
    runs: report.runs,
    months: report.months,
    growth_pct: report.growthPct,
    interrupted: report.interrupted,
    workloads: report.workloads.map(workloadJson),
  };
}

function workloadJson(r: WorkloadReport): unknown {
  const patterns: Record<string, unknown> = {};
  for (const p of PATTERNS) {
    const res = r.result.patterns[p];
    const cacheWrites = r.cost.cacheWrites[p];
    patterns[p] = res ? { ...(patternJson(res) as object), cache_write_usd: cacheWrites === null ? null : usd(cacheWrites) } : null;
  }
  const chosen = chosenResult(r);
  const c = r.recommendation.options.chosen;
  return {
    name: r.workload.name,
    model: r.sim.model,
    requests_per_month: r.sim.requestsPerMonth,
    simulated_requests_per_month: num(r.result.requestsPerMonth.simulatedMean),
    traced_requests: r.result.tracedRequests,
    runs: r.result.runs,
    tolerance_s: r.sim.toleranceS,
    tier: r.sim.limits?.tier ?? null,
    recommended: r.recommendation.decision.pattern,
    latency_source: r.recommendation.latency.measured ?? 'catalog typical speeds (estimates)',
    arrivals: { source: r.sim.arrivals.source, peak_factor: frac(r.sim.arrivals.peakFactor) },
    patterns,
    // recommend's chosen option and its simulated figures: from `options` where it is a service tier, provisioned
    // capacity or another cache lifetime (simulated as its own month), else from `patterns`.
    chosen: {
      pattern: c.pattern,
      service_tier: c.serviceTier,
      cache_ttl: c.cacheTtl,
      simulated: r.option ? 'options' : 'patterns',
      cost_usd: chosen ? { mean: usd(chosen.cost.mean), p5: usd(chosen.cost.p5), p50: usd(chosen.cost.p50), p95: usd(chosen.cost.p95), sd: usd(chosen.cost.sd) } : null,
      within_tolerance: chosen ? frac(chosen.slo.attainment) : null,
      min_within_tolerance: r.minWithinTolerance,
    },
    options: r.option
      ? [
          {
            pattern: r.option.option.pattern,
            service_tier: r.option.option.serviceTier,
            cache_ttl: r.option.option.cacheTtl,
            label: r.option.label,
            standard_share: frac(r.option.option.standardShare),
            ...(patternJson(r.option.result) as object),
            cache_write_usd: r.option.option.cacheWriteUsdPerMonth === null ? null : usd(r.option.option.cacheWriteUsdPerMonth),
          },
        ]
      : [],
    growth: r.growth.map((g) => ({
      month: g.month,
      requests_per_month: Math.round(g.requestsPerMonth),
      cost_usd: Object.fromEntries(PATTERNS.map((p) => {
        const c = g.cost[p];
        return [p, c ? { mean: usd(c.mean), p5: usd(c.p5), p50: usd(c.p50), p95: usd(c.p95) } : null];
      })),
      batch_saving_usd: g.batchSavingUsd === null ? null : usd(g.batchSavingUsd),
      batch_pays: g.batchPays,
      peak_rpm: num(g.peakRpm),
      queued_fraction: frac(g.queuedFraction),
      fits: g.fits,
      recommended: g.recommended,
      recommended_service_tier: g.recommendedServiceTier,
      recommended_cost_usd: g.recommendedCost ? { mean: usd(g.recommendedCost.mean), p5: usd(g.recommendedCost.p5), p50: usd(g.recommendedCost.p50), p95: usd(g.recommendedCost.p95) } : null,
      limits_fit: g.limitsFit,
      fitting_tier: g.fittingTier ?? null,
    })),
    changes: r.changes,
    warnings: r.warnings,
  };
}

function patternJson(p: PatternResult): unknown {
  return {
    cost_usd: { mean: usd(p.cost.mean), p5: usd(p.cost.p5), p50: usd(p.cost.p50), p95: usd(p.cost.p95), sd: usd(p.cost.sd) },
    analytic_usd: { cost: usd(p.analytic.costUsdPerMonth), overhead: usd(p.analytic.overheadUsdPerMonth), total: usd(p.analytic.totalUsdPerMonth) },
    latency_s: quantiles(p.latency),
    ttft_s: quantiles(p.ttft),
    failures: num(p.failures),
    retries: num(p.retries),
    failed_requests: num(p.failedRequests),
    failures_by_kind: Object.fromEntries(Object.entries(p.failuresByKind).map(([k, v]) => [k, num(v)])),
    queued: {
      requests: num(p.queue.requests),
      fraction: frac(p.queue.fraction),
      wait_s: { mean: sec(p.queue.wait.mean), p95: sec(p.queue.wait.quantile(0.95)), max: sec(p.queue.wait.max) },
      busy_minutes: num(p.queue.busyMinutes),
    },
    slo: { tolerance_s: p.slo.toleranceS, measured_on: p.slo.measuredOn, attainment: frac(p.slo.attainment) },
    // The share of requests within the tolerance (docs/spec.md): the same figure recommend computes analytically.
    within_tolerance: frac(p.slo.attainment),
    ...(p.batchesPerMonth !== undefined ? { batches_per_month: num(p.batchesPerMonth) } : {}),
  };
}

function quantiles(h: DurationHistogram): { p50: number; p95: number; p99: number; mean: number } {
  return { p50: sec(h.quantile(0.5)), p95: sec(h.quantile(0.95)), p99: sec(h.quantile(0.99)), mean: sec(h.mean) };
}
