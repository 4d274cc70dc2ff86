// Simulates every workload of a file (and, with --months, each month of growth): the orchestration the
// command calls. Pure apart from the `pause` hook the command passes to yield between runs.
import type { Catalog } from '../catalog/schema.js';
import type { WorkloadCost } from '../recommend/cost/workload-cost.js';
import { buildRecommendation, type WorkloadRecommendation } from '../recommend/build.js';
import type { Workload } from '../workload/normalise.js';
import { dailyCycle, MINUTES_PER_MONTH, traceProfile, type ArrivalProfile } from './arrivals.js';
import { Z95 } from './distributions.js';
import { WorkloadSimulator, type PatternResult, type WorkloadSimulation } from './engine.js';
import { DurationHistogram } from './histogram.js';
import { simOptionFrom, simWorkloadOf } from './input.js';
import { minWithinTolerance, optionLabel, type ServiceOption } from '../recommend/options.js';
import type { SimWorkload } from './model.js';
import { PATTERNS, type Pattern } from '../recommend/pattern.js';
import { shortChoiceLabel } from '../recommend/choice-label.js';
import type { Trace } from './trace.js';

export interface SimulateOptions {
  seed: number;
  runs: number;
  /** Months to project (1 = only this month). */
  months: number;
  /** Growth of the volume per month, in percent. */
  growthPct: number;
  trace?: { file: string; trace: Trace };
  /** How often the batch client submits; default: recommend's submission cadence (limits.batch.windowS). */
  batchEveryS?: number;
  /** The injected clock and aip's version, for recommend's figures of each month. */
  now: Date;
  version: string;
  /** The file's own minimum monthly saving for batch (settings.min_batch_saving_usd). */
  minBatchSavingUsd?: number;
  /**
   * Runs of this month simulated minute by minute (the queue and the traced requests; the rest draw only the
   * arrivals and the bill). Default 10: 432,000 simulated minutes for the queue's means, and the traced
   * requests are a fixed number spread over them, so more runs would add time, not precision.
   */
  trafficRuns?: number;
  /** Runs per growth month simulated minute by minute (the rest draw only the bill). */
  growthTrafficRuns?: number;
  /** Called after each run with the runs done and the runs planned over everything. */
  onProgress?(done: number, total: number, workload: string): void;
  /** Awaited between runs (lets the event loop deliver Ctrl-C and paint progress). */
  pause?(): Promise<void>;
  /** True once the user asked to stop: the runs done so far are reported. */
  stopped?(): boolean;
}

export interface GrowthMonth {
  month: number;
  requestsPerMonth: number;
  cost: Partial<Record<Pattern, { mean: number; p5: number; p50: number; p95: number }>>;
  /** Direct's mean minus batch's (null without batch). */
  batchSavingUsd: number | null;
  batchPays: boolean;
  /** Share of requests that waited for the rate limit (direct), and whether no minute reached it. */
  queuedFraction: number;
  fits: boolean;
  peakRpm: number;
  /** What `aip recommend` says at this month's volume: the pattern, and the service tier of its option. */
  recommended: Pattern;
  recommendedServiceTier: ServiceOption['serviceTier'];
  /** The simulated bill of that choice this month (its service tier or capacity simulated as its own month). */
  recommendedCost: { mean: number; p5: number; p50: number; p95: number } | null;
  /** recommend's analytic check of the real-time limits at peak (null: no published limits). */
  limitsFit: boolean | null;
  /** The lowest tier that would fit, when this one does not (null: none published does). */
  fittingTier: string | null | undefined;
}

export interface GrowthChange {
  month: number;
  what: 'recommendation_changes' | 'batch_starts_paying' | 'batch_stops_paying' | 'tier_stops_fitting' | 'tier_fits_again';
  message: string;
}

/** recommend's chosen option where it is not a pattern at the standard tier: simulated as its own month. */
export interface OptionReport {
  option: ServiceOption;
  /** e.g. "direct · priority" */
  label: string;
  sim: SimWorkload;
  result: PatternResult;
}

export interface WorkloadReport {
  workload: Workload;
  /** recommend's view of this month: the pattern, its reasons, limits. */
  recommendation: WorkloadRecommendation;
  sim: SimWorkload;
  cost: WorkloadCost;
  result: WorkloadSimulation;
  /** The chosen option's own month (a service tier, provisioned capacity, another cache lifetime); null: the patterns above are the choice. */
  option: OptionReport | null;
  /** The share of requests within the tolerance a choice should reach (data/thresholds.yaml, as recommend). */
  minWithinTolerance: number;
  growth: GrowthMonth[];
  changes: GrowthChange[];
  warnings: string[];
}

export interface SimulationReport {
  seed: number;
  runs: number;
  months: number;
  growthPct: number;
  workloads: WorkloadReport[];
  /** True when the user stopped it: figures cover the runs done. */
  interrupted: boolean;
}

/** Volume in month m (1-based): this month's × (1 + growth)^(m − 1). */
export function monthlyVolumes(requestsPerMonth: number, months: number, growthPct: number): number[] {
  return Array.from({ length: months }, (_, i) => requestsPerMonth * Math.pow(1 + growthPct / 100, i));
}

export async function simulateFile(workloads: readonly Workload[], catalog: Catalog, opts: SimulateOptions): Promise<SimulationReport> {
  const total = workloads.length * opts.runs * opts.months;
  let done = 0;
  const reports: WorkloadReport[] = [];
  let interrupted = false;
  for (const workload of workloads) {
    const one = await simulateWorkloadReport(workload, catalog, opts, () => {
      done += 1;
      opts.onProgress?.(done, total, workload.name);
    });
    if (one.report) reports.push(one.report);
    if ((interrupted = one.interrupted)) break;
  }
  return { seed: opts.seed, runs: opts.runs, months: opts.months, growthPct: opts.growthPct, workloads: reports, interrupted };
}

/**
 * One workload of a file: its month, its chosen option's month and its growth months, run by run. Its random
 * streams come from the seed, the month and the workload's name only, never from the workloads before it, so
 * it gives the same figures alone, in a file, or on another thread. `counted` is called after each run;
 * `opts.stopped` is asked after each run (then the figures cover the runs done, and `interrupted` is true).
 */
export async function simulateWorkloadReport(workload: Workload, catalog: Catalog, opts: Omit<SimulateOptions, 'onProgress'>, counted: () => void): Promise<{ report: WorkloadReport | null; interrupted: boolean }> {
  const trafficRuns = Math.min(opts.runs, opts.trafficRuns ?? 10);
  const growthTrafficRuns = Math.min(opts.runs, opts.growthTrafficRuns ?? 3);
  const minSaving = opts.minBatchSavingUsd ?? catalog.thresholds.values.batch_min_monthly_saving_usd.value;
  let interrupted = false;
  const arrivals: ArrivalProfile = opts.trace ? traceProfile(opts.trace.trace.perMinute, opts.trace.file) : dailyCycle(workload.peakFactor);
  const volumes = monthlyVolumes(workload.requestsPerMonth, opts.months, opts.growthPct);
  let base: { sim: SimWorkload; cost: WorkloadCost; result: WorkloadSimulation; recommendation: WorkloadRecommendation; option: OptionReport | null } | undefined;
  const growth: GrowthMonth[] = [];
  for (const [i, volume] of volumes.entries()) {
    if (interrupted) break;
    const scaled = i === 0 ? workload : { ...workload, requestsPerMonth: volume };
    const recommendation = buildRecommendation([scaled], catalog, { now: opts.now, version: opts.version, minBatchSavingUsd: minSaving }).workloads[0]!;
    const batchEveryS = opts.batchEveryS ?? recommendation.limits.batch.windowS;
    const { sim, cost } = simWorkloadOf(scaled, catalog, { arrivals, batchEveryS });
    const simOpts = {
      seed: opts.seed + i,
      runs: opts.runs,
      trafficRuns: i === 0 ? trafficRuns : growthTrafficRuns,
      assumptions: i === 0 ? undefined : { latencySamples: 20_000 },
    };
    const simulator = new WorkloadSimulator(sim, simOpts);
    // This month's choice, where it is not a pattern at the standard tier, run by run beside the patterns
    // (its own random stream: the patterns' figures stay as they were). Each growth month runs its own
    // choice: the tier recommend picks at that volume.
    const chosen = recommendation.options.chosen;
    const optionSim = isOption(chosen, scaled) ? simOptionFrom(scaled, cost, sim, chosen) : null;
    const label = optionLabel(chosen);
    const optionSimulator = optionSim ? new WorkloadSimulator(optionSim, { ...simOpts, stream: `${workload.name} · ${label}` }) : null;
    const step = () => {
      optionSimulator?.step();
      return simulator.step();
    };
    while (step()) {
      counted();
      if (opts.pause) await opts.pause();
      if (opts.stopped?.()) {
        interrupted = true;
        break;
      }
    }
    if (!interrupted) counted();
    const result = simulator.result();
    const optionResult = optionSimulator?.result().patterns[chosen.pattern];
    const option = optionSim && optionResult ? { option: chosen, label, sim: optionSim, result: optionResult } : null;
    if (i === 0) base = { sim, cost, result, recommendation, option };
    growth.push(growthMonth(i + 1, sim, result, minSaving, recommendation, option?.result ?? result.patterns[recommendation.decision.pattern]));
  }
  if (!base) return { report: null, interrupted };
  const minShare = minWithinTolerance(workload.toleranceSeconds, catalog.thresholds.values);
  const chosenResult = base.option?.result ?? base.result.patterns[base.recommendation.decision.pattern];
  const warnings = [...warningsOf(base.sim, arrivals, opts), ...sloWarnings(base.sim, chosenResult, base.option?.label ?? base.recommendation.decision.pattern, minShare)];
  return { report: { workload, ...base, minWithinTolerance: minShare, growth, changes: growthChanges(growth, base.sim, minSaving, catalog), warnings }, interrupted };
}

/** The duration histograms of a workload's report: what a thread hands over (their buffers) and revives (their class). */
export function histogramsOf(r: Pick<WorkloadReport, 'result' | 'option'>): DurationHistogram[] {
  const results = [...Object.values(r.result.patterns), ...(r.option ? [r.option.result] : [])];
  return results.flatMap((p) => [p.latency, p.ttft, p.queue.wait]);
}

/** A report that crossed a thread (a structured clone keeps data, not classes): its histograms' methods back. */
export function reviveReport(r: WorkloadReport): WorkloadReport {
  for (const h of histogramsOf(r)) DurationHistogram.revive(h);
  return r;
}

function growthMonth(month: number, sim: SimWorkload, r: WorkloadSimulation, minSaving: number, rec: WorkloadRecommendation, chosen: PatternResult | undefined): GrowthMonth {
  const cost: GrowthMonth['cost'] = {};
  for (const p of PATTERNS) {
    const c = r.patterns[p]?.cost;
    if (c) cost[p] = { mean: c.mean, p5: c.p5, p50: c.p50, p95: c.p95 };
  }
  const batchSavingUsd = cost.batch && cost.direct ? cost.direct.mean - cost.batch.mean : null;
  const direct = r.patterns.direct;
  return {
    month,
    requestsPerMonth: sim.requestsPerMonth,
    cost,
    batchSavingUsd,
    batchPays: batchSavingUsd !== null && batchSavingUsd >= minSaving,
    queuedFraction: direct?.queue.fraction ?? 0,
    fits: (direct?.queue.busyMinutes ?? 0) === 0,
    peakRpm: (sim.requestsPerMonth / MINUTES_PER_MONTH) * sim.arrivals.peakFactor,
    recommended: rec.decision.pattern,
    recommendedServiceTier: rec.options.chosen.serviceTier,
    recommendedCost: chosen ? { mean: chosen.cost.mean, p5: chosen.cost.p5, p50: chosen.cost.p50, p95: chosen.cost.p95 } : null,
    limitsFit: rec.limits.fits,
    fittingTier: rec.limits.fittingTier,
  };
}

/** Runs simulated minute by minute (rate-limit queue, batch windows, traced latency) in the report: the rest drew only the bill. */
export function minuteByMinuteRuns(report: Pick<SimulationReport, 'workloads'>): number {
  return Math.max(0, ...report.workloads.map((w) => w.result.trafficRuns));
}

/** "direct", or "direct priority" where the option is another service tier or capacity (as the summary's choice). */
export function recommendedLabel(g: Pick<GrowthMonth, 'recommended' | 'recommendedServiceTier'>): string {
  return shortChoiceLabel({ pattern: g.recommended, serviceTier: g.recommendedServiceTier });
}

/** The months in which the advice a person would act on changes. */
function growthChanges(growth: GrowthMonth[], sim: SimWorkload, minSaving: number, catalog: Catalog): GrowthChange[] {
  const changes: GrowthChange[] = [];
  const batchAllowed = !sim.userFacing && sim.toleranceS >= catalog.thresholds.values.batch_min_tolerance_s.value;
  const tier = sim.limits ? `tier ${sim.limits.tier}` : 'the tier';
  for (let i = 1; i < growth.length; i++) {
    const prev = growth[i - 1]!;
    const cur = growth[i]!;
    if (prev.recommended !== cur.recommended || prev.recommendedServiceTier !== cur.recommendedServiceTier) {
      changes.push({ month: cur.month, what: 'recommendation_changes', message: `aip recommend switches from ${recommendedLabel(prev)} to ${recommendedLabel(cur)} at ${Math.round(cur.requestsPerMonth).toLocaleString('en-US')} requests/month` });
    }
    // Batch's saving matters only where the tolerance allows batch at all (hours, nobody watching).
    if (batchAllowed && !prev.batchPays && cur.batchPays) {
      changes.push({ month: cur.month, what: 'batch_starts_paying', message: `batch starts paying: it saves $${cur.batchSavingUsd!.toFixed(2)}/month over direct, above the $${minSaving} threshold` });
    }
    if (batchAllowed && prev.batchPays && !cur.batchPays) changes.push({ month: cur.month, what: 'batch_stops_paying', message: `batch's saving falls below the $${minSaving} threshold` });
    if (prev.fits && !cur.fits) {
      const fix = cur.fittingTier ? `; tier ${cur.fittingTier} would fit` : cur.fittingTier === null ? '; no published tier fits' : '';
      changes.push({ month: cur.month, what: 'tier_stops_fitting', message: `${tier} stops fitting: at ${Math.round(cur.peakRpm).toLocaleString('en-US')} requests/min at peak, ${(cur.queuedFraction * 100).toFixed(1)}% of requests wait for the rate limit${fix}` });
    }
    if (!prev.fits && cur.fits) changes.push({ month: cur.month, what: 'tier_fits_again', message: `${tier} fits again` });
  }
  return changes;
}

/**
 * Is recommend's choice something the patterns at the standard tier do not already simulate: another tier,
 * provisioned capacity, or a cache lifetime other than the workload's?
 */
function isOption(o: Pick<ServiceOption, 'serviceTier' | 'cacheTtl'>, w: Workload): boolean {
  return o.serviceTier !== 'standard' || (o.cacheTtl !== null && o.cacheTtl !== (w.input.cacheTtl ?? '5m'));
}

/** The simulated figures of what recommend chose: its option's own month, or its pattern's. */
export function chosenResult(r: Pick<WorkloadReport, 'option' | 'result' | 'recommendation'>): PatternResult | undefined {
  return r.option?.result ?? r.result.patterns[r.recommendation.decision.pattern];
}

/**
 * Where the recommended option misses the tolerance more often than recommend allows (data/thresholds.yaml:
 * min_within_tolerance_hours or _seconds), say so and what to change.
 */
function sloWarnings(sim: SimWorkload, res: PatternResult | undefined, label: string, minShare: number): string[] {
  if (!res || res.slo.attainment >= minShare) return [];
  const pattern = res.pattern;
  const share = `${(res.slo.attainment * 100).toFixed(1)}%`;
  if (pattern === 'batch') {
    const every = sim.batch.submitEveryS / 3600;
    if (res.queue.fraction > 0.01) {
      return [`only ${share} of batch requests finish within the tolerance (${sim.toleranceS / 3600} h): ${(res.queue.fraction * 100).toFixed(1)}% wait in the batch queue, which at tier ${sim.limits?.tier} holds less than one submission window; submit in smaller slices or move up a tier`];
    }
    return [`only ${share} of batch requests finish within the tolerance (${sim.toleranceS / 3600} h) when a batch is submitted every ${every} h: answers wait for the submission, then the turnaround; submit more often (--batch-every 1h shows the effect)`];
  }
  const why = res.queue.fraction > 0 ? `; ${(res.queue.fraction * 100).toFixed(1)}% of requests wait for the rate limit` : '';
  return [`only ${share} of ${label} requests meet the ${sim.toleranceS} s tolerance (${res.slo.measuredOn === 'ttft' ? 'time to first token' : 'total latency'})${why}`];
}

function warningsOf(sim: SimWorkload, arrivals: ArrivalProfile, opts: Pick<SimulateOptions, 'trace'>): string[] {
  const warnings: string[] = [];
  if (!sim.patterns.some((p) => p.pattern === 'batch')) warnings.push(`${sim.model} has no batch API: batch is not simulated`);
  if (!sim.limits) warnings.push(`no published rate limits for ${sim.model} at this tier: no rate-limit queueing is simulated`);
  const perDay = sim.requestsPerMonth / 30;
  if (sim.limits?.rpd !== undefined && perDay > sim.limits.rpd) {
    warnings.push(`tier ${sim.limits.tier} allows ${sim.limits.rpd} requests/day and this workload sends ${Math.round(perDay)}: direct and streaming would be refused past the daily cap, which is not simulated as a queue`);
  }
  const output = sim.output;
  if (output.p95 / output.mean > Math.exp((Z95 * Z95) / 2)) {
    warnings.push(`output p95 ${output.p95} is more than 3.87× the mean ${output.mean}: no lognormal has so long a tail, the simulation caps it there (latency tails are understated)`);
  }
  if (opts.trace) warnings.push(`arrivals follow the shape of ${opts.trace.file} (${opts.trace.trace.requests} requests over ${opts.trace.trace.spanMinutes} min, peak ${arrivals.peakFactor.toFixed(1)}× the average), scaled to ${Math.round(sim.requestsPerMonth)} requests/month`);
  return warnings;
}
