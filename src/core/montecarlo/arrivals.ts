// When requests arrive over a month: a daily cycle shaped to the workload's peak factor, or a trace's shape.

import { MINUTES_PER_MONTH } from '../workload/units.js';

/** A month is 30 days (docs/spec.md "Arithmetic"): 43,200 minutes, as everywhere in aip. */
export { MINUTES_PER_MONTH };
export const MINUTES_PER_DAY = 1_440;

/**
 * Relative arrival rate per minute, repeating with period `weights.length` minutes; the weights average 1,
 * so minute m of the month expects requestsPerMonth / 43,200 × weights[m mod period] arrivals.
 */
export interface ArrivalProfile {
  weights: Float64Array;
  /** max(weights): the peak rate over the average rate. */
  peakFactor: number;
  /** Where the shape comes from, for people. */
  source: string;
}

/** The hour of day (UTC) the daily cycle peaks: business afternoon. Only the shape matters to the results. */
const PEAK_MINUTE_OF_DAY = 14 * 60;

/**
 * A daily cycle w(t) ∝ exp(k·cos(2π(t − peak)/1 day)), with k chosen so that max/mean is the peak factor
 * (k = 0 is flat traffic). A smooth bump: a busy afternoon and a quiet night, never zero.
 */
export function dailyCycle(peakFactor: number): ArrivalProfile {
  const pf = Math.max(1, peakFactor);
  const hit = CYCLES.get(pf);
  if (hit) return hit;
  const profile = makeDailyCycle(pf);
  if (CYCLES.size >= 64) CYCLES.delete(CYCLES.keys().next().value!);
  CYCLES.set(pf, profile);
  return profile;
}

/** Profiles by peak factor: finding the shape takes milliseconds, and a portfolio repeats a few peak factors. Read-only. */
const CYCLES = new Map<number, ArrivalProfile>();

function makeDailyCycle(peakFactor: number): ArrivalProfile {
  const pf = Math.max(1, peakFactor);
  const shape = (k: number): Float64Array => {
    const w = new Float64Array(MINUTES_PER_DAY);
    let sum = 0;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      // exp(k(cos − 1)) rather than exp(k·cos): the same shape without overflow for large k.
      const v = Math.exp(k * (Math.cos((2 * Math.PI * (m - PEAK_MINUTE_OF_DAY)) / MINUTES_PER_DAY) - 1));
      w[m] = v;
      sum += v;
    }
    const mean = sum / MINUTES_PER_DAY;
    for (let m = 0; m < MINUTES_PER_DAY; m++) w[m] = w[m]! / mean;
    return w;
  };
  // The weights average 1, so the peak weight is max/mean.
  const ratio = (k: number): number => shape(k)[PEAK_MINUTE_OF_DAY]!;
  let weights: Float64Array;
  if (pf === 1) weights = new Float64Array(MINUTES_PER_DAY).fill(1);
  else {
    // max/mean grows monotonically with k; bisection to a relative 1e-9.
    let lo = 0;
    let hi = 1;
    while (ratio(hi) < pf && hi < 1e6) hi *= 2;
    for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
      const mid = (lo + hi) / 2;
      if (ratio(mid) < pf) lo = mid;
      else hi = mid;
    }
    weights = shape((lo + hi) / 2);
  }
  return { weights, peakFactor: maxOf(weights), source: pf === 1 ? 'flat (peak factor 1)' : `daily cycle, peak ${round(pf)}× the average at 14:00` };
}

/** The profile of a trace's arrivals per minute (see trace.ts), scaled so its weights average 1. */
export function traceProfile(perMinute: Float64Array, file: string): ArrivalProfile {
  const mean = sumOf(perMinute) / perMinute.length;
  const weights = new Float64Array(perMinute.length);
  for (let i = 0; i < perMinute.length; i++) weights[i] = perMinute[i]! / mean;
  return { weights, peakFactor: maxOf(weights), source: `trace ${file}` };
}

function sumOf(a: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

function maxOf(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! > m) m = a[i]!;
  return m;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
