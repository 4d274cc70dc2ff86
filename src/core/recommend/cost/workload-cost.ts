// Everything money about one normalised workload: prices, per-request and monthly cost of each pattern,
// cache writes, failure/retry overhead, per-1K-requests cost and the fallback model's cost. Pure.
import type { Catalog } from '../../catalog/schema.js';
import type { Workload } from '../../workload/normalise.js';
import { cacheWriteCost, monthlyCost, per1kRequests, requestCost, type RequestCost, type Usage } from './monthly.js';
import { PATTERNS, type PerPattern } from '../pattern.js';
import { applicableFailures, failureOverhead, structuredTasks, type FailureProbability, type OverheadPerRequest } from './overhead.js';
import { effectivePrices, type EffectivePrices } from './prices.js';

export interface FallbackCost {
  model: string;
  /** The fallback's monthly cost if it carried all the traffic (an outage). */
  monthly: PerPattern<number | null>;
  /** Expected spend on the fallback when retries are exhausted and it takes over, per month. */
  failoverUsdPerMonth: PerPattern<number | null>;
}

export interface WorkloadCost {
  usage: Usage;
  prices: EffectivePrices;
  perRequest: PerPattern<RequestCost | null>;
  monthly: PerPattern<number | null>;
  per1k: PerPattern<number | null>;
  cacheWrites: PerPattern<number | null>;
  /** Expected extra spend from failures and retries, USD per month (null where the pattern is unavailable). */
  overhead: PerPattern<number | null>;
  failures: PerPattern<OverheadPerRequest | null>;
  failureModes: PerPattern<FailureProbability[]>;
  maxRetries: number;
  fallback: FallbackCost | undefined;
}

/**
 * What is billed per request: the output includes hidden reasoning tokens (billed as output), and a cached
 * prefix under the model's minimum for caching is priced uncached (the provider will not cache it: no cost
 * includes a discount the tool knows will not apply).
 */
export function usageOf(w: Workload): Usage {
  return { requestsPerMonth: w.requestsPerMonth, inputTokens: w.input.tokens, cachedFraction: cacheApplies(w) ? w.input.cachedFraction : 0, outputTokens: billedOutputTokens(w) };
}

/** Visible output plus hidden reasoning tokens: what the provider bills as output and counts against limits. */
export function billedOutputTokens(w: Pick<Workload, 'output'>): number {
  return w.output.tokens + (w.output.reasoningTokens ?? 0);
}

/**
 * false where the cached prefix (input × cached fraction) is under the model's minimum cacheable length; a share
 * measured from billed usage (input.cached_measured) is what the provider gave, and always applies.
 */
export function cacheApplies(w: { input: Pick<Workload['input'], 'tokens' | 'cachedFraction' | 'cachedMeasured'>; model: Pick<Workload['model'], 'cache_min_tokens'> }): boolean {
  if (w.input.cachedMeasured) return true;
  const min = w.model.cache_min_tokens;
  return !(w.input.cachedFraction > 0 && min !== undefined && w.input.tokens * w.input.cachedFraction < min);
}

export function costWorkload(w: Workload, catalog: Catalog): WorkloadCost {
  const v = catalog.thresholds.values;
  const usage = usageOf(w);
  const ttl = w.input.cacheTtl ?? '5m';
  const prices = effectivePrices(w.model, w.pricing, usage.inputTokens, ttl);
  const maxRetries = v.retry_max.value;
  const facts = { provider: w.model.provider, outputTokens: usage.outputTokens, structured: w.task !== undefined && structuredTasks.includes(w.task) };
  const perRequest = {} as PerPattern<RequestCost | null>;
  const failures = {} as PerPattern<OverheadPerRequest | null>;
  const failureModes = {} as PerPattern<FailureProbability[]>;
  const overhead = {} as PerPattern<number | null>;
  for (const pattern of PATTERNS) {
    const rc = requestCost(usage, prices, pattern);
    perRequest[pattern] = rc;
    failureModes[pattern] = applicableFailures(catalog.failureRates, pattern, facts);
    const f = rc === null ? null : failureOverhead(failureModes[pattern], maxRetries, rc, { input: usage.inputTokens, output: usage.outputTokens });
    failures[pattern] = f;
    overhead[pattern] = f === null ? null : f.usd * usage.requestsPerMonth;
  }
  const monthly = monthlyCost(usage, prices);
  let fallback: FallbackCost | undefined;
  if (w.fallback) {
    // The fallback gets catalog prices: a pricing override is negotiated for the primary model only.
    const fp = effectivePrices(w.fallback, undefined, usage.inputTokens, ttl);
    const fm = monthlyCost(usage, fp);
    const failover = {} as PerPattern<number | null>;
    for (const pattern of PATTERNS) {
      const rc = requestCost(usage, fp, pattern);
      const f = failures[pattern];
      failover[pattern] = rc === null || f === null ? null : usage.requestsPerMonth * f.exhaustedProbability * rc.total;
    }
    fallback = { model: w.fallback.id, monthly: fm, failoverUsdPerMonth: failover };
  }
  return {
    usage,
    prices,
    perRequest,
    monthly,
    per1k: per1kRequests(monthly, usage.requestsPerMonth),
    // The 5-minute lifetime is data (thresholds); a 1-hour TTL is what the workload chose.
    cacheWrites: cacheWriteCost(usage, prices, ttl === '1h' ? 3600 : v.cache_ttl_s.value),
    overhead,
    failures,
    failureModes,
    maxRetries,
    fallback,
  };
}
