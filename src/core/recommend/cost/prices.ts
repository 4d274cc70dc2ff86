// The prices a workload pays per 1M tokens: the catalog's, with the workload's `pricing:` override on top
// (the prices it does not give derived by the provider's own ratios: batch from input and output, batch
// cached by the provider's stacking rule, the long-context tier from the new prices), the
// long-context tier where the mean prompt passes its threshold, and the cache-write price of the chosen TTL.
import type { Model, ModelPrices } from '../../catalog/schema.js';

export type CacheTtl = '5m' | '1h';

export interface EffectivePrices {
  input: number;
  output: number;
  /** Cached input; equals `input` where the model has no prompt caching (no discount). */
  cachedInput: number;
  /** Cache write price for the workload's TTL (Anthropic 5 m or 1 h; OpenAI's newest models), null where writes are not billed extra. */
  cacheWrite: number | null;
  /** The TTL the cache write is priced for. */
  cacheTtl: CacheTtl;
  /** null where the model has no batch API. */
  batchInput: number | null;
  batchOutput: number | null;
  /** Cached input inside a batch: the stacked price, or batch_input where the discounts do not stack. */
  batchCachedInput: number | null;
  /** Streaming exists for the model (embedding models return a vector in one response). */
  streaming: boolean;
  /** The model has prompt caching (a cached fraction gets a discount). */
  caching: boolean;
  /** The long-context tier applies (mean input above its threshold), and its threshold. */
  longContext: boolean;
  longContextAbove: number | null;
  /** Fields the workload's `pricing:` overrode. */
  overridden: string[];
  /** Fields derived from the override by the provider's ratios (not in the file, not the catalog's). */
  derived: string[];
}

type PriceKey = 'input' | 'output' | 'cached_input' | 'cache_write' | 'cache_write_1h' | 'batch_input' | 'batch_output' | 'batch_cached_input';
const TIER_KEYS: PriceKey[] = ['input', 'output', 'cached_input', 'cache_write', 'cache_write_1h', 'batch_input', 'batch_output', 'batch_cached_input'];

export type PriceOverride = Partial<Pick<ModelPrices, PriceKey>>;

const tidy = (n: number): number => Number(n.toPrecision(12));

/**
 * The catalog's standard-tier prices with the override on top. What the override does not give is derived
 * from what it does by the catalog's own ratios for this model (the provider's rules): batch = input × the
 * batch share, batch output likewise; batch cached by the stacking rule (none stays none, unchanged follows
 * the cached price, a discount keeps its share); the long-context tier by its ratio (in effectivePrices).
 */
function withOverride(p: ModelPrices, o: PriceOverride): { prices: Record<PriceKey, number | null>; derived: string[] } {
  const base: Record<PriceKey, number | null> = {
    input: p.input,
    output: p.output,
    cached_input: p.cached_input,
    cache_write: p.cache_write,
    cache_write_1h: p.cache_write_1h ?? null,
    batch_input: p.batch_input,
    batch_output: p.batch_output,
    batch_cached_input: p.batch_cached_input,
  };
  const out = { ...base };
  const derived: string[] = [];
  for (const k of TIER_KEYS) if (o[k] !== undefined) out[k] = o[k]!;
  const scale = (k: PriceKey, from: PriceKey) => {
    if (o[k] !== undefined || o[from] === undefined) return;
    const b = base[k];
    const f = base[from];
    if (b === null || f === null || f === 0) return;
    out[k] = tidy((out[from] as number) * (b / f));
    derived.push(k);
  };
  // Cached input and cache writes keep the catalog's price unless given (a negotiated input price says nothing
  // of them), but a cached token never costs more than an uncached one.
  if (o.cached_input === undefined && out.cached_input !== null && out.input !== null && out.cached_input > out.input) {
    out.cached_input = out.input;
    derived.push('cached_input');
  }
  scale('batch_input', 'input');
  scale('batch_output', 'output');
  // Batch cached input follows the (possibly new) cached price by the provider's stacking rule.
  if (o.batch_cached_input === undefined && base.batch_cached_input !== null && base.cached_input !== null && base.cached_input > 0 && out.cached_input !== base.cached_input) {
    out.batch_cached_input = tidy((out.cached_input as number) * (base.batch_cached_input / base.cached_input));
    derived.push('batch_cached_input');
  }
  return { prices: out, derived };
}

export function effectivePrices(model: Model, override: PriceOverride | undefined, inputTokens: number, cacheTtl: CacheTtl = '5m'): EffectivePrices {
  const p = model.prices;
  const given = Object.entries(override ?? {}).filter(([, v]) => v !== undefined).map(([k]) => k);
  const { prices: eff, derived } = withOverride(p, override ?? {});
  const lc = p.long_context;
  const longContext = lc !== undefined && inputTokens > lc.above_input_tokens;
  if (longContext && lc) {
    // The whole request is priced at the tier. Without an override the tier's own prices; with one, the
    // override scaled by the catalog's tier ratio (a negotiated price is the standard-tier price).
    for (const k of TIER_KEYS) {
      const tierPrice = (lc as Record<string, number | null | undefined>)[k];
      if (tierPrice === undefined || tierPrice === null) {
        if (k === 'batch_cached_input' && lc.batch_input !== null) eff[k] = null; // no stacking in the tier
        continue;
      }
      const standard = (p as Record<string, unknown>)[k] as number | null | undefined;
      if (given.length === 0 || standard === null || standard === undefined || standard === 0) eff[k] = tierPrice;
      else if (eff[k] !== null) eff[k] = tidy((eff[k] as number) * (tierPrice / standard));
    }
  }
  const caching = model.caching || override?.cached_input !== undefined;
  const batch = model.batch_api && eff.batch_input !== null && eff.batch_output !== null;
  const batchInput = batch ? eff.batch_input : null;
  const cacheWrite = cacheTtl === '1h' ? (eff.cache_write_1h ?? eff.cache_write) : eff.cache_write;
  return {
    input: eff.input as number,
    output: eff.output as number,
    cachedInput: caching && eff.cached_input !== null ? eff.cached_input : (eff.input as number),
    cacheWrite,
    cacheTtl,
    batchInput,
    batchOutput: batch ? eff.batch_output : null,
    // null in the catalog: the cache discount does not stack with batch — cached tokens pay batch_input.
    batchCachedInput: batchInput === null ? null : caching && eff.batch_cached_input !== null ? eff.batch_cached_input : batchInput,
    streaming: model.kind !== 'embedding',
    caching,
    longContext,
    longContextAbove: lc?.above_input_tokens ?? null,
    overridden: given,
    derived,
  };
}
