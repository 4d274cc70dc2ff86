// Maps LiteLLM's public price map (model_prices_and_context_window.json: USD per token) to catalog overlay
// entries (USD per 1M tokens) for --catalog. Pure: the parsed JSON, the catalog and today's date in; entries
// and the list of what could not be mapped (with the reason) out.
import { findModel } from './models.js';
import type { Catalog, Model, ProviderId } from './schema.js';
import { encodingForOpenAIName } from '../tokens/tokenizer.js';

export const LITELLM_SOURCE = 'LiteLLM model_prices_and_context_window.json';

export interface LitellmEntry {
  litellm_provider?: unknown;
  mode?: unknown;
  input_cost_per_token?: unknown;
  output_cost_per_token?: unknown;
  cache_read_input_token_cost?: unknown;
  cache_creation_input_token_cost?: unknown;
  cache_creation_input_token_cost_above_1hr?: unknown;
  input_cost_per_token_batches?: unknown;
  output_cost_per_token_batches?: unknown;
  input_cost_per_token_above_200k_tokens?: unknown;
  output_cost_per_token_above_200k_tokens?: unknown;
  cache_read_input_token_cost_above_200k_tokens?: unknown;
  max_input_tokens?: unknown;
  max_output_tokens?: unknown;
  max_tokens?: unknown;
  deprecation_date?: unknown;
  prompt_cache_min_tokens?: unknown;
}

export interface ImportOptions {
  /** Only these providers; all three when empty. */
  providers: readonly ProviderId[];
  /** Also add chat and embedding models the catalog does not have. */
  all: boolean;
  /** YYYY-MM-DD, from the injected clock. */
  today: string;
}

export interface Unmapped {
  key: string;
  reason: string;
}

export interface ImportResult {
  /** Overlay entries: partial for catalog models (prices refreshed), complete for new ones. */
  models: Array<Record<string, unknown>>;
  /** LiteLLM key → catalog id, for every entry used. */
  mapped: Array<{ key: string; id: string; new: boolean }>;
  /** Fields kept from the catalog because LiteLLM lacks them, per model. */
  kept: Array<{ id: string; fields: string[]; reason: string }>;
  /** LiteLLM entries of the chosen providers that were not imported, and catalog models LiteLLM lacks. */
  unmapped: Unmapped[];
  /** Entries of other providers (Azure, Bedrock, OpenRouter, …), not looked at. */
  otherProviders: number;
}

const PROVIDER_OF: Record<string, ProviderId> = { openai: 'openai', 'text-completion-openai': 'openai', anthropic: 'anthropic', gemini: 'google' };
/** Providers that resell the same models at other prices: named as the reason they are skipped. */
const RESELLERS: Record<string, ProviderId> = { 'vertex_ai-language-models': 'google', 'vertex_ai-anthropic_models': 'anthropic' };

const perMillion = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? round(v * 1e6) : null);
/** Per-token floats (2.5e-06) times 1e6 carry binary noise (2.4999999999999996): keep 6 significant digits. */
function round(n: number): number {
  return n === 0 ? 0 : Number(n.toPrecision(6));
}
const positiveInt = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null);
const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

export function importLitellm(json: Record<string, unknown>, catalog: Catalog, opts: ImportOptions): ImportResult {
  const wanted = new Set<ProviderId>(opts.providers.length ? opts.providers : ['openai', 'anthropic', 'google']);
  const result: ImportResult = { models: [], mapped: [], kept: [], unmapped: [], otherProviders: 0 };
  const byCatalogId = new Map<string, { key: string; entry: LitellmEntry; exact: boolean }>();
  const candidates: Array<{ key: string; id: string; provider: ProviderId; entry: LitellmEntry }> = [];

  for (const [key, raw] of Object.entries(json)) {
    if (key === 'sample_spec' || raw === null || typeof raw !== 'object' || Array.isArray(raw)) continue;
    const entry = raw as LitellmEntry;
    const lp = typeof entry.litellm_provider === 'string' ? entry.litellm_provider : '';
    const provider = PROVIDER_OF[lp];
    if (!provider) {
      const resold = RESELLERS[lp];
      if (resold && wanted.has(resold) && opts.all) result.unmapped.push({ key, reason: `${lp} prices (aip covers the providers' own APIs${resold === 'google' ? ': Gemini Developer API keys are gemini/…' : ''})` });
      else result.otherProviders++;
      continue;
    }
    if (!wanted.has(provider)) continue;
    const bare = key.toLowerCase().replace(/^gemini\//, '');
    const model = findModel(catalog, `${provider}/${bare}`);
    if (model) {
      const exact = model.id === bare;
      const prev = byCatalogId.get(model.id);
      // Prefer the key that is the catalog id itself over a dated alias of it.
      if (!prev || (exact && !prev.exact)) byCatalogId.set(model.id, { key, entry, exact });
      continue;
    }
    candidates.push({ key, id: bare, provider, entry });
  }

  // Catalog models: refresh prices, keep what LiteLLM lacks.
  for (const model of catalog.models) {
    if (!wanted.has(model.provider)) continue;
    const hit = byCatalogId.get(model.id);
    if (!hit) {
      result.unmapped.push({ key: model.id, reason: 'catalog model with no entry in this LiteLLM file (kept as it is)' });
      continue;
    }
    const refreshed = refreshEntry(model, hit.key, hit.entry, opts.today, result);
    if (refreshed) {
      result.models.push(refreshed);
      result.mapped.push({ key: hit.key, id: model.id, new: false });
    }
  }

  // Other models of the three providers: added with --all, otherwise listed.
  if (!opts.all) {
    for (const c of candidates) result.unmapped.push({ key: c.key, reason: 'not in the catalog (add it with --all)' });
    return result;
  }
  const added = new Map<string, Record<string, unknown>>();
  const undatedFirst = candidates.sort((a, b) => a.id.length - b.id.length || a.id.localeCompare(b.id));
  for (const c of undatedFirst) {
    const reason = whyNotNew(c.key, c.id, c.entry);
    if (reason) {
      result.unmapped.push({ key: c.key, reason });
      continue;
    }
    // A dated snapshot priced like its undated model becomes an alias of it.
    const base = DATED.test(c.id) ? added.get(c.id.replace(DATED, '')) : undefined;
    if (base && samePrices(base, c.entry)) {
      (base.aliases as string[]).push(c.id);
      result.mapped.push({ key: c.key, id: base.id as string, new: true });
      continue;
    }
    const entry = newEntry(c.key, c.id, c.provider, c.entry, catalog, opts.today);
    added.set(c.id, entry);
    result.models.push(entry);
    result.mapped.push({ key: c.key, id: c.id, new: true });
  }
  return result;
}

function whyNotNew(key: string, id: string, e: LitellmEntry): string | undefined {
  if (e.mode !== 'chat' && e.mode !== 'embedding') return `mode "${String(e.mode ?? 'unknown')}": aip models chat and embedding calls only`;
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(id)) return key.startsWith('ft:') ? 'fine-tuned model id (ft:…): priced per organisation' : 'id has characters a catalog id cannot have';
  if (perMillion(e.input_cost_per_token) === null) return 'no input_cost_per_token';
  if (e.mode === 'chat' && perMillion(e.output_cost_per_token) === null) return 'no output_cost_per_token';
  const context = positiveInt(e.max_input_tokens) ?? positiveInt(e.max_tokens);
  if (context === null) return 'no max_input_tokens';
  return undefined;
}

function samePrices(base: Record<string, unknown>, e: LitellmEntry): boolean {
  const p = base.prices as Record<string, unknown>;
  return p.input === perMillion(e.input_cost_per_token) && p.output === (perMillion(e.output_cost_per_token) ?? 0);
}

/** Prices from LiteLLM for a model the catalog has; undefined (and listed) if LiteLLM's entry is unusable. */
function refreshEntry(model: Model, key: string, e: LitellmEntry, today: string, result: ImportResult): Record<string, unknown> | undefined {
  const input = perMillion(e.input_cost_per_token);
  const output = model.kind === 'embedding' ? (perMillion(e.output_cost_per_token) ?? 0) : perMillion(e.output_cost_per_token);
  if (input === null || output === null) {
    result.unmapped.push({ key, reason: `no ${input === null ? 'input' : 'output'}_cost_per_token (catalog entry ${model.id} kept as it is)` });
    return undefined;
  }
  const kept: string[] = [];
  const prices: Record<string, unknown> = { input, output };
  const cached = perMillion(e.cache_read_input_token_cost);
  if (cached !== null) prices.cached_input = cached;
  else if (model.prices.cached_input !== null) kept.push('cached_input');
  if (model.provider === 'anthropic') {
    const write = perMillion(e.cache_creation_input_token_cost);
    const write1h = perMillion(e.cache_creation_input_token_cost_above_1hr);
    if (write !== null) prices.cache_write = write;
    else if (model.prices.cache_write !== null) kept.push('cache_write');
    if (write1h !== null) prices.cache_write_1h = write1h;
    else if (model.prices.cache_write_1h !== null) kept.push('cache_write_1h');
  }
  const batchIn = perMillion(e.input_cost_per_token_batches);
  const batchOut = perMillion(e.output_cost_per_token_batches) ?? (batchIn !== null && model.kind === 'embedding' ? 0 : null);
  if (batchIn !== null && batchOut !== null) {
    prices.batch_input = batchIn;
    prices.batch_output = batchOut;
    prices.batch_derived = false;
  } else if (model.batch_api) {
    const listChanged = input !== model.prices.input || output !== model.prices.output;
    if (listChanged && (model.prices.batch_derived || model.provider === 'anthropic')) {
      // The provider states batch = 50% of list: follow the new list price rather than keep a stale half.
      prices.batch_input = round(input / 2);
      prices.batch_output = round(output / 2);
      prices.batch_derived = true;
    } else kept.push(listChanged ? 'batch prices (list price changed: check them)' : 'batch prices');
  }
  const cachedNow = (prices.cached_input as number | undefined) ?? model.prices.cached_input;
  if (model.batch_api && cachedNow !== null) prices.batch_cached_input = batchCachedInput(model.provider, cachedNow);
  const longIn = perMillion(e.input_cost_per_token_above_200k_tokens);
  const longOut = perMillion(e.output_cost_per_token_above_200k_tokens);
  if (longIn !== null && longOut !== null && model.prices.long_context) {
    prices.long_context = { input: longIn, output: longOut, ...(perMillion(e.cache_read_input_token_cost_above_200k_tokens) !== null ? { cached_input: perMillion(e.cache_read_input_token_cost_above_200k_tokens) } : {}) };
  }
  if (kept.length > 0) result.kept.push({ id: model.id, fields: kept, reason: `LiteLLM's "${key}" has no such field; kept from aip's catalog (as_of ${model.as_of})` });
  const out: Record<string, unknown> = { id: model.id, prices };
  const deprecation = typeof e.deprecation_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e.deprecation_date) ? e.deprecation_date : undefined;
  if (deprecation && model.lifecycle.status === 'active' && !model.lifecycle.retires_on) {
    out.lifecycle = { status: 'deprecated', retires_on: deprecation, note: `LiteLLM deprecation_date ${deprecation}` };
  }
  out.source = `${LITELLM_SOURCE}, key "${key}"${kept.length ? `; ${kept.join(', ')} kept from aip's catalog (LiteLLM has none)` : ''}; context and max output kept from aip's catalog`;
  out.as_of = today;
  return out;
}

/** Cached input inside a batch: Anthropic halves it, Gemini keeps the standard price, OpenAI does not stack. */
function batchCachedInput(provider: ProviderId, cached: number): number | null {
  if (provider === 'anthropic') return round(cached / 2);
  if (provider === 'google') return cached;
  return null;
}

function newEntry(key: string, id: string, provider: ProviderId, e: LitellmEntry, catalog: Catalog, today: string): Record<string, unknown> {
  const embedding = e.mode === 'embedding';
  const input = perMillion(e.input_cost_per_token)!;
  const output = embedding ? (perMillion(e.output_cost_per_token) ?? 0) : perMillion(e.output_cost_per_token)!;
  const cached = perMillion(e.cache_read_input_token_cost);
  let batchIn = perMillion(e.input_cost_per_token_batches);
  let batchOut = perMillion(e.output_cost_per_token_batches) ?? (batchIn !== null && embedding ? 0 : null);
  let derived = false;
  // Anthropic: every model's batch usage costs 50% of standard (batch-processing doc).
  if ((batchIn === null || batchOut === null) && provider === 'anthropic') {
    batchIn = round(input / 2);
    batchOut = round(output / 2);
    derived = true;
  }
  const batch = batchIn !== null && batchOut !== null;
  const write = provider === 'anthropic' ? perMillion(e.cache_creation_input_token_cost) : null;
  const write1h = provider === 'anthropic' ? perMillion(e.cache_creation_input_token_cost_above_1hr) : null;
  const prices: Record<string, unknown> = {
    input,
    output,
    cached_input: cached,
    cache_write: write,
    cache_write_1h: write1h,
    batch_input: batch ? batchIn : null,
    batch_output: batch ? batchOut : null,
    batch_cached_input: batch && cached !== null ? batchCachedInput(provider, cached) : null,
    batch_derived: derived,
  };
  const longIn = perMillion(e.input_cost_per_token_above_200k_tokens);
  const longOut = perMillion(e.output_cost_per_token_above_200k_tokens);
  if (longIn !== null && longOut !== null) {
    prices.long_context = { above_input_tokens: 200000, input: longIn, output: longOut, cached_input: perMillion(e.cache_read_input_token_cost_above_200k_tokens) };
  }
  const deprecation = typeof e.deprecation_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e.deprecation_date) ? e.deprecation_date : undefined;
  const sameProvider = catalog.models.find((m) => m.provider === provider);
  const tokenizer =
    provider === 'openai'
      ? { encoding: encodingForOpenAIName(id)?.encoding ?? 'o200k_base' }
      : (sameProvider?.tokenizer ?? { encoding: 'o200k_base', approximate: true, error_note: 'stand-in encoding: the count is an estimate' });
  const reasoning = provider === 'openai' && /^(o\d|gpt-5)/.test(id);
  const notes: string[] = [];
  if (!batch) notes.push('LiteLLM gives no batch price: batch_api false (set it with --catalog if the model has a batch API)');
  if (derived) notes.push('batch = 50% of standard (Anthropic batch-processing doc)');
  return {
    id,
    provider,
    name: id,
    aliases: [],
    kind: embedding ? 'embedding' : reasoning ? 'reasoning' : 'chat',
    prices,
    context_window: positiveInt(e.max_input_tokens) ?? positiveInt(e.max_tokens),
    max_output: embedding ? 0 : (positiveInt(e.max_output_tokens) ?? positiveInt(e.max_tokens) ?? 4096),
    tokenizer,
    speed: { ...typicalSpeed(provider, embedding), source: 'estimate: a provider-wide default, not measured for this model' },
    batch_api: batch,
    caching: cached !== null,
    ...(positiveInt(e.prompt_cache_min_tokens) !== null ? { cache_min_tokens: positiveInt(e.prompt_cache_min_tokens) } : {}),
    rate_limit_class: null,
    lifecycle: deprecation ? { status: 'deprecated', retires_on: deprecation, note: `LiteLLM deprecation_date ${deprecation}` } : { status: 'active' },
    source: `${LITELLM_SOURCE}, key "${key}"${notes.length ? `; ${notes.join('; ')}` : ''}`,
    as_of: today,
  };
}

function typicalSpeed(provider: ProviderId, embedding: boolean): { ttft_s: number; output_tokens_per_s: number } {
  if (embedding) return { ttft_s: 0.2, output_tokens_per_s: 1000 };
  return provider === 'google' ? { ttft_s: 1.0, output_tokens_per_s: 150 } : provider === 'anthropic' ? { ttft_s: 1.0, output_tokens_per_s: 60 } : { ttft_s: 1.0, output_tokens_per_s: 80 };
}
