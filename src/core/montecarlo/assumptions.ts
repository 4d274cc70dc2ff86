// The simulation's own assumptions where the catalog has no figure: spreads of latency and token lengths,
// sample sizes. (The client's retry policy comes from data/thresholds.yaml, as recommend's plan.) Estimates, stated once here and in docs/commands/simulate.md.

export const SIM_ASSUMPTIONS = {
  /** Spread (σ of ln) of time to first token around the catalog's typical figure (p95 ≈ 1.8× typical). */
  ttftSigma: 0.35,
  /** Spread (σ of ln) of output speed around the catalog's typical tokens/s (p5 ≈ 0.72× typical). */
  speedSigma: 0.2,
  /** Spread of input lengths when the workload gives no p95 (p95 ≈ 1.45× the mean). */
  inputSigma: 0.25,
  /** Probability a batch runs past its completion window when the catalog gives no batch_expired rate. */
  batchLateProbability: 0.001,
  /** Requests per pattern whose latency is traced, over all runs (the rest are counted, not traced). */
  latencySamples: 200_000,
  /** Sums of fewer token draws than this are drawn one by one; larger sums use the normal approximation. */
  exactSumBelow: 2_000,
} as const;

export type SimAssumptions = { -readonly [K in keyof typeof SIM_ASSUMPTIONS]: number };
