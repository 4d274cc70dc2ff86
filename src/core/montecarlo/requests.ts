// Traced requests, one by one: a direct or streaming call's attempts, retries and waits; a batch item's wait
// for submission, the batch's turnaround and resubmissions. Their durations go into the histograms.
import { drawLnOfLogNormal, drawLogNormal } from './distributions.js';
import { pickFailure } from './failures.js';
import { batchQueuePerWindow } from './queue.js';
import type { ClientPolicy, FailureSpec } from './model.js';
import type { PatternState, RouteState, Shared } from './state.js';

/** One traced direct or streaming request: queue wait, then attempts until success or giving up. */
export function traceRealtime(sh: Shared, s: PatternState, queueWaitS: number): void {
  const { rng } = sh;
  const client = sh.w.client;
  const failures = s.spec.failures;
  const streaming = s.spec.pattern === 'streaming';
  // An option's request takes one of its routes (a tier's speed, or standard's after a refusal); the
  // workload's own time model otherwise (no draw, so the patterns' random streams stay as they were).
  const route = s.routes ? pickRoute(s.routes, rng.uniform()) : null;
  const ttftDist = route?.ttftDist ?? sh.ttftDist;
  const speedDist = route?.speedDist ?? sh.speedDist;
  const waitS = route && !route.rateLimited ? 0 : queueWaitS;
  // In logarithms: an attempt's generation time, output tokens ÷ speed, is then one exponential.
  const lnOutputTokens = drawLnOfLogNormal(sh.outputDist, rng);
  let t = waitS + (route?.delayS ?? 0);
  let firstTokenAt = -1;
  let done = false;
  for (let attempt = 0; attempt <= client.maxRetries; attempt++) {
    const ttft = drawLogNormal(ttftDist, rng);
    const generation = Math.exp(lnOutputTokens - drawLnOfLogNormal(speedDist, rng));
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

function pickRoute(routes: RouteState[], u: number): RouteState {
  for (const r of routes) if (u < r.upTo) return r;
  return routes[routes.length - 1]!;
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
  // Direct and batch have no first token before the whole answer: one bucket found, counted twice.
  if (latencyS >= 0 && ttftS === latencyS) s.latency.recordAlsoIn(s.ttft, latencyS);
  else {
    if (latencyS >= 0) s.latency.record(latencyS);
    if (ttftS >= 0) s.ttft.record(ttftS);
  }
  const measured = s.spec.pattern === 'streaming' && sh.w.userFacing ? ttftS : latencyS;
  if (measured >= 0 && measured <= sh.w.toleranceS) s.sloMet += 1;
}

/**
 * A batch submission window closes: what arrived joins the batch queue; as much as the queue limit allows
 * (its share beside the batches still in flight) is submitted (in batches of at most max requests), the rest
 * waits for the next window. Traced requests get their wait for submission, the batch's turnaround and any
 * resubmission of failed items.
 */
export function closeBatchWindow(sh: Shared, s: PatternState, arrivals: number, tracedOffsets: number[], windowS: number): void {
  const { w, rng } = sh;
  const maxRetries = w.client.maxRetries;
  const limits = w.limits;
  const perWindow = batchQueuePerWindow(limits, sh.inputDist.mean, w.batch.typicalTurnaroundMinutes * 60, sh.windowMinutes * 60);
  const q0 = s.backlog;
  const submitted = Math.min(q0 + arrivals, perWindow);
  if (q0 + arrivals > perWindow) {
    s.busyMinutes += windowS / 60;
    s.queued += Math.min(arrivals, q0 + arrivals - perWindow);
  }
  s.backlog = q0 + arrivals - submitted;
  if (submitted > 0) s.batches += Math.ceil(submitted / w.batch.maxRequestsPerBatch);
  if (tracedOffsets.length === 0) return;
  const windowTurnaround = drawLogNormal(sh.turnaround.dist, rng);
  const itemFailures = s.spec.failures;
  for (const offset of tracedOffsets) {
    // FIFO through the batch queue: the position in line decides how many windows the request waits.
    const position = q0 + (offset / windowS) * arrivals;
    const deferred = Number.isFinite(perWindow) ? Math.floor(position / perWindow) : 0;
    const queueWait = deferred * windowS;
    let t = windowS - offset + queueWait;
    // A turnaround past the guarantee is an expired batch (when the catalog gives a rate for that) or is
    // capped there.
    let turnaround = deferred === 0 ? windowTurnaround : drawLogNormal(sh.turnaround.dist, rng);
    let done = false;
    for (let attempt = 0; attempt <= maxRetries; attempt++) {
      let kind = -1;
      const late = turnaround > sh.turnaround.guaranteeS;
      if (late && sh.turnaround.expiredKind >= 0) kind = sh.turnaround.expiredKind;
      else {
        const k = pickFailure(itemFailures, rng.uniform());
        if (k >= 0 && k !== sh.turnaround.expiredKind) kind = k;
      }
      t += late ? sh.turnaround.guaranteeS : turnaround;
      if (kind < 0) {
        done = true;
        break;
      }
      if (!itemFailures[kind]!.retried || attempt === maxRetries) break;
      // Failed items are collected from the results and resubmitted with the next window's batch: windows
      // close on the clock (every windowS from the month's start), and this request arrived `offset` into one.
      t += windowS - ((t + offset) % windowS);
      turnaround = drawLogNormal(sh.turnaround.dist, rng);
    }
    record(sh, s, queueWait, done ? t : -1, done ? t : -1);
  }
}

