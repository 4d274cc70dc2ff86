// The load generator: a closed loop (C workers, each sends its next request when the last one ends) or an
// open loop (Poisson arrivals at R/s, independent of completions), warm-up first and excluded from figures.

export interface LoadPlan {
  /** Measured requests; undefined with a duration means "as many as fit". */
  requests?: number;
  concurrency: number;
  /** Open loop: mean arrivals per second. */
  ratePerS?: number;
  /** Stop sending after this long (measured phase). */
  durationMs?: number;
  /** Requests sent before measuring (connection set-up, caches); their figures are dropped. */
  warmup: number;
}

/**
 * Why a pattern stopped sending; `not_available`: the target does not offer it (a batch API answering 404);
 * `retry_after`: the server asked to wait beyond the run's remaining time.
 */
export type StopReason = 'done' | 'duration' | 'interrupted' | 'spend_cap' | 'not_available' | 'retry_after';

export interface LoadResult {
  /** Measured requests started. */
  started: number;
  /** performance.now() at the start of the measured phase and when its last request ended. */
  measuredFrom: number;
  measuredTo: number;
  stoppedBy: StopReason;
}

export interface LoadHooks {
  /** Send request `index` (warm-up requests have negative indexes). Must not throw. */
  send(index: number, warmup: boolean): Promise<void>;
  /** Checked before each send: a reason to stop sending, or undefined to go on. */
  stopReason(): StopReason | undefined;
  /** Uniform [0,1), seeded: the Poisson inter-arrival times come from it. */
  random: () => number;
  clock?: () => number;
  /** Called after each measured request ends (progress). */
  onDone?: () => void;
}

/** Seconds to the next arrival of a Poisson process with this rate: exponential, mean 1/rate. */
export function nextArrivalS(ratePerS: number, random: () => number): number {
  return -Math.log(1 - random()) / ratePerS;
}

export async function runLoad(plan: LoadPlan, hooks: LoadHooks): Promise<LoadResult> {
  const clock = hooks.clock ?? (() => performance.now());
  const closed = plan.ratePerS === undefined;
  let from = clock();
  let started = 0;
  let stoppedBy: StopReason | undefined;
  const check = (): boolean => {
    if (stoppedBy) return false;
    const reason = hooks.stopReason();
    if (reason) stoppedBy = reason;
    else if (plan.requests !== undefined && started >= plan.requests) stoppedBy = 'done';
    else if (plan.durationMs !== undefined && clock() - from >= plan.durationMs) stoppedBy = 'duration';
    return stoppedBy === undefined;
  };
  const one = async (index: number) => {
    await hooks.send(index, false);
    hooks.onDone?.();
  };
  // Warm-up: as parallel as the measured phase. A closed loop's workers go on to measured requests without
  // waiting for the others (as a bare client loop does): a barrier here would start the measured phase with
  // all C requests sent at once — a synchronised burst whose answers queue behind each other at both ends,
  // which inflated the measured TTFB tail at C=256 (the answers of later rounds stay bunched).
  let w = 0;
  let measuring = plan.warmup === 0;
  const warmOne = async (): Promise<boolean> => {
    if (w >= plan.warmup || hooks.stopReason() !== undefined) return false;
    w += 1;
    await hooks.send(-w, true);
    return true;
  };
  if (!closed && plan.warmup > 0) {
    // An open loop's arrivals do not depend on answers: warm up first, then start the clock.
    await Promise.all(Array.from({ length: Math.min(plan.concurrency, plan.warmup) }, async () => {
      while (await warmOne());
    }));
    measuring = true;
  }
  if (measuring) from = clock();
  if (plan.ratePerS === undefined) {
    const workers = Array.from({ length: plan.concurrency }, async () => {
      while (await warmOne());
      // The measured phase starts with the first measured request.
      if (!measuring) {
        measuring = true;
        from = clock();
      }
      while (check()) {
        const index = started;
        started += 1;
        await one(index);
      }
    });
    await Promise.all(workers);
  } else {
    // Open loop: arrivals are scheduled on absolute times so timer lateness does not lower the rate.
    const inFlight = new Set<Promise<void>>();
    let nextAt = from;
    while (check()) {
      nextAt += nextArrivalS(plan.ratePerS, hooks.random) * 1000;
      // Sleep in short slices so Ctrl-C or the duration ends a slow open loop promptly.
      while (nextAt - clock() > 0 && hooks.stopReason() === undefined) {
        await new Promise((r) => setTimeout(r, Math.min(100, nextAt - clock())));
      }
      if (!check()) break;
      const index = started;
      started += 1;
      const p = one(index).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    await Promise.all(inFlight);
  }
  return { started, measuredFrom: from, measuredTo: clock(), stoppedBy: stoppedBy ?? 'done' };
}
