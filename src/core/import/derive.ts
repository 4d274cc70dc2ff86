// From grouped traffic to workloads, honestly: volume per month scaled from the period the files cover,
// mean (and p95 where each request is known) tokens, cached fraction, the peak factor from the busiest
// slot, streaming and user_facing where the data shows them, and the cost of the traffic as it was sent.
// What traffic cannot say (the latency tolerance) comes from the caller's rules or stays unset.
import { findModel } from '../catalog/models.js';
import type { Catalog, Model, ProviderId } from '../catalog/schema.js';
import { effectivePrices } from '../recommend/cost/prices.js';
import type { Pattern } from '../recommend/pattern.js';
import { SECONDS_PER_MONTH } from '../workload/units.js';
import type { GroupAcc, ImportAggregator, SourceSummary } from './aggregate.js';
import { skipReasonText, type SkipReason } from './record.js';
import type { Distribution } from './stats.js';
import { importTiers, type ImportedTier } from './tiers.js';

export interface LatencyRule {
  /** A glob over the workload's name, group or model ("*-batch", "support-*"); null = every workload. */
  match: string | null;
  text: string;
  seconds: number;
  /** Where the rule came from, for the comment: "--latency" or "rules.yaml". */
  from: string;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface ImportedWorkload {
  name: string;
  /** The catalog id where the catalog knows the model; else the name as reported. */
  model: string;
  reportedModel: string;
  modelKnown: boolean;
  provider: string | null;
  group: string;
  streaming: boolean | null;
  batch: boolean;
  serviceTier: string | null;
  /** Successful requests in the period; null where the source does not count requests. */
  requests: number | null;
  requestsPerMonth: number | null;
  /** Each request is known (spans, logs), so tails (p95) exist; false for usage buckets (means only). */
  perRequest: boolean;
  tokens: { inputMean: number | null; inputP95: number | null; outputMean: number | null; outputP95: number | null; cachedFraction: number };
  tokensPerMonth: { input: number; cachedInput: number; cacheWrite: number; output: number };
  peak: { factor: number; basis: string; of: 'requests' | 'tokens'; busiest: number; mean: number } | null;
  userFacing: boolean | null;
  userFacingWhy: string;
  task: 'embedding' | undefined;
  latency: LatencyRule | null;
  observed: {
    pattern: Pattern;
    /** false where the source does not say whether the calls streamed (priced the same either way). */
    patternKnown: boolean;
    serviceTier: string | null;
    /** List-price cost of the tokens as sent (the same arithmetic as recommend's cost_usd_per_month). */
    costUsdPerMonth: number | null;
    /** Cache writes billed above the input price (Anthropic), as recorded. */
    cacheWriteUsdPerMonth: number | null;
    costNote: string | null;
    reported: { usdPerMonth: number | null; currencies: string[]; records: number; missing: number; differenceUsdPerMonth: number | null } | null;
  };
  failures: { failed: number; rate: number; byClass: Record<string, number> };
  speed: { samples: number; ttftS: Percentiles | null; outputTokensPerS: Percentiles | null; totalS: Percentiles | null };
  notes: string[];
}

export interface ImportResult {
  groupBy: string;
  period: { startMs: number; endMs: number; coveredS: number; disjoint: boolean } | null;
  sources: SourceSummary[];
  workloads: ImportedWorkload[];
  skipped: Array<{ reason: SkipReason; count: number; text: string }>;
  warnings: string[];
  /** The account tier per provider written to the file: stated (--tier) or inferred from the spend. */
  tiers: ImportedTier[];
}

const MONTH_S = SECONDS_PER_MONTH;

export function deriveImport(agg: ImportAggregator, catalog: Catalog, opts: { groupBy: string; latency: readonly LatencyRule[]; tiers?: Partial<Record<ProviderId, string>> }): ImportResult {
  const period = coveredPeriod(agg.sources);
  const warnings: string[] = [];
  if (period?.disjoint) {
    warnings.push(`the files cover periods that do not overlap (${agg.sources.filter((s) => s.startMs !== null).map((s) => `${s.file}: ${day(s.startMs!)} → ${day(s.endMs!)}`).join('; ')}): volumes are scaled from the ${spell(period.coveredS)} they cover together; the gaps between them are not counted`);
  }
  if (period && period.coveredS < 86_400) {
    warnings.push(`the traffic covers only ${spell(period.coveredS)}: a month scaled from it is an extrapolation; import at least a day (a week shows the weekly cycle)`);
  }
  const used = new Set<string>();
  const workloads: ImportedWorkload[] = [];
  foldLoneFailures(agg);
  const groups = [...agg.groups.values()].sort((a, b) => b.requests - a.requests || b.inputTokens - a.inputTokens || a.id.localeCompare(b.id));
  for (const g of groups) {
    if (g.requests === 0 && !g.requestsUnknown && g.failed === 0) continue;
    workloads.push(deriveOne(g, catalog, period, opts, used));
  }
  const skipped = new Map<SkipReason, number>();
  for (const s of agg.sources) for (const [r, n] of Object.entries(s.skipped) as Array<[SkipReason, number]>) skipped.set(r, (skipped.get(r) ?? 0) + n);
  const currencies = new Set(workloads.flatMap((w) => w.observed.reported?.currencies ?? []));
  if (currencies.size > 1) warnings.push(`the reported spend comes in several currencies (${[...currencies].sort().join(', ')}): it is shown per currency and not compared with list prices in USD`);
  return {
    groupBy: opts.groupBy,
    period,
    sources: agg.sources,
    workloads,
    skipped: [...skipped.entries()].map(([reason, count]) => ({ reason, count, text: skipReasonText[reason] })),
    warnings,
    tiers: importTiers(workloads, catalog, opts.tiers ?? {}),
  };
}

/**
 * A failed call often lacks what sorts the successful ones (no first chunk, so "not streamed"): failures
 * in a group without successes join the busiest sibling of the same model, group and batch flag.
 */
function foldLoneFailures(agg: ImportAggregator): void {
  for (const [id, g] of agg.groups) {
    if (g.requests > 0 || g.requestsUnknown || g.failed === 0) continue;
    let best: GroupAcc | undefined;
    for (const other of agg.groups.values()) {
      if (other === g || other.model !== g.model || other.group !== g.group || other.batch !== g.batch || other.requests === 0) continue;
      if (!best || other.requests > best.requests) best = other;
    }
    if (!best) continue;
    best.failed += g.failed;
    for (const [k, v] of g.failures) best.failures.set(k, (best.failures.get(k) ?? 0) + v);
    agg.groups.delete(id);
  }
}

/** The union of the sources' periods: overlapping files count once, gaps between files not at all. */
export function coveredPeriod(sources: readonly SourceSummary[]): ImportResult['period'] {
  const spans = sources.filter((s) => s.startMs !== null && s.endMs !== null).map((s) => [s.startMs!, s.endMs!] as [number, number]).sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return null;
  let covered = 0;
  let disjoint = false;
  let [curStart, curEnd] = spans[0]!;
  for (const [s, e] of spans.slice(1)) {
    if (s > curEnd) {
      covered += curEnd - curStart;
      disjoint = true;
      [curStart, curEnd] = [s, e];
    } else curEnd = Math.max(curEnd, e);
  }
  covered += curEnd - curStart;
  return { startMs: spans[0]![0], endMs: Math.max(...spans.map((s) => s[1])), coveredS: Math.max(covered / 1000, 1), disjoint };
}

/** A dated snapshot ("gpt-4o-mini-2024-07-18", "claude-sonnet-4-20250514") falls back to its family. */
export function findImportedModel(catalog: Catalog, name: string, provider: string | null): Model | undefined {
  const bare = name.replace(/^(openai|anthropic|azure|bedrock|vertex_ai|gemini|google|openrouter)\//i, '');
  const tries = [name, bare, bare.replace(/-\d{4}-\d{2}-\d{2}$/, ''), bare.replace(/-\d{8}$/, ''), bare.replace(/-latest$/, '')];
  for (const t of tries) {
    const m = findModel(catalog, t);
    if (m && (provider === null || !['openai', 'anthropic', 'google'].includes(provider) || m.provider === provider)) return m;
  }
  return undefined;
}

function deriveOne(g: GroupAcc, catalog: Catalog, period: ImportResult['period'], opts: { groupBy: string; latency: readonly LatencyRule[] }, used: Set<string>): ImportedWorkload {
  const model = findImportedModel(catalog, g.model, g.provider === 'gemini' ? 'google' : g.provider);
  const coveredS = period?.coveredS ?? 1;
  const perMonth = MONTH_S / coveredS;
  const perRequest = g.requestRecords > 0 && g.bucketRecords === 0;
  const requests = g.requestsUnknown ? null : g.requests;
  const inputMean = requests ? g.inputTokens / requests : null;
  const outputMean = requests ? g.outputTokens / requests : null;
  const cachedFraction = g.inputTokens > 0 ? g.cachedInputTokens / g.inputTokens : 0;
  const streaming = g.stream;
  const pattern: Pattern = g.batch ? 'batch' : streaming === true ? 'streaming' : 'direct';
  const notes: string[] = [];

  const name = uniqueName([g.group, model?.id ?? g.model, g.batch ? 'batch' : streaming === true ? 'streaming' : streaming === false ? 'direct' : '', g.tier && g.tier !== 'standard' && g.tier !== 'batch' ? g.tier : ''], used);
  const tokensPerMonth = {
    input: g.inputTokens * perMonth,
    cachedInput: g.cachedInputTokens * perMonth,
    cacheWrite: (g.cacheWrite5mTokens + g.cacheWrite1hTokens) * perMonth,
    output: g.outputTokens * perMonth,
  };

  let userFacing: boolean | null = null;
  let userFacingWhy = 'not inferable from the traffic: the calls were not streamed';
  if (streaming === true) {
    userFacing = true;
    userFacingWhy = g.ttftS.count > 0 ? 'inferred: the calls were streamed and their first chunk recorded (someone reads as it arrives)' : 'inferred: the calls were streamed';
  } else if (streaming === null) userFacingWhy = 'not inferable: the source does not record whether the calls were streamed';
  if (g.batch) userFacingWhy = 'not inferable: batch calls (nobody waits on them)';

  const observed = observedCost(g, model, inputMean, perMonth, pattern, streaming !== null || g.batch);
  if (!model) notes.push(`"${g.model}" is not in aip's catalog: kept, priced null; add it with --catalog FILE`);
  if (requests === null) notes.push("the source counts tokens, not requests: volume and tokens per request are not known (set them from your own request count)");
  else if (!perRequest) notes.push('usage buckets give means only: no p95 for tokens');
  const failures = { failed: g.failed, rate: g.failed + g.requests > 0 ? g.failed / (g.failed + g.requests) : 0, byClass: Object.fromEntries([...g.failures.entries()].sort((a, b) => b[1] - a[1])) };

  return {
    name,
    model: model?.id ?? g.model,
    reportedModel: g.model,
    modelKnown: model !== undefined,
    provider: model?.provider ?? g.provider,
    group: g.group,
    streaming,
    batch: g.batch,
    serviceTier: g.tier,
    requests,
    requestsPerMonth: requests === null ? null : requests * perMonth,
    perRequest,
    tokens: {
      inputMean,
      inputP95: perRequest ? g.input.quantile(0.95) : null,
      outputMean,
      outputP95: perRequest ? g.output.quantile(0.95) : null,
      cachedFraction,
    },
    tokensPerMonth,
    peak: peakOf(g, coveredS),
    userFacing,
    userFacingWhy,
    task: model?.kind === 'embedding' ? 'embedding' : undefined,
    latency: pickLatency(opts.latency, name, g.group, model?.id ?? g.model),
    observed,
    failures,
    speed: {
      samples: g.ttftS.count,
      ttftS: percentiles(g.ttftS),
      outputTokensPerS: percentiles(g.outputTokensPerS),
      totalS: percentiles(g.totalS),
    },
    notes,
  };
}

function percentiles(d: Distribution): Percentiles | null {
  if (d.count === 0) return null;
  return { p50: d.quantile(0.5)!, p95: d.quantile(0.95)!, p99: d.quantile(0.99)! };
}

/** Busiest slot over the mean slot across the covered period: a minute for requests, the bucket width for usage data. */
function peakOf(g: GroupAcc, coveredS: number): ImportedWorkload['peak'] {
  if (!g.timeline) return null;
  const slotS = g.timeline.slotMs / 1000;
  const total = g.timelineOf === 'tokens' ? g.inputTokens + g.outputTokens : g.requests;
  const slots = Math.max(1, coveredS / slotS);
  const mean = total / slots;
  const busiest = g.timeline.max();
  if (mean <= 0) return null;
  return { factor: Math.max(1, Math.round((busiest / mean) * 10) / 10), basis: slotName(slotS), of: g.timelineOf, busiest, mean };
}

function slotName(s: number): string {
  if (s === 60) return 'minute';
  if (s === 3600) return 'hour';
  if (s === 86_400) return 'day';
  return `${Math.round(s / 60)}-minute slot`;
}

const STANDARD_TIERS = new Set([null, 'standard', 'batch']);

function observedCost(g: GroupAcc, model: Model | undefined, inputMean: number | null, perMonth: number, pattern: Pattern, patternKnown: boolean): ImportedWorkload['observed'] {
  const base = { pattern, patternKnown, serviceTier: g.tier };
  const reported = reportedSpend(g, perMonth);
  if (!model) return { ...base, costUsdPerMonth: null, cacheWriteUsdPerMonth: null, costNote: `"${g.model}" is not in the catalog`, reported };
  if (!STANDARD_TIERS.has(g.tier)) {
    return { ...base, costUsdPerMonth: null, cacheWriteUsdPerMonth: null, costNote: `the catalog has no ${g.tier} tier prices for ${model.id}`, reported };
  }
  // Without a request count the mean prompt is unknown: priced below any long-context threshold (noted).
  const mean = inputMean ?? 0;
  const p = effectivePrices(model, undefined, mean);
  const batch = pattern === 'batch';
  const input = batch ? p.batchInput : p.input;
  const cached = batch ? p.batchCachedInput : p.cachedInput;
  const output = batch ? p.batchOutput : p.output;
  if (input === null || cached === null || output === null) {
    return { ...base, costUsdPerMonth: null, cacheWriteUsdPerMonth: null, costNote: `${model.id} has no batch prices in the catalog`, reported };
  }
  const uncached = g.inputTokens - g.cachedInputTokens;
  const cost = ((uncached * input + g.cachedInputTokens * cached + g.outputTokens * output) / 1e6) * perMonth;
  // Writes were charged at the input price above; the premium is what the provider adds on top.
  const scale = batch && p.batchInput !== null ? p.batchInput / p.input : 1;
  const w5 = p.cacheWrite === null ? 0 : g.cacheWrite5mTokens * (p.cacheWrite * scale - input);
  const cw1h = model.prices.cache_write_1h ?? p.cacheWrite;
  const w1 = cw1h === null ? 0 : g.cacheWrite1hTokens * (cw1h * scale - input);
  const writes = ((w5 + w1) / 1e6) * perMonth;
  const costNote = g.tier === null && !g.batch ? 'service tier not recorded: priced at the standard tier' : null;
  if (reported && reported.usdPerMonth !== null) reported.differenceUsdPerMonth = reported.usdPerMonth - (cost + writes);
  return { ...base, costUsdPerMonth: cost, cacheWriteUsdPerMonth: writes, costNote, reported };
}

function reportedSpend(g: GroupAcc, perMonth: number): ImportedWorkload['observed']['reported'] {
  if (g.spend.size === 0) return null;
  const currencies = [...g.spend.keys()];
  const usd = currencies.length === 1 && currencies[0] === 'usd' ? g.spend.get('usd')! * perMonth : null;
  const records = g.requestRecords + g.bucketRecords - g.spendMissing;
  return { usdPerMonth: usd, currencies, records, missing: g.spendMissing, differenceUsdPerMonth: null };
}

function pickLatency(rules: readonly LatencyRule[], name: string, group: string, model: string): LatencyRule | null {
  for (const r of rules) if (r.match !== null && [name, group, model].some((v) => glob(r.match!, v))) return r;
  return rules.find((r) => r.match === null) ?? null;
}

export function glob(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

function uniqueName(parts: string[], used: Set<string>): string {
  const base =
    parts
      .filter(Boolean)
      .join('-')
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'imported';
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
  used.add(name);
  return name;
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 90061 → "1 day 1 h"; 42 → "42 s". */
export function spell(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round((seconds / 86_400) * 10) / 10} days`;
}
