// Latency and rate distributions in bounded memory (HdrHistogram, 3 significant digits), read as
// p50/p95/p99. Values are recorded in microseconds so sub-millisecond loopback timings keep their detail.
import { build, type Histogram } from 'hdr-histogram-js';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface Summary extends Percentiles {
  count: number;
  mean: number;
  min: number;
  max: number;
}

const SCALE = 1000;

export class Distribution {
  private readonly hist: Histogram;
  private n = 0;
  private sum = 0;

  constructor() {
    this.hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: 3, autoResize: true, useWebAssembly: false, bitBucketSize: 64 });
  }

  /** Record one value (ms, tokens/s, …); negative and non-finite values are ignored. */
  record(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.hist.recordValue(Math.max(1, Math.round(value * SCALE)));
    this.n += 1;
    this.sum += value;
  }

  get count(): number {
    return this.n;
  }

  percentile(p: number): number {
    return this.hist.getValueAtPercentile(p) / SCALE;
  }

  /** null when nothing was recorded: "no data", never a made-up zero. */
  summary(): Summary | null {
    if (this.n === 0) return null;
    return {
      count: this.n,
      mean: round(this.sum / this.n),
      min: round(this.hist.minNonZeroValue / SCALE),
      max: round(this.hist.maxValue / SCALE),
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
    };
  }

  destroy(): void {
    this.hist.destroy();
  }
}

export function round(n: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function percentilesOf(s: Summary | null): Percentiles | null {
  return s ? { p50: s.p50, p95: s.p95, p99: s.p99 } : null;
}
