// The prices a workload pays per 1M tokens: the catalog's, with the workload's override on top, the
// long-context tier where the mean prompt passes it, and batch/caching stacking resolved.
import type { Model, ModelPrices } from '../../catalog/schema.js';

export interface EffectivePrices {
  input: number;
  output: number;
  /** Cached input; equals `input` where the model has no prompt caching (no discount). */
  cachedInput: number;
  /** Cache write premium price (Anthropic), null where writes are not billed extra. */
  cacheWrite: number | null;
  /** null where the model has no batch API. */
  batchInput: number | null;
  batchOutput: number | null;
  /** Cached input inside a batch: the stacked price, or batch_input where the discounts do not stack. */
  batchCachedInput: number | null;
  /** Streaming exists for the model (embedding models return a vector in one response). */
  streaming: boolean;
  /** The model has prompt caching (a cached fraction gets a discount). */
  caching: boolean;
  /** The long-context tier applies (mean input above its threshold). */
  longContext: boolean;
  /** Fields the workload's `pricing:` overrode. */
  overridden: string[];
}

export function effectivePrices(model: Model, override: Partial<ModelPrices> | undefined, inputTokens: number): EffectivePrices {
  const p: ModelPrices = { ...model.prices };
  const lc = p.long_context;
  const longContext = lc !== undefined && inputTokens > lc.above_input_tokens;
  if (longContext && lc) {
    p.input = lc.input;
    p.output = lc.output;
    if (lc.cached_input !== null) p.cached_input = lc.cached_input;
    if (lc.batch_input !== null) p.batch_input = lc.batch_input;
    if (lc.batch_output !== null) p.batch_output = lc.batch_output;
  }
  const overridden: string[] = [];
  for (const [key, value] of Object.entries(override ?? {})) {
    if (value === undefined) continue;
    (p as Record<string, unknown>)[key] = value;
    overridden.push(key);
  }
  const caching = model.caching || (override?.cached_input !== undefined);
  const batch = model.batch_api && p.batch_input !== null && p.batch_output !== null;
  const batchInput = batch ? p.batch_input : null;
  return {
    input: p.input,
    output: p.output,
    cachedInput: caching && p.cached_input !== null ? p.cached_input : p.input,
    cacheWrite: p.cache_write,
    batchInput,
    batchOutput: batch ? p.batch_output : null,
    // null in the catalog: the cache discount does not stack with batch — cached tokens pay batch_input.
    batchCachedInput: batchInput === null ? null : caching && p.batch_cached_input !== null ? p.batch_cached_input : batchInput,
    streaming: model.kind !== 'embedding',
    caching,
    longContext,
    overridden,
  };
}
