// Bounded-memory statistics for imported traffic: a distribution that is exact up to a cap and a 1%
// log-bucket histogram beyond it, and a timeline of counts per slot (minute, hour…) for the peak factor.
import { DurationHistogram } from '../montecarlo/histogram.js';

const EXACT_CAP = 50_000;

export class Distribution {
  private exact: Float64Array | null = new Float64Array(256);
  private hist: DurationHistogram | null = null;
  count = 0;
  sum = 0;

  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.sum += value;
    if (this.exact) {
      if (this.count === this.exact.length) {
        if (this.count >= EXACT_CAP) this.toHistogram();
        else {
          const grown = new Float64Array(Math.min(EXACT_CAP, this.exact.length * 2));
          grown.set(this.exact);
          this.exact = grown;
        }
      }
    }
    if (this.exact) this.exact[this.count] = value;
    else this.hist!.record(value);
    this.count += 1;
  }

  private toHistogram(): void {
    const h = new DurationHistogram();
    for (let i = 0; i < this.count; i++) h.record(this.exact![i]!);
    this.hist = h;
    this.exact = null;
  }

  get mean(): number | null {
    return this.count === 0 ? null : this.sum / this.count;
  }

  /** The value at quantile q (0..1): exact (nearest rank) below the cap, within 1% beyond it. */
  quantile(q: number): number | null {
    if (this.count === 0) return null;
    if (this.hist) return this.hist.quantile(q);
    const sorted = this.exact!.slice(0, this.count).sort();
    return sorted[Math.min(this.count - 1, Math.max(0, Math.ceil(q * this.count) - 1))]!;
  }

  /** Adds another distribution's values (exact ones as they are; a histogram's by its 1,000 quantiles). */
  absorb(other: Distribution): void {
    if (other.exact) for (let i = 0; i < other.count; i++) this.add(other.exact[i]!);
    else if (other.hist) {
      const per = other.count / 1000;
      let carry = 0;
      for (let i = 0; i < 1000; i++) {
        carry += per;
        const v = other.hist.quantile((i + 0.5) / 1000);
        for (; carry >= 1; carry--) this.add(v);
      }
    }
  }
}

const CHUNK = 1440;

/** Counts per time slot of `slotMs` (a minute for requests; the bucket width for usage buckets). */
export class Timeline {
  private readonly chunks = new Map<number, Float64Array>();

  constructor(readonly slotMs: number) {}

  add(timeMs: number, amount: number): void {
    const slot = Math.floor(timeMs / this.slotMs);
    const key = Math.floor(slot / CHUNK);
    let chunk = this.chunks.get(key);
    if (!chunk) this.chunks.set(key, (chunk = new Float64Array(CHUNK)));
    chunk[slot - key * CHUNK]! += amount;
  }

  /** The busiest slot's amount. */
  max(): number {
    let best = 0;
    for (const chunk of this.chunks.values()) for (let i = 0; i < CHUNK; i++) if (chunk[i]! > best) best = chunk[i]!;
    return best;
  }
}
