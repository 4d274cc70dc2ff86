// `aip import --json`: the SPEC's fields ({ period, workloads: [{ name, model, requests, requests_per_month,
// input_tokens_mean, output_tokens_mean, cached_fraction, streaming, observed }] }) plus added ones.
// Numbers are plain: USD to 4 decimals, tokens and rates to 2.
import type { Comparison } from '../../core/import/compare.js';
import type { ImportResult, ImportedWorkload, Percentiles } from '../../core/import/derive.js';
import { tierWhy } from '../../core/import/tiers.js';

const usd4 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 1e4) / 1e4);
const r2 = (v: number | null | undefined) => (v === null || v === undefined ? null : Math.round(v * 100) / 100);
const r4 = (v: number) => Math.round(v * 1e4) / 1e4;
const iso = (ms: number) => new Date(ms).toISOString();
const pct = (p: Percentiles | null) => (p ? { p50: r2(p.p50), p95: r2(p.p95), p99: r2(p.p99) } : null);

export function importJson(r: ImportResult, comparison?: Comparison, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const rows = new Map((comparison?.rows ?? []).map((row) => [row.name, row]));
  return {
    period: r.period ? { start: iso(r.period.startMs), end: iso(r.period.endMs), covered_s: Math.round(r.period.coveredS), disjoint: r.period.disjoint } : null,
    group_by: r.groupBy,
    sources: r.sources.map((s) => ({
      file: s.file,
      format: s.format,
      records: s.records,
      skipped: s.skipped,
      start: s.startMs === null ? null : iso(s.startMs),
      end: s.endMs === null ? null : iso(s.endMs),
      bucket_s: s.bucketMs === null ? null : s.bucketMs / 1000,
    })),
    workloads: r.workloads.map((w) => workloadJson(w, rows.get(w.name))),
    skipped: Object.fromEntries(r.skipped.map((s) => [s.reason, s.count])),
    warnings: r.warnings,
    tiers: r.tiers.map((t) => ({
      provider: t.provider,
      tier: t.tier,
      from: t.from,
      observed_usd_per_month: usd4(t.observedUsdPerMonth),
      spend_cap_usd_per_month: t.capUsdPerMonth,
      ruled_out: t.ruledOut ? { tier: t.ruledOut.tier, spend_cap_usd_per_month: t.ruledOut.capUsdPerMonth } : null,
      above_cap: t.aboveCap,
      default_tier: t.defaultTier,
      reason: tierWhy(t),
    })),
    ...(comparison
      ? {
          total_usd_per_month: {
            now: usd4(comparison.totals.nowUsdPerMonth),
            recommended: usd4(comparison.totals.couldUsdPerMonth),
            saving: usd4(comparison.totals.savingUsdPerMonth),
            unpriced_workloads: comparison.totals.unpriced,
            workloads_without_advice: comparison.totals.withoutAdvice,
          },
        }
      : {}),
    ...extra,
  };
}

function workloadJson(w: ImportedWorkload, row: Comparison['rows'][number] | undefined) {
  const rep = w.observed.reported;
  return {
    name: w.name,
    model: w.model,
    requests: w.requests,
    requests_per_month: r2(w.requestsPerMonth),
    input_tokens_mean: r2(w.tokens.inputMean),
    output_tokens_mean: r2(w.tokens.outputMean),
    cached_fraction: r4(w.tokens.cachedFraction),
    cached_measured: w.tokens.cachedFraction > 0,
    streaming: w.streaming,
    observed: {
      pattern: w.observed.pattern,
      pattern_known: w.observed.patternKnown,
      service_tier: w.observed.serviceTier ?? 'standard',
      service_tier_known: w.observed.serviceTier !== null,
      cost_usd_per_month: usd4(w.observed.costUsdPerMonth),
      cache_write_usd_per_month: usd4(w.observed.cacheWriteUsdPerMonth),
      cost_note: w.observed.costNote,
      reported: rep ? { usd_per_month: usd4(rep.usdPerMonth), currencies: rep.currencies, records: rep.records, records_without_spend: rep.missing, difference_usd_per_month: usd4(rep.differenceUsdPerMonth) } : null,
    },
    reported_model: w.reportedModel,
    model_known: w.modelKnown,
    provider: w.provider,
    group: w.group,
    batch: w.batch,
    per_request: w.perRequest,
    input_tokens_p95: w.tokens.inputP95 === null ? null : Math.round(w.tokens.inputP95),
    output_tokens_p95: w.tokens.outputP95 === null ? null : Math.round(w.tokens.outputP95),
    tokens_per_month: { input: Math.round(w.tokensPerMonth.input), cached_input: Math.round(w.tokensPerMonth.cachedInput), cache_write: Math.round(w.tokensPerMonth.cacheWrite), output: Math.round(w.tokensPerMonth.output) },
    peak_factor: w.peak && w.peak.of === 'requests' ? w.peak.factor : null,
    peak: w.peak ? { basis: w.peak.basis, of: w.peak.of, busiest: r2(w.peak.busiest), mean: r2(w.peak.mean) } : null,
    user_facing: w.userFacing,
    user_facing_reason: w.userFacingWhy,
    latency: w.latency ? { tolerance: w.latency.text, seconds: w.latency.seconds, from: w.latency.from, match: w.latency.match } : null,
    failures: { failed: w.failures.failed, rate: r4(w.failures.rate), by_class: w.failures.byClass },
    speed: { samples: w.speed.samples, ttft_s: pct(w.speed.ttftS), output_tokens_per_s: pct(w.speed.outputTokensPerS), total_s: pct(w.speed.totalS) },
    notes: w.notes,
    ...(row
      ? {
          recommended: row.could ? { pattern: row.could.pattern, via_queue: row.could.viaQueue, cost_usd_per_month: usd4(row.could.usdPerMonth) } : null,
          saving_usd_per_month: usd4(row.savingUsdPerMonth),
          no_recommendation_because: row.why,
        }
      : {}),
  };
}
