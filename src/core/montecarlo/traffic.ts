// A month of traffic: arrivals minute by minute through the rate-limit queue (or window by window when no
// minute can reach the limits), collected into batch submission windows, with the traced requests.
import type { RateLimitSpec } from './model.js';
import { MINUTES_PER_MONTH } from './arrivals.js';
import { drawSum } from './distributions.js';
import { queueMinute, waitAt, type MinuteQueue } from './queue.js';
import { closeBatchWindow, traceRealtime } from './requests.js';
import type { PatternState, Shared } from './state.js';

export interface MonthTraffic {
  arrivals: number;
  traced: number;
}

/**
 * One month minute by minute. Each minute draws its arrivals (Poisson at the daily cycle's rate), split into
 * traced and counted-only requests; real-time patterns push them through a fluid queue whose service rate
 * is the tier's limit for that minute; batch collects them into submission windows.
 */
export function simulateTraffic(sh: Shared, states: PatternState[], sampleFraction: number): MonthTraffic {
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
  // Reused minute after minute (no allocation per minute): the queue's minute and the minute's tokens.
  const minute: MinuteQueue = { backlogAfter: 0, waitingFraction: 0, busy: false };
  const tokens: MinuteTokens = { drawn: false, input: 0, output: 0 };

  for (let m = 0; m < MINUTES_PER_MONTH; m++) {
    const lambda = sh.minuteRate[m % period]!;
    const tracedHere = sampleFraction > 0 ? rng.poisson(lambda * sampleFraction) : 0;
    const countedHere = sampleFraction < 1 ? rng.poisson(lambda * (1 - sampleFraction)) : 0;
    const n = tracedHere + countedHere;
    arrivals += n;
    traced += tracedHere;
    tokens.drawn = false;
    for (const s of realtime) {
      const load = n * s.expectation.attempts;
      const q0 = s.backlog;
      const capacity = minuteCapacity(sh, w.limits, n, load, q0, tokens);
      queueMinute(q0, load, capacity, minute);
      if (minute.busy) {
        s.busyMinutes += 1;
        s.queued += n * minute.waitingFraction * s.rateLimitedShare;
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
        if (windowTraced.length > 0) windowTraced.length = 0;
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
      if (traced.length > 0) traced.length = 0;
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
export function cannotReachLimits(sh: Shared, states: PatternState[]): boolean {
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

/** Mean counted input and output tokens per request among one minute's arrivals, once drawn. */
interface MinuteTokens {
  drawn: boolean;
  input: number;
  output: number;
}

/** Sums of fewer draws than this are drawn one by one for a minute's tokens (the queue's capacity only). */
const MINUTE_EXACT_BELOW = 8;

/** Draws the minute's tokens into `t` the first time a pattern needs them (shared by direct and streaming). */
function drawMinuteTokens(sh: Shared, limits: RateLimitSpec, n: number, t: MinuteTokens): MinuteTokens {
  if (t.drawn) return t;
  const inScale = limits.cacheReadsCount ? 1 : 1 - sh.w.input.cachedFraction;
  t.input = (drawSum(sh.inputDist, n, sh.rng, MINUTE_EXACT_BELOW) * inScale) / n;
  t.output = drawSum(sh.outputDist, n, sh.rng, MINUTE_EXACT_BELOW) / n;
  t.drawn = true;
  return t;
}

/**
 * Requests the tier lets through in one minute: the request limit, and each token limit divided by this
 * minute's tokens per request. The minute's tokens are drawn (once, shared by direct and streaming) only
 * when a limit could bind; otherwise the mean is used, which cannot change the outcome.
 */
function minuteCapacity(sh: Shared, limits: RateLimitSpec | null, n: number, load: number, backlog: number, tokens: MinuteTokens): number {
  if (!limits) return Infinity;
  const rpm = limits.rpm ?? Infinity;
  if (limits.tpm === undefined && limits.itpm === undefined && limits.otpm === undefined) return rpm;
  const inScale = limits.cacheReadsCount ? 1 : 1 - sh.w.input.cachedFraction;
  const byMean = tokenCapacity(limits, sh.inputDist.mean * inScale, sh.outputDist.mean);
  if (n > 0 && (backlog > 0 || load > 0.8 * Math.min(rpm, byMean))) {
    const t = drawMinuteTokens(sh, limits, n, tokens);
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

