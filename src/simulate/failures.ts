// Failures under the client's retry policy: per-attempt probabilities → expected failed attempts, retries
// and requests that fail for good. The cost draws and the traced requests both follow this one model.
import type { FailureSpec } from './model.js';

export interface FailureExpectation {
  /** Expected attempts per request (1 + expected retries). */
  attemptsPerRequest: number;
  retriesPerRequest: number;
  /** Expected failed attempts of each kind per request (same order as the specs). */
  failedAttemptsPerRequest: number[];
  /** Probability a request ends without a result (a permanent error, or retries exhausted). */
  permanentFailureProbability: number;
  /** Probability a request ends with a result: (1 − P(attempt fails)) × attempts per request. */
  completedProbability: number;
}

/**
 * Attempt j (0 = the first) is sent when every earlier attempt failed with a retried kind and j ≤ maxRetries,
 * so with P_r = Σ p over retried kinds it happens with probability P_r^j. Expected attempts A = Σ_{j=0..M} P_r^j;
 * failed attempts of kind k = p_k·A; a request completes with probability (1 − Σp)·A and otherwise fails
 * for good: a permanent error ((Σp − P_r)·A) or the last retry failing too (P_r^(M+1)).
 */
export function failureExpectation(failures: readonly FailureSpec[], maxRetries: number): FailureExpectation {
  const pAll = failures.reduce((s, f) => s + f.attemptProbability, 0);
  const pRetried = failures.reduce((s, f) => s + (f.retried ? f.attemptProbability : 0), 0);
  let attempts = 0;
  for (let j = 0; j <= maxRetries; j++) attempts += Math.pow(pRetried, j);
  return {
    attemptsPerRequest: attempts,
    retriesPerRequest: attempts - 1,
    failedAttemptsPerRequest: failures.map((f) => f.attemptProbability * attempts),
    permanentFailureProbability: (pAll - pRetried) * attempts + Math.pow(pRetried, maxRetries + 1),
    completedProbability: (1 - pAll) * attempts,
  };
}

/** Which failure (index) one attempt meets for a uniform draw u, or −1 for success. */
export function pickFailure(failures: readonly FailureSpec[], u: number): number {
  let acc = 0;
  for (let i = 0; i < failures.length; i++) {
    acc += failures[i]!.attemptProbability;
    if (u < acc) return i;
  }
  return -1;
}
