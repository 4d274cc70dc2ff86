// The JSON of `aip recommend --json` (docs/spec.md "recommend --json"), described once as a zod schema: the builder's types are
// inferred from it, and `aip check --baseline FILE` validates a baseline read back with the same schema.
// Fields are added, never renamed or removed. Pure: report in, plain object out. Money is rounded to
// 4 decimals, rates and seconds to 2 decimals, tokens per minute to whole tokens.
import { z } from 'zod';
import { MAX_REQUESTS_PER_MONTH, MAX_TOKENS, MAX_USD_PER_MILLION, MAX_USD_PER_MONTH } from '../bounds.js';
import { serviceTierNames, taskKinds } from '../workload/schema.js';
import type { ServiceOption } from './options.js';
import { RULES, type DecisionRule } from './decide.js';
import { PATTERNS, type PerPattern } from './pattern.js';
import type { OverheadPerRequest } from './cost/overhead.js';
import type { RecommendReport, WorkloadRecommendation } from './build.js';

/**
 * The document's schema. As written (`asRead` false) every field is required. As read back for `aip check`
 * (`asRead` true) a baseline needs only what check compares, the fields the first baselines had; the rest
 * are checked where present, so a baseline written before a field was added (or trimmed by hand) still reads.
 */
function documentSchema<R extends boolean>(asRead: R) {
  const optionalWhenRead = <T extends z.ZodType>(schema: T) => (asRead ? schema.optional() : schema) as R extends true ? z.ZodOptional<T> : T;
  const num = z.number();
  const money = z.number().nullable();
  const perPattern = <T extends z.ZodType>(value: T) => z.object({ direct: value, streaming: value, batch: value });
  const failure = z.object({
    retries_per_request: num.nullable(),
    success_probability: num.nullable(),
    wasted_tokens_per_month: z.object({ input: num, output: num }),
    wasted_usd_per_month_by_kind: z.record(z.string(), num),
  });
  const option = z.object({
    pattern: z.enum(PATTERNS),
    service_tier: z.enum(serviceTierNames),
    cache_ttl: z.enum(['5m', '1h']).nullable(),
    cost_usd_per_month: money,
    cache_write_usd_per_month: money,
    // Added after the first options: optional when an older document is read.
    overhead_usd_per_month: optionalWhenRead(money),
    latency_s: z.object({ ttft: num.nullable(), total: num, p95: num }).nullable(),
    within_tolerance: num.nullable(),
    fits: z.boolean().nullable(),
    fits_at_some_tier: z.boolean(),
    available: z.boolean(),
    why_not: z.string().nullable(),
    standard_share: num,
    notes: z.array(z.string()),
    units: num.optional(),
    utilisation: num.optional(),
    provisioned: z
      .object({ units_for_peak: num, fee_usd_per_month: num, peak_input_tpm: num, capacity_input_tpm: num, break_even_requests_per_month: num.nullable(), from: z.enum(['file', 'catalog']), spillover: z.boolean(), spillover_share: num.optional() })
      .optional(),
  });
  const workload = z.object({
    name: z.string().min(1),
    model: z.string().min(1),
    pattern: z.enum(PATTERNS),
    requests_per_month: num.nonnegative().max(MAX_REQUESTS_PER_MONTH),
    tokens: z.object({
      input: num.nonnegative().max(MAX_TOKENS),
      output: num.nonnegative().max(MAX_TOKENS),
      cached_fraction: (asRead ? num.min(0).max(1).default(0) : num.min(0).max(1)) as R extends true ? z.ZodDefault<z.ZodNumber> : z.ZodNumber,
      output_p95: optionalWhenRead(num.nullable()),
      approximate: optionalWhenRead(z.boolean()),
      prompt_files: optionalWhenRead(z.array(z.object({ path: z.string(), tokens: num.nonnegative() }))),
      /** Hidden reasoning tokens per request (billed as output), and where the figure comes from. */
      reasoning: optionalWhenRead(num.nonnegative()),
      reasoning_from: optionalWhenRead(z.enum(['tokens', 'low', 'medium', 'high']).nullable()),
      /** The cached fraction the cost uses: 0 where the cached prefix is under the model's minimum for caching. */
      cached_fraction_priced: optionalWhenRead(num.min(0).max(1)),
    }),
    cost_usd_per_month: perPattern(num.nonnegative().max(MAX_USD_PER_MONTH).nullable()),
    // Service tiers and capacity (issue 13); older documents lack them.
    service_tier: optionalWhenRead(z.enum(serviceTierNames)),
    recommended_cost_usd_per_month: optionalWhenRead(num.nonnegative().max(MAX_USD_PER_MONTH)),
    within_tolerance: optionalWhenRead(perPattern(num.nullable())),
    options: optionalWhenRead(z.array(option)),
    spend_cap: optionalWhenRead(z.object({ tier: z.string(), usd_per_month: num }).nullable()),
    overhead_usd_per_month: optionalWhenRead(perPattern(money)),
    latency_s: optionalWhenRead(z.object({ ttft: num, total: num, total_p95: num, batch_typical: num, batch_guarantee: num })),
    /** Where the latency figures come from: the catalog's typical speeds, or "measured: N requests, period" (aip import --calibration). */
    latency_source: optionalWhenRead(z.string()),
    limits: optionalWhenRead(
      z.object({
        tier: z.union([num, z.string()]),
        peak_rpm: num,
        rpm_limit: num.nullable(),
        peak_tpm: num,
        tpm_limit: num.nullable(),
        concurrency: num,
        fits: z.boolean().nullable(),
        tier_from_file: z.boolean(),
        limit_class: z.string().nullable(),
        tpm_counts: z.enum(['input+output', 'input']),
        peak_itpm: num,
        itpm_limit: num.nullable(),
        peak_otpm: num,
        otpm_limit: num.nullable(),
        requests_per_day: num,
        rpd_limit: num.nullable(),
        realtime_fits: z.boolean().nullable(),
        exceeded: z.array(z.object({ limit: z.enum(['rpm', 'tpm', 'itpm', 'otpm', 'rpd']), peak: num, allowed: num })),
        fitting_tier: z.string().nullable(),
        near_limits: z.array(z.object({ limit: z.enum(['rpm', 'tpm', 'itpm', 'otpm']), peak: num, allowed: num, used: num })),
        headroom_tier: z.string().nullable(),
        batch: z.object({
          window_s: num,
          requests_per_window: num,
          batches_per_window: num,
          max_requests_per_batch: num.nullable(),
          batches_in_flight: optionalWhenRead(num),
          queue: z.object({ kind: z.enum(['tokens', 'requests']), limit: num, needed: num, fits: z.boolean(), fitting_tier: z.string().nullable() }).nullable(),
        }),
        context: z.object({ needed: num, window: num.nullable(), fits: z.boolean() }),
      }),
    ),
    reasons: optionalWhenRead(z.array(z.string())),
    warnings: optionalWhenRead(z.array(z.string())),
    file: optionalWhenRead(z.string()),
    line: optionalWhenRead(num),
    provider: optionalWhenRead(z.string()),
    via_queue: optionalWhenRead(z.boolean()),
    rule: optionalWhenRead(z.enum(RULES.map((r) => r.id) as [DecisionRule, ...DecisionRule[]])),
    user_facing: optionalWhenRead(z.boolean()),
    task: optionalWhenRead(z.enum(taskKinds).nullable()),
    latency_tolerance_s: optionalWhenRead(num),
    min_batch_saving_usd: optionalWhenRead(num),
    cost_usd_per_1k_requests: optionalWhenRead(perPattern(money)),
    cache_write_usd_per_month: optionalWhenRead(perPattern(money)),
    failures: optionalWhenRead(perPattern(failure.nullable())),
    retries_per_request: optionalWhenRead(perPattern(num.nullable())),
    prices: optionalWhenRead(
      z.object({
        input: num,
        output: num,
        cached_input: num,
        cache_write: num.nullable(),
        batch_input: num.nullable(),
        batch_output: num.nullable(),
        batch_cached_input: num.nullable(),
        overridden: z.array(z.string()),
        // Added with the catalog renovation; older documents lack them.
        /** Prices not in the override, derived from it by the provider's own ratios. */
        derived: z.array(z.string()).optional(),
        cache_ttl: z.enum(['5m', '1h']).optional(),
        long_context: z.boolean().optional(),
        long_context_above_input_tokens: num.nullable().optional(),
      }),
    ),
    // The workload's own `pricing:` override as written (null: catalog prices), so `aip check --baseline` with
    // this document tells a changed override from a catalog price change. Older documents lack it.
    pricing: optionalWhenRead(z.record(z.string(), num.nonnegative().max(MAX_USD_PER_MILLION)).nullable()),
    alternatives: optionalWhenRead(
      z.array(z.object({ pattern: z.enum(PATTERNS), cost_usd_per_month: money, overhead_usd_per_month: money, delta_usd_per_month: money, why_not: z.string() })),
    ),
    fallback: optionalWhenRead(z.object({ model: z.string(), cost_usd_per_month: perPattern(money), failover_usd_per_month: perPattern(money) }).nullable()),
    resilience: optionalWhenRead(
      z.object({
        timeout_s: num,
        idle_timeout_s: num.nullable(),
        retry: z.object({
          max_retries: num,
          base_s: num,
          cap_s: num,
          delays_s: z.array(num),
          jitter: z.literal('full'),
          honour_retry_after: z.literal(true),
          overloaded_backoff_s: num,
          retry_on: z.array(num),
          do_not_retry: z.array(num),
          expected_retries_per_request: num,
        }),
        circuit_breaker: z.object({ consecutive_failures: num, cooldown_s: num, half_open_probes: z.literal(1) }),
        fallback: z.object({ model: z.string().nullable(), suggested: z.boolean(), note: z.string() }),
        batch: z.object({ submit_every_s: num, poll_interval_s: num, resubmit_failed: z.literal(true), match_by: z.literal('custom_id'), deadline_s: num }).nullable(),
        spend_cap_usd_per_month: num,
        spend_cap_usd_per_day: num,
        notes: z.array(z.string()),
      }),
    ),
  });
  return z.object({
    aip_version: z.string().min(1),
    catalog_as_of: optionalWhenRead(z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'not a date (YYYY-MM-DD)' })),
    workloads: z.array(workload),
    total_usd_per_month: optionalWhenRead(z.object({ recommended: num, all_direct: num, saving: num, overhead: num, cache_writes: num, not_fitting: z.array(z.string()).optional(), not_meeting_tolerance: z.array(z.string()).optional() })),
    mix: optionalWhenRead(z.string()),
    /** Said once for the run, not per workload (e.g. the catalog's data is older than 90 days). Older documents lack it. */
    catalog_warnings: z.array(z.string()).optional(),
  });
}

/** The document as `aip recommend --json` and `aip baseline` write it. */
export const RecommendDocument = documentSchema(false);
/** The document as `aip check --baseline FILE` reads it back. */
export const RecommendDocumentAsRead = documentSchema(true);

export type RecommendJson = z.infer<typeof RecommendDocument>;
type WorkloadJson = RecommendJson['workloads'][number];
type Money = number | null;

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
      not_fitting: report.totals.notFitting,
      not_meeting_tolerance: report.totals.notMeetingTolerance,
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

const r4 = (v: number) => Math.round(v * 1e4) / 1e4;

/** Per pattern at the standard tier (the workload's cache lifetime): the share within the tolerance. */
function withinJson(r: WorkloadRecommendation): PerPattern<number | null> {
  const ttl = r.workload.input.cacheTtl ?? '5m';
  const at = (p: (typeof PATTERNS)[number]) => {
    const o = r.options.options.find((x) => x.pattern === p && x.serviceTier === 'standard' && (x.cacheTtl === null || x.cacheTtl === ttl));
    return o?.withinTolerance === null || o?.withinTolerance === undefined ? null : r4(o.withinTolerance);
  };
  return { direct: at('direct'), streaming: at('streaming'), batch: at('batch') };
}

function optionJson(o: ServiceOption): z.infer<typeof RecommendDocument>['workloads'][number]['options'][number] {
  return {
    pattern: o.pattern,
    service_tier: o.serviceTier,
    cache_ttl: o.cacheTtl,
    cost_usd_per_month: usd4(o.costUsdPerMonth),
    cache_write_usd_per_month: usd4(o.cacheWriteUsdPerMonth),
    overhead_usd_per_month: usd4(o.overheadUsdPerMonth),
    latency_s: o.latency ? { ttft: o.latency.ttftS === null ? null : r2(o.latency.ttftS), total: r2(o.latency.totalS), p95: r2(o.latency.p95S) } : null,
    within_tolerance: o.withinTolerance === null ? null : r4(o.withinTolerance),
    fits: o.fits,
    fits_at_some_tier: o.fitsAtSomeTier,
    available: o.available,
    why_not: o.whyNot,
    standard_share: r4(o.standardShare),
    notes: o.notes.filter((n) => n !== ''),
    ...(o.provisioned
      ? {
          units: o.provisioned.units,
          utilisation: r4(o.provisioned.utilisation),
          provisioned: {
            units_for_peak: o.provisioned.unitsForPeak,
            fee_usd_per_month: usd4(o.provisioned.feeUsdPerMonth)!,
            peak_input_tpm: Math.round(o.provisioned.peakInputTpm),
            capacity_input_tpm: o.provisioned.capacityInputTpm,
            break_even_requests_per_month: o.provisioned.breakEvenRequestsPerMonth === null ? null : Math.round(o.provisioned.breakEvenRequestsPerMonth),
            from: o.provisioned.from,
            spillover: o.provisioned.spillover,
            spillover_share: r4(o.provisioned.spilloverShare),
          },
        }
      : {}),
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
      reasoning: w.output.reasoningTokens ?? 0,
      reasoning_from: w.output.reasoningFrom ?? null,
      cached_fraction_priced: cost.usage.cachedFraction,
    },
    cost_usd_per_month: perPattern(cost.monthly),
    service_tier: r.options.chosen.serviceTier,
    recommended_cost_usd_per_month: usd4(r.recommendedCostUsdPerMonth)!,
    within_tolerance: withinJson(r),
    options: r.options.options.map(optionJson),
    spend_cap: r.options.spendCap ? { tier: r.options.spendCap.tier, usd_per_month: r.options.spendCap.usdPerMonth } : null,
    overhead_usd_per_month: perPattern(cost.overhead),
    latency_s: { ttft: r2(latency.ttftS), total: r2(latency.totalS), total_p95: r2(latency.totalP95S), batch_typical: latency.batchTypicalS, batch_guarantee: latency.batchGuaranteeS },
    latency_source: latency.measured ?? 'catalog typical speeds (estimates)',
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
        batches_in_flight: l.batch.inFlight,
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
