// The JSON of `aip recommend --json` (SPEC.md): exactly the SPEC's fields, plus added ones (never renamed
// or removed). Pure: report in, plain object out. Money is rounded to 4 decimals
// (4 decimals), rates and seconds to 2 decimals, tokens per minute to whole tokens.
import type { PerPattern } from './cost/monthly.js';
import type { OverheadPerRequest } from './cost/overhead.js';
import type { RecommendReport, WorkloadRecommendation } from './build.js';

type Money = number | null;

export interface WorkloadJson {
  name: string;
  model: string;
  pattern: 'direct' | 'streaming' | 'batch';
  requests_per_month: number;
  tokens: { input: number; output: number; cached_fraction: number; output_p95: number | null; approximate: boolean; prompt_files: Array<{ path: string; tokens: number }> };
  cost_usd_per_month: PerPattern<Money>;
  overhead_usd_per_month: PerPattern<Money>;
  latency_s: { ttft: number; total: number; total_p95: number; batch_typical: number; batch_guarantee: number };
  limits: {
    tier: number | string;
    peak_rpm: number;
    rpm_limit: number | null;
    peak_tpm: number;
    tpm_limit: number | null;
    concurrency: number;
    fits: boolean | null;
    [extra: string]: unknown;
  };
  reasons: string[];
  warnings: string[];
  [extra: string]: unknown;
}

export interface RecommendJson {
  aip_version: string;
  catalog_as_of: string;
  workloads: WorkloadJson[];
  total_usd_per_month: { recommended: number; all_direct: number; saving: number; overhead: number; cache_writes: number };
  mix: string;
  /** Said once for the run (e.g. the catalog's data is older than 90 days). */
  catalog_warnings: string[];
}

const usd4 = (v: number | null | undefined): Money => (v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4);
const r2 = (v: number) => Math.round(v * 100) / 100;
const r6 = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v * 1e6) / 1e6);
const perPattern = (p: PerPattern<number | null>): PerPattern<Money> => ({ direct: usd4(p.direct), streaming: usd4(p.streaming), batch: usd4(p.batch) });

export function recommendJson(report: RecommendReport): RecommendJson {
  return {
    aip_version: report.aipVersion,
    catalog_as_of: report.catalogAsOf,
    workloads: report.workloads.map(workloadJson),
    total_usd_per_month: {
      recommended: usd4(report.totals.recommended)!,
      all_direct: usd4(report.totals.allDirect)!,
      saving: usd4(report.totals.saving)!,
      overhead: usd4(report.totals.overheadRecommended)!,
      cache_writes: usd4(report.totals.cacheWritesRecommended)!,
    },
    mix: report.mix,
    catalog_warnings: report.catalogWarnings,
  };
}

function pricingOverride(pricing: object | undefined): Record<string, number> | null {
  if (!pricing) return null;
  const given = Object.entries(pricing).filter((e): e is [string, number] => typeof e[1] === 'number');
  return given.length > 0 ? Object.fromEntries(given) : null;
}

/** What failures cost per pattern: retries, the chance a request never succeeds, tokens billed for nothing. */
function failureJson(f: OverheadPerRequest | null, requests: number) {
  if (f === null) return null;
  const byKind: Record<string, number> = {};
  for (const [kind, usd] of Object.entries(f.wastedUsd)) byKind[kind] = usd4(usd! * requests)!;
  return {
    retries_per_request: r6(f.retries),
    success_probability: r6(f.successProbability),
    wasted_tokens_per_month: { input: Math.round(f.wastedTokens.input * requests), output: Math.round(f.wastedTokens.output * requests) },
    wasted_usd_per_month_by_kind: byKind,
  };
}

function workloadJson(r: WorkloadRecommendation): WorkloadJson {
  const { workload: w, cost, latency, limits: l, decision: d, resilience: res } = r;
  const lim = l.limits;
  return {
    name: w.name,
    model: w.model.id,
    pattern: d.pattern,
    requests_per_month: w.requestsPerMonth,
    tokens: {
      input: w.input.tokens,
      output: w.output.tokens,
      cached_fraction: w.input.cachedFraction,
      output_p95: w.output.p95 ?? null,
      approximate: w.input.approximate,
      prompt_files: w.input.promptFiles,
    },
    cost_usd_per_month: perPattern(cost.monthly),
    overhead_usd_per_month: perPattern(cost.overhead),
    latency_s: { ttft: r2(latency.ttftS), total: r2(latency.totalS), total_p95: r2(latency.totalP95S), batch_typical: latency.batchTypicalS, batch_guarantee: latency.batchGuaranteeS },
    limits: {
      tier: /^\d+$/.test(l.tier) ? Number(l.tier) : l.tier,
      peak_rpm: r2(l.peakRpm),
      rpm_limit: lim?.rpm ?? null,
      peak_tpm: Math.round(l.peakTpm),
      tpm_limit: lim?.tpm ?? null,
      concurrency: r2(l.concurrency),
      fits: r.fits,
      tier_from_file: l.tierFromFile,
      limit_class: l.limitClass,
      tpm_counts: l.tpmCounts,
      peak_itpm: Math.round(l.peakItpm),
      itpm_limit: lim?.itpm ?? null,
      peak_otpm: Math.round(l.peakOtpm),
      otpm_limit: lim?.otpm ?? null,
      requests_per_day: r2(l.requestsPerDay),
      rpd_limit: lim?.rpd ?? null,
      realtime_fits: l.fits,
      exceeded: l.exceeded.map((e) => ({ limit: e.limit, peak: r2(e.peak), allowed: e.allowed })),
      fitting_tier: l.fittingTier ?? null,
      near_limits: l.nearLimits.map((n) => ({ limit: n.limit, peak: r2(n.peak), allowed: n.allowed, used: Math.round(n.used * 1e4) / 1e4 })),
      headroom_tier: l.headroomTier ?? null,
      batch: {
        window_s: l.batch.windowS,
        requests_per_window: r2(l.batch.requestsPerWindow),
        batches_per_window: l.batch.batches,
        max_requests_per_batch: l.batch.maxRequests,
        queue: l.batch.queue ? { kind: l.batch.queue.kind, limit: l.batch.queue.limit, needed: Math.round(l.batch.queue.needed), fits: l.batch.queue.fits, fitting_tier: l.batch.queueFittingTier ?? null } : null,
      },
      context: { needed: l.context.needed, window: l.context.window, fits: l.context.fits },
    },
    reasons: d.reasons,
    warnings: r.warnings,
    file: w.file,
    line: w.line,
    provider: w.model.provider,
    via_queue: d.viaQueue,
    rule: d.rule,
    user_facing: w.userFacing,
    task: w.task ?? null,
    latency_tolerance_s: w.toleranceSeconds,
    min_batch_saving_usd: r.minBatchSavingUsd,
    cost_usd_per_1k_requests: perPattern(cost.per1k),
    cache_write_usd_per_month: perPattern(cost.cacheWrites),
    failures: {
      direct: failureJson(cost.failures.direct, w.requestsPerMonth),
      streaming: failureJson(cost.failures.streaming, w.requestsPerMonth),
      batch: failureJson(cost.failures.batch, w.requestsPerMonth),
    },
    retries_per_request: { direct: r6(cost.failures.direct?.retries), streaming: r6(cost.failures.streaming?.retries), batch: r6(cost.failures.batch?.retries) },
    prices: {
      input: cost.prices.input,
      output: cost.prices.output,
      cached_input: cost.prices.cachedInput,
      cache_write: cost.prices.cacheWrite,
      batch_input: cost.prices.batchInput,
      batch_output: cost.prices.batchOutput,
      batch_cached_input: cost.prices.batchCachedInput,
      overridden: cost.prices.overridden,
      derived: cost.prices.derived,
      cache_ttl: cost.prices.cacheTtl,
      long_context: cost.prices.longContext,
      long_context_above_input_tokens: cost.prices.longContextAbove,
    },
    // The workload's own `pricing:` override as written (null: catalog prices), so \`aip check --baseline\` with
    // this document tells a changed override from a catalog price change (the same field \`aip baseline\` writes).
    pricing: pricingOverride(w.pricing),
    alternatives: d.alternatives.map((a) => ({ pattern: a.pattern, cost_usd_per_month: usd4(a.costUsdPerMonth), overhead_usd_per_month: usd4(a.overheadUsdPerMonth), delta_usd_per_month: usd4(a.deltaUsdPerMonth), why_not: a.whyNot })),
    fallback: cost.fallback
      ? { model: cost.fallback.model, cost_usd_per_month: perPattern(cost.fallback.monthly), failover_usd_per_month: perPattern(cost.fallback.failoverUsdPerMonth) }
      : null,
    resilience: {
      timeout_s: res.timeoutS,
      idle_timeout_s: res.idleTimeoutS,
      retry: {
        max_retries: res.retry.maxRetries,
        base_s: res.retry.baseS,
        cap_s: res.retry.capS,
        delays_s: res.retry.delaysS,
        jitter: res.retry.jitter,
        honour_retry_after: res.retry.honourRetryAfter,
        overloaded_backoff_s: res.retry.overloadedBackoffS,
        retry_on: res.retry.retryOn,
        do_not_retry: res.retry.doNotRetry,
        expected_retries_per_request: Math.round(res.retry.expectedRetriesPerRequest * 1e6) / 1e6,
      },
      circuit_breaker: { consecutive_failures: res.circuitBreaker.consecutiveFailures, cooldown_s: res.circuitBreaker.cooldownS, half_open_probes: res.circuitBreaker.halfOpenProbes },
      fallback: { model: res.fallback.model, suggested: res.fallback.suggested, note: res.fallback.note },
      batch: res.batch ? { submit_every_s: res.batch.submitEveryS, poll_interval_s: res.batch.pollIntervalS, resubmit_failed: res.batch.resubmitFailed, match_by: res.batch.matchBy, deadline_s: res.batch.deadlineS } : null,
      spend_cap_usd_per_month: res.spendCapUsdPerMonth,
      spend_cap_usd_per_day: res.spendCapUsdPerDay,
      notes: res.notes,
    },
  };
}
