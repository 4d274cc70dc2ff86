// From a loaded workload, the catalog and the shared cost model to the plain data the simulation runs on.
// Prices, failure probabilities and the retry policy are recommend's (core/recommend/cost/), never re-derived here.
import type { Catalog, ProviderLimits } from '../catalog/schema.js';
import { limitClassFor } from '../recommend/limits.js';
import { costWorkload, type WorkloadCost } from '../recommend/cost/workload-cost.js';
import { optionBilling, optionRoutes, type ServiceOption } from '../recommend/options.js';
import type { Workload } from '../workload/normalise.js';
import type { ArrivalProfile } from './arrivals.js';
import { PATTERNS } from '../recommend/pattern.js';
import { type ClientPolicy, type PatternSpec, type RateLimitSpec, type SimWorkload } from './model.js';

export interface SimInputOptions {
  arrivals: ArrivalProfile;
  /** How often the batch client submits (seconds). */
  batchEveryS: number;
  /** Volume to simulate instead of the workload's (growth months). */
  requestsPerMonth?: number;
}

export function simWorkloadOf(workload: Workload, catalog: Catalog, opts: SimInputOptions): { sim: SimWorkload; cost: WorkloadCost } {
  const w: Workload = opts.requestsPerMonth === undefined ? workload : { ...workload, requestsPerMonth: opts.requestsPerMonth };
  const cost = costWorkload(w, catalog);
  return { sim: simWorkloadFrom(w, catalog, cost, opts), cost };
}

/** The same from a workload's cost already computed (recommend's): one cost model, computed once. */
export function simWorkloadFrom(w: Workload, catalog: Catalog, cost: WorkloadCost, opts: Omit<SimInputOptions, 'requestsPerMonth'>): SimWorkload {
  const v = catalog.thresholds.values;
  const provider = catalog.rateLimits.find((p) => p.provider === w.model.provider);
  const outputP95 = w.output.p95 ?? w.output.tokens * v.p95_output_factor.value;
  const patterns: PatternSpec[] = [];
  for (const pattern of PATTERNS) {
    const perRequest = cost.perRequest[pattern];
    const monthly = cost.monthly[pattern];
    const overhead = cost.overhead[pattern];
    if (perRequest === null || monthly === null || overhead === null) continue;
    patterns.push({
      pattern,
      // The cost model is linear in tokens: its per-request input and output parts over the mean tokens
      // are the per-token rates (cached share and batch discounts included).
      usdPerInputToken: w.input.tokens > 0 ? perRequest.input / w.input.tokens : 0,
      usdPerOutputToken: w.output.tokens > 0 ? perRequest.output / w.output.tokens : 0,
      // Kinds recovered in place (fails_request: false) cost nothing and take no time worth simulating.
      failures: cost.failureModes[pattern].filter((f) => f.failsRequest),
      analytic: { costUsdPerMonth: monthly, overheadUsdPerMonth: overhead },
    });
  }
  const expectedSeconds = w.model.speed.ttft_s + outputP95 / w.model.speed.output_tokens_per_s;
  const client: ClientPolicy = {
    maxRetries: cost.maxRetries,
    backoffBaseS: v.retry_base_s.value,
    backoffCapS: v.retry_cap_s.value,
    overloadedBackoffS: v.overloaded_backoff_s.value,
    // recommend's resilience plan: the per-request timeout is the p95 response time × a safety factor.
    timeoutS: Math.max(v.timeout_min_s.value, v.timeout_safety_factor.value * expectedSeconds),
    idleTimeoutS: v.stream_idle_timeout_s.value,
  };
  return {
    name: w.name,
    model: w.model.id,
    requestsPerMonth: w.requestsPerMonth,
    toleranceS: w.toleranceSeconds,
    userFacing: w.userFacing,
    input: { mean: w.input.tokens, cachedFraction: w.input.cachedFraction },
    output: { mean: w.output.tokens, p95: outputP95 },
    // Hidden reasoning tokens come before the first visible token (recommend's latency model, latency.ts).
    ttftS: w.model.speed.ttft_s + (w.output.reasoningTokens ?? 0) / w.model.speed.output_tokens_per_s,
    outputTokensPerS: w.model.speed.output_tokens_per_s,
    arrivals: opts.arrivals,
    limits: rateLimitsOf(w, catalog, provider),
    batch: {
      maxRequestsPerBatch: maxRequestsPerBatch(w, catalog, provider),
      windowHours: provider?.batch.window_hours ?? 24,
      typicalTurnaroundMinutes: provider?.batch.typical_turnaround_minutes ?? 60,
      submitEveryS: opts.batchEveryS,
    },
    client,
    patterns,
  };
}

/**
 * The month of one of recommend's options (a service tier, provisioned capacity, another cache lifetime) as a
 * workload of its own with that one pattern: the option's prices from the cost model (optionBilling: the tier's
 * for the share it serves, standard's for the rest, the capacity's fee), and recommend's routes through time
 * (optionRoutes: the tier's speed, the share sent to standard and its delay, no rate-limit queue on capacity).
 * null where the option is not priced or has no time model.
 */
export function simOptionFrom(w: Workload, cost: WorkloadCost, sim: SimWorkload, o: ServiceOption): SimWorkload | null {
  const billing = optionBilling(w, cost, o);
  const routes = optionRoutes(sim, w, o);
  if (!billing || !routes || o.costUsdPerMonth === null) return null;
  const spec: PatternSpec = {
    pattern: o.pattern,
    usdPerInputToken: w.input.tokens > 0 ? billing.perRequest.input / w.input.tokens : 0,
    // Per visible token, as simWorkloadFrom's rates (the month draws visible output; reasoning rides on it).
    usdPerOutputToken: w.output.tokens > 0 ? billing.perRequest.output / w.output.tokens : 0,
    failures: routes[0]!.spec.failures,
    analytic: { costUsdPerMonth: o.costUsdPerMonth, overheadUsdPerMonth: billing.overheadUsdPerMonth },
    ...(billing.feeUsdPerMonth > 0 ? { fixedUsdPerMonth: billing.feeUsdPerMonth } : {}),
    ...(o.serviceTier === 'standard' ? {} : { routes: routes.map((r) => ({ weight: r.weight, ttftS: r.w.ttftS, outputTokensPerS: r.w.outputTokensPerS, delayS: r.delayS ?? 0, rateLimited: r.w.limits !== null })) }),
  };
  const queued = o.serviceTier === 'standard' || routes.some((r) => r.weight > 0 && r.w.limits !== null);
  return { ...sim, limits: queued ? sim.limits : null, patterns: [spec] };
}

/** The limits of the model's class (recommend's choice of class) at the account's tier, or its provider's default. */
export function rateLimitsOf(w: Workload, catalog: Catalog, provider: ProviderLimits | undefined): RateLimitSpec | null {
  if (!provider) return null;
  const cls = limitClassFor(catalog, w.model, w.input.tokens);
  const tier = w.tier ?? provider.default_tier;
  const t = cls?.limits[tier];
  if (!cls || !t) return null;
  return {
    tier,
    rpm: t.rpm,
    tpm: t.tpm,
    tpmCounts: cls.tpm_counts,
    itpm: t.itpm,
    otpm: t.otpm,
    rpd: t.rpd,
    cacheReadsCount: cls.cache_reads_count,
    batchQueueTokens: t.batch_queue_tokens,
    batchQueueRequests: t.batch_queue_requests,
  };
}

/**
 * Requests one batch can hold: the provider's request limit and its file-size limit at recommend's bytes
 * per request (input tokens × bytes per token + per-request overhead, data/thresholds.yaml).
 */
function maxRequestsPerBatch(w: Workload, catalog: Catalog, provider: ProviderLimits | undefined): number {
  if (!provider) return Infinity;
  const v = catalog.thresholds.values;
  const bytesPerRequest = w.input.tokens * v.batch_bytes_per_token.value + v.batch_request_overhead_bytes.value;
  const byBytes = Math.max(1, Math.floor(provider.batch.max_bytes / bytesPerRequest));
  return Math.min(provider.batch.max_requests ?? Infinity, byBytes);
}
