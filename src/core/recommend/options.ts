// Every way to buy a workload's tokens (issue 13, SPEC "Service tiers and capacity"): delivery (direct,
// streaming, batch) × service tier (standard, flex, priority, provisioned) × cache lifetime where the
// provider sells a choice. Each option has its monthly cost (list price of its tier, with the share a tier
// sheds or downgrades priced at standard), latency, the share of requests within the tolerance, whether it
// fits the rate limits and spend caps, and why it was not chosen. The choice is the cheapest option that
// meets the tolerance and fits. Pure.
import type { Catalog, Model, ServiceTier } from '../catalog/schema.js';
import type { Workload, ProvisionedOffer } from '../workload/normalise.js';
import type { ServiceTierName } from '../workload/schema.js';
import { count, duration, percent, usd } from '../format.js';
import { PATTERNS, type Pattern } from './pattern.js';
import { cacheWriteCost, requestCost, type Usage } from './cost/monthly.js';
import { effectivePrices, type CacheTtl, type EffectivePrices } from './cost/prices.js';
import type { WorkloadCost } from './cost/workload-cost.js';
import type { LatencyEstimate } from './latency.js';
import type { BatchCadence } from './cadence.js';
import type { LimitsCheck } from './limits.js';
import type { Decision } from './decide.js';

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
  latency: OptionLatency | null;
  /** Share (0–1) of requests finishing within the tolerance, by withinTolerance below. */
  withinTolerance: number | null;
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
}

/**
 * The share of requests that finish within the tolerance, by the simplest honest rule aip can state from
 * its two latency figures (the typical time p50 ≈ mean, and p95): linear between them (50% at the mean,
 * 95% at the p95), rising to 100% one (p95 − mean) past the p95, and from 0 at 0 s to 50% at the mean.
 * A batch meets a tolerance its submission interval + typical turnaround fits in ("most batches finish
 * within" it: 95%), all of it where even the guarantee fits, none where the typical case misses.
 * This is the one place to swap in the shared model of time (issue 13 item 3) that `aip simulate` uses.
 */
export function withinTolerance(x: { kind: 'realtime'; p50S: number; p95S: number; toleranceS: number } | { kind: 'batch'; cadence: BatchCadence }): number {
  if (x.kind === 'batch') return x.cadence.guaranteed ? 1 : x.cadence.meetsTypically ? 0.95 : 0;
  const { p50S, p95S, toleranceS: t } = x;
  if (p95S <= p50S) return t >= p50S ? 1 : p50S > 0 ? 0.5 * (t / p50S) : 1;
  const gap = p95S - p50S;
  if (t >= p95S) return Math.min(1, 0.95 + (0.05 * (t - p95S)) / gap);
  if (t >= p50S) return 0.5 + (0.45 * (t - p50S)) / gap;
  return p50S > 0 ? 0.5 * (t / p50S) : 1;
}

const TIER_ORDER: ServiceTierName[] = ['standard', 'flex', 'priority', 'provisioned'];

export function serviceOptions(x: OptionsInput): OptionsResult {
  const { workload: w, catalog, cost, decision } = x;
  const t = catalog.thresholds.values;
  const minShare = t.option_min_within_tolerance?.value ?? 0.95;
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
      const prices = ttl === null ? cost.prices : effectivePrices(w.model, w.pricing, w.input.tokens, ttl);
      const std = standardOption(x, pattern, ttl, prices);
      standardCost.set(`${pattern}|${ttl}`, std.costUsdPerMonth);
      if (!w.serviceTiers || w.serviceTiers.includes('standard')) options.push(std);
      if (pattern === 'batch') continue; // flex, priority and capacity are for synchronous calls
      for (const tier of tiers) options.push(tierOption(x, pattern, ttl, prices, tier, std));
    }
  }
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
    // Nothing meets the tolerance and fits: keep the standard-tier decision, cheapest cache choice, and say so.
    chosen = options.filter((o) => o.pattern === decision.pattern && o.serviceTier === 'standard' && o.available).sort(byRank)[0] ?? options.filter((o) => o.available).sort(byRank)[0] ?? options[0]!;
    const meeting = options.filter((o) => o.available && o.costUsdPerMonth !== null && policy(o) === null && (o.withinTolerance ?? 0) >= minShare);
    if (meeting.length > 0) chosen = meeting.filter((o) => o.pattern === decision.pattern).sort(byRank)[0] ?? meeting.sort(byRank)[0]!;
    reason =
      meeting.length > 0
        ? `no option that meets the ${duration(w.toleranceSeconds)} tolerance fits the limits and spend cap at the stated tier: ${optionLabel(chosen)} is the cheapest that meets it (see the warnings)`
        : `no option meets the ${duration(w.toleranceSeconds)} tolerance (${percent(minShare)} of requests within it): ${optionLabel(chosen)} follows the decision; a faster model or a shorter output would`;
  } else if (chosen.pattern !== decision.pattern || chosen.serviceTier !== 'standard') {
    const std = options.find((o) => o.pattern === decision.pattern && o.serviceTier === 'standard' && (o.cacheTtl === chosen!.cacheTtl || o.cacheTtl === null));
    reason = choiceReason(chosen, std, w, watched);
  }
  for (const o of options) o.whyNot = o === chosen ? null : whyNot(o, chosen, { minShare, policy, tol: w.toleranceSeconds, spendCap, limits: x.limits, decision, stdCost: standardCost });
  return { options, chosen, reason, spendCap };
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
  const term = catalog.providers.find((p) => p.id === w.model.provider);
  const caps = term?.spend_caps?.caps;
  if (!caps) return null;
  const tier = w.tier ?? catalog.rateLimits.find((p) => p.provider === w.model.provider)?.default_tier;
  if (tier === undefined || caps[tier] === undefined) return null;
  return { tier, usdPerMonth: caps[tier] };
}

function monthlyAt(u: Usage, p: EffectivePrices, pattern: Pattern): number | null {
  const rc = requestCost(u, p, pattern);
  return rc === null ? null : u.requestsPerMonth * rc.total;
}

function blank(pattern: Pattern, serviceTier: ServiceTierName, cacheTtl: CacheTtl | null): ServiceOption {
  return { pattern, serviceTier, cacheTtl, costUsdPerMonth: null, cacheWriteUsdPerMonth: null, latency: null, withinTolerance: null, fits: null, fitsAtSomeTier: false, available: false, whyNot: null, notes: [], standardShare: 0, provisioned: null };
}

function standardOption(x: OptionsInput, pattern: Pattern, ttl: CacheTtl | null, prices: EffectivePrices): ServiceOption {
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
  o.latency = pattern === 'batch' ? batchLatency(x) : realtimeLatency(x, 1, 1);
  o.withinTolerance = pattern === 'batch' ? withinTolerance({ kind: 'batch', cadence: x.cadence }) : realtimeShare(o.latency, pattern, x);
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

function tierOption(x: OptionsInput, pattern: Pattern, ttl: CacheTtl | null, prices: EffectivePrices, tier: ServiceTier, std: ServiceOption): ServiceOption {
  const { workload: w, cost } = x;
  const o = blank(pattern, tier.tier, ttl);
  if (!std.available || std.costUsdPerMonth === null) {
    o.whyNot = std.whyNot;
    return o;
  }
  if (tier.tier === 'provisioned') return provisionedOption(x, o, tier, std);
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
  o.latency = realtimeLatency(x, tier.ttft_factor ?? 1, tier.tokens_per_s_factor ?? 1);
  o.withinTolerance = realtimeShare(o.latency, pattern, x);
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

function provisionedOption(x: OptionsInput, o: ServiceOption, tier: ServiceTier, std: ServiceOption): ServiceOption {
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
  o.latency = std.latency;
  o.withinTolerance = std.withinTolerance;
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
 * tier's speed: its time to first token and output speed as multiples of standard's (flex slower, priority faster).
 */
function realtimeLatency(x: OptionsInput, ttftFactor: number, speedFactor: number): OptionLatency {
  const w = x.workload;
  const tps = x.latency.outputTokensPerS * speedFactor;
  const reasoning = w.output.reasoningTokens ?? 0;
  const reasoningP95 = w.output.reasoningP95 ?? reasoning;
  const baseTtft = w.model.speed.ttft_s * ttftFactor;
  const p95Visible = w.output.p95 ?? w.output.tokens * x.catalog.thresholds.values.p95_output_factor.value;
  const ttft = baseTtft + reasoning / tps;
  return { ttftS: ttft, totalS: ttft + w.output.tokens / tps, p95S: baseTtft + (reasoningP95 + p95Visible) / tps };
}

function batchLatency(x: OptionsInput): OptionLatency {
  return { ttftS: null, totalS: x.cadence.everyS / 2 + x.latency.batchTypicalS, p95S: x.cadence.everyS + x.latency.batchTypicalS };
}

/** A watched stream is judged by its first token; everything else by the whole answer. */
function realtimeShare(l: OptionLatency, pattern: Pattern, x: OptionsInput): number {
  const w = x.workload;
  const watched = w.userFacing && w.toleranceSeconds < x.catalog.thresholds.values.queue_min_tolerance_s.value;
  if (pattern === 'streaming' && watched) return withinTolerance({ kind: 'realtime', p50S: l.ttftS ?? 0, p95S: l.ttftS ?? 0, toleranceS: w.toleranceSeconds });
  return withinTolerance({ kind: 'realtime', p50S: l.totalS, p95S: l.p95S, toleranceS: w.toleranceSeconds });
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
  if (o.pattern === 'batch' && (o.withinTolerance ?? 0) < c.minShare) return `a request waits up to ${duration(o.latency?.p95S ?? 0)} (the submission interval + the typical turnaround): ~${percent(o.withinTolerance ?? 0)} of requests within the ${duration(c.tol)} tolerance (needs ${percent(c.minShare)})`;
  if (policy) return policy;
  if ((o.withinTolerance ?? 0) < c.minShare) return `p95 ~${duration(o.latency?.p95S ?? 0)}: ~${percent(o.withinTolerance ?? 0)} of requests within the ${duration(c.tol)} tolerance (needs ${percent(c.minShare)})`;
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
