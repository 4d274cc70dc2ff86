// The month's bill of one pattern from exact counts, priced with the shared cost model's rates.
import { drawSum } from './distributions.js';
import type { PatternState, Shared } from './state.js';

/**
 * The month's bill from exact counts. Given the month's arrivals N, failed attempts of each kind are
 * Poisson(N × expected per request), requests that give up are the permanent failures plus those whose last
 * retry failed, and the rest complete. Token totals are sums of lognormal draws (one by one for small counts,
 * else their normal limit with the exact mean and variance), priced with the shared cost model's rates.
 */
export function drawMonthlyBill(sh: Shared, s: PatternState, arrivals: number): void {
  const { rng, a } = sh;
  const spec = s.spec;
  let retriedFailures = 0;
  let permanent = 0;
  let cost = 0;
  let failures = 0;
  for (let k = 0; k < spec.failures.length; k++) {
    const f = spec.failures[k]!;
    const count = rng.poisson(arrivals * s.failedAttemptsPerRequest[k]!);
    failures += count;
    s.failuresByKind[k]! += count;
    if (f.retried) retriedFailures += count;
    else permanent += count;
    if (count > 0) {
      cost += spec.usdPerInputToken * f.billedInput * drawSum(sh.inputDist, count, rng, a.exactSumBelow);
      cost += spec.usdPerOutputToken * f.billedOutput * drawSum(sh.outputDist, count, rng, a.exactSumBelow);
    }
  }
  const exhausted = Math.min(retriedFailures, rng.poisson(arrivals * s.expectation.exhaustedProbability));
  permanent = Math.min(arrivals, permanent + exhausted);
  const completed = arrivals - permanent;
  cost += spec.usdPerInputToken * drawSum(sh.inputDist, completed, rng, a.exactSumBelow);
  cost += spec.usdPerOutputToken * drawSum(sh.outputDist, completed, rng, a.exactSumBelow);
  s.costs.push(cost + (spec.fixedUsdPerMonth ?? 0));
  s.failures += failures;
  s.retries += retriedFailures - exhausted;
  s.failedRequests += permanent;
}

