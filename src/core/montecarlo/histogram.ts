// A streaming histogram of durations: fixed log-spaced buckets (1% wide), so memory does not grow with the
// number of values recorded and percentiles are within 1% of the exact ones.

const MIN_VALUE = 1e-3; // 1 ms
const MAX_VALUE = 1e8; // ~3 years: beyond any tolerance aip deals with
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
const BUCKETS = Math.ceil(Math.log(MAX_VALUE / MIN_VALUE) / LOG_GROWTH) + 1;

export class DurationHistogram {
  /** A histogram that crossed a thread as a structured clone (its fields, not its class): the same object, its methods back. */
  static revive(cloned: object): DurationHistogram {
    return Object.setPrototypeOf(cloned, DurationHistogram.prototype) as DurationHistogram;
  }

  /** The buffer of the counts, to transfer to another thread rather than copy it. */
  get buffer(): ArrayBufferLike {
    return this.counts.buffer;
  }

  private readonly counts = new Float64Array(BUCKETS);
  /** Values of exactly 0 (e.g. no wait in the rate-limit queue). */
  private zeros = 0;
  total = 0;
  sum = 0;
  max = 0;

  record(seconds: number): void {
    this.recordIn(seconds <= 0 ? -1 : bucketOf(seconds), seconds);
  }

  /** Records the value here and in `other`, finding its bucket once. */
  recordAlsoIn(other: DurationHistogram, seconds: number): void {
    const bucket = seconds <= 0 ? -1 : bucketOf(seconds);
    this.recordIn(bucket, seconds);
    other.recordIn(bucket, seconds);
  }

  /** bucket −1: a zero. */
  private recordIn(bucket: number, seconds: number): void {
    this.total += 1;
    this.sum += seconds;
    if (seconds > this.max) this.max = seconds;
    if (bucket < 0) this.zeros += 1;
    else this.counts[bucket]! += 1;
  }

  get mean(): number {
    return this.total === 0 ? 0 : this.sum / this.total;
  }

  /** The value at quantile q (0..1): the geometric middle of the bucket that holds it; 0 when empty. */
  quantile(q: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = this.zeros;
    if (seen >= rank) return 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(this.max, bucketMiddle(b));
    }
    return this.max;
  }

  /** Fraction of values ≤ seconds (bucket resolution). */
  fractionAtOrBelow(seconds: number): number {
    if (this.total === 0) return 0;
    if (seconds <= 0) return this.zeros / this.total;
    const top = bucketOf(seconds);
    let seen = this.zeros;
    for (let b = 0; b <= top; b++) seen += this.counts[b]!;
    return seen / this.total;
  }
}

function bucketOf(seconds: number): number {
  if (seconds <= MIN_VALUE) return 0;
  return Math.min(BUCKETS - 1, Math.floor(Math.log(seconds / MIN_VALUE) / LOG_GROWTH) + 1);
}

function bucketMiddle(b: number): number {
  if (b === 0) return MIN_VALUE;
  return MIN_VALUE * Math.pow(GROWTH, b - 0.5);
}

/** Percentile of a small sorted array (run totals), linear between the closest ranks. */
export function percentileOfSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}
