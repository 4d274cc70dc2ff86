// The simulator's options and its per-server state (clock, seeded streams, models, stores, counters).
import { setMaxListeners } from 'node:events';
import type { Catalog, Model } from '../core/catalog/schema.js';
import { findModel } from '../core/catalog/models.js';
import { DEFAULT_STALL_SECONDS, type FaultKind, type FaultRates } from './faults.js';
import { limitsOf, type ModelLimits, type TierChoice } from './limits.js';
import { RateLimiter, type RateLimitConfig } from './rate-limit.js';
import { deriveSeed, seededRandom, type Random } from '../core/random.js';
import { makeRuntime, type ModelRuntime } from './text.js';

export interface BatchTurnaround {
  /** Median time a batch spends in progress, seconds (before --latency-scale). Default 1200 (20 min). */
  medianSeconds: number;
  /** Log-normal spread of that time. Default 0.6: about 95% of batches finish within an hour. */
  sigma: number;
  /** Time in "validating" (OpenAI), seconds. Default 30. */
  validatingSeconds: number;
  /** Time in "finalizing" (OpenAI), seconds. Default 60. */
  finalizingSeconds: number;
  /** Time from cancel to "cancelled" / "ended", seconds. Default 30. */
  cancelSeconds: number;
  /** The completion window after which unfinished batches expire, hours. Default 24. */
  windowHours: number;
}

export const DEFAULT_TURNAROUND: BatchTurnaround = { medianSeconds: 1200, sigma: 0.6, validatingSeconds: 30, finalizingSeconds: 60, cancelSeconds: 30, windowHours: 24 };

export interface SimulatorOptions {
  /** The catalog whose models the simulator serves (loadCatalog()). */
  catalog: Catalog;
  /** Interface to bind. Default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** Multiplies every delay (TTFT, tokens/s, stalls, batch turnaround). 0 = no delays and no timers. Default 1. */
  latencyScale?: number;
  /** Fault rates by kind, each in [0, 1]. */
  faults?: FaultRates;
  /** Seed for all randomness (answers, jitter, fault rolls, batch timing). Default 1. */
  seed?: number;
  /** Enforce requests/tokens per minute per model with token buckets (429 when exceeded). */
  rateLimit?: RateLimitConfig;
  /**
   * The rate-limit tier per provider (default: each provider's default tier in the catalog). Its limits
   * are quoted in rate-limit headers on every response; they are enforced (429) when `enforceTier` is set.
   */
  tiers?: TierChoice;
  /** Refuse requests beyond the tier's limits with 429 (`aip serve --tier` sets this). Default false. */
  enforceTier?: boolean;
  /**
   * Build the tokenizers of these models (default: every non-retired catalog model) before the server
   * listens, so no request pays for it. [] builds none up front.
   */
  warmModels?: readonly string[];
  /** The clock for timestamps, batch progress and rate-limit buckets. Default: the system clock. */
  now?: () => Date;
  /** How long batches take (scaled by latencyScale). */
  batchTurnaround?: Partial<BatchTurnaround>;
  /** The pause of a `stall` fault, seconds before scaling (default DEFAULT_STALL_SECONDS). */
  stallSeconds?: number;
  /** Largest JSON request body, bytes. Default 32 MiB (Anthropic's Messages limit). */
  maxBodyBytes?: number;
  /** Largest file upload or batch create body, bytes. Default 256 MiB. */
  maxUploadBytes?: number;
  /** Open connections accepted at once; more are refused by the socket layer. Default 1024. */
  maxConnections?: number;
  /** Longest wait for a request's headers, ms, from the connection's start (slow-header clients). Default 10 s. */
  headersTimeoutMs?: number;
  /** Bytes of uploaded files kept at once; an upload past it is refused until files are deleted. Default 1 GiB. */
  maxStoredBytes?: number;
}

export interface SimStats {
  requests: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  /** Faults injected, by kind. */
  faults: Partial<Record<FaultKind, number>>;
  /** SSE events written (both providers). */
  sseEvents: number;
  openConnections: number;
}

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number;
  content: Buffer;
}

export class SimState {
  readonly catalog: Catalog;
  readonly scale: number;
  readonly faults: FaultRates;
  readonly seed: number;
  readonly limiter: RateLimiter | undefined;
  readonly tiers: TierChoice;
  readonly enforceTier: boolean;
  /** Token buckets per tier-limited model (or class), made on first use. */
  private readonly tierLimiters = new Map<string, RateLimiter>();
  /** The tier's limits per model, looked up once. */
  private readonly limitsByModel = new Map<string, ModelLimits | undefined>();
  /** The smallest input size above which a long-context limit class applies (Infinity: none). */
  private readonly longContextFrom: number;
  readonly turnaround: BatchTurnaround;
  readonly stallMs: number;
  readonly maxBodyBytes: number;
  readonly maxUploadBytes: number;
  readonly stats: SimStats = { requests: 0, statuses: {}, faults: {}, sseEvents: 0, openConnections: 0 };
  readonly files = new Map<string, StoredFile>();
  /** Bytes of every file kept (uploads and batch outputs), and the limit on uploads. */
  storedBytes = 0;
  readonly maxStoredBytes: number;
  /** Aborted when the server closes: every pending delay ends at once. */
  readonly closing = new AbortController();
  /** The clock in ms (Date.now unless a clock was injected). */
  readonly nowMs: () => number;
  /** Catalog lookups by the name a request gave (requests repeat a handful of names). */
  private readonly modelsByName = new Map<string, Model | undefined>();
  private readonly runtimes = new Map<string, Promise<ModelRuntime>>();
  private sequence = 0;
  private idCounter = 0;
  private idStem: string | undefined;

  constructor(opts: SimulatorOptions) {
    this.catalog = opts.catalog;
    this.scale = opts.latencyScale ?? 1;
    this.faults = opts.faults ?? {};
    this.seed = opts.seed ?? 1;
    this.limiter = opts.rateLimit && (opts.rateLimit.rpm !== undefined || opts.rateLimit.tpm !== undefined) ? new RateLimiter(opts.rateLimit) : undefined;
    this.tiers = opts.tiers ?? {};
    this.longContextFrom = Math.min(Infinity, ...opts.catalog.rateLimits.flatMap((p) => p.classes.map((c) => c.above_input_tokens ?? Infinity)));
    this.enforceTier = opts.enforceTier ?? false;
    this.turnaround = { ...DEFAULT_TURNAROUND, ...opts.batchTurnaround };
    this.stallMs = (opts.stallSeconds ?? DEFAULT_STALL_SECONDS) * 1000 * this.scale;
    this.maxBodyBytes = opts.maxBodyBytes ?? 32 * 1024 * 1024;
    this.maxUploadBytes = opts.maxUploadBytes ?? 256 * 1024 * 1024;
    this.maxStoredBytes = opts.maxStoredBytes ?? 1024 * 1024 * 1024;
    const clock = opts.now;
    this.nowMs = clock ? () => clock().getTime() : Date.now;
    // Every paced stream and hanging request listens for the close: many at once is normal, not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** A fresh reproducible random stream (one per request or batch, in arrival order). */
  nextRng(): Random {
    return seededRandom(deriveSeed(this.seed, this.sequence++));
  }

  /** A short unique id with the provider's prefix (chatcmpl-, msg_, file-, batch_, msgbatch_, req_). */
  id(prefix: string): string {
    const n = (++this.idCounter).toString(36).padStart(6, '0');
    return `${prefix}${(this.idStem ??= `sim${(this.seed >>> 0).toString(36)}x`)}${n}`;
  }

  findModel(name: string): Model | undefined {
    if (this.modelsByName.has(name)) return this.modelsByName.get(name);
    const model = findModel(this.catalog, name);
    if (this.modelsByName.size < 1024) this.modelsByName.set(name, model);
    return model;
  }

  /** The model's tokenizer and answer vocabulary, built once per model. */
  runtime(model: Model): Promise<ModelRuntime> {
    let rt = this.runtimes.get(model.id);
    if (!rt) {
      rt = makeRuntime(model);
      this.runtimes.set(model.id, rt);
    }
    return rt;
  }

  /** The tier's limits of a model and its token buckets; undefined when the catalog has no limits for it. */
  tierLimiter(model: Model, inputTokens: number): { limits: ModelLimits; limiter: RateLimiter } | undefined {
    // Below the smallest long-context threshold the ordinary class applies, whatever the input: cached.
    const ordinary = inputTokens <= this.longContextFrom;
    let limits = ordinary ? this.limitsByModel.get(model.id) : undefined;
    if (!ordinary || !this.limitsByModel.has(model.id)) {
      limits = limitsOf(this.catalog, model, this.tiers, inputTokens);
      if (ordinary) this.limitsByModel.set(model.id, limits);
    }
    if (!limits) return undefined;
    let limiter = this.tierLimiters.get(limits.key);
    if (!limiter) this.tierLimiters.set(limits.key, (limiter = new RateLimiter(limits.config)));
    return { limits, limiter };
  }

  /** Builds the runtimes (tokenizer, vocabulary) of the models named, or of every servable model. */
  async warm(ids?: readonly string[]): Promise<void> {
    const models = ids ? ids.map((id) => this.findModel(id)).filter((m): m is Model => m !== undefined) : this.catalog.models.filter((m) => m.lifecycle.status !== 'retired');
    await Promise.all(models.map((m) => this.runtime(m)));
  }

  countFault(kind: FaultKind): void {
    this.stats.faults[kind] = (this.stats.faults[kind] ?? 0) + 1;
  }
}

/**
 * Requests kept across one provider's batches, answers included (every answer is generated at create time). A
 * long-running simulator would otherwise grow without end; past it the oldest batches are forgotten first, as
 * `previous_response_id` forgets old responses: a client still polling one gets the provider's 404.
 */
const MAX_KEPT_BATCH_REQUESTS = 200_000;

/** Keeps a batch of `size` requests in a provider's store, forgetting the oldest ones past MAX_KEPT_BATCH_REQUESTS. */
export function keepBatch<T extends { items: readonly unknown[] }>(store: Map<string, T>, id: string, batch: T, max = MAX_KEPT_BATCH_REQUESTS): void {
  let total = batch.items.length;
  for (const b of store.values()) total += b.items.length;
  for (const [key, b] of store) {
    if (total <= max) break;
    store.delete(key);
    total -= b.items.length;
  }
  store.set(id, batch);
}

/** A store of records kept per simulator (each provider's batches), created on first use. */
export function perSimulator<T>(): (state: SimState) => Map<string, T> {
  const maps = new WeakMap<SimState, Map<string, T>>();
  return (state) => {
    let m = maps.get(state);
    if (!m) maps.set(state, (m = new Map()));
    return m;
  };
}
