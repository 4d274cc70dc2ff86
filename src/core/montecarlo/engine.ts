// The simulation of one workload over a month, run after run: arrivals minute by minute, the rate-limit
// queue, batch windows, traced requests for latency, and the month's bill drawn from exact counts.
import { SIM_ASSUMPTIONS, type SimAssumptions } from './assumptions.js';
import { drawMonthlyBill } from './bill.js';
import { DurationHistogram, percentileOfSorted } from './histogram.js';
import type { SimWorkload } from './model.js';
import type { Pattern } from '../recommend/pattern.js';
import { seededRandom } from '../random.js';
import { makeShared, mixSeed, newState, type PatternState, type Shared } from './state.js';
import { cannotReachLimits, simulateTraffic } from './traffic.js';

export interface SimOptions {
  seed: number;
  runs: number;
  /**
   * Runs that simulate the month minute by minute (queueing, latency); the others draw only the month's
   * arrival count and bill. Default: all of them. The growth projection uses a few.
   */
  trafficRuns?: number;
  assumptions?: Partial<SimAssumptions>;
  /** Mixed into the seed instead of the workload's name: another random stream for the same workload (an option). */
  stream?: string;
}

export interface CostSummary {
  mean: number;
  p5: number;
  p50: number;
  p95: number;
  /** Standard deviation of the monthly bill across runs. */
  sd: number;
  /** Every run's bill, sorted (one number per run: bounded by --runs, not by volume). */
  runs: number[];
}

export interface PatternResult {
  pattern: Pattern;
  cost: CostSummary;
  /** The analytic bill the mean is checked against. */
  analytic: { costUsdPerMonth: number; overheadUsdPerMonth: number; totalUsdPerMonth: number };
  latency: DurationHistogram;
  ttft: DurationHistogram;
  /** Means per month over runs. */
  failures: number;
  retries: number;
  failedRequests: number;
  failuresByKind: Record<string, number>;
  queue: {
    /** Requests per month that waited for the rate limit (mean over runs). */
    requests: number;
    fraction: number;
    /** Waits of the traced requests (0 for those that did not wait). */
    wait: DurationHistogram;
    /** Minutes per month in which the limit was reached (mean over runs). */
    busyMinutes: number;
  };
  slo: { toleranceS: number; measuredOn: 'latency' | 'ttft'; attainment: number };
  /** Batch only: batches submitted per month (mean over the runs simulated window by window). */
  batchesPerMonth?: number;
}

export interface WorkloadSimulation {
  name: string;
  runs: number;
  /** Runs simulated minute by minute (the queue and latency figures come from these). */
  trafficRuns: number;
  requestsPerMonth: { expected: number; simulatedMean: number };
  tracedRequests: number;
  patterns: Partial<Record<Pattern, PatternResult>>;
}

/** Simulate `opts.runs` months of one workload at once. Deterministic for a seed. */
export function simulateWorkload(w: SimWorkload, opts: SimOptions): WorkloadSimulation {
  const sim = new WorkloadSimulator(w, opts);
  while (sim.step()) {
    // all runs, synchronously
  }
  return sim.result();
}

/**
 * The same, one run per step(), so a command can yield to the event loop between runs (progress, Ctrl-C)
 * and still get the results of the runs done so far.
 */
export class WorkloadSimulator {
  readonly totalRuns: number;
  private readonly trafficRunsWanted: number;
  private readonly shared: Shared;
  private readonly states: PatternState[];
  private readonly sampleFraction: number;
  private runs = 0;
  private simulatedRuns = 0;
  private arrivalsTotal = 0;
  private trafficArrivals = 0;
  private traced = 0;

  constructor(private readonly w: SimWorkload, opts: SimOptions) {
    const a: SimAssumptions = { ...SIM_ASSUMPTIONS, ...opts.assumptions };
    this.shared = makeShared(w, a, seededRandom(mixSeed(opts.seed, opts.stream ?? w.name)));
    this.states = w.patterns.map((spec) => newState(spec, w.client.maxRetries, a));
    this.shared.belowLimits = cannotReachLimits(this.shared, this.states);
    this.totalRuns = Math.max(1, Math.floor(opts.runs));
    this.trafficRunsWanted = Math.max(1, Math.min(this.totalRuns, Math.floor(opts.trafficRuns ?? this.totalRuns)));
    // Trace a bounded number of requests per run, chosen uniformly among arrivals (Poisson thinning).
    const perRun = Math.ceil(a.latencySamples / this.trafficRunsWanted);
    this.sampleFraction = w.requestsPerMonth > 0 ? Math.min(1, perRun / w.requestsPerMonth) : 0;
  }

  get done(): number {
    return this.runs;
  }

  /** Simulate the next run; false when all runs are done. */
  step(): boolean {
    if (this.runs >= this.totalRuns) return false;
    let arrivals: number;
    if (this.runs < this.trafficRunsWanted) {
      const month = simulateTraffic(this.shared, this.states, this.sampleFraction);
      arrivals = month.arrivals;
      this.trafficArrivals += arrivals;
      this.traced += month.traced;
      this.simulatedRuns += 1;
    } else arrivals = this.shared.rng.poisson(this.w.requestsPerMonth);
    this.arrivalsTotal += arrivals;
    for (const s of this.states) drawMonthlyBill(this.shared, s, arrivals);
    this.runs += 1;
    return this.runs < this.totalRuns;
  }

  /** The figures over the runs done so far (at least one run is done first). */
  result(): WorkloadSimulation {
    if (this.runs === 0) this.step();
    const patterns: Partial<Record<Pattern, PatternResult>> = {};
    for (const s of this.states) patterns[s.spec.pattern] = summarise(this.shared, s, this.runs, { runs: this.simulatedRuns, arrivals: this.trafficArrivals });
    return {
      name: this.w.name,
      runs: this.runs,
      trafficRuns: this.simulatedRuns,
      requestsPerMonth: { expected: this.w.requestsPerMonth, simulatedMean: this.arrivalsTotal / this.runs },
      tracedRequests: this.traced,
      patterns,
    };
  }
}

function summarise(sh: Shared, s: PatternState, runs: number, traffic: { runs: number; arrivals: number }): PatternResult {
  const sorted = [...s.costs].sort((x, y) => x - y);
  const mean = sorted.reduce((acc, c) => acc + c, 0) / runs;
  const variance = runs > 1 ? sorted.reduce((acc, c) => acc + (c - mean) ** 2, 0) / (runs - 1) : 0;
  const spec = s.spec;
  const byKind: Record<string, number> = {};
  spec.failures.forEach((f, k) => (byKind[f.kind] = (byKind[f.kind] ?? 0) + s.failuresByKind[k]! / runs));
  const queuedPerMonth = s.queued / traffic.runs;
  return {
    pattern: spec.pattern,
    cost: {
      mean,
      p5: percentileOfSorted(sorted, 0.05),
      p50: percentileOfSorted(sorted, 0.5),
      p95: percentileOfSorted(sorted, 0.95),
      sd: Math.sqrt(variance),
      runs: sorted,
    },
    analytic: {
      costUsdPerMonth: spec.analytic.costUsdPerMonth,
      overheadUsdPerMonth: spec.analytic.overheadUsdPerMonth,
      totalUsdPerMonth: spec.analytic.costUsdPerMonth + spec.analytic.overheadUsdPerMonth,
    },
    latency: s.latency,
    ttft: s.ttft,
    failures: s.failures / runs,
    retries: s.retries / runs,
    failedRequests: s.failedRequests / runs,
    failuresByKind: byKind,
    queue: {
      requests: queuedPerMonth,
      fraction: traffic.arrivals > 0 ? s.queued / traffic.arrivals : 0,
      wait: s.wait,
      busyMinutes: s.busyMinutes / traffic.runs,
    },
    slo: {
      toleranceS: sh.w.toleranceS,
      measuredOn: spec.pattern === 'streaming' && sh.w.userFacing ? 'ttft' : 'latency',
      attainment: s.traced > 0 ? s.sloMet / s.traced : 0,
    },
    // Batches are counted in the runs simulated window by window, as the queue.
    ...(spec.pattern === 'batch' ? { batchesPerMonth: s.batches / traffic.runs } : {}),
  };
}
