// How long a request takes at the model's typical speed: time to first token, total, and the tail.
import type { Model } from '../catalog/schema.js';

export interface LatencyEstimate {
  /** Typical time to first token, s (an estimate: providers publish none). */
  ttftS: number;
  /** TTFT + mean output ÷ tokens per second. */
  totalS: number;
  /** TTFT + p95 output ÷ tokens per second (p95 given, or mean × the p95 factor). */
  totalP95S: number;
  /** Whether the p95 output was given by the workload (true) or assumed. */
  p95Given: boolean;
  outputTokensPerS: number;
  /** Typical batch turnaround (most finish within this), s. */
  batchTypicalS: number;
  /** The provider's batch guarantee, s. */
  batchGuaranteeS: number;
}

export function estimateLatency(model: Model, output: { tokens: number; p95: number | undefined }, batch: { typicalMinutes: number; windowHours: number }, p95Factor: number): LatencyEstimate {
  const tps = model.speed.output_tokens_per_s;
  const ttft = model.speed.ttft_s;
  const p95Tokens = output.p95 ?? output.tokens * p95Factor;
  return {
    ttftS: ttft,
    totalS: ttft + output.tokens / tps,
    totalP95S: ttft + p95Tokens / tps,
    p95Given: output.p95 !== undefined,
    outputTokensPerS: tps,
    batchTypicalS: batch.typicalMinutes * 60,
    batchGuaranteeS: batch.windowHours * 3600,
  };
}
