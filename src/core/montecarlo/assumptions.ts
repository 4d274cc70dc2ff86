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
  latencySamples: 20_000,
  /**
   * Sums of fewer token draws than this are drawn one by one; larger sums draw one lognormal with the sum's
   * exact mean and variance (distributions.ts drawSum). 30: a month's failed attempts of one kind number in
   * the hundreds or thousands, and drawn one by one (below 2,000 before) they took most of the time; the
   * sum's mean and spread are exact either way, and its skew falls short by cv³/√n (cv of one draw), less
   * than the normal limit used above 2,000 before missed ((3·cv + cv³)/√2000) for cv up to 0.7, which covers
   * the default spreads (cv 0.25 of input, 0.53 of output with p95 = 2× the mean).
   */
  exactSumBelow: 30,
} as const;

export type SimAssumptions = { -readonly [K in keyof typeof SIM_ASSUMPTIONS]: number };
