// Every way to buy a workload's tokens (issue 13, SPEC "Service tiers and capacity"): delivery (direct,
// streaming, batch) × service tier (standard, flex, priority, provisioned) × cache lifetime where the
// provider sells a choice. Each option has its monthly cost (list price of its tier, with the share a tier
// sheds or downgrades priced at standard), latency, the share of requests within the tolerance, whether it
// fits the rate limits and spend caps, and why it was not chosen. The choice is the cheapest option that
// meets the tolerance and fits. Pure.
import { spendCapOfTier } from '../catalog/account-tiers.js';
import type { Catalog, Model, ServiceTier } from '../catalog/schema.js';
import type { Workload, ProvisionedOffer } from '../workload/normalise.js';
import type { ServiceTierName } from '../workload/schema.js';
import { count, duration, percent, usd } from '../format.js';
import { PATTERNS, type Pattern } from './pattern.js';
import { cacheWriteCost, requestCost, type RequestCost, type Usage } from './cost/monthly.js';
import { failureOverheadUsd } from './cost/overhead.js';
import { effectivePrices, type CacheTtl, type EffectivePrices } from './cost/prices.js';
import type { WorkloadCost } from './cost/workload-cost.js';
import type { LatencyEstimate } from './latency.js';
import type { BatchCadence } from './cadence.js';
import type { LimitsCheck } from './limits.js';
import type { Decision } from './decide.js';
import type { PatternSpec, SimWorkload } from '../montecarlo/model.js';
import { withinTolerance, withinToleranceOfRoutes, type Route, type ToleranceEstimate } from '../time/within-tolerance.js';

export interface OptionLatency {
  /** Seconds to the first token; null for batch (results arrive whole). */
  ttftS: number | null;
  /** Typical (mean) seconds until the whole answer (batch: half an interval's wait + the typical turnaround). */
  totalS: number;
  /** The tail (batch: a full interval's wait + the typical turnaround, which most batches meet). */
  p95S: number;
}

export interface Provisioning {
  units: number;
  /** Units the peak needs before the minimum and the increment. */
  unitsForPeak: number;
  feeUsdPerMonth: number;
  /** Average input tokens per minute ÷ the capacity bought. */
  utilisation: number;
  peakInputTpm: number;
  capacityInputTpm: number;
  /** Requests per month at which the fee equals pay-as-you-go at standard for this pattern (at this size). */
  breakEvenRequestsPerMonth: number | null;
  from: 'file' | 'catalog';
  /** Overflow above the capacity may be sent to standard pay-as-you-go (Bedrock Reserved tier). */
  spillover: boolean;
  /** Sized for the average with the overflow at standard (where cheaper): the bound on the share spilled. */
  spilloverShare: number;
}

export interface ServiceOption {
  pattern: Pattern;
  serviceTier: ServiceTierName;
  /** The prompt-cache lifetime priced, where the provider sells a choice (Anthropic); null elsewhere. */
  cacheTtl: CacheTtl | null;
  /** Monthly cost of the requests at the tier's list prices (shed or downgraded share at standard); null = not priced. */
  costUsdPerMonth: number | null;
  /** Cache writes on top (Anthropic bills them), as in cache_write_usd_per_month. */
  cacheWriteUsdPerMonth: number | null;
  /** Expected extra spend from failures and retries at this option's prices (failed attempts on provisioned capacity cost no more than its fee). */
  overheadUsdPerMonth: number | null;
  latency: OptionLatency | null;
  /** Share (0–1) of requests finishing within the tolerance, by the one model of time (core/time) simulate shares. */
  withinTolerance: number | null;
  /** Share of requests that wait for the rate limit (real-time) or in the batch queue (batch), by the same model. */
  queuedShare: number;
  /** Fits the rate limits (or batch queue) and the spend cap at the stated tier; null where none is published. */
  fits: boolean | null;
  /** Fits at some account tier (a higher tier would do); false = at no tier. */
  fitsAtSomeTier: boolean;
  available: boolean;
  /** Why it was not chosen; null for the chosen option. */
  whyNot: string | null;
  /** Caveats of the tier (shedding, silent downgrades, erratic traffic). */
  notes: string[];
  /** Share of requests served at standard instead (flex sheds; Gemini priority past its limits). */
  standardShare: number;
  provisioned: Provisioning | null;
}

export interface OptionsResult {
  options: ServiceOption[];
  chosen: ServiceOption;
  /** A sentence where the choice differs from the standard-tier decision (tier or pattern), else null. */
  reason: string | null;
  /** The spend cap at the stated tier (USD per month) where the provider publishes one. */
  spendCap: { tier: string; usdPerMonth: number } | null;
  /** The chosen option reaches the within_tolerance threshold (false: no option does). */
  meetsTolerance: boolean;
  /** The threshold it was held to (data/thresholds.yaml). */
  minWithinTolerance: number;
}

export interface OptionsInput {
  workload: Workload;
  catalog: Catalog;
  cost: WorkloadCost;
  latency: LatencyEstimate;
  cadence: BatchCadence;
  limits: LimitsCheck;
  decision: Decision;
  minBatchSavingUsd: number;
  /** The workload's time model at the standard tier (what aip simulate runs): arrivals, limits, batch cadence. */
  sim: SimWorkload;
  /** Standard-tier estimates of `sim` already made (the cadence probe's batch at the chosen cadence). */
  known?: Partial<Record<Pattern, ToleranceEstimate>>;
}

/**
 * The least share of requests within the tolerance an option must reach to be recommended: a stricter share
 * from an hour on (a pipeline that misses its window misses it for every request behind it), a looser one for
 * tolerances of seconds and minutes (data/thresholds.yaml).
 */
export function minWithinTolerance(toleranceS: number, t: Catalog['thresholds']['values']): number {
  return toleranceS >= t.batch_min_tolerance_s.value ? t.min_within_tolerance_hours.value : t.min_within_tolerance_seconds.value;
}

const TIER_ORDER: ServiceTierName[] = ['standard', 'flex', 'priority', 'provisioned'];

export function serviceOptions(x: OptionsInput): OptionsResult {
  const { workload: w, catalog, cost, decision } = x;
  const t = catalog.thresholds.values;
  const minShare = minWithinTolerance(w.toleranceSeconds, t);
  const time = timeOf(x);
  const term = catalog.providers.find((p) => p.id === w.model.provider);
  const ttlChoices = (term?.cache?.ttl_choices ?? []).length > 1 && cost.usage.cachedFraction > 0 && cost.prices.caching && cost.prices.cacheWrite !== null ? (['5m', '1h'] as CacheTtl[]) : [null];
  const stated = w.input.cacheTtl ?? '5m';
  const watched = w.userFacing && w.toleranceSeconds < t.queue_min_tolerance_s.value;
  const spendCap = spendCapOf(w, catalog);
  const maxCap = term?.spend_caps ? Math.max(...Object.values(term.spend_caps.caps)) : null;
  const tiers = tiersOf(w.model, w.serviceTiers);
  const options: ServiceOption[] = [];
  const standardCost = new Map<string, number | null>();
  for (const pattern of PATTERNS) {
    for (const ttl of ttlChoices) {
      const prices = optionPrices(w, cost, ttl);
      const std = standardOption(x, pattern, ttl, prices, time);
      standardCost.set(`${pattern}|${ttl}`, std.costUsdPerMonth);
      if (!w.serviceTiers || w.serviceTiers.includes('standard')) options.push(std);
      if (pattern === 'batch') continue; // flex, priority and capacity are for synchronous calls
      for (const tier of tiers) options.push(tierOption(x, pattern, ttl, prices, tier, std, time));
    }
  }
  for (const o of options) if (o.available && o.costUsdPerMonth !== null) o.overheadUsdPerMonth = optionBilling(w, cost, o)?.overheadUsdPerMonth ?? null;
  // Fit: rate limits (or the batch queue) and the spend cap at the stated tier.
  for (const o of options) {
    if (!o.available || o.costUsdPerMonth === null) continue;
    const spend = o.costUsdPerMonth + (o.cacheWriteUsdPerMonth ?? 0);
    const limitFit = o.serviceTier === 'provisioned' ? true : o.pattern === 'batch' ? (x.limits.batch.queue ? x.limits.batch.queue.fits : null) : x.limits.fits;
    const capFit = spendCap === null ? null : spend <= spendCap.usdPerMonth;
    o.fits = limitFit === false || capFit === false ? false : limitFit === null && capFit === null ? null : true;
    const limitSomewhere = o.serviceTier === 'provisioned' || limitFit !== false || (o.pattern === 'batch' ? typeof x.limits.batch.queueFittingTier === 'string' : typeof x.limits.fittingTier === 'string');
    o.fitsAtSomeTier = limitSomewhere && (maxCap === null || spend <= maxCap);
  }
  const rank = (o: ServiceOption) => [(o.costUsdPerMonth ?? Infinity) + (o.cacheWriteUsdPerMonth ?? 0), o.pattern === decision.pattern ? 0 : 1, TIER_ORDER.indexOf(o.serviceTier), o.cacheTtl === stated || o.cacheTtl === null ? 0 : 1];
  const byRank = (a: ServiceOption, b: ServiceOption) => {
    const ra = rank(a);
    const rb = rank(b);
    if (Math.abs(ra[0]! - rb[0]!) > 1e-9) return ra[0]! - rb[0]!;
    for (let i = 1; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
    return 0;
  };
  const batchSaving = (cost.monthly.direct ?? 0) - (cost.monthly.batch ?? 0);
  const syncPattern: Pattern = decision.pattern === 'batch' ? 'direct' : decision.pattern;
  const policy = (o: ServiceOption): string | null => {
    if (o.pattern === 'batch' && o.available && batchSaving < x.minBatchSavingUsd) return batchSaving <= 0 ? `costs ${usd(-batchSaving)}/month more than direct: the cache discount does not stack with batch` : `saves only ${usd(batchSaving)}/month, under the ${usd(x.minBatchSavingUsd)} threshold for batch machinery`;
    // Direct or streaming is the decision rules' call (a UX choice at the same price, thresholds in data/):
    // the options choose the tier, and batch or not.
    if (o.pattern !== 'batch' && o.pattern !== syncPattern) {
      const alt = o.serviceTier === 'standard' ? decision.alternatives.find((a) => a.pattern === o.pattern)?.whyNot : undefined;
      return alt ?? `${syncPattern}, not ${o.pattern}, by the decision rules (see ${syncPattern} · ${o.serviceTier})`;
    }
    if (o.serviceTier === 'flex' && watched) return 'a person watches: flex is best effort (slower, sometimes refused), not for interactive use';
    return null;
  };
  const eligible = options.filter((o) => o.available && o.costUsdPerMonth !== null && policy(o) === null && (o.withinTolerance ?? 0) >= minShare && o.fits !== false).sort(byRank);
  let chosen = eligible[0];
  let reason: string | null = null;
  if (!chosen) {
    const usable = options.filter((o) => o.available && o.costUsdPerMonth !== null && policy(o) === null);
    const meeting = usable.filter((o) => (o.withinTolerance ?? 0) >= minShare);
    if (meeting.length > 0) {
      // Something meets the tolerance but passes the limits or the spend cap at the stated tier: the cheapest of them, said so.
      chosen = meeting.filter((o) => o.pattern === decision.pattern).sort(byRank)[0] ?? meeting.sort(byRank)[0]!;
      reason = `no option that meets the ${duration(w.toleranceSeconds)} tolerance fits the limits and spend cap at the stated tier: ${optionLabel(chosen)} is the cheapest that meets it (see the warnings)`;
    } else {
      // Nothing meets it: the standard-tier option that comes closest (a dearer tier that still misses is no
      // answer; within a point, the decision's pattern, else the cheapest), and what would meet it.
      const standard = usable.filter((o) => o.serviceTier === 'standard');
      const pool = standard.length > 0 ? standard : usable;
      const best = Math.max(0, ...pool.map((o) => o.withinTolerance ?? 0));
      const close = pool.filter((o) => (o.withinTolerance ?? 0) >= best - 0.01).sort(byRank);
      chosen = close.find((o) => o.pattern === decision.pattern && o.serviceTier === 'standard') ?? close[0] ?? options.filter((o) => o.available).sort(byRank)[0] ?? options[0]!;
      reason = `no option meets the ${duration(w.toleranceSeconds)} tolerance (${percent(minShare)} of requests within it): ${optionLabel(chosen)} comes closest (${percent(chosen.withinTolerance ?? 0)}); ${whatWouldMeet(options, x)} would`;
    }
  } else if (chosen.pattern !== decision.pattern || chosen.serviceTier !== 'standard') {
    const std = options.find((o) => o.pattern === decision.pattern && o.serviceTier === 'standard' && (o.cacheTtl === chosen!.cacheTtl || o.cacheTtl === null));
    reason = choiceReason(chosen, std, w, watched);
  }
  for (const o of options) o.whyNot = o === chosen ? null : whyNot(o, chosen, { minShare, policy, tol: w.toleranceSeconds, spendCap, limits: x.limits, decision, stdCost: standardCost });
  return { options, chosen, reason, spendCap, meetsTolerance: (chosen.withinTolerance ?? 0) >= minShare, minWithinTolerance: minShare };
}

/** What would let a workload meet its tolerance where no option does: a higher tier, batches in slices, a faster model. */
function whatWouldMeet(options: ServiceOption[], x: OptionsInput): string {
  const ways: string[] = [];
  const l = x.limits;
  const batch = options.find((o) => o.pattern === 'batch' && o.available);
  if (batch && batch.queuedShare > 0.01) {
    const tier = l.batch.queueFittingTier ? ` or tier ${l.batch.queueFittingTier} (a larger batch queue)` : '';
    ways.push(`submitting batches in slices through the window (${percent(batch.queuedShare)} of requests wait in the batch queue)${tier}`);
  }
  const queued = options.filter((o) => o.pattern !== 'batch' && o.available && o.queuedShare > 0.01);
  if (queued.length > 0) {
    const tier = l.fittingTier ?? l.headroomTier;
    ways.push(tier ? `tier ${tier} (requests wait for the rate limit at the peak)` : 'a higher rate limit (requests wait for it at the peak)');
  }
  const tiers = new Set(options.map((o) => o.serviceTier));
  if (!tiers.has('priority') && (x.workload.model.service_tiers ?? []).some((t) => t.tier === 'priority')) ways.push('the priority tier');
  ways.push(`a faster model than ${x.workload.model.id} or a shorter output`);
  return ways.length === 1 ? ways[0]! : `${ways.slice(0, -1).join(', ')} or ${ways[ways.length - 1]}`;
}

/** The tiers besides standard the model offers (and the workload allows); an unsold tier only when named. */
function tiersOf(model: Model, allowed: ServiceTierName[] | undefined): ServiceTier[] {
  const out: ServiceTier[] = [];
  for (const tier of model.service_tiers ?? []) {
    if (tier.tier === 'standard') continue;
    if (allowed && !allowed.includes(tier.tier)) continue;
    if (tier.sold === false && !allowed?.includes(tier.tier)) continue;
    out.push(tier);
  }
  return out;
}

function spendCapOf(w: Workload, catalog: Catalog): { tier: string; usdPerMonth: number } | null {
  const tier = w.tier ?? catalog.rateLimits.find((p) => p.provider === w.model.provider)?.default_tier;
  const usdPerMonth = tier === undefined ? null : spendCapOfTier(catalog, w.model.provider, tier);
  return tier === undefined || usdPerMonth === null ? null : { tier, usdPerMonth };
}

function monthlyAt(u: Usage, p: EffectivePrices, pattern: Pattern): number | null {
  const rc = requestCost(u, p, pattern);
  return rc === null ? null : u.requestsPerMonth * rc.total;
}

function blank(pattern: Pattern, serviceTier: ServiceTierName, cacheTtl: CacheTtl | null): ServiceOption {
  return { pattern, serviceTier, cacheTtl, costUsdPerMonth: null, cacheWriteUsdPerMonth: null, overheadUsdPerMonth: null, latency: null, withinTolerance: null, queuedShare: 0, fits: null, fitsAtSomeTier: false, available: false, whyNot: null, notes: [], standardShare: 0, provisioned: null };
}

function standardOption(x: OptionsInput, pattern: Pattern, ttl: CacheTtl | null, prices: EffectivePrices, time: OptionTime): ServiceOption {
  const { workload: w, cost } = x;
  const o = blank(pattern, 'standard', ttl);
  const c = monthlyAt(cost.usage, prices, pattern);
  if (c === null) {
    o.whyNot = pattern === 'batch' ? `${w.model.id} has no batch API` : `${w.model.id} returns one response (an embedding model): nothing to stream`;
    return o;
  }
  o.available = true;
  o.costUsdPerMonth = c;
  o.cacheWriteUsdPerMonth = writes(x, prices, ttl)[pattern];
  const est = time.standard(pattern);
  o.latency = pattern === 'batch' ? batchLatency(x, est) : realtimeLatency(x, 1, 1, est);
  setTime(o, est);
  return o;
}

function writes(x: OptionsInput, prices: EffectivePrices, ttl: CacheTtl | null) {
  const ttlS = (ttl ?? x.workload.input.cacheTtl ?? '5m') === '1h' ? 3600 : x.catalog.thresholds.values.cache_ttl_s.value;
  return cacheWriteCost(x.cost.usage, prices, ttlS);
}

/** A tier's prices as the standard prices scaled by the tier's published ratio (keeps overrides and long context). */
function tierPrices(p: EffectivePrices, model: Model, tier: ServiceTier): EffectivePrices | null {
  if (tier.input === undefined || tier.output === undefined) return null;
  const base = model.prices;
  // The tier's published prices against the standard price in use (an overlay or pricing: may have moved it):
  // priority never cheaper than standard, flex never dearer.
  const bound = (r: number) => (tier.tier === 'priority' ? Math.max(1, r) : tier.tier === 'flex' ? Math.min(1, r) : r);
  const ratio = (v: number, b: number) => bound(b > 0 ? v / b : 1);
  const inR = ratio(tier.input, base.input);
  const outR = ratio(tier.output, base.output);
  const cachedR = tier.cached_input !== undefined && base.cached_input ? ratio(tier.cached_input, base.cached_input) : inR;
  return { ...p, input: p.input * inR, output: p.output * outR, cachedInput: p.cachedInput * (p.caching ? cachedR : inR), cacheWrite: p.cacheWrite === null ? null : p.cacheWrite * inR };
}

function tierOption(x: OptionsInput, pattern: Pattern, ttl: CacheTtl | null, prices: EffectivePrices, tier: ServiceTier, std: ServiceOption, time: OptionTime): ServiceOption {
  const { workload: w, cost } = x;
  const o = blank(pattern, tier.tier, ttl);
  if (!std.available || std.costUsdPerMonth === null) {
    o.whyNot = std.whyNot;
    return o;
  }
  if (tier.tier === 'provisioned') return provisionedOption(x, o, tier, std, time);
  const tp = tierPrices(prices, w.model, tier);
  if (tp === null) {
    o.whyNot = tier.sold === false ? `${w.model.provider} no longer sells its ${tier.tier} tier and publishes no price for it: aip cannot price it (${tier.source})` : `${w.model.provider} publishes no price for ${w.model.id}'s ${tier.tier} tier, so aip does not price it (${tier.source})`;
    o.notes.push(tier.note ?? '');
    return o;
  }
  const tierCost = monthlyAt(cost.usage, tp, pattern)!;
  const tierWrites = writes(x, tp, ttl)[pattern];
  let share = 0;
  if (tier.tier === 'flex') {
    share = tier.shed_share ?? 0;
    o.notes.push(`flex is best effort: ~${percent(share)} of requests are refused (429 resource unavailable) and sent again at standard, priced in${tier.behaviour_source ? ` (${tier.behaviour_source.split(';')[0]})` : ''}`);
  } else if (tier.tier === 'priority') {
    if (tier.limit_share !== undefined) {
      share = overflowShare(x.limits, tier.limit_share);
      o.notes.push(`${w.model.provider} priority limits are ${percent(tier.limit_share)} of the standard limits; past them requests are served at standard without an error${share > 0 ? ` (~${percent(share)} of the peak here, priced at standard)` : ''}`);
    }
    if (w.peakFactor >= 3) o.notes.push(`priority is for steady traffic: this workload peaks at ${count(w.peakFactor, 1)}× its average, and traffic that ramps quickly may be served at standard`);
  }
  o.available = true;
  o.standardShare = share;
  o.costUsdPerMonth = (1 - share) * tierCost + share * std.costUsdPerMonth;
  o.cacheWriteUsdPerMonth = tierWrites === null ? std.cacheWriteUsdPerMonth : (1 - share) * tierWrites + share * (std.cacheWriteUsdPerMonth ?? 0);
  const est = time.tier(pattern, tier, share);
  o.latency = realtimeLatency(x, tier.ttft_factor ?? 1, tier.tokens_per_s_factor ?? 1, est);
  setTime(o, est);
  return o;
}

/**
 * A workload's monthly cost at a pattern and service tier (check's cost of a diff point): the tier's prices
 * (scaled from the standard prices as the options do), with `standardShare` of the requests at standard.
 * null where the tier is not priced (provisioned capacity is a fee, not a price per token).
 */
export function tierMonthlyCost(model: Model, prices: EffectivePrices, usage: Usage, pattern: Pattern, tier: ServiceTierName, standardShare: number): number | null {
  const std = monthlyAt(usage, prices, pattern);
  if (tier === 'standard' || std === null) return std;
  const t = (model.service_tiers ?? []).find((x) => x.tier === tier);
  if (!t || pattern === 'batch') return null;
  const tp = tierPrices(prices, model, t);
  const c = tp === null ? null : monthlyAt(usage, tp, pattern);
  return c === null ? null : (1 - standardShare) * c + standardShare * std;
}

/** The prices an option's cache lifetime gives (the workload's own where the provider sells no choice). */
export function optionPrices(w: Workload, cost: WorkloadCost, ttl: CacheTtl | null): EffectivePrices {
  return ttl === null ? cost.prices : effectivePrices(w.model, w.pricing, w.input.tokens, ttl);
}

/** What one option bills: per request (its share at standard blended in), a fixed monthly fee, and its failure overhead. */
export interface OptionBilling {
  perRequest: RequestCost;
  feeUsdPerMonth: number;
  overheadUsdPerMonth: number;
}

/**
 * An option's bill in the cost model's own terms, what aip simulate draws the option's month from: the tier's
 * prices for the share it serves and standard's for the rest; provisioned capacity's fee, its spilled share
 * at standard (requests on the capacity cost nothing more, failed or not). null where it is not priced.
 */
export function optionBilling(w: Workload, cost: WorkloadCost, o: Pick<ServiceOption, 'pattern' | 'serviceTier' | 'cacheTtl' | 'standardShare' | 'provisioned'>): OptionBilling | null {
  const prices = optionPrices(w, cost, o.cacheTtl);
  const std = requestCost(cost.usage, prices, o.pattern);
  if (std === null) return null;
  const share = o.standardShare;
  let perRequest: RequestCost = std;
  let feeUsdPerMonth = 0;
  if (o.serviceTier === 'provisioned') {
    if (!o.provisioned) return null;
    perRequest = mixCost(null, std, share);
    feeUsdPerMonth = o.provisioned.feeUsdPerMonth;
  } else if (o.serviceTier !== 'standard') {
    const t = (w.model.service_tiers ?? []).find((x) => x.tier === o.serviceTier);
    const tp = t && o.pattern !== 'batch' ? tierPrices(prices, w.model, t) : null;
    const trc = tp === null ? null : requestCost(cost.usage, tp, o.pattern);
    if (trc === null) return null;
    perRequest = mixCost(trc, std, share);
  }
  const overheadUsd = failureOverheadUsd(cost.failureModes[o.pattern], cost.maxRetries, perRequest);
  return { perRequest, feeUsdPerMonth, overheadUsdPerMonth: overheadUsd * cost.usage.requestsPerMonth };
}

/** (1 − share) of a request at `tier` (nothing: capacity already paid for) and `share` at standard. */
function mixCost(tier: RequestCost | null, std: RequestCost, share: number): RequestCost {
  const f = (t: number, s: number) => (1 - share) * t + share * s;
  return { input: f(tier?.input ?? 0, std.input), output: f(tier?.output ?? 0, std.output), total: f(tier?.total ?? 0, std.total) };
}

/** Share of the peak above the tier's own limits (limit_share × each standard limit), served at standard. */
function overflowShare(l: LimitsCheck, limitShare: number): number {
  const lim = l.limits;
  if (!lim) return 0;
  const used = Math.max(l.peakRpm / lim.rpm, lim.tpm ? (l.tpmCounts === 'input' ? l.peakItpm : l.peakTpm) / lim.tpm : 0);
  return used > limitShare ? 1 - limitShare / used : 0;
}

/** Sized for the peak input tokens per minute, in the offer's minimum and increments; 720 hours a month. */
export function sizeProvisioned(offer: Pick<ProvisionedOffer, 'usdPerUnitHour' | 'inputTpmPerUnit' | 'minUnits' | 'unitIncrement'>, peakInputTpm: number, averageInputTpm: number): { units: number; unitsForPeak: number; feeUsdPerMonth: number; utilisation: number; capacityInputTpm: number } {
  const unitsForPeak = Math.ceil(peakInputTpm / offer.inputTpmPerUnit - 1e-9);
  const above = Math.max(0, unitsForPeak - offer.minUnits);
  const units = offer.minUnits + Math.ceil(above / offer.unitIncrement - 1e-9) * offer.unitIncrement;
  const capacityInputTpm = units * offer.inputTpmPerUnit;
  return { units, unitsForPeak, feeUsdPerMonth: units * offer.usdPerUnitHour * 720, utilisation: capacityInputTpm > 0 ? averageInputTpm / capacityInputTpm : 0, capacityInputTpm };
}

function provisionedOption(x: OptionsInput, o: ServiceOption, tier: ServiceTier, std: ServiceOption, time: OptionTime): ServiceOption {
  const { workload: w } = x;
  const catalogOffer: ProvisionedOffer | undefined =
    tier.usd_per_unit_hour !== undefined && tier.input_tpm_per_unit !== undefined
      ? { usdPerUnitHour: tier.usd_per_unit_hour, inputTpmPerUnit: tier.input_tpm_per_unit, minUnits: tier.min_units ?? 1, unitIncrement: tier.unit_increment ?? 1, from: 'catalog' }
      : undefined;
  const offer = w.provisioned ?? catalogOffer;
  if (tier.note) o.notes.push(tier.note);
  if (!offer) {
    o.whyNot = `${w.model.provider} publishes no price for provisioned capacity: state your offer in provisioned: (usd_per_unit_hour, input_tpm_per_unit, min_units, unit_increment) to price it`;
    return o;
  }
  const peakInputTpm = x.limits.peakRpm * w.input.tokens;
  const averageInputTpm = peakInputTpm / w.peakFactor;
  const peakSized = sizeProvisioned(offer, peakInputTpm, averageInputTpm);
  const perRequest = std.costUsdPerMonth! / Math.max(1, w.requestsPerMonth);
  // Where overflow may spill to standard pay-as-you-go, capacity can be sized for the average instead, the
  // traffic above it paid at standard. A minute at rate r spills (r − C)/r of its requests, at most the peak
  // minute's (P − C)/P: aip prices that bound (it knows the peak and the mean, not the shape between them).
  let s = peakSized;
  let spillShare = 0;
  if (tier.spillover === true && w.peakFactor > 1) {
    const meanSized = sizeProvisioned(offer, averageInputTpm, averageInputTpm);
    const share = peakInputTpm > 0 ? Math.max(0, (peakInputTpm - meanSized.capacityInputTpm) / peakInputTpm) : 0;
    if (meanSized.feeUsdPerMonth + share * std.costUsdPerMonth! < peakSized.feeUsdPerMonth) {
      s = meanSized;
      spillShare = share;
    }
  }
  o.available = true;
  o.standardShare = spillShare;
  o.costUsdPerMonth = s.feeUsdPerMonth + spillShare * std.costUsdPerMonth!;
  o.cacheWriteUsdPerMonth = 0;
  const est = time.provisioned(o.pattern, spillShare);
  o.latency = std.latency && { ...std.latency, p95S: finiteOr(est.latencyP95S, std.latency.p95S) };
  setTime(o, est);
  o.provisioned = {
    ...s,
    peakInputTpm,
    breakEvenRequestsPerMonth: perRequest > 0 ? s.feeUsdPerMonth / perRequest : null,
    from: offer.from,
    spillover: tier.spillover === true,
    spilloverShare: spillShare,
  };
  if (tier.batch_discount_applies === false) o.notes.push('batch discounts do not apply to provisioned capacity');
  if (spillShare > 0) o.notes.push(`sized for the average (${s.units} units) with the overflow at standard pay-as-you-go: at most ${percent(spillShare)} of requests (the peak minute's share above the capacity), priced in`);
  else if (tier.spillover) o.notes.push('traffic above the capacity can overflow to standard pay-as-you-go; sized for the peak here, which is cheaper than paying standard for the overflow');
  return o;
}

/**
 * The latency model of latency.ts (TTFT + tokens ÷ speed, reasoning tokens before the first visible one) at a
 * tier's speed: its time to first token and output speed as multiples of standard's (flex slower, priority
 * faster). The p95 is the one model of time's (retries, rate-limit waits, the spread of speeds), what simulate reports.
 */
function realtimeLatency(x: OptionsInput, ttftFactor: number, speedFactor: number, est: ToleranceEstimate): OptionLatency {
  const w = x.workload;
  const tps = x.latency.outputTokensPerS * speedFactor;
  const reasoning = w.output.reasoningTokens ?? 0;
  const reasoningP95 = w.output.reasoningP95 ?? reasoning;
  const baseTtft = w.model.speed.ttft_s * ttftFactor;
  const p95Visible = w.output.p95 ?? w.output.tokens * x.catalog.thresholds.values.p95_output_factor.value;
  const ttft = baseTtft + reasoning / tps;
  return { ttftS: ttft, totalS: ttft + w.output.tokens / tps, p95S: finiteOr(est.latencyP95S, baseTtft + (reasoningP95 + p95Visible) / tps) };
}

/** Batch: the median and 95th percentile of the time from a request's arrival to its result (submission wait, batch queue, turnaround). */
function batchLatency(x: OptionsInput, est: ToleranceEstimate): OptionLatency {
  return { ttftS: null, totalS: finiteOr(est.latencyP50S, x.cadence.everyS / 2 + x.latency.batchTypicalS), p95S: finiteOr(est.latencyP95S, x.cadence.everyS + x.latency.batchTypicalS) };
}

const finiteOr = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);

function setTime(o: ServiceOption, est: ToleranceEstimate): void {
  o.withinTolerance = est.share;
  o.queuedShare = est.queuedShare;
}

/** The one model of time (core/time) for each option, computed once per pattern and tier. */
interface OptionTime {
  standard(pattern: Pattern): ToleranceEstimate;
  tier(pattern: Pattern, tier: ServiceTier, standardShare: number): ToleranceEstimate;
  provisioned(pattern: Pattern, spillShare: number): ToleranceEstimate;
}

/**
 * A tier is the standard time model at its own speed (ttft_factor, tokens_per_s_factor), for the share of
 * requests it serves; the rest are served at standard: flex's refused requests after the refusal (taken as
 * long as flex's first token), Gemini priority's past its limits at once. Provisioned capacity is sized for the
 * peak: no rate-limit queue, its spilled share at standard.
 */
function timeOf(x: OptionsInput): OptionTime {
  const sim = x.sim;
  const w = x.workload;
  const standard: Partial<Record<Pattern, ToleranceEstimate>> = { ...x.known };
  const memo = new Map<string, ToleranceEstimate>();
  const specOf = (pattern: Pattern) => sim.patterns.find((p) => p.pattern === pattern);
  const none = (pattern: Pattern): ToleranceEstimate => ({ pattern, share: 0, measuredOn: 'latency', queuedShare: 0, latencyP50S: NaN, latencyP95S: NaN });
  const cached = (key: string, f: () => ToleranceEstimate) => {
    const hit = memo.get(key);
    if (hit) return hit;
    const v = f();
    memo.set(key, v);
    return v;
  };
  const std = (pattern: Pattern) => {
    const spec = specOf(pattern);
    return spec ? (standard[pattern] ??= withinTolerance(sim, spec)) : none(pattern);
  };
  return {
    standard: std,
    tier(pattern, tier, standardShare) {
      const spec = specOf(pattern);
      if (!spec) return none(pattern);
      return cached(`${pattern}|${tier.tier}|${standardShare}`, () => withinToleranceOfRoutes(tierRoutes(sim, w, spec, tier, standardShare)));
    },
    provisioned(pattern, spillShare) {
      const spec = specOf(pattern);
      if (!spec) return none(pattern);
      return cached(`${pattern}|provisioned|${spillShare}`, () => withinToleranceOfRoutes(provisionedRoutes(sim, spec, spillShare)));
    },
  };
}

/**
 * A service tier's requests as routes through the time model: its own speed (ttft_factor, tokens_per_s_factor)
 * for the share it serves, standard's for the rest, flex's refused requests after the refusal (taken as long as
 * flex's first token), Gemini priority's past its limits at once. recommend integrates them; simulate draws them.
 */
function tierRoutes(sim: SimWorkload, w: Workload, spec: PatternSpec, tier: Pick<ServiceTier, 'tier' | 'ttft_factor' | 'tokens_per_s_factor'>, standardShare: number): Route[] {
  const tps = w.model.speed.output_tokens_per_s * (tier.tokens_per_s_factor ?? 1);
  const tierSim: SimWorkload = { ...sim, ttftS: w.model.speed.ttft_s * (tier.ttft_factor ?? 1) + (w.output.reasoningTokens ?? 0) / tps, outputTokensPerS: tps };
  const routes: Route[] = [{ w: tierSim, spec, weight: 1 - standardShare }];
  if (standardShare > 0) routes.push({ w: sim, spec, weight: standardShare, delayS: tier.tier === 'flex' ? tierSim.ttftS : 0 });
  return routes;
}

/** Provisioned capacity is sized for the peak: no rate-limit queue; its spilled share at standard, through the queue. */
function provisionedRoutes(sim: SimWorkload, spec: PatternSpec, spillShare: number): Route[] {
  const routes: Route[] = [{ w: { ...sim, limits: null }, spec, weight: 1 - spillShare }];
  if (spillShare > 0) routes.push({ w: sim, spec, weight: spillShare });
  return routes;
}

/** An option's routes (one, at standard's time model, for a standard option), from the workload's time model `sim`. */
export function optionRoutes(sim: SimWorkload, w: Workload, o: Pick<ServiceOption, 'pattern' | 'serviceTier' | 'standardShare'>): Route[] | null {
  const spec = sim.patterns.find((p) => p.pattern === o.pattern);
  if (!spec) return null;
  if (o.serviceTier === 'standard') return [{ w: sim, spec, weight: 1 }];
  if (o.serviceTier === 'provisioned') return provisionedRoutes(sim, spec, o.standardShare);
  const tier = (w.model.service_tiers ?? []).find((t) => t.tier === o.serviceTier);
  return tier ? tierRoutes(sim, w, spec, tier, o.standardShare) : null;
}

export function optionLabel(o: Pick<ServiceOption, 'pattern' | 'serviceTier' | 'cacheTtl'>): string {
  return `${o.pattern} · ${o.serviceTier}${o.cacheTtl ? ` · cache ${o.cacheTtl}` : ''}`;
}

function choiceReason(chosen: ServiceOption, std: ServiceOption | undefined, w: Workload, watched: boolean): string {
  const total = (o: ServiceOption) => (o.costUsdPerMonth ?? 0) + (o.cacheWriteUsdPerMonth ?? 0);
  const vs = std && std.available && std.costUsdPerMonth !== null ? `: ${usd(total(chosen))}/month instead of ${usd(total(std))} for ${optionLabel(std)}` : '';
  const within = `${percent(chosen.withinTolerance ?? 0)} of requests within the ${duration(w.toleranceSeconds)} tolerance`;
  if (chosen.serviceTier === 'flex') return `flex processing gives the same ${watched ? '' : 'synchronous '}calls at about the batch price${vs}; it is slower (p95 ~${duration(chosen.latency?.p95S ?? 0)}) and sometimes refused, so send refused requests (429) again at standard (${percent(chosen.standardShare)} assumed, priced in); ${within}`;
  if (chosen.serviceTier === 'priority') return `only the priority tier meets the tolerance (p95 ~${duration(chosen.latency?.p95S ?? 0)}, ${within})${vs}`;
  if (chosen.serviceTier === 'provisioned' && chosen.provisioned) return `provisioned capacity (${count(chosen.provisioned.units, 0)} units, ${percent(chosen.provisioned.utilisation)} used on average) costs less than pay-as-you-go${vs}; it pays from ${count(chosen.provisioned.breakEvenRequestsPerMonth ?? 0, 0)} requests/month`;
  if (chosen.cacheTtl && std && chosen.cacheTtl !== std.cacheTtl) return `a ${chosen.cacheTtl} prompt cache is cheaper here${vs}`;
  return `${optionLabel(chosen)} is the cheapest option that meets the tolerance and fits${vs}`;
}

interface WhyNotContext {
  minShare: number;
  policy: (o: ServiceOption) => string | null;
  tol: number;
  spendCap: { tier: string; usdPerMonth: number } | null;
  limits: LimitsCheck;
  decision: Decision;
  stdCost: Map<string, number | null>;
}

function whyNot(o: ServiceOption, chosen: ServiceOption, c: WhyNotContext): string {
  if (!o.available) return o.whyNot ?? 'not offered';
  const total = (x: ServiceOption) => (x.costUsdPerMonth ?? 0) + (x.cacheWriteUsdPerMonth ?? 0);
  const policy = c.policy(o);
  if (o.pattern === 'batch' && (o.withinTolerance ?? 0) < c.minShare) {
    const within = `~${percent(o.withinTolerance ?? 0)} of requests within the ${duration(c.tol)} tolerance (needs ${percent(c.minShare)})`;
    if (o.queuedShare > 0.01) return `${within}: ${percent(o.queuedShare)} wait in the batch queue, which holds less than a submission window at the stated tier (p95 ~${duration(o.latency?.p95S ?? 0)})`;
    return `p95 ~${duration(o.latency?.p95S ?? 0)} (the wait for the next submission + the turnaround): ${within}`;
  }
  if (policy) return policy;
  if ((o.withinTolerance ?? 0) < c.minShare) return `p95 ~${duration(o.latency?.p95S ?? 0)}: ~${percent(o.withinTolerance ?? 0)} of requests within the ${duration(c.tol)} tolerance (needs ${percent(c.minShare)})${o.queuedShare > 0.01 ? `; ${percent(o.queuedShare)} wait for the rate limit at the peak` : ''}`;
  if (o.fits === false) {
    const spend = total(o);
    if (c.spendCap && spend > c.spendCap.usdPerMonth) return `${usd(spend)}/month passes the ${usd(c.spendCap.usdPerMonth, { cents: false })} monthly spend cap of tier ${c.spendCap.tier}`;
    return o.pattern === 'batch' ? 'one submission window passes the batch queue limit at the stated tier' : `passes the rate limits at the stated tier (${c.limits.exceeded.map((e) => e.limit).join(', ')})`;
  }
  const delta = total(o) - total(chosen);
  if (Math.abs(delta) < 0.005) {
    const alt = o.pattern !== chosen.pattern ? c.decision.alternatives.find((a) => a.pattern === o.pattern)?.whyNot : undefined;
    return `same price as ${optionLabel(chosen)}${alt ? `; ${alt}` : ''}`;
  }
  return `${usd(delta)}/month more than ${optionLabel(chosen)}`;
}
