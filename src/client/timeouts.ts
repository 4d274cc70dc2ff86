// Timeouts sized to the answer: a request may take `factor` × what its output length should take at the
// model's typical speed (never less than a floor), and a stream may fall silent for at most `idleMs`. The
// sizing comes from the resilience policy (src/core/recommend/resilience-policy.ts).
import type { ChatRequest } from './providers/types.js';
import type { TimeoutPolicy } from './resilient.js';

export interface ModelSpeed {
  ttftS: number;
  outputTokensPerS: number;
}

export interface TimeoutSizing {
  /** Multiple of the expected time before giving up (TTFT varies a lot under load). */
  factor: number;
  floorMs: number;
  idleMs: number;
}

/** Expected time for an answer of `outputTokens` at this speed, ms. */
export function expectedAnswerMs(speed: ModelSpeed, outputTokens: number): number {
  return (speed.ttftS + outputTokens / speed.outputTokensPerS) * 1000;
}

export function timeoutPolicy(speedOf: (model: string) => ModelSpeed | undefined, sizing: TimeoutSizing, fixedMs?: number): TimeoutPolicy {
  return {
    idleMs: sizing.idleMs,
    requestMs(req: ChatRequest): number {
      if (fixedMs !== undefined) return fixedMs;
      const speed = speedOf(req.model);
      if (!speed) return Math.max(sizing.floorMs, 600_000);
      return Math.max(sizing.floorMs, Math.ceil(sizing.factor * expectedAnswerMs(speed, req.maxTokens)));
    },
  };
}
