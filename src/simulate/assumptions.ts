// The simulation's own assumptions where the catalog has no figure: spreads of latency and token lengths,
// the client's retry policy, sample sizes. Estimates, stated once here and in the README.

export const SIM_ASSUMPTIONS = {
  /** Spread (σ of ln) of time to first token around the catalog's typical figure (p95 ≈ 1.8× typical). */
  ttftSigma: 0.35,
  /** Spread (σ of ln) of output speed around the catalog's typical tokens/s (p5 ≈ 0.72× typical). */
  speedSigma: 0.2,
  /** Spread of input lengths when the workload gives no p95 (p95 ≈ 1.45× the mean). */
  inputSigma: 0.25,
  /** Spread of output lengths when the workload gives no p95 (p95 ≈ 2× the mean). */
  outputSigma: 0.5,
  /** Retries per request after the first attempt (the seed's resilient client: "retry up to 3 times"). */
  maxRetries: 3,
  /** Exponential backoff: 1 s, 2 s, 4 s … each with ±50% jitter (seed 000: "1s, 2s, 4s, 8s"). */
  backoffBaseS: 1,
  /** Client timeout floor; a timed-out attempt wastes max(this, 2 × the p95 response time). */
  timeoutFloorS: 30,
  /** Idle time without a chunk before a stream is abandoned (seed 000: "no data for >30s"). */
  idleTimeoutS: 30,
  /** How often a batch client submits what arrived (the submission window). */
  batchWindowS: 3600,
  /** Probability a batch runs past its completion window when the catalog gives no batch_expired rate. */
  batchLateProbability: 0.001,
  /** Requests per pattern whose latency is traced, over all runs (the rest are counted, not traced). */
  latencySamples: 200_000,
  /** Sums of fewer token draws than this are drawn one by one; larger sums use the normal approximation. */
  exactSumBelow: 2_000,
} as const;

export type SimAssumptions = { -readonly [K in keyof typeof SIM_ASSUMPTIONS]: (typeof SIM_ASSUMPTIONS)[K] };
