// Rate-limit headroom (pure): peak requests and tokens per minute against the account's tier, which tier
// would fit, limits used past the near-limit share (bursts queue there), concurrency by Little's law,
// batches per submission window against the batch size and queue limits, and the context window.
import type { Catalog, LimitClass, Model, ProviderLimits, TierLimits } from '../catalog/schema.js';
import { MINUTES_PER_MONTH, SECONDS_PER_MONTH } from '../workload/units.js';
import { batchesInFlight } from '../montecarlo/queue.js';

export function peakRequestsPerMinute(requestsPerMonth: number, peakFactor: number): number {
  return (requestsPerMonth / MINUTES_PER_MONTH) * peakFactor;
}

export interface LimitsInput {
  catalog: Catalog;
  model: Model;
  /** The tier named in the workload file; undefined = the provider's default tier. */
  tier: string | undefined;
  requestsPerMonth: number;
  peakFactor: number;
  inputTokens: number;
  cachedFraction: number;
  outputTokens: number;
  outputP95: number | undefined;
  /** Mean request latency (s) of a direct or streaming call, for Little's law. */
  latencyS: number;
  /** How often a batch is submitted (the batch cadence, core/recommend/cadence.ts), s. */
  batchSubmitEveryS: number;
  /** A batch's typical turnaround (s): batches submitted more often overlap in the batch queue. */
  batchTypicalTurnaroundS: number;
}

export interface Exceeded {
  limit: 'rpm' | 'tpm' | 'itpm' | 'otpm' | 'rpd';
  peak: number;
  allowed: number;
}

/** A real-time limit the peak uses at least the near-limit share of, without passing it. */
export interface NearLimit {
  limit: 'rpm' | 'tpm' | 'itpm' | 'otpm';
  peak: number;
  allowed: number;
  /** peak ÷ allowed. */
  used: number;
}

export interface BatchCheck {
  /** How often a batch is submitted: the batch cadence. */
  windowS: number;
  requestsPerWindow: number;
  bytesPerWindow: number;
  maxRequests: number | null;
  maxBytes: number;
  batches: number;
  /** Batches in the provider's queue at once: ceil(typical turnaround / submission interval). */
  inFlight: number;
  /** The queue limit that applies (OpenAI/Gemini: enqueued input tokens; Anthropic: requests), and what the batches in flight need of it. */
  queue: { kind: 'tokens' | 'requests'; limit: number; needed: number; fits: boolean } | null;
  /** The lowest tier (same tier system) whose batch queue holds the batches in flight, when the stated one does not. */
  queueFittingTier: string | null | undefined;
}

export interface LimitsCheck {
  provider: string;
  tier: string;
  tierFromFile: boolean;
  limitClass: string | null;
  peakRpm: number;
  peakRps: number;
  /** Peak tokens per minute, input + output. */
  peakTpm: number;
  /** Peak input tokens per minute as the provider counts them (cache reads excluded where they do not count). */
  peakItpm: number;
  peakOtpm: number;
  requestsPerDay: number;
  limits: TierLimits | null;
  /** What `tpm` counts for this provider. */
  tpmCounts: 'input+output' | 'input';
  /** Concurrent requests in flight at peak (Little's law: peak requests/s × mean latency s). */
  concurrency: number;
  /** null where the catalog has no published limits for the model or tier. */
  fits: boolean | null;
  exceeded: Exceeded[];
  /** The lowest tier (same tier system) whose limits fit, when the stated one does not; null = none does. */
  fittingTier: string | null | undefined;
  /** Limits used at peak at or above the near-limit share (data/thresholds.yaml), when all fit. */
  nearLimits: NearLimit[];
  /** The lowest tier (same tier system) with every limit under the near-limit share, when nearLimits is not empty. */
  headroomTier: string | null | undefined;
  batch: BatchCheck;
  /** window and maxOutput are null where the data publishes none (then not checked). */
  context: { needed: number; window: number | null; fits: boolean; output: number; maxOutput: number | null; outputFits: boolean; maxInput: number | null; inputFits: boolean };
}

export function limitClassFor(catalog: Catalog, model: Model, inputTokens: number): LimitClass | undefined {
  const provider = catalog.rateLimits.find((p) => p.provider === model.provider);
  if (!provider) return undefined;
  const longer = provider.classes
    .filter((c) => c.above_input_tokens !== undefined && c.models.includes(model.id) && inputTokens > c.above_input_tokens)
    .sort((a, b) => (b.above_input_tokens ?? 0) - (a.above_input_tokens ?? 0))[0];
  if (longer) return longer;
  if (model.rate_limit_class === null) return undefined;
  return provider.classes.find((c) => c.class === model.rate_limit_class);
}

export function checkLimits(x: LimitsInput): LimitsCheck {
  const { catalog, model } = x;
  const v = catalog.thresholds.values;
  const provider = catalog.rateLimits.find((p) => p.provider === model.provider);
  const tier = x.tier ?? provider?.default_tier ?? '-';
  const cls = limitClassFor(catalog, model, x.inputTokens);
  const peakRpm = peakRequestsPerMinute(x.requestsPerMonth, x.peakFactor);
  const peakRps = peakRpm / 60;
  const peakTpm = peakRpm * (x.inputTokens + x.outputTokens);
  const countedInput = cls && !cls.cache_reads_count ? x.inputTokens * (1 - x.cachedFraction) : x.inputTokens;
  const peakItpm = peakRpm * countedInput;
  const peakOtpm = peakRpm * x.outputTokens;
  const requestsPerDay = (x.requestsPerMonth / 30) * x.peakFactor;
  const tpmCounts = cls?.tpm_counts ?? 'input+output';
  const demand = { peakRpm, peakTpm: tpmCounts === 'input' ? peakItpm : peakTpm, peakItpm, peakOtpm, requestsPerDay };
  const limits = cls?.limits[tier] ?? null;
  const exceeded = limits ? exceededLimits(limits, demand) : [];
  const fits = limits ? exceeded.length === 0 : null;
  let fittingTier: string | null | undefined;
  if (fits === false && cls && provider) fittingTier = firstFittingTier(provider, cls, tier, demand);
  const near = v.rate_limit_near_fraction.value;
  const nearLimits = limits && fits ? nearLimitsOf(limits, demand, near) : [];
  let headroomTier: string | null | undefined;
  if (nearLimits.length > 0 && cls && provider) headroomTier = firstFittingTier(provider, cls, tier, demand, near);

  return {
    provider: model.provider,
    tier,
    tierFromFile: x.tier !== undefined,
    limitClass: cls?.class ?? null,
    peakRpm,
    peakRps,
    peakTpm,
    peakItpm,
    peakOtpm,
    requestsPerDay,
    limits,
    tpmCounts,
    concurrency: peakRps * x.latencyS,
    fits,
    exceeded,
    fittingTier,
    nearLimits,
    headroomTier,
    batch: batchCheck(x, provider, cls, tier, v.batch_bytes_per_token.value, v.batch_request_overhead_bytes.value),
    context: contextCheck(x),
  };
}

interface Demand {
  peakRpm: number;
  peakTpm: number;
  peakItpm: number;
  peakOtpm: number;
  requestsPerDay: number;
}

/** Limits the demand passes; with `share` < 1, those it uses at least that share of (no headroom). */
function exceededLimits(l: TierLimits, d: Demand, share = 1): Exceeded[] {
  const over = (peak: number, allowed: number) => (share < 1 ? peak >= allowed * share : peak > allowed);
  const out: Exceeded[] = [];
  if (over(d.peakRpm, l.rpm)) out.push({ limit: 'rpm', peak: d.peakRpm, allowed: l.rpm });
  if (l.tpm !== undefined && over(d.peakTpm, l.tpm)) out.push({ limit: 'tpm', peak: d.peakTpm, allowed: l.tpm });
  if (l.itpm !== undefined && over(d.peakItpm, l.itpm)) out.push({ limit: 'itpm', peak: d.peakItpm, allowed: l.itpm });
  if (l.otpm !== undefined && over(d.peakOtpm, l.otpm)) out.push({ limit: 'otpm', peak: d.peakOtpm, allowed: l.otpm });
  // A daily cap does not queue minute by minute: it is either passed or not.
  if (l.rpd !== undefined && d.requestsPerDay > l.rpd) out.push({ limit: 'rpd', peak: d.requestsPerDay, allowed: l.rpd });
  return out;
}

/** The per-minute limits the peak uses at least `share` of (all of them fit: the caller checked). */
function nearLimitsOf(l: TierLimits, d: Demand, share: number): NearLimit[] {
  const pairs: Array<[NearLimit['limit'], number, number | undefined]> = [
    ['rpm', d.peakRpm, l.rpm],
    ['tpm', d.peakTpm, l.tpm],
    ['itpm', d.peakItpm, l.itpm],
    ['otpm', d.peakOtpm, l.otpm],
  ];
  const out: NearLimit[] = [];
  for (const [limit, peak, allowed] of pairs) {
    if (allowed !== undefined && allowed > 0 && peak >= allowed * share) out.push({ limit, peak, allowed, used: peak / allowed });
  }
  return out;
}

/** The lowest tier of the stated tier's system whose limits the demand fits (under `share` of each). */
function firstFittingTier(provider: ProviderLimits, cls: LimitClass, tier: string, d: Demand, share = 1): string | null {
  const system = provider.tier_systems.find((s) => s.tiers.includes(tier)) ?? provider.tier_systems[0];
  for (const t of system?.tiers ?? []) {
    const l = cls.limits[t];
    if (l && exceededLimits(l, d, share).length === 0) return t;
  }
  return null;
}

function batchCheck(x: LimitsInput, provider: ProviderLimits | undefined, cls: LimitClass | undefined, tier: string, bytesPerToken: number, overheadBytes: number): BatchCheck {
  const limits = cls?.limits[tier] ?? null;
  // How often a batch is submitted: the cadence recommend chose (tolerance − turnaround − margin).
  const windowS = x.batchSubmitEveryS;
  const requestsPerWindow = (x.requestsPerMonth / SECONDS_PER_MONTH) * windowS;
  const bytesPerWindow = requestsPerWindow * (x.inputTokens * bytesPerToken + overheadBytes);
  const maxRequests = provider?.batch.max_requests ?? null;
  const maxBytes = provider?.batch.max_bytes ?? Number.POSITIVE_INFINITY;
  // docs/spec.md "Arithmetic": ceil(requests per submission window / max requests per batch); the file size can need more.
  const byCount = maxRequests === null ? 1 : Math.ceil(requestsPerWindow / maxRequests);
  const byBytes = Math.ceil(bytesPerWindow / maxBytes);
  const batches = Math.max(1, byCount, byBytes);
  // The queue holds every batch still running: a window's requests times the batches in flight.
  const inFlight = batchesInFlight(x.batchTypicalTurnaroundS, windowS);
  let queue: BatchCheck['queue'] = null;
  if (limits?.batch_queue_tokens !== undefined) {
    const needed = requestsPerWindow * x.inputTokens * inFlight;
    queue = { kind: 'tokens', limit: limits.batch_queue_tokens, needed, fits: needed <= limits.batch_queue_tokens };
  } else if (limits?.batch_queue_requests !== undefined) {
    const needed = requestsPerWindow * inFlight;
    queue = { kind: 'requests', limit: limits.batch_queue_requests, needed, fits: needed <= limits.batch_queue_requests };
  }
  let queueFittingTier: string | null | undefined;
  if (queue && !queue.fits && provider && cls) {
    const system = provider.tier_systems.find((s) => s.tiers.includes(tier)) ?? provider.tier_systems[0];
    const q = queue;
    queueFittingTier = system?.tiers.find((t) => {
      const l = cls.limits[t];
      const limit = q.kind === 'tokens' ? l?.batch_queue_tokens : l?.batch_queue_requests;
      return limit !== undefined && q.needed <= limit;
    }) ?? null;
  }
  return { windowS, requestsPerWindow, bytesPerWindow, maxRequests, maxBytes, batches, inFlight, queue, queueFittingTier };
}

function contextCheck(x: LimitsInput): LimitsCheck['context'] {
  const output = x.outputP95 ?? x.outputTokens;
  const needed = x.inputTokens + output;
  const maxOutput = x.model.max_output ?? null;
  const maxInput = x.model.max_input ?? null;
  const window = x.model.context_window ?? null;
  return {
    needed,
    window,
    fits: window === null || needed <= window,
    output,
    maxOutput,
    outputFits: x.model.kind === 'embedding' || maxOutput === null || output <= maxOutput,
    maxInput,
    inputFits: maxInput === null || x.inputTokens <= maxInput,
  };
}
