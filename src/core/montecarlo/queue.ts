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
