// One model of time for recommend and simulate (pure): the share of requests that finish within the latency
// tolerance, computed analytically from the same distributions the Monte Carlo month (core/montecarlo/) draws:
// a call's time to first token, output length and speed (lognormals), the retry paths of the failure kinds
// with the client's backoff, the rate-limit queue at the peak with minute-to-minute (Poisson) bursts, and for
// batch the submission cadence, the batch-queue limit and the turnaround distribution. No random draws: a
// few tabulated distributions and closed forms, fast enough to run for every option recommend considers.
// docs/method.md describes the method and its sources.
import { SIM_ASSUMPTIONS, type SimAssumptions } from '../montecarlo/assumptions.js';
import { MINUTES_PER_MONTH } from '../montecarlo/arrivals.js';
import { batchQueuePerWindow } from '../montecarlo/queue.js';
import { logNormalCdf, normalCdf, type LogNormal } from '../montecarlo/distributions.js';
import type { ClientPolicy, FailureSpec, PatternSpec, SimWorkload } from '../montecarlo/model.js';
import { minuteRates, timeDistributions, windowRates, type TimeDistributions } from '../montecarlo/state.js';
import { expectedAttempts } from '../recommend/cost/overhead.js';
import type { Pattern } from '../recommend/pattern.js';

export interface ToleranceEstimate {
  pattern: Pattern;
  /** Share (0–1) of requests that finish within the tolerance (a failed request does not). */
  share: number;
  /** What is compared with the tolerance: the whole answer, or the first token (streaming to a person). */
  measuredOn: 'latency' | 'ttft';
  /** Share of requests that wait for the rate limit (direct, streaming) or in the batch queue (batch). */
  queuedShare: number;
  /** Median and 95th percentile of the total latency of the requests that succeed, s (what simulate reports). */
  latencyP50S: number;
  latencyP95S: number;
}

/**
 * The share of one option's requests that finish within `w.toleranceS`. An option is described by the
 * workload's time model `w` (latency distribution: ttftS, outputTokensPerS, output mean/p95; the tolerance;
 * `limits` with RPM/TPM and batch-queue limits; `batch` turnaround, guarantee and submission cadence; the
 * arrival profile and volume; the client's retry policy) and the pattern's `spec` (which pattern, and its
 * per-attempt failure kinds, e.g. a flex tier's shedding). Tiers are options with other figures in `w`.
 */
export function withinTolerance(w: SimWorkload, spec: PatternSpec, assumptions: Partial<SimAssumptions> = {}): ToleranceEstimate {
  const a: SimAssumptions = { ...SIM_ASSUMPTIONS, ...assumptions };
  if (spec.pattern === 'batch') return batchEstimate(w, spec, timeDistributions(w, a));
  return realtimeEstimate(w, spec, a);
}

/** withinTolerance for each pattern the workload can use (the attempt distribution is tabulated once). */
export function withinTolerancePerPattern(w: SimWorkload, assumptions: Partial<SimAssumptions> = {}): Partial<Record<Pattern, ToleranceEstimate>> {
  const a: SimAssumptions = { ...SIM_ASSUMPTIONS, ...assumptions };
  const out: Partial<Record<Pattern, ToleranceEstimate>> = {};
  for (const spec of w.patterns) out[spec.pattern] = spec.pattern === 'batch' ? batchEstimate(w, spec, timeDistributions(w, a)) : realtimeEstimate(w, spec, a);
  return out;
}

// ————— distributions: sums of two lognormals, tabulated —————

/**
 * A CDF tabulated on a log-spaced grid, interpolated linearly in log x. A grid point is worked out when a lookup
 * first needs it (NaN until then): a run of a few workloads reads a fraction of each table, in code not yet
 * compiled.
 */
interface CdfTable {
  lo: number;
  logLo: number;
  step: number;
  values: Float64Array;
  cdf: (x: number) => number;
}

const GRID = 160;

function tabulate(lo: number, hi: number, cdf: (x: number) => number): CdfTable {
  const logLo = Math.log(lo);
  const step = (Math.log(hi) - logLo) / (GRID - 1);
  const values = new Float64Array(GRID).fill(NaN);
  values[GRID - 1] = 1;
  return { lo, logLo, step, values, cdf };
}

function gridValue(t: CdfTable, i: number): number {
  let v = t.values[i]!;
  if (v !== v) t.values[i] = v = t.cdf(Math.exp(t.logLo + i * t.step));
  return v;
}

function lookup(t: CdfTable, x: number): number {
  if (!(x > t.lo)) return 0;
  const pos = (Math.log(x) - t.logLo) / t.step;
  if (pos >= GRID - 1) return 1;
  const i = Math.floor(pos);
  const f = pos - i;
  return gridValue(t, i) * (1 - f) + gridValue(t, i + 1) * f;
}

/** Nodes for ∫ φ(z)·g(z) dz by Simpson's rule on [−7, zMax]. */
const SIMPSON_INTERVALS = 48;

/** P(A + B ≤ x) for independent lognormals A (σ > 0) and B: ∫ φ(z) F_B(x − e^(μA+σA·z)) dz. */
function sumCdf(A: LogNormal, B: LogNormal, x: number): number {
  if (x <= 0) return 0;
  const zMax = Math.min(8, (Math.log(x) - A.mu) / A.sigma);
  const zMin = -7;
  if (zMax <= zMin) return 0;
  const h = (zMax - zMin) / SIMPSON_INTERVALS;
  let s = 0;
  for (let i = 0; i <= SIMPSON_INTERVALS; i++) {
    const z = zMin + i * h;
    const rest = x - Math.exp(A.mu + A.sigma * z);
    const g = rest > 0 ? Math.exp(-0.5 * z * z) * logNormalCdf(B, rest) : 0;
    s += g * (i === 0 || i === SIMPSON_INTERVALS ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return Math.min(1, (s * h) / 3 / Math.sqrt(2 * Math.PI));
}

/** The lognormal of output tokens ÷ speed: the generation time of one attempt (null without output). */
function generationDist(d: TimeDistributions): LogNormal | null {
  if (!(d.outputDist.mean > 0)) return null;
  const sigma = Math.sqrt(d.outputDist.sigma ** 2 + d.speedDist.sigma ** 2);
  const mu = d.outputDist.mu - d.speedDist.mu;
  return { mu, sigma, mean: Math.exp(mu + (sigma * sigma) / 2), variance: 0 };
}

/**
 * The tables of the distributions seen last (a portfolio repeats a model and an output shape): the same
 * distributions give the same table, so this only saves time. Bounded.
 */
const TABLE_CACHE = new Map<string, CdfTable>();
const TABLE_CACHE_MAX = 256;

/** The total time of one successful attempt, TTFT + output ÷ speed, tabulated (memoised on the distributions). */
function attemptTable(d: TimeDistributions): CdfTable {
  const gen = generationDist(d);
  const key = `${d.ttftDist.mu},${d.ttftDist.sigma},${d.ttftDist.mean},${gen ? `${gen.mu},${gen.sigma}` : '-'}`;
  const hit = TABLE_CACHE.get(key);
  if (hit) return hit;
  const table = tabulateAttempt(d);
  if (TABLE_CACHE.size >= TABLE_CACHE_MAX) TABLE_CACHE.delete(TABLE_CACHE.keys().next().value!);
  TABLE_CACHE.set(key, table);
  return table;
}

function tabulateAttempt(d: TimeDistributions): CdfTable {
  const gen = generationDist(d);
  const t = d.ttftDist;
  if (!gen) return tabulate(spanLo(t), spanHi(t), (x) => logNormalCdf(t, x));
  if (t.sigma === 0) return tabulate(t.mean + spanLo(gen), t.mean + spanHi(gen), (x) => logNormalCdf(gen, x - t.mean));
  return tabulate(spanLo(t), spanHi(t) + spanHi(gen), (x) => sumCdf(t, gen, x));
}

const spanLo = (d: LogNormal) => (d.sigma === 0 ? d.mean * 0.999 : Math.exp(d.mu - 6 * d.sigma));
const spanHi = (d: LogNormal) => (d.sigma === 0 ? d.mean * 1.001 : Math.exp(d.mu + 7 * d.sigma));

// ————— direct and streaming: retry paths and the rate-limit queue —————

/** A way a request can end: its probability and the time it spends before its last (successful) attempt. */
interface Paths {
  probability: number[];
  delayS: number[];
}

function addPath(paths: Paths, probability: number, delayS: number): void {
  paths.probability.push(probability);
  paths.delayS.push(delayS);
}

/** Paths with less probability than this are dropped (counted as missing the tolerance). */
const PATH_FLOOR = 1e-7;

/**
 * The ways a request succeeds (for its latency) and shows its first token (for TTFT), as the Monte Carlo
 * month's traced requests do: each attempt fails with kind k with probability p_k; a retried kind costs the
 * attempt's wasted time and the client's backoff (their means), then the next attempt starts.
 */
function realtimePaths(spec: PatternSpec, d: TimeDistributions, client: ClientPolicy): { success: Paths; firstToken: Paths } {
  const failures = spec.failures;
  const pOk = 1 - failures.reduce((s, f) => s + f.probability, 0);
  const gen = generationDist(d);
  const meanGen = gen ? gen.mean : 0;
  const success: Paths = { probability: [], delayS: [] };
  const firstToken: Paths = { probability: [], delayS: [] };
  const walk = (attempt: number, probability: number, delayS: number, shown: boolean) => {
    addPath(success, probability * pOk, delayS);
    if (!shown) addPath(firstToken, probability * pOk, delayS);
    for (const f of failures) {
      const p = probability * f.probability;
      if (p < PATH_FLOOR) continue;
      // A stream that delivered part of its answer before failing has shown its first token.
      const showsHere = !shown && f.billedOutput > 0;
      if (showsHere) addPath(firstToken, p, delayS);
      if (!f.retried || attempt >= client.maxRetries) continue;
      walk(attempt + 1, p, delayS + wastedS(f, d, meanGen, client) + backoffS(client, f, attempt), shown || showsHere);
    }
  };
  walk(0, 1, 0, false);
  return { success, firstToken };
}

function wastedS(f: FailureSpec, d: TimeDistributions, meanGen: number, client: ClientPolicy): number {
  if (f.kind === 'timeout') return client.timeoutS;
  const partial = d.ttftDist.mean + f.billedOutput * meanGen;
  return f.kind === 'idle_timeout' ? partial + client.idleTimeoutS : partial;
}

/** The mean backoff before the next attempt (the jitter is ±50% around it). */
function backoffS(client: ClientPolicy, f: FailureSpec, attempt: number): number {
  return f.kind === 'overloaded' ? client.overloadedBackoffS : Math.min(client.backoffCapS, client.backoffBaseS * Math.pow(2, attempt));
}

/** One way a request is served: its time model, its pattern's failure kinds, the share of requests that take
 * it, and the time spent before it starts (a flex refusal before the standard call). */
export interface Route {
  w: SimWorkload;
  spec: PatternSpec;
  weight: number;
  delayS?: number;
}

/** A real-time route prepared for repeated questions: the share within a budget and its latency mass. */
interface PreparedRoute {
  weight: number;
  delayS: number;
  queuedShare: number;
  /** Share of the route's requests whose measured time (latency or TTFT) is within `budget` s. */
  within(budget: number): number;
  /** Share of the route's requests that succeed within x s (total latency), and that succeed at all. */
  latencyMass(x: number): number;
  successMass: number;
}

function prepareRealtime(route: Route, measuredOn: 'latency' | 'ttft', a: SimAssumptions): PreparedRoute {
  const { w, spec } = route;
  // A tier's options route their shed or overflowing share through the standard time model: prepared once.
  let bySpec = PREPARED.get(w);
  if (!bySpec) PREPARED.set(w, (bySpec = new WeakMap()));
  let kept = bySpec.get(spec);
  if (!kept) bySpec.set(spec, (kept = []));
  const same = (k: KeptRoute) => k.measuredOn === measuredOn && k.inputSigma === a.inputSigma && k.ttftSigma === a.ttftSigma && k.speedSigma === a.speedSigma && k.batchLateProbability === a.batchLateProbability;
  let hit = kept.find(same);
  if (!hit) kept.push((hit = { measuredOn, inputSigma: a.inputSigma, ttftSigma: a.ttftSigma, speedSigma: a.speedSigma, batchLateProbability: a.batchLateProbability, core: prepareRoute(w, spec, measuredOn, a) }));
  return { ...hit.core, weight: route.weight, delayS: route.delayS ?? 0 };
}

/** A prepared route and what it was prepared for: the measure and the assumptions timeDistributions reads. */
type KeptRoute = Pick<SimAssumptions, 'inputSigma' | 'ttftSigma' | 'speedSigma' | 'batchLateProbability'> & { measuredOn: 'latency' | 'ttft'; core: Omit<PreparedRoute, 'weight' | 'delayS'> };

/** Prepared routes per time model and pattern (the objects a run builds; read-only). */
const PREPARED = new WeakMap<SimWorkload, WeakMap<PatternSpec, KeptRoute[]>>();

function prepareRoute(w: SimWorkload, spec: PatternSpec, measuredOn: 'latency' | 'ttft', a: SimAssumptions): Omit<PreparedRoute, 'weight' | 'delayS'> {
  const d = timeDistributions(w, a);
  const table = attemptTable(d);
  const paths = realtimePaths(spec, d, w.client);
  const attempts = expectedAttempts(spec.failures, w.client.maxRetries).attempts;
  const waits = rateLimitWaits(w, d, attempts);
  const ttft = d.ttftDist;
  const measured = measuredOn === 'ttft' ? paths.firstToken : paths.success;
  const success = paths.success;
  const cdf = (x: number) => (measuredOn === 'ttft' ? logNormalCdf(ttft, x) : lookup(table, x));
  const total = (x: number) => lookup(table, x);
  // Σ over the rate-limit waits and the paths of P(wait) × P(path) × F(x − wait − the path's delay).
  const mass = (x: number, path: Paths, f: (t: number) => number): number => {
    let s = 0;
    for (let i = 0; i < waits.weights.length; i++) {
      const b = x - waits.waitsS[i]!;
      if (b <= 0) continue;
      let met = 0;
      for (let j = 0; j < path.probability.length; j++) met += path.probability[j]! * f(b - path.delayS[j]!);
      s += waits.weights[i]! * met;
    }
    return s;
  };
  let successMass = 0;
  for (const p of paths.success.probability) successMass += p;
  return {
    queuedShare: waits.queuedShare,
    successMass,
    within: (budget: number) => mass(budget, measured, cdf),
    latencyMass: (x: number) => mass(x, success, total),
  };
}

function realtimeEstimate(w: SimWorkload, spec: PatternSpec, a: SimAssumptions): ToleranceEstimate {
  return mixEstimate([{ w, spec, weight: 1 }], a);
}

/** The share within the tolerance and the latency quantiles of requests served by one of several routes. */
function mixEstimate(routes: Route[], a: SimAssumptions): ToleranceEstimate {
  const first = routes[0]!;
  const tol = first.w.toleranceS;
  const measuredOn = first.spec.pattern === 'streaming' && first.w.userFacing ? 'ttft' : 'latency';
  const prepared = routes.filter((r) => r.weight > 0).map((r) => prepareRealtime(r, measuredOn, a));
  let share = 0;
  let queued = 0;
  let successMass = 0;
  for (const p of prepared) {
    share += p.weight * p.within(tol - p.delayS);
    queued += p.weight * p.queuedShare;
    successMass += p.weight * p.successMass;
  }
  const latencyCdf = (x: number) => {
    let s = 0;
    for (const p of prepared) s += p.weight * p.latencyMass(x - p.delayS);
    return successMass > 0 ? s / successMass : 0;
  };
  // x with cdf(x) = q by bisection on a log scale (0.1 ms to ~3 years), 34 halvings: a relative error of about 2e-9, below every
  // printed figure but the hundredths of a p95 of months (a queue that never drains).
  const quantile = bisectLog((mid) => latencyCdf(Math.exp(mid)), Math.log(1e-4), Math.log(1e8), 34);
  return withQuantiles({ pattern: first.spec.pattern, share: clamp01(share), measuredOn, queuedShare: queued }, quantile);
}

/**
 * withinTolerance for requests that take one of several routes: a service tier's own time model for most, and
 * the standard tier's for the share it sheds (flex: a 429 refusal, then the standard call) or serves at
 * standard past its limits (Gemini priority), or spills over (provisioned). Real-time patterns only; the
 * routes share the pattern and the tolerance.
 */
export function withinToleranceOfRoutes(routes: Route[], assumptions: Partial<SimAssumptions> = {}): ToleranceEstimate {
  const a: SimAssumptions = { ...SIM_ASSUMPTIONS, ...assumptions };
  if (routes.length === 0 || routes[0]!.spec.pattern === 'batch') throw new Error('withinToleranceOfRoutes: real-time routes only');
  return mixEstimate(routes, a);
}

/**
 * Quantiles of a distribution by bisection: exp of the point where the increasing `f` (of log x) reaches a
 * target, by `steps` halvings of [lo, hi], the midpoint of the last interval. The first bisection's steps are
 * kept: a later one (p95 after p50) reads them while its midpoints are the same, as they are until the two part.
 */
function bisectLog(f: (logX: number) => number, lo: number, hi: number, steps: number): (target: number) => number {
  const mids = new Float64Array(steps);
  const values = new Float64Array(steps);
  let kept = 0;
  return (target) => {
    let a = lo;
    let b = hi;
    let same = true;
    for (let i = 0; i < steps; i++) {
      const mid = (a + b) / 2;
      same &&= i < kept && mids[i] === mid;
      const v = same ? values[i]! : f(mid);
      if (kept === 0) {
        mids[i] = mid;
        values[i] = v;
      }
      if (v < target) a = mid;
      else b = mid;
    }
    kept = steps;
    return Math.exp((a + b) / 2);
  };
}

/**
 * The estimate with its quantiles worked out when first read: each is a bisection of tens of steps, and not
 * every caller reads them (recommend's options read a real-time p95 only; the cadence probe neither).
 */
function withQuantiles(base: Omit<ToleranceEstimate, 'latencyP50S' | 'latencyP95S'>, quantile: (q: number) => number): ToleranceEstimate {
  let p50: number | undefined;
  let p95: number | undefined;
  return {
    ...base,
    get latencyP50S() {
      return (p50 ??= quantile(0.5));
    },
    get latencyP95S() {
      return (p95 ??= quantile(0.95));
    },
  };
}

const clamp01 = (x: number) => Math.max(0, Math.min(1, x));

/** The distribution of the rate-limit wait over a month's requests: weights (summing to 1) at waits (s). */
interface Waits {
  weights: number[];
  waitsS: number[];
  queuedShare: number;
}

const NO_WAIT: Waits = { weights: [1], waitsS: [0], queuedShare: 0 };

/** Log-spaced bins of the wait: 20 a decade from 1 ms. */
const WAIT_BINS_PER_DECADE = 20;
const WAIT_MIN_S = 1e-3;
const WAIT_BINS = WAIT_BINS_PER_DECADE * 11;

/** Nodes of a standard normal for the minute's load: z in [−4, 4], weights ∝ φ(z). */
const LOAD_NODES = (() => {
  const n = 17;
  const z: number[] = [];
  const wts: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = -4 + (8 * i) / (n - 1);
    z.push(x);
    wts.push(Math.exp(-0.5 * x * x));
  }
  const sum = wts.reduce((s, x) => s + x, 0);
  return { z, w: wts.map((x) => x / sum) };
})();
const U_POINTS = 8;

/**
 * The rate-limit queue (core/montecarlo/queue.ts, a fluid FIFO per minute) in expectation: minute by minute
 * the load (Poisson arrivals × attempts) is normal around its rate, the tier's capacity is the binding limit
 * over the mean tokens per request (its minute-to-minute spread from the token lengths), the backlog carries
 * over as E[max(0, backlog + load − capacity)], and an arrival at fraction u of the minute waits
 * (backlog + (load − capacity)·u) ÷ capacity minutes. Traffic that cannot come near the limits waits nowhere.
 */
function rateLimitWaits(w: SimWorkload, d: TimeDistributions, attempts: number): Waits {
  const limits = w.limits;
  if (!limits || w.requestsPerMonth <= 0) return NO_WAIT;
  const inScale = limits.cacheReadsCount ? 1 : 1 - w.input.cachedFraction;
  const inMean = d.inputDist.mean * inScale;
  const inVar = d.inputDist.variance * inScale * inScale;
  const outMean = d.outputDist.mean;
  const outVar = d.outputDist.variance;
  // The binding limit, in requests per minute, and the squared coefficient of variation of its tokens per request.
  let capacity = limits.rpm ?? Infinity;
  let cv2 = 0;
  const consider = (limit: number | undefined, mean: number, variance: number) => {
    if (limit === undefined || !(mean > 0)) return;
    if (limit / mean < capacity) {
      capacity = limit / mean;
      cv2 = variance / (mean * mean);
    }
  };
  if (limits.tpm !== undefined) {
    if (limits.tpmCounts === 'input') consider(limits.tpm, inMean, inVar);
    else consider(limits.tpm, inMean + outMean, inVar + outVar);
  }
  consider(limits.itpm, inMean, inVar);
  consider(limits.otpm, outMean, outVar);
  if (!Number.isFinite(capacity)) return NO_WAIT;
  const rates = minuteRates(w);
  const period = rates.length;
  let busiest = 0;
  for (let m = 0; m < period; m++) busiest = Math.max(busiest, rates[m]!);
  const peakLoad = busiest * attempts;
  // As the simulation's own test (traffic.ts cannotReachLimits): 10 standard deviations below every limit.
  if (peakLoad + 10 * Math.sqrt(peakLoad * attempts * (1 + cv2)) + 10 < capacity) return NO_WAIT;
  // The month's queue depends only on the rates, the attempts and the binding limit: a workload's standard
  // pattern and its tier options ask for the same one (in a month past the limits, 43,200 minutes each).
  let byLimit = WAITS.get(rates);
  if (!byLimit) WAITS.set(rates, (byLimit = new Map()));
  const key = `${attempts} ${capacity} ${cv2}`;
  let waits = byLimit.get(key);
  if (!waits) {
    if (byLimit.size >= 16) byLimit.delete(byLimit.keys().next().value!);
    byLimit.set(key, (waits = queueWaits(rates, attempts, capacity, cv2)));
  }
  return waits;
}

/** Waits per minute-rate array (itself kept per profile and volume), attempts and binding limit. Read-only. */
const WAITS = new WeakMap<Float64Array, Map<string, Waits>>();

function queueWaits(rates: Float64Array, attempts: number, capacity: number, cv2: number): Waits {
  const period = rates.length;
  const bins = new Float64Array(WAIT_BINS + 1); // bin 0: no wait
  let backlog = 0;
  let total = 0;
  let queued = 0;
  let scale = 1;
  const logMin = Math.log10(WAIT_MIN_S);
  for (let m = 0; m < MINUTES_PER_MONTH; m++) {
    const lambda = rates[m % period]!;
    const load = lambda * attempts;
    const sd = Math.sqrt(lambda * attempts * attempts + (capacity * capacity * cv2) / Math.max(lambda, 1));
    total += lambda;
    const gap = capacity - load;
    if (backlog < 1e-9 && gap > 7 * sd) {
      bins[0]! += lambda;
      backlog = 0;
    } else {
      for (let j = 0; j < LOAD_NODES.z.length; j++) {
        const excess = load - capacity + sd * LOAD_NODES.z[j]!;
        const weight = (lambda * LOAD_NODES.w[j]!) / U_POINTS;
        for (let k = 0; k < U_POINTS; k++) {
          const u = (k + 0.5) / U_POINTS;
          const line = backlog + excess * u;
          if (line <= 0) {
            bins[0]! += weight;
            continue;
          }
          queued += weight;
          const waitS = (line / capacity) * 60;
          const b = Math.min(WAIT_BINS, Math.max(1, Math.floor((Math.log10(waitS) - logMin) * WAIT_BINS_PER_DECADE) + 1));
          bins[b]! += weight;
        }
      }
      const mean = backlog + load - capacity;
      backlog = sd > 0 ? sd * normalPdf(mean / sd) + mean * normalCdf(mean / sd) : Math.max(0, mean);
    }
    // A period that ends with an empty queue repeats identically: the month is that many copies of it.
    if (m + 1 === period && backlog < 1e-6 && MINUTES_PER_MONTH % period === 0) {
      scale = MINUTES_PER_MONTH / period;
      break;
    }
  }
  void scale; // shares are ratios: the copies scale numerator and denominator alike
  const weights: number[] = [];
  const waitsS: number[] = [];
  for (let b = 0; b <= WAIT_BINS; b++) {
    if (bins[b]! <= 0) continue;
    weights.push(bins[b]! / total);
    waitsS.push(b === 0 ? 0 : Math.pow(10, logMin + (b - 0.5) / WAIT_BINS_PER_DECADE));
  }
  return { weights, waitsS, queuedShare: total > 0 ? queued / total : 0 };
}

function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

// ————— batch: submission cadence, the batch queue and the turnaround —————

const BATCH_GRID = 256;

/**
 * A batch request arrives uniformly within a submission window of W seconds, waits for the window to close,
 * waits whole windows more when the batch queue (requests or enqueued input tokens at the tier, shared by the
 * batches still in flight) is full
 * (FIFO), then takes the batch's turnaround (lognormal around the typical figure, its tail past the 24 h
 * guarantee at the expiry rate). A failed item (or an expired batch) is resubmitted with a later window.
 * M(x) is the chance an item meets a budget of x seconds from its submission; the share met in a window
 * is M integrated over the arrival offsets, in closed form from the running integral of the table.
 */
function batchEstimate(w: SimWorkload, spec: PatternSpec, d: TimeDistributions): ToleranceEstimate {
  const tol = w.toleranceS;
  const windowMinutes = Math.max(1, Math.round(w.batch.submitEveryS / 60));
  const W = windowMinutes * 60;
  const limits = w.limits;
  const perWindow = batchQueuePerWindow(limits, d.inputDist.mean, w.batch.typicalTurnaroundMinutes * 60, W);
  const rates = windowRates(minuteRates(w), windowMinutes);
  const { busiestWindow, arrivals } = windowTotals(rates);
  // No window fills the batch queue: every window is the same integral, weighted by its arrivals.
  const queueing = busiestWindow > perWindow;
  const unqueuedMet = (M: BudgetTable, x: number): number => {
    // Σ A_i / W_i × (∫ M over the window's offsets): all windows are W long but the month's last.
    const n = rates.length;
    const lastW = Math.min(windowMinutes, MINUTES_PER_MONTH - (n - 1) * windowMinutes) * 60;
    const full = arrivals - rates[n - 1]!;
    return (full / W) * (M.integral(x) - M.integral(x - W)) + (rates[n - 1]! / lastW) * (M.integral(x) - M.integral(x - lastW));
  };
  const M = budgetTable(w, spec, d, W, Math.max(tol, 1));
  // The share within the tolerance: one walk of the month's queue (a cadence probe asks for nothing more).
  const at = queueing ? walkMet(rates, windowMinutes, perWindow, M, tol) : { met: unqueuedMet(M, tol), total: arrivals, queued: 0 };
  const share = at.total > 0 ? at.met / at.total : 0;
  // The quantiles of the time to a result among the requests that get one: M past the guarantee, a retry and
  // a window (beyond it M is flat, so its integral extends exactly), and the month's longest deferral.
  // Worked out when first read (withQuantiles), the queue's segments sorted for the bisection's many budgets.
  const horizon = 2 * d.turnaround.guaranteeS + 2 * W;
  const longest = MINUTES_PER_MONTH * 60 + horizon + W;
  let metAt: ((target: number) => number) | undefined;
  let all = NaN;
  const quantile = (q: number) => {
    if (!metAt) {
      const Mq = horizon <= tol ? M : budgetTable(w, spec, d, W, horizon);
      const fifo = queueing ? queueSegments(rates, windowMinutes, perWindow, Math.max(tol, longest)) : null;
      const metWithin = (x: number) => (fifo ? fifo.met(Mq, x) : unqueuedMet(Mq, x));
      all = metWithin(longest);
      // Bisection on a log scale from 1 s to the month and more: 18 halvings leave a relative error under 1e-4.
      metAt = bisectLog((mid) => metWithin(Math.exp(mid)), 0, Math.log(longest), 18);
    }
    return all > 0 ? metAt(q * all) : NaN;
  };
  return withQuantiles({ pattern: 'batch', share: clamp01(share), measuredOn: 'latency', queuedShare: at.total > 0 ? at.queued / at.total : 0 }, quantile);
}

/** The busiest window's arrivals and the month's, per window-rate array (itself kept per profile, volume and window). */
function windowTotals(rates: Float64Array): { busiestWindow: number; arrivals: number } {
  let hit = WINDOW_TOTALS.get(rates);
  if (!hit) {
    let busiestWindow = 0;
    let arrivals = 0;
    for (let i = 0; i < rates.length; i++) {
      busiestWindow = Math.max(busiestWindow, rates[i]!);
      arrivals += rates[i]!;
    }
    WINDOW_TOTALS.set(rates, (hit = { busiestWindow, arrivals }));
  }
  return hit;
}

const WINDOW_TOTALS = new WeakMap<Float64Array, { busiestWindow: number; arrivals: number }>();

/**
 * The month's batch queue, where some window holds more than it takes: windows in turn, a FIFO whose positions
 * run from the backlog to backlog + A over the window; position p waits floor(p / P) whole windows more. Each
 * (window, deferral k) is a segment: arrivals at offsets [o0, o1] of a window of Wi s, at A / Wi per second,
 * whose budget at offset 0 is x − Wi − k·Wi.
 */
interface QueueSegments {
  /** Σ over segments of A/Wi × (∫M up to shift + o1 − ∫M up to shift + o0), shift = x − Wi − k·Wi. */
  met(M: BudgetTable, x: number): number;
}

/** A FIFO segment: arrivals at A / Wi per second over offsets [o0, o1] of a window of Wi s, deferred k windows (kWi = k·Wi). */
type SegmentVisitor = (coef: number, Wi: number, kWi: number, o0: number, o1: number) => void;

/**
 * The month's segments window by window (k rising within one) that can meet a budget of `xMax` s, to `visit`;
 * the arrivals, those queued and the count visited.
 */
function walkQueue(rates: Float64Array, windowMinutes: number, perWindow: number, xMax: number, visit: SegmentVisitor | null): { total: number; queued: number; count: number } {
  let total = 0;
  let queued = 0;
  let count = 0;
  let backlog = 0;
  for (let i = 0; i < rates.length; i++) {
    const A = rates[i]!;
    const Wi = Math.min(windowMinutes, MINUTES_PER_MONTH - i * windowMinutes) * 60;
    total += A;
    if (A <= 0) continue;
    if (!Number.isFinite(perWindow)) {
      // Without a limit (not reached: the caller takes the closed form), every request waits for its own window.
      count++;
      visit?.(A / Wi, Wi, -Wi, 0, Wi);
      continue;
    }
    const first = Math.floor(backlog / perWindow);
    const last = Math.floor((backlog + A) / perWindow);
    for (let k = first; k <= last; k++) {
      if (xMax - Wi - k * Wi + Wi <= 0) break; // deferred past any budget up to xMax, as every later k
      const p0 = Math.max(backlog, k * perWindow);
      const p1 = Math.min(backlog + A, (k + 1) * perWindow);
      if (p1 <= p0) continue;
      count++;
      visit?.(A / Wi, Wi, k * Wi, ((p0 - backlog) / A) * Wi, ((p1 - backlog) / A) * Wi);
    }
    if (backlog + A > perWindow) queued += Math.min(A, backlog + A - perWindow);
    backlog = backlog + A - Math.min(backlog + A, perWindow);
  }
  return { total, queued, count };
}

/** The month's queue at one budget x, window by window: the requests that meet it, all of them and those queued. */
function walkMet(rates: Float64Array, windowMinutes: number, perWindow: number, M: BudgetTable, x: number): { met: number; total: number; queued: number } {
  let met = 0;
  const { total, queued } = walkQueue(rates, windowMinutes, perWindow, x, (c, Wi, kWi, o0, o1) => {
    const shift = x - Wi - kWi; // the budget at offset 0 for a request deferred k windows
    met += c * (M.integral(shift + o1) - M.integral(shift + o0));
  });
  return { met, total, queued };
}

/** Beyond this many segments (a queue a thousand times too small for a window) they are walked at each x, not kept. */
const MAX_KEPT_SEGMENTS = 50_000;

function queueSegments(rates: Float64Array, windowMinutes: number, perWindow: number, xMax: number): QueueSegments {
  const n = walkQueue(rates, windowMinutes, perWindow, xMax, null).count;
  if (n > MAX_KEPT_SEGMENTS) {
    return {
      met: (M: BudgetTable, x: number) => walkMet(rates, windowMinutes, perWindow, M, x).met,
    };
  }
  const c = new Float64Array(n);
  const wS = new Float64Array(n);
  const kS = new Float64Array(n);
  const a0 = new Float64Array(n);
  const a1 = new Float64Array(n);
  const start = new Float64Array(n);
  let j = 0;
  walkQueue(rates, windowMinutes, perWindow, xMax, (coef, Wi, kWi, o0, o1) => {
    c[j] = coef;
    wS[j] = Wi;
    kS[j] = kWi;
    a0[j] = o0;
    a1[j] = o1;
    start[j] = o0 - Wi - kWi;
    j++;
  });
  // Segments in order of their earliest budget offset −Wi − k·Wi + o0: for a given x only those whose budgets
  // straddle M's table need it; those wholly past its top add the tail's slope × their length (a suffix sum),
  // those wholly at or below 0 add nothing. The 1 s margins keep rounding from moving a segment across.
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => start[a]! - start[b]!);
  const cs = new Float64Array(n);
  const ws = new Float64Array(n);
  const ks = new Float64Array(n);
  const l0 = new Float64Array(n);
  const l1 = new Float64Array(n);
  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const from = order[i]!;
    cs[i] = c[from]!;
    ws[i] = wS[from]!;
    ks[i] = kS[from]!;
    l0[i] = a0[from]!;
    l1[i] = a1[from]!;
    starts[i] = start[from]!;
  }
  const tailMass = new Float64Array(n + 1); // Σ from j to the end of coef × (o1 − o0)
  let widest = 0;
  for (let i = n - 1; i >= 0; i--) {
    tailMass[i] = tailMass[i + 1]! + cs[i]! * (l1[i]! - l0[i]!);
    widest = Math.max(widest, ws[i]!);
  }
  /** The first segment whose start is ≥ v (n if none). */
  const firstFrom = (v: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return {
    met(M: BudgetTable, x: number): number {
      const from = firstFrom(-x - widest - 1);
      const past = firstFrom(M.top - x + 1);
      let met = 0;
      for (let i = from; i < past; i++) {
        const shift = x - ws[i]! - ks[i]!;
        if (shift + ws[i]! > 0) met += cs[i]! * (M.integral(shift + l1[i]!) - M.integral(shift + l0[i]!));
      }
      return met + M.slope * tailMass[past]!;
    },
  };
}

interface BudgetTable {
  integral(x: number): number;
  /** Where the table ends, s, and M there: the integral grows by M(top) a second past it. */
  top: number;
  slope: number;
}

/** M(x) tabulated on [0, top] with its running integral (linear past top). */
function budgetTable(w: SimWorkload, spec: PatternSpec, d: TimeDistributions, W: number, top: number): BudgetTable {
  const { dist: T, guaranteeS: g, expiredKind } = d.turnaround;
  const failures = spec.failures;
  const maxRetries = w.client.maxRetries;
  const itemFail = failures.reduce((s, f, k) => (k === expiredKind ? s : s + f.probability), 0);
  const itemRetried = failures.reduce((s, f, k) => (k === expiredKind || !f.retried ? s : s + f.probability), 0);
  const pOk = 1 - itemFail;
  const expiredRetried = expiredKind >= 0 && failures[expiredKind]!.retried && maxRetries > 0;
  // The table depends on these figures only: workloads of one provider at one cadence share it.
  const key = `${T.mu},${T.sigma},${g},${expiredKind},${W},${top},${pOk},${itemRetried},${maxRetries},${expiredRetried}`;
  const hit = BUDGET_CACHE.get(key);
  if (hit) return hit;
  const table = makeBudgetTable({ T, g, expiredKind, W, top, pOk, itemRetried, maxRetries, expiredRetried });
  if (BUDGET_CACHE.size >= 64) BUDGET_CACHE.delete(BUDGET_CACHE.keys().next().value!);
  BUDGET_CACHE.set(key, table);
  return table;
}

const BUDGET_CACHE = new Map<string, BudgetTable>();

interface BudgetFigures {
  T: LogNormal;
  g: number;
  expiredKind: number;
  W: number;
  top: number;
  pOk: number;
  itemRetried: number;
  maxRetries: number;
  expiredRetried: boolean;
}

function makeBudgetTable({ T, g, expiredKind, W, top, pOk, itemRetried, maxRetries, expiredRetried }: BudgetFigures): BudgetTable {
  const Fg = logNormalCdf(T, g);
  const turn = (x: number) => (x <= 0 ? 0 : expiredKind >= 0 ? logNormalCdf(T, Math.min(x, g)) : x >= g ? 1 : logNormalCdf(T, x));
  // A failed item is resubmitted with the batch of the first window that closes after its result: windows close
  // every W s on the clock and the first batch was submitted at a close, so the retry starts k·W after the
  // first submission, k = ceil(turnaround ÷ W); an expired batch's items at ceil(guarantee ÷ W)·W.
  const K = Math.max(1, Math.ceil(g / W));
  // turn() on a fine grid for the retry sum (up to K terms at each point of the table), interpolated linearly.
  const FINE = 1024;
  const fh = top / (FINE - 1);
  const fine = new Float64Array(FINE);
  for (let j = 0; j < FINE; j++) fine[j] = turn(j * fh);
  const turnFast = (x: number) => {
    if (x <= 0) return 0;
    const pos = x / fh;
    if (pos >= FINE - 1) return turn(x);
    const j = Math.floor(pos);
    return fine[j]! + (fine[j + 1]! - fine[j]!) * (pos - j);
  };
  const retryAt: number[] = [];
  for (let k = 1; k <= K; k++) retryAt.push(Math.max(0, logNormalCdf(T, Math.min(k * W, g)) - logNormalCdf(T, Math.min((k - 1) * W, g))));
  const mean = (x: number) => {
    let m = pOk * turn(x);
    if (maxRetries > 0 && itemRetried > 0) {
      let r = 0;
      for (let k = 1; k <= K && k * W < x; k++) if (retryAt[k - 1]! > 1e-12) r += retryAt[k - 1]! * turnFast(x - k * W);
      m += itemRetried * pOk * r;
    }
    if (expiredRetried) m += (1 - Fg) * pOk * turn(x - K * W);
    return m;
  };
  const h = top / (BATCH_GRID - 1);
  const values = new Float64Array(BATCH_GRID);
  for (let i = 0; i < BATCH_GRID; i++) values[i] = mean(i * h);
  const cumulative = new Float64Array(BATCH_GRID);
  for (let i = 1; i < BATCH_GRID; i++) cumulative[i] = cumulative[i - 1]! + ((values[i - 1]! + values[i]!) * h) / 2;
  return {
    top,
    slope: values[BATCH_GRID - 1]!,
    integral(x: number): number {
      if (x <= 0) return 0;
      if (x >= top) return cumulative[BATCH_GRID - 1]! + (x - top) * values[BATCH_GRID - 1]!;
      const pos = x / h;
      const i = Math.floor(pos);
      const f = pos - i;
      const v = values[i]! + (values[i + 1]! - values[i]!) * f;
      return cumulative[i]! + ((values[i]! + v) * f * h) / 2;
    },
  };
}
