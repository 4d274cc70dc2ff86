// The simulation of one workload over a month, run after run: arrivals minute by minute, the rate-limit
// queue, batch windows, traced requests for latency, and the month's bill drawn from exact counts.
import { MINUTES_PER_MONTH } from './arrivals.js';
import { SIM_ASSUMPTIONS, type SimAssumptions } from './assumptions.js';
import { drawLogNormal, drawSum, fitLogNormal, logNormalFromMedian, normalQuantile, type LogNormal } from './distributions.js';
import { expectedAttempts, type AttemptExpectation } from '../cost/overhead.js';
import { pickFailure } from './failures.js';
import { DurationHistogram, percentileOfSorted } from './histogram.js';
import type { ClientPolicy, FailureSpec, Pattern, PatternSpec, RateLimitSpec, SimWorkload } from './model.js';
import { queueMinute, waitAt } from './queue.js';
import { seededRandom, type Random } from './rng.js';

export interface SimOptions {
  seed: number;
  runs: number;
  /**
   * Runs that simulate the month minute by minute (queueing, latency); the others draw only the month's
   * arrival count and bill. Default: all of them. The growth projection uses a few.
   */
  trafficRuns?: number;
  assumptions?: Partial<SimAssumptions>;
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
  /** Batch only: batches submitted per month (mean). */
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

interface PatternState {
  spec: PatternSpec;
  expectation: AttemptExpectation;
  /** Expected failed attempts per request, per failure (same order as spec.failures). */
  failedAttemptsPerRequest: number[];
  costs: number[];
  latency: DurationHistogram;
  ttft: DurationHistogram;
  wait: DurationHistogram;
  failures: number;
  retries: number;
  failedRequests: number;
  failuresByKind: number[];
  queued: number;
  busyMinutes: number;
  sloMet: number;
  traced: number;
  batches: number;
  /** Rate-limit backlog in requests (direct, streaming) or batch-queue backlog (batch). */
  backlog: number;
}

interface Shared {
  w: SimWorkload;
  a: SimAssumptions;
  rng: Random;
  inputDist: LogNormal;
  outputDist: LogNormal;
  ttftDist: LogNormal;
  speedDist: LogNormal;
  turnaround: { dist: LogNormal; guaranteeS: number; expiredKind: number };
  /** Expected arrivals per minute of the arrival profile's period (scaled so a month holds the volume). */
  minuteRate: Float64Array;
  windowMinutes: number;
  /** Expected arrivals per batch submission window of the month. */
  windowRate: Float64Array;
  /**
   * No minute can come near the tier's limits (10 standard deviations of arrivals and tokens below them):
   * the month is then simulated window by window, with the same arrivals, cost and latency, and no queue.
   */
  belowLimits: boolean;
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
    this.shared = makeShared(w, a, seededRandom(mixSeed(opts.seed, w.name)));
    this.states = w.patterns.map((spec) => newState(spec, w.client.maxRetries));
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

function makeShared(w: SimWorkload, a: SimAssumptions, rng: Random): Shared {
  const inputDist = fitLogNormal(w.input.mean, w.input.p95, a.inputSigma);
  const outputDist = fitLogNormal(w.output.mean, w.output.p95, 0);
  const ttftDist = logNormalFromMedian(w.ttftS, a.ttftSigma);
  const speedDist = logNormalFromMedian(w.outputTokensPerS, a.speedSigma);
  const batchSpec = w.patterns.find((p) => p.pattern === 'batch');
  const expiredKind = batchSpec ? batchSpec.failures.findIndex((f) => f.kind === 'batch_expired') : -1;
  const lateProbability = expiredKind >= 0 ? batchSpec!.failures[expiredKind]!.probability : a.batchLateProbability;
  const guaranteeS = w.batch.windowHours * 3600;
  const medianS = w.batch.typicalTurnaroundMinutes * 60;
  // Turnaround: lognormal around the typical figure whose tail passes the guarantee with the late probability.
  const sigma = lateProbability > 0 && guaranteeS > medianS ? Math.log(guaranteeS / medianS) / normalQuantile(1 - lateProbability) : 0.5;
  const period = w.arrivals.weights.length;
  let weightSum = 0;
  for (let m = 0; m < MINUTES_PER_MONTH; m++) weightSum += w.arrivals.weights[m % period]!;
  const minuteRate = new Float64Array(period);
  for (let m = 0; m < period; m++) minuteRate[m] = (w.requestsPerMonth / weightSum) * w.arrivals.weights[m]!;
  const windowMinutes = Math.max(1, Math.round(w.batch.submitEveryS / 60));
  const windowRate = new Float64Array(Math.ceil(MINUTES_PER_MONTH / windowMinutes));
  for (let m = 0; m < MINUTES_PER_MONTH; m++) windowRate[Math.floor(m / windowMinutes)]! += minuteRate[m % period]!;
  return {
    w,
    a,
    rng,
    minuteRate,
    windowMinutes,
    windowRate,
    belowLimits: false,
    inputDist,
    outputDist,
    ttftDist,
    speedDist,
    turnaround: { dist: logNormalFromMedian(medianS, sigma), guaranteeS, expiredKind },
  };
}

function newState(spec: PatternSpec, maxRetries: number): PatternState {
  const expectation = expectedAttempts(spec.failures, maxRetries);
  return {
    spec,
    expectation,
    failedAttemptsPerRequest: spec.failures.map((f) => expectation.failedAttempts[f.kind] ?? 0),
    costs: [],
    latency: new DurationHistogram(),
    ttft: new DurationHistogram(),
    wait: new DurationHistogram(),
    failures: 0,
    retries: 0,
    failedRequests: 0,
    failuresByKind: spec.failures.map(() => 0),
    queued: 0,
    busyMinutes: 0,
    sloMet: 0,
    traced: 0,
    batches: 0,
    backlog: 0,
  };
}

/** FNV-1a of the workload name mixed into the seed: each workload its own stream, independent of order. */
function mixSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h ^ Math.floor(seed / 4294967296)) >>> 0;
}

interface MonthTraffic {
  arrivals: number;
  traced: number;
}

/**
 * One month minute by minute. Each minute draws its arrivals (Poisson at the daily cycle's rate), split into
 * traced and counted-only requests; real-time patterns push them through a fluid queue whose service rate
 * is the tier's limit for that minute; batch collects them into submission windows.
 */
function simulateTraffic(sh: Shared, states: PatternState[], sampleFraction: number): MonthTraffic {
  const { w, rng } = sh;
  const realtime = states.filter((s) => s.spec.pattern !== 'batch');
  const batch = states.find((s) => s.spec.pattern === 'batch');
  for (const s of states) s.backlog = 0;
  if (sh.belowLimits) return simulateTrafficByWindow(sh, realtime, batch, sampleFraction);
  const period = sh.minuteRate.length;
  const windowMinutes = sh.windowMinutes;
  let windowArrivals = 0;
  const windowTraced: number[] = []; // arrival offsets (s) of traced requests in the open batch window
  let arrivals = 0;
  let traced = 0;

  for (let m = 0; m < MINUTES_PER_MONTH; m++) {
    const lambda = sh.minuteRate[m % period]!;
    const tracedHere = sampleFraction > 0 ? rng.poisson(lambda * sampleFraction) : 0;
    const countedHere = sampleFraction < 1 ? rng.poisson(lambda * (1 - sampleFraction)) : 0;
    const n = tracedHere + countedHere;
    arrivals += n;
    traced += tracedHere;
    let minuteTokens: MinuteTokens | undefined;
    const tokens = (): MinuteTokens => (minuteTokens ??= drawMinuteTokens(sh, w.limits!, n));
    for (const s of realtime) {
      const load = n * s.expectation.attempts;
      const q0 = s.backlog;
      const capacity = minuteCapacity(sh, w.limits, n, load, q0, tokens);
      const minute = queueMinute(q0, load, capacity);
      if (minute.busy) {
        s.busyMinutes += 1;
        s.queued += n * minute.waitingFraction;
      }
      s.backlog = minute.backlogAfter;
      for (let i = 0; i < tracedHere; i++) {
        const waitS = waitAt(q0, load, capacity, rng.uniform());
        traceRealtime(sh, s, waitS);
      }
    }
    if (batch) {
      for (let i = 0; i < tracedHere; i++) windowTraced.push(((m % windowMinutes) + rng.uniform()) * 60);
      windowArrivals += n;
      if ((m + 1) % windowMinutes === 0 || m === MINUTES_PER_MONTH - 1) {
        // The month's last window may be shorter than the others.
        closeBatchWindow(sh, batch, windowArrivals, windowTraced, ((m % windowMinutes) + 1) * 60);
        windowArrivals = 0;
        windowTraced.length = 0;
      }
    }
  }
  return { arrivals, traced };
}

/** The month window by window, for traffic that cannot reach the limits: nobody waits for the rate limit. */
function simulateTrafficByWindow(sh: Shared, realtime: PatternState[], batch: PatternState | undefined, sampleFraction: number): MonthTraffic {
  const { rng } = sh;
  const traced: number[] = [];
  let arrivals = 0;
  let tracedCount = 0;
  for (let i = 0; i < sh.windowRate.length; i++) {
    const lambda = sh.windowRate[i]!;
    // The month's last window may be shorter than the others.
    const windowS = Math.min(sh.windowMinutes, MINUTES_PER_MONTH - i * sh.windowMinutes) * 60;
    const tracedHere = sampleFraction > 0 ? rng.poisson(lambda * sampleFraction) : 0;
    const n = tracedHere + (sampleFraction < 1 ? rng.poisson(lambda * (1 - sampleFraction)) : 0);
    arrivals += n;
    tracedCount += tracedHere;
    for (const s of realtime) for (let k = 0; k < tracedHere; k++) traceRealtime(sh, s, 0);
    if (batch) {
      traced.length = 0;
      for (let k = 0; k < tracedHere; k++) traced.push(rng.uniform() * windowS);
      closeBatchWindow(sh, batch, n, traced, windowS);
    }
  }
  return { arrivals, traced: tracedCount };
}

/**
 * True when even the busiest minute stays 10 standard deviations below every limit: arrivals (Poisson, with
 * retries) and tokens (sums of the fitted lognormals). Then the minute-by-minute queue would stay empty.
 */
function cannotReachLimits(sh: Shared, states: PatternState[]): boolean {
  const limits = sh.w.limits;
  if (!limits) return true;
  let busiest = 0;
  for (let m = 0; m < sh.minuteRate.length; m++) if (sh.minuteRate[m]! > busiest) busiest = sh.minuteRate[m]!;
  const attempts = Math.max(1, ...states.filter((s) => s.spec.pattern !== 'batch').map((s) => s.expectation.attempts));
  const load = busiest * attempts;
  const n = load + 10 * Math.sqrt(load) + 10;
  if (limits.rpm !== undefined && n > limits.rpm) return false;
  const inScale = limits.cacheReadsCount ? 1 : 1 - sh.w.input.cachedFraction;
  const input = { mean: sh.inputDist.mean * inScale, variance: sh.inputDist.variance * inScale * inScale };
  const output = { mean: sh.outputDist.mean, variance: sh.outputDist.variance };
  const high = (mean: number, variance: number) => n * mean + 10 * Math.sqrt(n * variance);
  if (limits.tpm !== undefined) {
    const both = limits.tpmCounts === 'input' ? input : { mean: input.mean + output.mean, variance: input.variance + output.variance };
    if (high(both.mean, both.variance) > limits.tpm) return false;
  }
  if (limits.itpm !== undefined && high(input.mean, input.variance) > limits.itpm) return false;
  if (limits.otpm !== undefined && high(output.mean, output.variance) > limits.otpm) return false;
  return true;
}

/** Mean counted input and output tokens per request among one minute's arrivals. */
interface MinuteTokens {
  input: number;
  output: number;
}

/** Sums of fewer draws than this are drawn one by one for a minute's tokens (the queue's capacity only). */
const MINUTE_EXACT_BELOW = 8;

function drawMinuteTokens(sh: Shared, limits: RateLimitSpec, n: number): MinuteTokens {
  const inScale = limits.cacheReadsCount ? 1 : 1 - sh.w.input.cachedFraction;
  return {
    input: (drawSum(sh.inputDist, n, sh.rng, MINUTE_EXACT_BELOW) * inScale) / n,
    output: drawSum(sh.outputDist, n, sh.rng, MINUTE_EXACT_BELOW) / n,
  };
}

/**
 * Requests the tier lets through in one minute: the request limit, and each token limit divided by this
 * minute's tokens per request. The minute's tokens are drawn (once, shared by direct and streaming) only
 * when a limit could bind; otherwise the mean is used, which cannot change the outcome.
 */
function minuteCapacity(sh: Shared, limits: RateLimitSpec | null, n: number, load: number, backlog: number, tokens: () => MinuteTokens): number {
  if (!limits) return Infinity;
  const rpm = limits.rpm ?? Infinity;
  if (limits.tpm === undefined && limits.itpm === undefined && limits.otpm === undefined) return rpm;
  const inScale = limits.cacheReadsCount ? 1 : 1 - sh.w.input.cachedFraction;
  const byMean = tokenCapacity(limits, sh.inputDist.mean * inScale, sh.outputDist.mean);
  if (n > 0 && (backlog > 0 || load > 0.8 * Math.min(rpm, byMean))) {
    const t = tokens();
    return Math.min(rpm, tokenCapacity(limits, t.input, t.output));
  }
  return Math.min(rpm, byMean);
}

function tokenCapacity(limits: RateLimitSpec, inPerRequest: number, outPerRequest: number): number {
  let c = Infinity;
  if (limits.tpm !== undefined) {
    const perRequest = limits.tpmCounts === 'input' ? inPerRequest : inPerRequest + outPerRequest;
    if (perRequest > 0) c = Math.min(c, limits.tpm / perRequest);
  }
  if (limits.itpm !== undefined && inPerRequest > 0) c = Math.min(c, limits.itpm / inPerRequest);
  if (limits.otpm !== undefined && outPerRequest > 0) c = Math.min(c, limits.otpm / outPerRequest);
  return c;
}

/** One traced direct or streaming request: queue wait, then attempts until success or giving up. */
function traceRealtime(sh: Shared, s: PatternState, waitS: number): void {
  const { rng } = sh;
  const client = sh.w.client;
  const failures = s.spec.failures;
  const streaming = s.spec.pattern === 'streaming';
  const outputTokens = drawLogNormal(sh.outputDist, rng);
  let t = waitS;
  let firstTokenAt = -1;
  let done = false;
  for (let attempt = 0; attempt <= client.maxRetries; attempt++) {
    const ttft = drawLogNormal(sh.ttftDist, rng);
    const generation = outputTokens / drawLogNormal(sh.speedDist, rng);
    const kind = pickFailure(failures, rng.uniform());
    if (kind < 0) {
      if (firstTokenAt < 0) firstTokenAt = t + ttft;
      t += ttft + generation;
      done = true;
      break;
    }
    const f = failures[kind]!;
    // A stream that delivered part of its answer before failing has shown the user its first tokens.
    if (streaming && firstTokenAt < 0 && f.billedOutput > 0) firstTokenAt = t + ttft;
    t += wastedTime(sh, f, ttft, generation);
    if (!f.retried) break;
    if (attempt < client.maxRetries) t += backoff(client, f.kind, attempt, rng.uniform());
  }
  record(sh, s, waitS, done ? t : -1, streaming ? firstTokenAt : done ? t : -1);
}

/** The wait before retry number attempt+1: exponential with ±50% jitter, capped; overloaded answers wait longer. */
function backoff(client: ClientPolicy, kind: string, attempt: number, u: number): number {
  const base = kind === 'overloaded' ? client.overloadedBackoffS : Math.min(client.backoffCapS, client.backoffBaseS * Math.pow(2, attempt));
  return base * (0.5 + u);
}

/** How long an attempt that fails this way keeps the caller waiting. */
function wastedTime(sh: Shared, f: FailureSpec, ttft: number, generation: number): number {
  if (f.kind === 'timeout') return sh.w.client.timeoutS;
  if (f.kind === 'idle_timeout') return ttft + f.billedOutput * generation + sh.w.client.idleTimeoutS;
  // Output billed for a failed attempt is output the model generated before the failure.
  return ttft + f.billedOutput * generation;
}

function record(sh: Shared, s: PatternState, waitS: number, latencyS: number, ttftS: number): void {
  s.traced += 1;
  s.wait.record(waitS);
  if (latencyS >= 0) s.latency.record(latencyS);
  if (ttftS >= 0) s.ttft.record(ttftS);
  const measured = s.spec.pattern === 'streaming' && sh.w.userFacing ? ttftS : latencyS;
  if (measured >= 0 && measured <= sh.w.toleranceS) s.sloMet += 1;
}

/**
 * A batch submission window closes: what arrived joins the batch queue; as much as the queue limit allows is
 * submitted (in batches of at most max requests), the rest waits for the next window. Traced requests get
 * their wait for submission, the batch's turnaround and any resubmission of failed items.
 */
function closeBatchWindow(sh: Shared, s: PatternState, arrivals: number, tracedOffsets: number[], windowS: number): void {
  const { w, rng } = sh;
  const maxRetries = w.client.maxRetries;
  const limits = w.limits;
  const perWindow = limits?.batchQueueRequests ?? (limits?.batchQueueTokens !== undefined && sh.inputDist.mean > 0 ? limits.batchQueueTokens / sh.inputDist.mean : Infinity);
  const q0 = s.backlog;
  const submitted = Math.min(q0 + arrivals, perWindow);
  if (q0 + arrivals > perWindow) {
    s.busyMinutes += windowS / 60;
    s.queued += Math.min(arrivals, q0 + arrivals - perWindow);
  }
  s.backlog = q0 + arrivals - submitted;
  if (submitted > 0) s.batches += Math.ceil(submitted / w.batch.maxRequestsPerBatch);
  if (tracedOffsets.length === 0) return;
  const windowTurnaround = drawTurnaround(sh);
  const itemFailures = s.spec.failures;
  for (const offset of tracedOffsets) {
    // FIFO through the batch queue: the position in line decides how many windows the request waits.
    const position = q0 + (offset / windowS) * arrivals;
    const deferred = Number.isFinite(perWindow) ? Math.floor(position / perWindow) : 0;
    const queueWait = deferred * windowS;
    let t = windowS - offset + queueWait;
    let turnaround = deferred === 0 ? windowTurnaround : drawTurnaround(sh);
    let done = false;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      let kind = -1;
      if (turnaround.expired) kind = sh.turnaround.expiredKind;
      else {
        const k = pickFailure(itemFailures, rng.uniform());
        if (k >= 0 && k !== sh.turnaround.expiredKind) kind = k;
      }
      t += turnaround.seconds;
      if (kind < 0) {
        done = true;
        break;
      }
      if (!itemFailures[kind]!.retried || attempt === maxRetries) break;
      // Failed items are collected from the results and resubmitted with the next window's batch.
      t += windowS - (t % windowS);
      turnaround = drawTurnaround(sh);
    }
    record(sh, s, queueWait, done ? t : -1, done ? t : -1);
  }
}

function drawTurnaround(sh: Shared): { seconds: number; expired: boolean } {
  const t = drawLogNormal(sh.turnaround.dist, sh.rng);
  if (t <= sh.turnaround.guaranteeS) return { seconds: t, expired: false };
  // Past the guarantee: the batch expires (when the catalog gives a rate for that) or is capped there.
  return { seconds: sh.turnaround.guaranteeS, expired: sh.turnaround.expiredKind >= 0 };
}

/**
 * The month's bill from exact counts. Given the month's arrivals N, failed attempts of each kind are
 * Poisson(N × expected per request), requests that give up are the permanent failures plus those whose last
 * retry failed, and the rest complete. Token totals are sums of lognormal draws (one by one for small counts,
 * else their normal limit with the exact mean and variance), priced with the shared cost model's rates.
 */
function drawMonthlyBill(sh: Shared, s: PatternState, arrivals: number): void {
  const { rng, a } = sh;
  const spec = s.spec;
  let retriedFailures = 0;
  let permanent = 0;
  let cost = 0;
  let failures = 0;
  for (let k = 0; k < spec.failures.length; k++) {
    const f = spec.failures[k]!;
    const count = rng.poisson(arrivals * s.failedAttemptsPerRequest[k]!);
    failures += count;
    s.failuresByKind[k]! += count;
    if (f.retried) retriedFailures += count;
    else permanent += count;
    if (count > 0) {
      cost += spec.usdPerInputToken * f.billedInput * drawSum(sh.inputDist, count, rng, a.exactSumBelow);
      cost += spec.usdPerOutputToken * f.billedOutput * drawSum(sh.outputDist, count, rng, a.exactSumBelow);
    }
  }
  const exhausted = Math.min(retriedFailures, rng.poisson(arrivals * s.expectation.exhaustedProbability));
  permanent = Math.min(arrivals, permanent + exhausted);
  const completed = arrivals - permanent;
  cost += spec.usdPerInputToken * drawSum(sh.inputDist, completed, rng, a.exactSumBelow);
  cost += spec.usdPerOutputToken * drawSum(sh.outputDist, completed, rng, a.exactSumBelow);
  s.costs.push(cost);
  s.failures += failures;
  s.retries += retriedFailures - exhausted;
  s.failedRequests += permanent;
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
    ...(spec.pattern === 'batch' ? { batchesPerMonth: s.batches / runs } : {}),
  };
}
