// How long a request takes at the model's typical speed: time to first token, total, and the tail.
import type { Model } from '../catalog/schema.js';
import { count } from '../format.js';

export interface LatencyEstimate {
  /** Typical time to first token, s (an estimate: providers publish none). */
  ttftS: number;
  /** TTFT + mean output ÷ tokens per second. */
  totalS: number;
  /**
   * The 95th percentile of the total latency by the one model of time (core/time: the spread of speeds,
   * retries, rate-limit waits at the peak), the figure aip simulate reports; set by the recommendation
   * (build.ts). Until then, and where the model has none, a slow request (slowRequestS).
   */
  totalP95S: number;
  /** A slow request: TTFT + p95 output ÷ tokens per second (p95 given, or mean × the p95 factor); the timeout's basis. */
  slowRequestS: number;
  /** Whether the p95 output was given by the workload (true) or assumed. */
  p95Given: boolean;
  outputTokensPerS: number;
  /** "measured: N requests, period" where the speeds come from a calibration overlay; null = the catalog's typical figures. */
  measured: string | null;
  /** Typical batch turnaround (most finish within this), s. */
  batchTypicalS: number;
  /** The provider's batch guarantee, s. */
  batchGuaranteeS: number;
}

/**
 * Hidden reasoning tokens are generated before the first visible token: they add to the time to first token
 * (and so to the total) at the model's output speed.
 */
export function estimateLatency(
  model: Model,
  output: { tokens: number; p95: number | undefined; reasoningTokens?: number | undefined; reasoningP95?: number | undefined },
  batch: { typicalMinutes: number; windowHours: number },
  p95Factor: number,
): LatencyEstimate {
  const tps = model.speed.output_tokens_per_s;
  const reasoning = output.reasoningTokens ?? 0;
  const reasoningP95 = output.reasoningP95 ?? reasoning;
  const ttft = model.speed.ttft_s + reasoning / tps;
  const p95Tokens = output.p95 ?? output.tokens * p95Factor;
  const slow = model.speed.ttft_s + (reasoningP95 + p95Tokens) / tps;
  return {
    ttftS: ttft,
    totalS: ttft + output.tokens / tps,
    totalP95S: slow,
    slowRequestS: slow,
    p95Given: output.p95 !== undefined,
    outputTokensPerS: tps,
    measured: model.speed.measured ? measuredLabel(model.speed.measured) : null,
    batchTypicalS: batch.typicalMinutes * 60,
    batchGuaranteeS: batch.windowHours * 3600,
  };
}

/** "measured: 1,234 requests, 2026-11-01 → 2026-11-08": what a measured latency rests on. */
export function measuredLabel(m: { requests: number; period: { start: string; end: string } }): string {
  const day = (t: string) => t.slice(0, 10);
  const period = day(m.period.start) === day(m.period.end) ? day(m.period.start) : `${day(m.period.start)} → ${day(m.period.end)}`;
  return `measured: ${count(m.requests, 0)} request${m.requests === 1 ? '' : 's'}, ${period}`;
}
