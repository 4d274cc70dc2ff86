// The rate-limit queue of one minute as a fluid FIFO: arrivals spread evenly over the minute, served at
// the tier's rate. Pure arithmetic, so "nobody waits below the limit" holds by construction.

export interface MinuteQueue {
  /** Requests still waiting at the end of the minute. */
  backlogAfter: number;
  /** Share of this minute's arrivals that wait at all. */
  waitingFraction: number;
  /** Someone waited in this minute: a backlog from earlier minutes, or more load than the limit lets through. */
  busy: boolean;
}

/**
 * With `backlog` requests waiting at the start, `load` arriving evenly and `capacity` served per minute,
 * the line at fraction u of the minute is backlog + (load − capacity)·u. An arrival waits while it is > 0:
 * everyone when load > capacity; while the backlog drains (u < backlog / (capacity − load)) otherwise.
 */
export function queueMinute(backlog: number, load: number, capacity: number, out: MinuteQueue = { backlogAfter: 0, waitingFraction: 0, busy: false }): MinuteQueue {
  // `out` is filled and returned: the month's loop passes one object for all its minutes.
  const busy = backlog > 0 || load > capacity;
  let waitingFraction = 0;
  if (busy) waitingFraction = backlog <= 0 || load >= capacity ? 1 : Math.min(1, backlog / (capacity - load));
  out.backlogAfter = Math.max(0, backlog + load - capacity);
  out.waitingFraction = waitingFraction;
  out.busy = busy;
  return out;
}

/** Seconds an arrival at fraction u (0..1) of the minute waits: the line ahead of it over the service rate. */
export function waitAt(backlog: number, load: number, capacity: number, u: number): number {
  if (!Number.isFinite(capacity)) return 0; // no published limit: nobody waits
  return Math.max(0, (backlog + (load - capacity) * u) / capacity) * 60;
}

/**
 * Batches submitted more often than their typical turnaround overlap: ceil(turnaround / interval) of them are
 * in the provider's batch queue at once, and its limit (requests, or enqueued input tokens) holds them all.
 */
export function batchesInFlight(typicalTurnaroundS: number, submitEveryS: number): number {
  return submitEveryS > 0 ? Math.max(1, Math.ceil(typicalTurnaroundS / submitEveryS - 1e-9)) : 1;
}

/**
 * Requests one submission window can put in the batch queue: the tier's queue limit (requests, or enqueued
 * input tokens over the mean input) shared by the batches in flight. Infinity where no limit is published.
 * The one figure the analytic model (core/time) and the Monte Carlo engine both queue against.
 */
export function batchQueuePerWindow(limits: { batchQueueRequests?: number; batchQueueTokens?: number } | null, inputMean: number, typicalTurnaroundS: number, windowS: number): number {
  const capacity = limits?.batchQueueRequests ?? (limits?.batchQueueTokens !== undefined && inputMean > 0 ? limits.batchQueueTokens / inputMean : Infinity);
  return capacity / batchesInFlight(typicalTurnaroundS, windowS);
}
