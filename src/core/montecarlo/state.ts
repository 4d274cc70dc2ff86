// What one simulated workload carries from run to run: fitted distributions, arrival rates, and per
// pattern the running totals (bills, histograms, counts, the queue's backlog).
import { expectedAttempts, type AttemptExpectation } from '../recommend/cost/overhead.js';
import { MINUTES_PER_MONTH } from './arrivals.js';
import type { SimAssumptions } from './assumptions.js';
import { fitLogNormal, logNormalFromMedian, normalQuantile, type LogNormal } from './distributions.js';
import { DurationHistogram } from './histogram.js';
import type { PatternSpec, SimWorkload } from './model.js';
import type { Random } from '../random.js';

/** A route of an option with its own fitted time distributions; `upTo` is its cumulative weight. */
export interface RouteState {
  upTo: number;
  ttftDist: LogNormal;
  speedDist: LogNormal;
  delayS: number;
  rateLimited: boolean;
}

export interface PatternState {
  spec: PatternSpec;
  /** The option's routes (null: the workload's own time model). */
  routes: RouteState[] | null;
  /** Share of requests whose route waits for the rate limit. */
  rateLimitedShare: number;
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

export interface Shared {
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

/** The fitted distributions of a workload's time and tokens: what the Monte Carlo month draws and core/time integrates. */
export interface TimeDistributions {
  inputDist: LogNormal;
  outputDist: LogNormal;
  ttftDist: LogNormal;
  speedDist: LogNormal;
  turnaround: { dist: LogNormal; guaranteeS: number; expiredKind: number };
}

export function timeDistributions(w: SimWorkload, a: Pick<SimAssumptions, 'inputSigma' | 'ttftSigma' | 'speedSigma' | 'batchLateProbability'>): TimeDistributions {
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
  return { inputDist, outputDist, ttftDist, speedDist, turnaround: { dist: logNormalFromMedian(medianS, sigma), guaranteeS, expiredKind } };
}

/** Expected arrivals per minute of the arrival profile's period, scaled so a month holds the volume. */
export function minuteRates(w: SimWorkload): Float64Array {
  // The same profile and volume give the same rates (recommend asks for each option): kept per profile, read-only.
  let byVolume = RATES.get(w.arrivals);
  if (!byVolume) RATES.set(w.arrivals, (byVolume = new Map()));
  const hit = byVolume.get(w.requestsPerMonth);
  if (hit) return hit;
  const rates = computeMinuteRates(w);
  if (byVolume.size >= 16) byVolume.delete(byVolume.keys().next().value!);
  byVolume.set(w.requestsPerMonth, rates);
  return rates;
}

const RATES = new WeakMap<object, Map<number, Float64Array>>();

function computeMinuteRates(w: SimWorkload): Float64Array {
  const period = w.arrivals.weights.length;
  const weightSum = monthWeight(w.arrivals);
  const minuteRate = new Float64Array(period);
  for (let m = 0; m < period; m++) minuteRate[m] = (w.requestsPerMonth / weightSum) * w.arrivals.weights[m]!;
  return minuteRate;
}

/** The profile's weights summed over the month's minutes (kept per profile: workloads of one profile differ in volume). */
function monthWeight(arrivals: SimWorkload['arrivals']): number {
  let sum = MONTH_WEIGHT.get(arrivals);
  if (sum === undefined) {
    const period = arrivals.weights.length;
    sum = 0;
    for (let m = 0; m < MINUTES_PER_MONTH; m++) sum += arrivals.weights[m % period]!;
    MONTH_WEIGHT.set(arrivals, sum);
  }
  return sum;
}

const MONTH_WEIGHT = new WeakMap<object, number>();

/** Expected arrivals per batch submission window of the month (the last window may be shorter). */
export function windowRates(minuteRate: Float64Array, windowMinutes: number): Float64Array {
  // Kept per minute-rate array (itself kept per profile and volume) and window: read-only.
  let byWindow = WINDOW_RATES.get(minuteRate);
  if (!byWindow) WINDOW_RATES.set(minuteRate, (byWindow = new Map()));
  let rates = byWindow.get(windowMinutes);
  if (!rates) byWindow.set(windowMinutes, (rates = computeWindowRates(minuteRate, windowMinutes)));
  return rates;
}

const WINDOW_RATES = new WeakMap<Float64Array, Map<number, Float64Array>>();

function computeWindowRates(minuteRate: Float64Array, windowMinutes: number): Float64Array {
  const period = minuteRate.length;
  const windowRate = new Float64Array(Math.ceil(MINUTES_PER_MONTH / windowMinutes));
  for (let m = 0; m < MINUTES_PER_MONTH; m++) windowRate[Math.floor(m / windowMinutes)]! += minuteRate[m % period]!;
  return windowRate;
}

export function makeShared(w: SimWorkload, a: SimAssumptions, rng: Random): Shared {
  const minuteRate = minuteRates(w);
  const windowMinutes = Math.max(1, Math.round(w.batch.submitEveryS / 60));
  return {
    w,
    a,
    rng,
    minuteRate,
    windowMinutes,
    windowRate: windowRates(minuteRate, windowMinutes),
    belowLimits: false,
    ...timeDistributions(w, a),
  };
}

export function newState(spec: PatternSpec, maxRetries: number, a: Pick<SimAssumptions, 'ttftSigma' | 'speedSigma'>): PatternState {
  const expectation = expectedAttempts(spec.failures, maxRetries);
  const live = (spec.routes ?? []).filter((r) => r.weight > 0);
  const total = live.reduce((s, r) => s + r.weight, 0);
  let upTo = 0;
  const routes =
    live.length === 0
      ? null
      : live.map((r) => ({ upTo: (upTo += r.weight / total), ttftDist: logNormalFromMedian(r.ttftS, a.ttftSigma), speedDist: logNormalFromMedian(r.outputTokensPerS, a.speedSigma), delayS: r.delayS, rateLimited: r.rateLimited }));
  return {
    spec,
    routes,
    rateLimitedShare: routes ? live.reduce((s, r) => s + (r.rateLimited ? r.weight / total : 0), 0) : 1,
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
export function mixSeed(seed: number, name: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h ^ Math.floor(seed / 4294967296)) >>> 0;
}

