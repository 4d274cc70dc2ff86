// Drawing one attempt's outcome from the cost model's per-kind probabilities (core/recommend/cost/overhead.ts owns
// the expectations: attempts, failed attempts per kind, success and exhaustion probabilities).
import type { FailureSpec } from './model.js';

/** Which failure (index) one attempt meets for a uniform draw u, or −1 for success. */
export function pickFailure(failures: readonly FailureSpec[], u: number): number {
  let acc = 0;
  for (let i = 0; i < failures.length; i++) {
    acc += failures[i]!.probability;
    if (u < acc) return i;
  }
  return -1;
}
