// The catalog's shape (models, rate limits, failure rates, decision thresholds): one zod schema each,
// used at load, at build time and by tests. Every entry carries `source` and `as_of`.
import { z } from 'zod';
import { MAX_USD_PER_MILLION } from '../bounds.js';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const usdPerMillion = z.number().nonnegative().max(MAX_USD_PER_MILLION);
const fraction = z.number().min(0).max(1);

/** The first-party APIs aip knew first; any provider id is accepted (the catalog lists the known ones). */
export const providerIds = ['openai', 'anthropic', 'google'] as const;
/** A provider id: openai, anthropic, google (Gemini API), azure, bedrock, vertex_ai, mistral, …, or self-hosted. */
export const Provider = z.string().regex(/^[a-z][a-z0-9_-]*$/, 'expected a lower-case provider id such as openai, azure or self-hosted');

export const ModelPrices = z
  .object({
    /** USD per 1M input tokens (uncached). */
    input: usdPerMillion,
    /** USD per 1M output tokens (reasoning/thinking tokens included). */
    output: usdPerMillion,
    /** USD per 1M input tokens read from the prompt cache; null where the model has no caching. */
    cached_input: usdPerMillion.nullable(),
    /** USD per 1M tokens written to the cache (Anthropic 5-minute TTL); null where writes are not billed extra. */
    cache_write: usdPerMillion.nullable(),
    /** Anthropic 1-hour TTL cache write. */
    cache_write_1h: usdPerMillion.nullable().default(null),
    /** Batch API prices; null where the model has no batch API. */
    batch_input: usdPerMillion.nullable(),
    batch_output: usdPerMillion.nullable(),
    /**
     * Cached input inside a batch. null: the cache discount does not stack with batch, cached tokens are
     * billed at batch_input. A number: the provider's stacked (or unchanged) cache price in batch.
     */
    batch_cached_input: usdPerMillion.nullable(),
    /** true where batch prices are the provider's stated discount (50% of list) rather than a published row. */
    batch_derived: z.boolean().default(false),
    /** Long-prompt tier (e.g. Gemini 2.5 Pro and Claude Sonnet 1M context above 200k input tokens). */
    long_context: z
      .object({
        above_input_tokens: z.number().int().positive(),
        input: usdPerMillion,
        output: usdPerMillion,
        cached_input: usdPerMillion.nullable().default(null),
        /** Cache writes in the tier (Anthropic 5-minute and 1-hour TTL; OpenAI where it bills writes). */
        cache_write: usdPerMillion.nullable().default(null),
        cache_write_1h: usdPerMillion.nullable().default(null),
        batch_input: usdPerMillion.nullable().default(null),
        batch_output: usdPerMillion.nullable().default(null),
        /** Cached input inside a batch in the tier (the provider's stacking rule applied to the tier's cached price). */
        batch_cached_input: usdPerMillion.nullable().default(null),
      })
      .strict()
      .optional(),
  })
  .strict();

export const Tokenizer = z
  .object({
    /** The js-tiktoken encoding used to count (the model's own, or a stand-in). */
    encoding: z.enum(['o200k_base', 'cl100k_base']),
    /** Multiplier applied to the stand-in count (Claude ≈ o200k × 1.16 for English prose). */
    factor: z.number().positive().default(1),
    /** true where the model's own tokenizer is not available offline. */
    approximate: z.boolean().default(false),
    /** How far off an approximate count may be, in words a user can act on. */
    error_note: z.string().optional(),
  })
  .strict();

export const Lifecycle = z
  .object({
    status: z.enum(['active', 'legacy', 'deprecated', 'retired']),
    deprecated_on: isoDate.optional(),
    /** The retirement date: planned (deprecated) or past (retired). From this date on, requests fail. */
    retires_on: isoDate.optional(),
    /** The model to move to (an id of the catalog). `replacement` is its older name, kept for files that use it. */
    successor: z.string().optional(),
    replacement: z.string().optional(),
    note: z.string().optional(),
    source: z.string().min(1).optional(),
  })
  .strict();

/** Provisioned capacity: a published offer (price per unit-hour, throughput per unit, minimum and increment). */
const provisionedOffer = {
  usd_per_unit_hour: usdPerMillion.optional(),
  input_tpm_per_unit: z.number().positive().optional(),
  min_units: z.number().int().positive().optional(),
  unit_increment: z.number().int().positive().optional(),
  min_term: z.string().optional(),
  /** Batch discounts do not apply to the tier (Bedrock provisioned throughput). */
  batch_discount_applies: z.boolean().optional(),
  /** Traffic above the capacity overflows to standard pay-as-you-go (Bedrock Reserved tier). */
  spillover: z.boolean().optional(),
};

/**
 * How a tier behaves besides its price (issue 13): the share of requests it sheds (flex: 429
 * resource_unavailable, retried at standard), its speed against standard, and the share of the standard
 * limits it may use before requests are served at standard (Gemini priority: 0.3). Each with its source.
 */
const tierBehaviour = {
  /** Share of requests refused for capacity (flex), served instead at standard. */
  shed_share: fraction.optional(),
  /** Time to first token and output tokens per second as multiples of standard's. */
  ttft_factor: z.number().positive().optional(),
  tokens_per_s_factor: z.number().positive().optional(),
  /** The tier's own limits as a share of the standard limits; traffic past them is served at standard. */
  limit_share: fraction.optional(),
  /** Where the behaviour figures come from (estimates say so). */
  behaviour_source: z.string().min(1).optional(),
};

/** One way to buy the model's tokens besides standard pay-as-you-go (SPEC: service tiers and capacity). */
export const ServiceTier = z
  .object({
    tier: z.enum(['standard', 'flex', 'priority', 'provisioned']),
    /** Prices of the tier where the provider publishes them (USD per 1M). */
    input: usdPerMillion.optional(),
    cached_input: usdPerMillion.optional(),
    output: usdPerMillion.optional(),
    /** Multiplier of the standard price where the provider states the tier as one (flex 0.5, Gemini priority 1.8). */
    multiplier: z.number().positive().optional(),
    ...provisionedOffer,
    ...tierBehaviour,
    /** false: no longer sold; considered only where the workload names it in service_tiers. */
    sold: z.boolean().optional(),
    note: z.string().optional(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

/** Where one group of a model's figures comes from (prices, batch, long_context, limits, lifecycle, speed). */
export const Provenance = z.record(z.string(), z.object({ source: z.string().min(1), as_of: isoDate }).strict());

const MeasuredPercentiles = z.object({ p50: z.number().nonnegative(), p95: z.number().nonnegative(), p99: z.number().nonnegative() }).strict();

const MeasuredFigures = z
  .object({
    /** Requests the figures rest on, and the period they were sent in (ISO dates or times). */
    requests: z.number().int().nonnegative(),
    period: z.object({ start: z.string().min(1), end: z.string().min(1) }).strict(),
    ttft_s: MeasuredPercentiles.optional(),
    output_tokens_per_s: MeasuredPercentiles.optional(),
    total_s: MeasuredPercentiles.optional(),
    /** Failed calls over all calls, and the failed calls per class ("429", "server_error", "timeout"). */
    failure_rate: fraction.optional(),
    failures: z.record(z.string(), z.number().int().nonnegative()).optional(),
  })
  .strict();

export const MeasuredSpeed = MeasuredFigures.extend({
  /** The same figures per service tier where the traffic used several (flex is slower than standard). */
  by_tier: z.record(z.string(), MeasuredFigures).optional(),
}).strict();

export const Model = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._:@+/-]*$/, 'expected a lower-case model id such as gpt-4o-mini or azure/gpt-4o'),
    provider: Provider,
    name: z.string().min(1),
    aliases: z.array(z.string()).default([]),
    /** Name patterns of the base data (dated snapshots): "prefix…" (starts with) or "/regex/". */
    patterns: z.array(z.string()).optional(),
    kind: z.enum(['chat', 'reasoning', 'embedding']),
    prices: ModelPrices,
    /** Tokens of prompt and output together; absent where the data publishes none (not checked then). */
    context_window: z.number().int().positive().optional(),
    /** Most input tokens one request may carry, where the provider caps input below the window (GPT-5: 272k of 400k). */
    max_input: z.number().int().positive().optional(),
    /** Most output tokens per request; absent where the data publishes none (not checked then). */
    max_output: z.number().int().nonnegative().optional(),
    tokenizer: Tokenizer,
    speed: z
      .object({
        /** Typical time to first token, seconds (an estimate: providers publish none). */
        ttft_s: z.number().nonnegative(),
        /** Typical output tokens per second once streaming. */
        output_tokens_per_s: z.number().positive(),
        source: z.string().min(1),
        /** Where the speeds were measured (an `aip import --calibration` overlay): what they rest on. */
        measured: MeasuredSpeed.optional(),
      })
      .strict(),
    batch_api: z.boolean(),
    caching: z.boolean(),
    /** Minimum prompt length the provider caches (tokens). */
    cache_min_tokens: z.number().int().nonnegative().optional(),
    /** The rate-limit class in rate_limits.yaml; null where no default limits are published or verified. */
    rate_limit_class: z.string().nullable(),
    lifecycle: Lifecycle,
    /** A dated price change the data announces (the base dataset's next dated price). */
    price_change: z.object({ from: isoDate, input: usdPerMillion.nullable(), output: usdPerMillion.nullable() }).strict().optional(),
    /** Tiers besides standard that the model offers (flex, priority, provisioned), with prices or multipliers. */
    service_tiers: z.array(ServiceTier).optional(),
    provenance: Provenance.optional(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

export const TierLimits = z
  .object({
    rpm: z.number().positive(),
    /** Tokens per minute, input and output together (OpenAI), or input only where `tpm_counts` says so. */
    tpm: z.number().positive().optional(),
    /** Input tokens per minute (Anthropic ITPM). */
    itpm: z.number().positive().optional(),
    /** Output tokens per minute (Anthropic OTPM). */
    otpm: z.number().positive().optional(),
    rpd: z.number().positive().optional(),
    /** Input tokens that may wait in the batch queue across in-flight batches (OpenAI, Gemini). */
    batch_queue_tokens: z.number().positive().optional(),
    /** Batch requests that may wait in the queue (Anthropic). */
    batch_queue_requests: z.number().positive().optional(),
    batch_rpm: z.number().positive().optional(),
    monthly_spend_cap_usd: z.number().positive().optional(),
  })
  .strict();

export const LimitClass = z
  .object({
    class: z.string().min(1),
    models: z.array(z.string()).min(1),
    /**
     * Only requests with more input tokens than this fall in this class (OpenAI's long-context limits for
     * gpt-4.1 above 128k); absent for the ordinary class of a model.
     */
    above_input_tokens: z.number().int().positive().optional(),
    /** What the tpm figure counts: input+output (OpenAI) or input only (Gemini). */
    tpm_counts: z.enum(['input+output', 'input']).default('input+output'),
    /** Do cache reads count toward the input limit? (Anthropic: no, except Haiku 3.5.) */
    cache_reads_count: z.boolean().default(true),
    limits: z.record(z.string(), TierLimits),
    note: z.string().optional(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

export const ProviderLimits = z
  .object({
    provider: Provider,
    /** Monthly spend caps per tier, where the provider publishes them (Anthropic, Gemini billing tiers). */
    spend_caps: z.record(z.string(), z.number().positive()).optional(),
    tier_systems: z
      .array(z.object({ name: z.string(), tiers: z.array(z.string()).min(1), note: z.string().optional() }).strict())
      .min(1),
    default_tier: z.string(),
    batch: z
      .object({
        /** Requests in one batch; null where the provider publishes no count cap (Gemini: only the file size). */
        max_requests: z.number().int().positive().nullable(),
        max_bytes: z.number().int().positive(),
        /** Batches that may run at once (Gemini: 100). */
        max_concurrent_batches: z.number().int().positive().optional(),
        /** The provider's completion guarantee. */
        window_hours: z.number().positive(),
        /** Most batches finish well inside the window. */
        typical_turnaround_minutes: z.number().positive(),
        note: z.string().optional(),
      })
      .strict(),
    classes: z.array(LimitClass),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

/**
 * How a provider's batch price treats cached input (SPEC: "Caching discounts stack with batch where the
 * provider says they do"): half = the batch discount applies to the cached price too (Anthropic, OpenAI's
 * GPT-5 family); unchanged = cached tokens keep the standard cache price in a batch (Gemini API); none = no
 * stacking: cached tokens pay the batch input price.
 */
export const StackingRule = z.enum(['half', 'unchanged', 'none']);

const sourced = { source: z.string().min(1), as_of: isoDate };

export const ProviderTerms = z
  .object({
    id: Provider,
    name: z.string().min(1),
    /** first-party: the model maker's own API; cloud: Azure, Bedrock, Vertex; host: inference hosts; router: OpenRouter. */
    kind: z.enum(['first-party', 'cloud', 'host', 'router', 'self-hosted']),
    /** What people write before the slash for this provider (gemini/ → google, aws/ → bedrock, …). */
    prefixes: z.array(z.string()).default([]),
    /** Its models answer to their plain names (gpt-4o, claude-haiku-4-5): the first-party APIs. */
    bare_names: z.boolean().default(false),
    /** Which providers of the base dataset feed it, with an optional filter on the dataset's model id. */
    base: z.array(z.object({ provider: z.string(), include: z.string().optional(), exclude: z.string().optional() }).strict()).default([]),
    /** Providers whose list prices it charges for the same model (Azure Global deployments: OpenAI's). */
    priced_as: z.array(Provider).optional(),
    priced_as_note: z.string().optional(),
    batch: z
      .object({
        available: z.boolean(),
        /** Batch price as a share of list where no explicit batch price is given (0.5 = 50% off). */
        discount: z.number().positive().max(1).optional(),
        /** Only models whose id matches this pattern have the batch API (default: every chat and embedding model). */
        models: z.string().optional(),
        /** The stacking rule for cached input in a batch, by model family (first match wins). */
        cache_stacking: z.array(z.object({ models: z.string().optional(), rule: StackingRule, note: z.string().optional() }).strict()).default([{ rule: 'none' }]),
        note: z.string().optional(),
        ...sourced,
      })
      .strict(),
    cache: z
      .object({
        /** Cache-write price as a multiple of input (Anthropic 5-minute 1.25×, 1-hour 2×). */
        write_5m_multiplier: z.number().positive().optional(),
        write_1h_multiplier: z.number().positive().optional(),
        /** TTL choices a workload may state (input.cache_ttl). */
        ttl_choices: z.array(z.enum(['5m', '1h'])).default([]),
        note: z.string().optional(),
        ...sourced,
      })
      .strict()
      .optional(),
    /** Tiers besides standard, per model family: a multiplier, or explicit prices per model id. */
    service_tiers: z
      .array(
        z
          .object({
            tier: z.enum(['flex', 'priority', 'provisioned']),
            models: z.string().optional(),
            multiplier: z.number().positive().optional(),
            /** flex at the batch prices (OpenAI: "priced at Batch API rates"). */
            at_batch_prices: z.boolean().optional(),
            prices: z.record(z.string(), z.object({ input: usdPerMillion, cached_input: usdPerMillion.nullable().optional(), output: usdPerMillion }).strict()).optional(),
            ...provisionedOffer,
            ...tierBehaviour,
            /** false: the provider no longer sells it (shown only when the user says they have it). */
            sold: z.boolean().default(true),
            note: z.string().optional(),
            ...sourced,
          })
          .strict(),
      )
      .default([]),
    /** Monthly spend caps per account tier where published (Anthropic, Gemini). */
    spend_caps: z.object({ caps: z.record(z.string(), z.number().positive()), note: z.string().optional(), ...sourced }).strict().optional(),
    /** Typical speed for models without a measured figure (an estimate, said so). */
    default_speed: z.object({ ttft_s: z.number().nonnegative(), output_tokens_per_s: z.number().positive(), source: z.string().min(1) }).strict().optional(),
    pricing_url: z.string().optional(),
    note: z.string().optional(),
    ...sourced,
  })
  .strict();

export type ProviderTerms = z.infer<typeof ProviderTerms>;
export type StackingRule = z.infer<typeof StackingRule>;
export const ProvidersFile = z.object({ as_of: isoDate, providers: z.array(ProviderTerms) }).strict();

export const failureKinds = [
  'timeout',
  'rate_limit',
  'server_error',
  'overloaded',
  'content_filter',
  'invalid_format',
  'stream_drop',
  'chunk_parse_error',
  'incomplete_json',
  'idle_timeout',
  'batch_item_error',
  'batch_expired',
  'batch_partial',
  'result_mismatch',
] as const;

export const FailureMode = z
  .object({
    kind: z.enum(failureKinds),
    /** Observed frequency range, as a fraction of requests (0.02 = 2%). */
    low: fraction,
    high: fraction,
    /** The rate the cost model and simulator use; the midpoint of the range unless the source says otherwise. */
    expected: fraction,
    /** Only where this holds (e.g. timeouts on long outputs; 529 is Anthropic-only). */
    applies: z
      .object({
        min_output_tokens: z.number().int().nonnegative().optional(),
        providers: z.array(Provider).optional(),
        structured_output_only: z.boolean().optional(),
      })
      .strict()
      .default({}),
    /** Does the client retry it (a permanent error such as a content filter is not retried)? */
    retried: z.boolean(),
    /**
     * false where the client recovers in place without a new attempt (a malformed SSE chunk is skipped,
     * a mismatched batch result is matched by custom_id): no extra tokens, the request still succeeds.
     */
    fails_request: z.boolean().default(true),
    /** Fraction of the failed attempt's input and output tokens that are billed anyway. */
    billed: z.object({ input: fraction, output: fraction }).strict(),
    detection: z.string(),
    recovery: z.string(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict()
  .refine((f) => f.low <= f.expected && f.expected <= f.high, { message: 'expected must lie between low and high' });

export const FailureRates = z
  .object({
    patterns: z
      .object({
        direct: z.array(FailureMode),
        streaming: z.array(FailureMode),
        batch: z.array(FailureMode),
      })
      .strict(),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

const threshold = z
  .object({ value: z.number(), unit: z.string(), note: z.string(), source: z.string().min(1) })
  .strict();

/** The decision rules' numbers (docs/spec.md "Decision rules"): data, not constants in code. */
export const Thresholds = z
  .object({
    values: z
      .object({
        /** A person watching tolerates under this before the UX is "broken". */
        interactive_tolerance_s: threshold,
        /** Stream when a watched response takes longer than this in total. */
        stream_total_time_s: threshold,
        /** Stream when a watched response is longer than this. */
        stream_output_tokens: threshold,
        /** Outputs at most this long count as short (classification, routing, moderation). */
        short_output_tokens: threshold,
        /** Tolerance from which batch (24 h guarantee, most within 1 h) is the default. */
        batch_min_tolerance_s: threshold,
        /** Tolerance from which a queue with direct calls replaces blocking calls. */
        queue_min_tolerance_s: threshold,
        /** Batch is not worth its machinery below this monthly saving. */
        batch_min_monthly_saving_usd: threshold,
        /** Price data older than this (the catalog's own date) warns once per run. */
        stale_catalog_days: threshold,
        /** Seconds meant by the latency keywords of the workload file. */
        latency_interactive_s: threshold,
        latency_seconds_s: threshold,
        latency_minutes_s: threshold,
        latency_hours_s: threshold,
        latency_overnight_s: threshold,
        /** Resilience plan defaults (seed 001/000 "resilient client"). */
        retry_base_s: threshold,
        retry_cap_s: threshold,
        retry_max: threshold,
        overloaded_backoff_s: threshold,
        breaker_failures: threshold,
        breaker_cooldown_s: threshold,
        stream_idle_timeout_s: threshold,
        timeout_safety_factor: threshold,
        timeout_min_s: threshold,
        /** Output tail assumed when the workload gives no p95: p95 ≈ mean × this. */
        p95_output_factor: threshold,
        batch_poll_interval_s: threshold,
        /** Batch submission cadence: the share of the tolerance kept as margin, and the shortest interval. */
        batch_submit_margin_fraction: threshold,
        batch_submit_min_interval_s: threshold,
        /** Submit batches more often where the cadence leaves within_tolerance under the threshold + this. */
        batch_within_tolerance_margin: threshold,
        /** Warn when peak use of a rate limit reaches this fraction (bursts queue before 100%). */
        rate_limit_near_fraction: threshold,
        /** The least share of requests within the tolerance for an option to be recommended: tolerances under an hour, and from an hour on. */
        min_within_tolerance_seconds: threshold,
        min_within_tolerance_hours: threshold,
        spend_cap_factor: threshold,
        /** Prompt-cache lifetime: a cached prefix is written again after this long without a request. */
        cache_ttl_s: threshold,
        /** Batch file size estimate: bytes per input token and JSON envelope per request. */
        batch_bytes_per_token: threshold,
        batch_request_overhead_bytes: threshold,
      })
      .catchall(threshold),
    source: z.string().min(1),
    as_of: isoDate,
  })
  .strict();

export type ModelPrices = z.infer<typeof ModelPrices>;
export type Model = z.infer<typeof Model>;
export type TierLimits = z.infer<typeof TierLimits>;
export type LimitClass = z.infer<typeof LimitClass>;
export type ProviderLimits = z.infer<typeof ProviderLimits>;
export type FailureMode = z.infer<typeof FailureMode>;
export type FailureKind = (typeof failureKinds)[number];
export type FailureRates = z.infer<typeof FailureRates>;
export type Thresholds = z.infer<typeof Thresholds>;
export type ProviderId = z.infer<typeof Provider>;

/** The files of data/, each validated by its schema. */
export const ModelsFile = z.object({ models: z.array(Model) }).strict();
export const RateLimitsFile = z.object({ providers: z.array(ProviderLimits) }).strict();

export type ServiceTier = z.infer<typeof ServiceTier>;
export type Lifecycle = z.infer<typeof Lifecycle>;

/** What the catalog's data is and where it came from (SPEC: catalog_as_of is the data's own date). */
export interface CatalogData {
  /** The date of the data in use: the shipped snapshot's or the updated download's, never today. */
  asOf: string;
  /** The maintained dataset the prices are built on. */
  base: { name: string; version: string; as_of: string; url: string };
  /** The date aip's curated layer (data/) was last checked against the providers. */
  curatedAsOf: string;
  /** shipped: the catalog in the package; cache: a catalog written by `aip catalog update`. */
  origin: 'shipped' | 'cache';
  /** Where an updated catalog was fetched from and written to. */
  from?: string;
  path?: string;
}

/** Look-ups that need not read every model (the compiled catalog keeps models on disk until asked for). */
export interface CatalogLookup {
  /** A model by its lower-case id or alias. */
  byName(name: string): Model | undefined;
  ofProvider(provider: string): Model[];
  /** Models with name patterns (dated snapshots), loaded on demand. */
  withPatterns(): Array<{ model: () => Model; patterns: string[]; provider: string }>;
  /** Every lower-case id and alias. */
  names(): string[];
  /** Models per provider id. */
  providerCounts(): Record<string, number>;
  count: number;
}

export interface Catalog {
  /** Every model (reading them all: prefer `lookup` and findModel where one model is wanted). */
  models: Model[];
  /** Present on a compiled catalog as loaded; gone once an overlay changed the models. */
  lookup?: CatalogLookup;
  /** Provider terms: names, how people write them, batch and cache rules, service tiers. */
  providers: ProviderTerms[];
  rateLimits: ProviderLimits[];
  failureRates: FailureRates;
  thresholds: Thresholds;
  /** The date of the data in use (SPEC catalog_as_of): see `data`. */
  asOf: string;
  data?: CatalogData;
  /** Files that overrode or added entries (--catalog). */
  overlays: string[];
}
