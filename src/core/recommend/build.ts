// The recommendation for a set of workloads (pure): per workload the cost of each pattern, latency,
// rate-limit headroom, the decision with its reasons, alternatives and warnings, and the resilience plan;
// then the portfolio total and the mix. Renderers (table, markdown, JSON, chart) format this report.
import type { Catalog, Model } from '../catalog/schema.js';
import { catalogAgeWarning, lifecycleWarning } from '../catalog/warnings.js';
import { modelsOf } from '../catalog/models.js';
import { effectivePrices } from './cost/prices.js';
import { requestCost } from './cost/monthly.js';
import type { Pattern } from './pattern.js';
import { billedOutputTokens, cacheApplies, costWorkload, type WorkloadCost } from './cost/workload-cost.js';
import { decidePattern, type Decision } from './decide.js';
import { estimateLatency, type LatencyEstimate } from './latency.js';
import { batchCadence, tightenCadence, type BatchCadence, type CadenceProbe } from './cadence.js';
import { SECONDS_PER_MONTH } from '../workload/units.js';
import { checkLimits, type LimitsCheck } from './limits.js';
import { resiliencePlan, type ResiliencePlan } from './resilience.js';
import { minWithinTolerance, serviceOptions, type OptionsResult } from './options.js';
import { withinTolerance, type ToleranceEstimate } from '../time/within-tolerance.js';
import { compact, count, duration, percent, usd } from '../format.js';
import { dailyCycle } from '../montecarlo/arrivals.js';
import { simWorkloadFrom } from '../montecarlo/input.js';
import type { SimWorkload } from '../montecarlo/model.js';
import { batchesInFlight } from '../montecarlo/queue.js';
import type { Workload, WorkloadFile } from '../workload/normalise.js';

export interface RecommendOptions {
  /** The injected clock (catalog age, retiring models). */
  now: Date;
  /** aip's version, for the JSON. */
  version: string;
  /** --min-batch-saving: beats the file's settings and the catalog default. */
  minBatchSavingUsd?: number;
}

export interface WorkloadRecommendation {
  workload: Workload;
  cost: WorkloadCost;
  latency: LatencyEstimate;
  limits: LimitsCheck;
  /** How often a batch is submitted for this tolerance, and whether that meets it. */
  batchCadence: BatchCadence;
  decision: Decision;
  /** The recommended pattern's fit: real-time limits for direct/streaming, the batch queue for batch. */
  fits: boolean | null;
  resilience: ResiliencePlan;
  /** Every option (pattern × service tier × capacity × cache lifetime) and the one recommended. */
  options: OptionsResult;
  /** The recommended option's monthly cost (its tier's list prices, the share served at standard included). */
  recommendedCostUsdPerMonth: number;
  /** Everything the user should know: the decision's, limits, context, catalog age, lifecycle, tokens. */
  warnings: string[];
  minBatchSavingUsd: number;
}

export interface RecommendReport {
  aipVersion: string;
  catalogAsOf: string;
  /** Said once for the whole report: the catalog's data is older than the threshold (data/thresholds.yaml). */
  catalogWarnings: string[];
  workloads: WorkloadRecommendation[];
  totals: {
    recommended: number;
    allDirect: number;
    saving: number;
    overheadRecommended: number;
    cacheWritesRecommended: number;
    /** Workloads whose recommended option fits the limits and spend caps at no tier: their saving is not counted. */
    notFitting: string[];
    /** Workloads whose recommended option misses the within_tolerance threshold (no option meets it): their saving is not counted either. */
    notMeetingTolerance: string[];
  };
  /** "streaming for support-chat, batch for nightly-digest" */
  mix: string;
}

export function buildRecommendation(input: readonly WorkloadFile[] | readonly Workload[], catalog: Catalog, options: RecommendOptions): RecommendReport {
  const files = isFiles(input) ? input : [{ file: '', tiers: {}, settings: { minBatchSavingUsd: undefined }, workloads: [...input] }];
  // Fallbacks are suggested among the first-party APIs' current models that aip's curated layer reviewed
  // (speeds, limits, lifecycle known), read one provider at a time.
  const fallbackCandidates = catalog.providers
    .filter((p) => p.bare_names)
    .flatMap((p) => modelsOf(catalog, p.id))
    .filter((m) => m.lifecycle.status === 'active' && m.provenance?.curated !== undefined);
  const recs: WorkloadRecommendation[] = [];
  for (const f of files) {
    const fromOption = options.minBatchSavingUsd !== undefined;
    const minBatchSavingUsd = options.minBatchSavingUsd ?? f.settings.minBatchSavingUsd ?? catalog.thresholds.values.batch_min_monthly_saving_usd.value;
    const from = fromOption ? 'option' : f.settings.minBatchSavingUsd !== undefined ? 'file' : 'catalog';
    for (const w of f.workloads) recs.push(recommendWorkload(w, catalog, options.now, minBatchSavingUsd, from, fallbackCandidates));
  }
  addAccountSpendCapWarnings(recs);
  let recommended = 0;
  let allDirect = 0;
  let overheadRecommended = 0;
  let cacheWritesRecommended = 0;
  let saving = 0;
  const notFitting: string[] = [];
  const notMeetingTolerance: string[] = [];
  for (const r of recs) {
    recommended += r.recommendedCostUsdPerMonth;
    allDirect += r.cost.monthly.direct ?? 0;
    // The chosen option's failure overhead at its own prices (a retried priority call costs priority prices).
    overheadRecommended += r.options.chosen.overheadUsdPerMonth ?? r.cost.overhead[r.decision.pattern] ?? 0;
    cacheWritesRecommended += r.options.chosen.cacheWriteUsdPerMonth ?? 0;
    // A workload that fits at no tier is not a saving anyone can bank.
    if (r.options.chosen.fits === false && !r.options.chosen.fitsAtSomeTier) notFitting.push(r.workload.name);
    else if (!r.options.meetsTolerance) notMeetingTolerance.push(r.workload.name);
    else saving += (r.cost.monthly.direct ?? 0) - r.recommendedCostUsdPerMonth;
  }
  return {
    aipVersion: options.version,
    catalogAsOf: catalog.asOf,
    catalogWarnings: [catalogAgeWarning(catalog, options.now)].filter((x): x is string => x !== undefined),
    workloads: recs,
    totals: { recommended, allDirect, saving, overheadRecommended, cacheWritesRecommended, notFitting, notMeetingTolerance },
    mix: portfolioMix(recs),
  };
}

/**
 * A spend cap is the account's, not the workload's: the recommended options of one provider together may pass
 * it where each alone does not. Said once for the run.
 */
function addAccountSpendCapWarnings(recs: readonly WorkloadRecommendation[]): void {
  const byCap = new Map<string, { provider: string; tier: string; cap: number; spend: number; names: string[]; recs: WorkloadRecommendation[] }>();
  for (const r of recs) {
    const cap = r.options.spendCap;
    if (!cap) continue;
    const key = `${r.workload.model.provider}\u0000${cap.tier}`;
    const g = byCap.get(key) ?? { provider: r.workload.model.provider, tier: cap.tier, cap: cap.usdPerMonth, spend: 0, names: [], recs: [] };
    g.spend += r.recommendedCostUsdPerMonth + (r.options.chosen.cacheWriteUsdPerMonth ?? 0);
    g.names.push(r.workload.name);
    g.recs.push(r);
    byCap.set(key, g);
  }
  for (const g of byCap.values()) {
    if (g.names.length < 2 || g.spend <= g.cap) continue;
    const text = `the ${g.provider} workloads of this run together are recommended at ${usd(g.spend)}/month, over the ${usd(g.cap, { cents: false })} monthly spend cap of ${g.provider} tier ${g.tier} (the cap is the account's): ${listNames(g.names)} share it, and requests are refused once the month's spend reaches it; a higher tier (or invoiced billing) lifts it`;
    for (const r of g.recs) r.warnings.push(text);
  }
}

function isFiles(input: readonly WorkloadFile[] | readonly Workload[]): input is readonly WorkloadFile[] {
  return input.length > 0 && 'workloads' in (input[0] as object);
}

function recommendWorkload(
  w: Workload,
  catalog: Catalog,
  now: Date,
  minBatchSavingUsd: number,
  minBatchSavingFrom: 'option' | 'file' | 'catalog',
  fallbackCandidates: Model[],
): WorkloadRecommendation {
  const t = catalog.thresholds.values;
  const provider = catalog.rateLimits.find((p) => p.provider === w.model.provider);
  const cost = costWorkload(w, catalog);
  const latency = estimateLatency(
    w.model,
    w.output,
    { typicalMinutes: provider?.batch.typical_turnaround_minutes ?? 60, windowHours: provider?.batch.window_hours ?? 24 },
    t.p95_output_factor.value,
  );
  const { cadence, probed } = cadenceFor(w, catalog, cost, latency);
  const limits = checkLimits({
    catalog,
    model: w.model,
    tier: w.tier,
    requestsPerMonth: w.requestsPerMonth,
    peakFactor: w.peakFactor,
    inputTokens: w.input.tokens,
    cachedFraction: w.input.cachedFraction,
    outputTokens: billedOutputTokens(w),
    outputP95: w.output.p95 === undefined ? undefined : w.output.p95 + (w.output.reasoningP95 ?? w.output.reasoningTokens ?? 0),
    latencyS: latency.totalS,
    batchSubmitEveryS: cadence.everyS,
    batchTypicalTurnaroundS: latency.batchTypicalS,
  });
  const decision = decidePattern({
    modelId: w.model.id,
    userFacing: w.userFacing,
    task: w.task,
    toleranceS: w.toleranceSeconds,
    outputTokens: w.output.tokens,
    cost,
    latency,
    batchCadence: cadence,
    thresholds: t,
    minBatchSavingUsd,
    minBatchSavingFrom,
  });
  // The month aip simulate runs (its default arrivals: a daily cycle at the peak factor; batches at this cadence),
  // for the one model of time every option's within_tolerance and p95 come from.
  // The cadence probe ran that month at the chosen cadence already (the same month): its batch estimate is the batch option's.
  const atCadence = probed.get(cadence.everyS);
  const sim = atCadence?.sim ?? simWorkloadFrom(w, catalog, cost, { arrivals: dailyCycle(w.peakFactor), batchEveryS: cadence.everyS });
  const options = serviceOptions({ workload: w, catalog, cost, latency, cadence, limits, decision, minBatchSavingUsd, sim, known: atCadence ? { batch: atCadence.batch } : undefined });
  latency.totalP95S = modelP95(options, latency.totalP95S);
  if (options.chosen.pattern !== decision.pattern) repattern(decision, options, w, t.queue_min_tolerance_s.value);
  if (options.reason) decision.reasons.push(options.reason);
  const pattern = decision.pattern;
  if (pattern === 'batch' && limits.batch.batches > 1) {
    decision.reasons.push(
      `one submission window (${duration(limits.batch.windowS)}) holds ${count(limits.batch.requestsPerWindow, 0)} requests: submit ${limits.batch.batches} batches (at most ${limits.batch.maxRequests === null ? 'the file size limit' : `${count(limits.batch.maxRequests, 0)} requests`} each)`,
    );
  }
  const fits = pattern === 'batch' ? (limits.batch.queue ? limits.batch.queue.fits : null) : limits.fits;
  const failures = cost.failures[pattern];
  const resilience = resiliencePlan({
    pattern,
    model: w.model,
    fallback: w.fallback,
    suggestedFallback: w.fallback ? undefined : suggestFallback(w, fallbackCandidates, pattern),
    latency,
    toleranceS: w.toleranceSeconds,
    batchSubmitEveryS: cadence.everyS,
    expectedRetriesPerRequest: failures?.retries ?? 0,
    expectedSpendUsdPerMonth: (options.chosen.costUsdPerMonth ?? cost.monthly[pattern] ?? 0) + (options.chosen.overheadUsdPerMonth ?? cost.overhead[pattern] ?? 0) + (options.chosen.cacheWriteUsdPerMonth ?? cost.cacheWrites[pattern] ?? 0),
    thresholds: t,
  });
  const warnings = [...decision.warnings, ...limitWarnings(w, limits, pattern), ...catalogWarnings(w, catalog, now, cost), ...optionWarnings(options)];
  const recommendedCostUsdPerMonth = options.chosen.costUsdPerMonth ?? cost.monthly[pattern] ?? 0;
  return { workload: w, cost, latency, limits, batchCadence: cadence, decision, fits, resilience, options, recommendedCostUsdPerMonth, warnings, minBatchSavingUsd };
}

/**
 * How often to submit a batch: the interval from the tolerance, or a shorter one where that leaves batch's
 * within_tolerance (the one model of time, as simulate runs it) under the threshold plus its margin.
 */
function cadenceFor(w: Workload, catalog: Catalog, cost: WorkloadCost, latency: LatencyEstimate): { cadence: BatchCadence; probed: Map<number, { sim: SimWorkload; batch: ToleranceEstimate }> } {
  const t = catalog.thresholds.values;
  const input = { toleranceS: w.toleranceSeconds, typicalTurnaroundS: latency.batchTypicalS, guaranteeS: latency.batchGuaranteeS };
  const cadence = batchCadence(input, t);
  // The month and batch estimate at each cadence probed, for the options to reuse at the one chosen.
  const probed = new Map<number, { sim: SimWorkload; batch: ToleranceEstimate }>();
  if (w.toleranceSeconds < t.batch_min_tolerance_s.value || cost.monthly.batch === null) return { cadence, probed };
  const arrivals = dailyCycle(w.peakFactor);
  const probe = (batchEveryS: number): CadenceProbe => {
    const sim = simWorkloadFrom(w, catalog, cost, { arrivals, batchEveryS });
    const spec = sim.patterns.find((p) => p.pattern === 'batch');
    if (!spec) return { share: 0, queueFits: false };
    const est = withinTolerance(sim, spec);
    probed.set(batchEveryS, { sim, batch: est });
    // Batches submitted more often than the turnaround overlap: the queue holds all of those in flight, at the peak.
    const inFlight = batchesInFlight(input.typicalTurnaroundS, batchEveryS);
    const perWindow = (w.requestsPerMonth / SECONDS_PER_MONTH) * batchEveryS * w.peakFactor * inFlight;
    const q = sim.limits;
    const queueFits = est.queuedShare === 0 && (q?.batchQueueRequests === undefined || perWindow <= q.batchQueueRequests) && (q?.batchQueueTokens === undefined || perWindow * w.input.tokens <= q.batchQueueTokens);
    return { share: est.share, queueFits };
  };
  return { cadence: tightenCadence(cadence, input, probe, minWithinTolerance(w.toleranceSeconds, t), t.batch_within_tolerance_margin.value), probed };
}

/** The workload's p95 total latency at the standard tier by the model of time (direct's: streaming's total is the same). */
function modelP95(o: OptionsResult, fallback: number): number {
  const at = (p: Pattern) => o.options.find((x) => x.pattern === p && x.serviceTier === 'standard' && x.latency !== null)?.latency?.p95S;
  return at('direct') ?? at('streaming') ?? fallback;
}

/**
 * The cheapest option that meets the tolerance and fits uses another pattern than the standard-tier rule
 * (batch misses the tolerance or its queue; flex replaces a queue of direct calls): the decision follows it,
 * and the alternatives are priced against it.
 */
function repattern(decision: Decision, options: OptionsResult, w: Workload, queueMinS: number): void {
  const from = decision.pattern;
  const to = options.chosen.pattern;
  const fromStd = options.options.find((o) => o.pattern === from && o.serviceTier === 'standard');
  decision.pattern = to;
  if (from === 'batch') {
    // The batch rule's cadence and its warnings no longer describe what is recommended.
    decision.reasons = decision.reasons.filter((r) => !r.startsWith('submit a batch every'));
    decision.warnings = decision.warnings.filter((x) => !/^batch (APIs|cannot)/.test(x));
  }
  decision.viaQueue = to !== 'batch' && w.toleranceSeconds >= queueMinS;
  decision.reasons.push(`${from} at the standard tier loses: ${fromStd?.whyNot ?? 'it does not meet the tolerance or fit'}; ${to}${decision.viaQueue ? ' (calls from a queue)' : ''} instead`);
  const base = options.chosen.costUsdPerMonth;
  decision.alternatives = (['direct', 'streaming', 'batch'] as const)
    .filter((p) => p !== to)
    .map((p) => {
      const o = options.options.find((x) => x.pattern === p && x.serviceTier === 'standard');
      const c = o?.costUsdPerMonth ?? null;
      return { pattern: p, costUsdPerMonth: c, overheadUsdPerMonth: null, deltaUsdPerMonth: c === null || base === null ? null : c - base, whyNot: o?.whyNot ?? 'not offered' };
    });
}

function optionWarnings(o: OptionsResult): string[] {
  const out: string[] = [];
  const c = o.chosen;
  if (o.spendCap && c.fits === false) {
    const spend = (c.costUsdPerMonth ?? 0) + (c.cacheWriteUsdPerMonth ?? 0);
    if (spend > o.spendCap.usdPerMonth) out.push(`the recommended option costs ${usd(spend)}/month, over the ${usd(o.spendCap.usdPerMonth, { cents: false })} monthly spend cap of tier ${o.spendCap.tier}: requests past it are refused until the month ends${c.fitsAtSomeTier ? '; a higher tier has a higher cap' : '; no published tier allows it: ask the provider for invoiced billing'}`);
  }
  for (const n of c.notes) if (n) out.push(n);
  return out;
}

function limitWarnings(w: Workload, l: LimitsCheck, pattern: Pattern): string[] {
  const out: string[] = [];
  // A provider without published account tiers (Azure, Bedrock, Vertex: quota per deployment or project) has no tier to name.
  const tierName = l.tier === '-' ? l.provider : `${l.provider} tier ${l.tier}${l.tierFromFile ? '' : ` (the default; set tiers: { ${l.provider}: … } in the file)`}`;
  if (pattern !== 'batch') {
    if (l.fits === false) {
      const parts = l.exceeded.map((e) => `${count(e.peak, 0)} ${label(e.limit)} against ${count(e.allowed, 0)}`);
      const fix = l.fittingTier ? `tier ${l.fittingTier} would fit` : 'no published tier fits: ask the provider for a higher limit, or queue with backpressure and spread the peak';
      out.push(`rate limit exceeded at ${tierName}: at peak (${w.peakFactor}× average) ${parts.join(', ')}; ${fix}`);
    } else if (l.fits === null) {
      out.push(`no published rate limits for ${w.model.id} at ${tierName}: check your provider console before relying on ${count(l.peakRpm, 1)} requests/min at peak`);
    } else if (l.nearLimits.length > 0) {
      const parts = l.nearLimits.map((n) => `${percent(n.used)} of the ${limitName(n.limit)} limit (${count(n.peak, 0)} of ${count(n.allowed, 0)})`);
      const fix = l.headroomTier ? `tier ${l.headroomTier} leaves headroom` : 'no published tier leaves headroom: spread the peak or ask the provider for a higher limit';
      out.push(`peak (${w.peakFactor}× average) uses ${parts.join(', ')} at ${tierName}: it fits, but minute-to-minute bursts will queue; \`aip simulate\` shows how long; ${fix}`);
    }
  }
  if (pattern === 'batch' && l.batch.queue && !l.batch.queue.fits) {
    const q = l.batch.queue;
    out.push(`the batch queue at ${tierName} holds ${compact(q.limit)} ${q.kind === 'tokens' ? 'input tokens' : 'requests'}; one submission window enqueues ${compact(q.needed)}: submit in smaller slices through the window${l.batch.queueFittingTier ? ` or move up to tier ${l.batch.queueFittingTier}` : ''}`);
  }
  if (!l.context.fits) out.push(`input ${count(w.input.tokens, 0)} + output ${count(l.context.output, 0)} tokens exceed ${w.model.id}'s context window of ${compact(l.context.window ?? 0)}: trim the prompt or choose a longer-context model`);
  if (!l.context.inputFits && l.context.maxInput !== null) out.push(`input of ${count(w.input.tokens, 0)} tokens exceeds ${w.model.id}'s maximum input of ${compact(l.context.maxInput)} tokens: the API will refuse it`);
  if (!l.context.outputFits) out.push(`output of ${count(l.context.output, 0)} tokens exceeds ${w.model.id}'s maximum of ${compact(l.context.maxOutput ?? 0)} per request`);
  return out;
}

function limitName(limit: string): string {
  return { rpm: 'request', tpm: 'token', itpm: 'input-token', otpm: 'output-token' }[limit] ?? limit;
}

function label(limit: string): string {
  return { rpm: 'requests/min', tpm: 'tokens/min', itpm: 'input tokens/min', otpm: 'output tokens/min', rpd: 'requests/day' }[limit] ?? limit;
}

function catalogWarnings(w: Workload, catalog: Catalog, now: Date, cost: WorkloadCost): string[] {
  const out: string[] = [];
  for (const m of [w.model, ...(w.fallback ? [w.fallback] : [])]) {
    const life = lifecycleWarning(m, now);
    if (life) out.push(life);
  }
  if (w.model.kind === 'reasoning' && w.output.reasoningFrom === undefined) {
    out.push(`${w.model.id} is a reasoning model and the workload states no reasoning tokens: its hidden reasoning tokens are billed as output (often several times the visible answer), so the cost and latency here are too low unless output.tokens (${count(w.output.tokens, 0)}) already includes them; state output.reasoning_tokens (measured) or output.reasoning: low | medium | high`);
  }
  if ((w.output.reasoningTokens ?? 0) > 0) {
    const how = w.output.reasoningFrom === 'tokens' ? 'as stated' : `reasoning: ${w.output.reasoningFrom}, ≈ ${count((w.output.reasoningTokens ?? 0) / Math.max(1, w.output.tokens), 1)}× the visible output (an estimate, data/thresholds.yaml)`;
    out.push(`${count(w.output.reasoningTokens ?? 0, 0)} hidden reasoning tokens per request (${how}) are billed as output, counted in tokens per minute and added to the time to the first token`);
  }
  if (w.input.approximate) {
    // The catalog's note speaks of aip tokens' --exact; here, point at that command.
    const note = (w.input.errorNote ?? `counted with a stand-in tokenizer (${w.input.method})`).replace(/Use --exact for/, `"aip tokens FILE --model ${w.model.id} --exact" asks`);
    out.push(`input tokens are estimated (${count(w.input.tokens, 0)}): ${note}`);
  }
  if (w.input.cachedFraction > 0 && !cost.prices.caching) out.push(`${w.model.id} has no prompt caching: the cached fraction is priced as ordinary input`);
  const cachedTokens = w.input.tokens * w.input.cachedFraction;
  if (w.input.cachedFraction > 0 && cost.prices.caching && !cacheApplies(w)) {
    out.push(`the cached prefix (~${count(cachedTokens, 0)} tokens) is below ${w.model.id}'s minimum of ${count(w.model.cache_min_tokens ?? 0, 0)} tokens for caching: the provider will not cache it, so it is priced uncached here; lengthen the shared prefix to at least ${count(w.model.cache_min_tokens ?? 0, 0)} tokens to earn the discount`);
  }
  if (cost.prices.overridden.length > 0) {
    const derived = cost.prices.derived.length > 0 ? `; ${cost.prices.derived.join(', ')} derived from them by ${w.model.provider}'s own ratios for ${w.model.id}` : '';
    out.push(`prices overridden in the file (${cost.prices.overridden.join(', ')}): not the catalog's list prices${derived}`);
  }
  if (cost.prices.longContext) out.push(`the mean prompt (${count(w.input.tokens, 0)} tokens) is above ${w.model.id}'s long-context threshold of ${compact(cost.prices.longContextAbove ?? 0)} input tokens: every token of such a request is billed at the dearer tier`);
  return out;
}

/** An active model of another provider that can carry the workload, cheapest for it. */
function suggestFallback(w: Workload, candidates: Model[], pattern: Pattern): Model | undefined {
  const needed = w.input.tokens + (w.output.p95 ?? w.output.tokens);
  const sameKind = (m: Model) => (w.model.kind === 'embedding' ? m.kind === 'embedding' : m.kind !== 'embedding');
  const usage = { requestsPerMonth: 1, inputTokens: w.input.tokens, cachedFraction: w.input.cachedFraction, outputTokens: w.output.tokens };
  let best: { m: Model; c: number } | undefined;
  for (const m of candidates) {
    if (m.provider === w.model.provider || !sameKind(m) || m.context_window === undefined || m.context_window < needed) continue;
    if (pattern === 'batch' && !m.batch_api) continue;
    const c = requestCost(usage, effectivePrices(m, undefined, w.input.tokens), pattern === 'batch' ? 'batch' : 'direct')?.total;
    if (c === undefined) continue;
    if (!best || c < best.c) best = { m, c };
  }
  return best?.m;
}

/** The portfolio in words: which pattern each workload gets. */
export function portfolioMix(recs: readonly WorkloadRecommendation[]): string {
  const groups = new Map<string, string[]>();
  for (const r of recs) {
    const base = r.decision.viaQueue && r.decision.pattern === 'direct' ? 'direct calls from a queue' : r.decision.pattern;
    const tier = r.options.chosen.serviceTier;
    const key = tier === 'standard' ? base : tier === 'provisioned' ? `${base} on provisioned capacity` : `${base} at the ${tier} tier`;
    const names = groups.get(key);
    if (names) names.push(r.workload.name);
    else groups.set(key, [r.workload.name]);
  }
  return [...groups.entries()].map(([p, names]) => `${p} for ${listNames(names)}`).join(', ');
}

function listNames(names: string[]): string {
  if (names.length > 6) return `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

