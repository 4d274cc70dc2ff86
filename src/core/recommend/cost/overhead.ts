// Expected extra spend from failures and retries per pattern, from data/failure_rates.yaml. The
// simulator (aip simulate) draws attempts with the same per-kind probabilities and billed fractions, so
// its mean cost equals cost_usd_per_month + overhead_usd_per_month.
//
// The model, per request: each attempt independently fails with kind k with probability p_k (the
// applicable rows' `expected`); a kind with fails_request: false is recovered in place and costs nothing.
// A failure of a retried kind leads to another attempt, up to `maxRetries` retries; a permanent kind ends
// the request. With q = Σ p_k over retried kinds and P = Σ p_k over all failing kinds:
//   expected attempts       A = Σ_{i=0..M} q^i = (1 − q^(M+1)) / (1 − q)
//   failed attempts of k    p_k × A             (each billed b_in,k × input cost + b_out,k × output cost)
//   P(success)              (1 − P) × A
//   overhead per request    Σ_k p_k·A·wasted_k − (1 − P(success)) × request cost
// The last term: a request that never succeeds is not billed as a successful one, so the monthly cost
// (which counts every request once) overstates it by that much.
import type { FailureKind, FailureRates, ProviderId } from '../../catalog/schema.js';
import type { TaskKind } from '../../workload/schema.js';
import type { RequestCost } from './monthly.js';
import type { Pattern } from '../pattern.js';

export const structuredTasks: readonly TaskKind[] = ['classification', 'extraction', 'labeling', 'evaluation', 'moderation'];

export interface FailureProbability {
  kind: FailureKind;
  /** Probability that one attempt fails this way. */
  probability: number;
  retried: boolean;
  failsRequest: boolean;
  billedInput: number;
  billedOutput: number;
}

export interface WorkloadFailureFacts {
  provider: ProviderId;
  outputTokens: number;
  /** The caller parses the output (JSON): format failures apply. */
  structured: boolean;
}

export function applicableFailures(rates: FailureRates, pattern: Pattern, facts: WorkloadFailureFacts): FailureProbability[] {
  return rates.patterns[pattern]
    .filter((f) => {
      const a = f.applies;
      if (a.min_output_tokens !== undefined && facts.outputTokens < a.min_output_tokens) return false;
      if (a.providers !== undefined && !a.providers.includes(facts.provider)) return false;
      if (a.structured_output_only && !facts.structured) return false;
      return true;
    })
    .map((f) => ({ kind: f.kind, probability: f.expected, retried: f.retried, failsRequest: f.fails_request, billedInput: f.billed.input, billedOutput: f.billed.output }));
}

export interface AttemptExpectation {
  /** Expected attempts per request (1 = never retried). */
  attempts: number;
  /** Expected retries per request (attempts − 1). */
  retries: number;
  /** Expected failed attempts per request, per kind. */
  failedAttempts: Partial<Record<FailureKind, number>>;
  successProbability: number;
  /** Probability that every allowed attempt failed with a retried kind (the fallback model takes over). */
  exhaustedProbability: number;
}

export function expectedAttempts(modes: readonly FailureProbability[], maxRetries: number): AttemptExpectation {
  const failing = modes.filter((m) => m.failsRequest);
  const q = failing.filter((m) => m.retried).reduce((s, m) => s + m.probability, 0);
  const P = failing.reduce((s, m) => s + m.probability, 0);
  const attempts = q === 1 ? maxRetries + 1 : (1 - q ** (maxRetries + 1)) / (1 - q);
  const failedAttempts: Partial<Record<FailureKind, number>> = {};
  for (const m of failing) failedAttempts[m.kind] = (failedAttempts[m.kind] ?? 0) + m.probability * attempts;
  return { attempts, retries: attempts - 1, failedAttempts, successProbability: (1 - P) * attempts, exhaustedProbability: q ** (maxRetries + 1) };
}

export interface OverheadPerRequest extends AttemptExpectation {
  /** USD per request: billed failed attempts minus the cost of requests that never succeed. */
  usd: number;
  /** USD per request billed for failed attempts, per kind. */
  wastedUsd: Partial<Record<FailureKind, number>>;
  /** Tokens billed for failed attempts per request. */
  wastedTokens: { input: number; output: number };
}

export function failureOverhead(modes: readonly FailureProbability[], maxRetries: number, cost: RequestCost, tokens: { input: number; output: number }): OverheadPerRequest {
  const e = attemptsOf(modes, maxRetries);
  const wastedUsd: Partial<Record<FailureKind, number>> = {};
  const wastedTokens = { input: 0, output: 0 };
  for (const m of modes) {
    const n = e.failedAttempts[m.kind];
    if (!n || !m.failsRequest) continue;
    wastedUsd[m.kind] = (wastedUsd[m.kind] ?? 0) + n * (m.billedInput * cost.input + m.billedOutput * cost.output);
    wastedTokens.input += n * m.billedInput * tokens.input;
    wastedTokens.output += n * m.billedOutput * tokens.output;
  }
  return { ...e, usd: failureOverheadUsd(modes, maxRetries, cost), wastedUsd, wastedTokens };
}

/** failureOverhead's USD per request alone (the same sum), without the per-kind breakdown: for pricing many options. */
export function failureOverheadUsd(modes: readonly FailureProbability[], maxRetries: number, cost: RequestCost): number {
  const e = attemptsOf(modes, maxRetries);
  let wasted = 0;
  for (const m of modes) {
    const n = e.failedAttempts[m.kind];
    if (!n || !m.failsRequest) continue;
    wasted += n * (m.billedInput * cost.input + m.billedOutput * cost.output);
  }
  return wasted - (1 - e.successProbability) * cost.total;
}

/**
 * expectedAttempts kept per failure-mode list and retry budget: recommend prices a workload's pattern at every
 * service tier with the same list (its options' overheads). The result is shared: read-only.
 */
function attemptsOf(modes: readonly FailureProbability[], maxRetries: number): AttemptExpectation {
  let byRetries = ATTEMPTS.get(modes);
  if (!byRetries) ATTEMPTS.set(modes, (byRetries = new Map()));
  let e = byRetries.get(maxRetries);
  if (!e) byRetries.set(maxRetries, (e = expectedAttempts(modes, maxRetries)));
  return e;
}

const ATTEMPTS = new WeakMap<readonly FailureProbability[], Map<number, AttemptExpectation>>();
