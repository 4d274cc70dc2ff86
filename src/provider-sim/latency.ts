// How long the simulated model takes: the catalog's TTFT and tokens/s, jittered (seeded), times --latency-scale.
import type { Model } from '../core/catalog/schema.js';
import type { Random } from '../core/random.js';

export interface Timing {
  /** Time to first token, ms. */
  ttftMs: number;
  /** Time per output token after the first, ms. */
  msPerToken: number;
}

/** TTFT varies more than throughput in practice (queueing), hence the wider spread. */
const TTFT_SIGMA = 0.35;
const SPEED_SIGMA = 0.15;

export function planTiming(model: Model, scale: number, rng: Random): Timing {
  if (scale <= 0) return { ttftMs: 0, msPerToken: 0 };
  const ttftMs = model.speed.ttft_s * 1000 * rng.logNormal(TTFT_SIGMA) * scale;
  const tokensPerS = model.speed.output_tokens_per_s * rng.logNormal(SPEED_SIGMA);
  return { ttftMs, msPerToken: (1000 / tokensPerS) * scale };
}

/** Total time of a non-streamed answer of `outputTokens` tokens. */
export function totalMs(t: Timing, outputTokens: number): number {
  return t.ttftMs + Math.max(0, outputTokens - 1) * t.msPerToken;
}
