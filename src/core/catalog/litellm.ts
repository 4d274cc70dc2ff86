// Maps LiteLLM's public price map (model_prices_and_context_window.json: USD per token) to catalog overlay
// entries (USD per 1M tokens) for --catalog. Pure: the parsed JSON, the catalog and the file's date in;
// entries and the list of what could not be mapped (with the reason) out. The provider's own rules (batch
// discount, batch × cache stacking, cache-write multipliers) fill what LiteLLM lacks and correct what it gets
// wrong, and every such correction is listed.
import { findModel } from './models.js';
import type { Catalog, Model, ProviderId, ProviderTerms } from './schema.js';
import { encodingForOpenAIName } from '../tokens/tokenizer.js';
import { stackingRule } from './assemble.js';

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
  /** YYYY-MM-DD: the date of the LiteLLM file (--as-of, else the file's modification date), never today. */
  asOf: string;
}

export interface Correction {
  id: string;
  key: string;
  field: string;
  litellm: number;
  used: number;
  reason: string;
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
  /** LiteLLM figures that break the provider's own rule, and the figure used instead. */
  corrected: Correction[];
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
  const result: ImportResult = { models: [], mapped: [], kept: [], unmapped: [], otherProviders: 0, corrected: [] };
  const terms = (id: ProviderId) => catalog.providers.find((p) => p.id === id);
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
    // gemini/… is the Gemini Developer API; a provider-prefixed key names the same model as the bare one.
    const bare = key.toLowerCase().replace(/^(gemini|openai|anthropic)\//, '');
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
    const refreshed = refreshEntry(model, hit.key, hit.entry, opts.asOf, result, terms(model.provider));
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
  const keyOf = new Map<string, string>();
  const undatedFirst = candidates.sort((a, b) => a.id.length - b.id.length || a.id.localeCompare(b.id) || a.key.length - b.key.length);
  for (const c of undatedFirst) {
    const reason = whyNotNew(c.key, c.id, c.entry);
    if (reason) {
      result.unmapped.push({ key: c.key, reason });
      continue;
    }
    // Two keys for one id (gpt-4o and openai/gpt-4o): one entry; different prices are named, never silently merged.
    const twin = added.get(c.id);
    if (twin) {
      const same = samePrices(twin, c.entry);
      result.unmapped.push({ key: c.key, reason: same ? `same model and prices as "${keyOf.get(c.id)}"` : `duplicate of "${keyOf.get(c.id)}" with different prices ($${perMillion(c.entry.input_cost_per_token)} / $${perMillion(c.entry.output_cost_per_token) ?? 0} against $${String((twin.prices as Record<string, unknown>).input)} / $${String((twin.prices as Record<string, unknown>).output)} per 1M): "${keyOf.get(c.id)}" kept` });
      continue;
    }
    // A dated snapshot priced like its undated model becomes an alias of it.
    const base = DATED.test(c.id) ? added.get(c.id.replace(DATED, '')) : undefined;
    if (base && samePrices(base, c.entry)) {
      (base.aliases as string[]).push(c.id);
      result.mapped.push({ key: c.key, id: base.id as string, new: true });
      continue;
    }
    const entry = newEntry(c.key, c.id, c.provider, c.entry, catalog, opts.asOf, terms(c.provider), result);
    added.set(c.id, entry);
    keyOf.set(c.id, c.key);
    result.models.push(entry);
    result.mapped.push({ key: c.key, id: c.id, new: true });
  }
  return result;
}

/** LiteLLM's "responses" mode (o3-pro, gpt-5-pro, gpt-5-codex: the Responses API only) is a chat model to aip. */
const CHAT_MODES = new Set(['chat', 'responses']);

function whyNotNew(key: string, id: string, e: LitellmEntry): string | undefined {
  if (!CHAT_MODES.has(String(e.mode)) && e.mode !== 'embedding') return `mode "${String(e.mode ?? 'unknown')}": aip models chat and embedding calls only`;
  if (perMillion(e.input_cost_per_token) === 0 && (perMillion(e.output_cost_per_token) ?? 0) === 0) return 'priced $0 in LiteLLM: an unknown price, not a free model';
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
function refreshEntry(model: Model, key: string, e: LitellmEntry, asOf: string, result: ImportResult, term: ProviderTerms | undefined): Record<string, unknown> | undefined {
  const input = perMillion(e.input_cost_per_token);
  const output = model.kind === 'embedding' ? (perMillion(e.output_cost_per_token) ?? 0) : perMillion(e.output_cost_per_token);
  if (input === null || output === null) {
    result.unmapped.push({ key, reason: `no ${input === null ? 'input' : 'output'}_cost_per_token (catalog entry ${model.id} kept as it is)` });
    return undefined;
  }
  if (input === 0 && output === 0) {
    result.unmapped.push({ key, reason: `priced $0 in LiteLLM: an unknown price, not a free model (catalog entry ${model.id} kept as it is)` });
    return undefined;
  }
  const kept: string[] = [];
  const prices: Record<string, unknown> = { input, output };
  const cached = perMillion(e.cache_read_input_token_cost);
  if (cached !== null) prices.cached_input = cached;
  else if (model.prices.cached_input !== null) kept.push('cached_input');
  if (model.provider === 'anthropic') {
    const write = ruleChecked(model.id, key, 'cache_write', perMillion(e.cache_creation_input_token_cost), input, term?.cache?.write_5m_multiplier, result, model.prices.cache_write);
    const write1h = ruleChecked(model.id, key, 'cache_write_1h', perMillion(e.cache_creation_input_token_cost_above_1hr), input, term?.cache?.write_1h_multiplier, result, model.prices.cache_write_1h);
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
  if (model.batch_api && cachedNow !== null) prices.batch_cached_input = batchCachedInput(term, model.id, cachedNow);
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
  out.as_of = asOf;
  return out;
}

/**
 * A cache-write price checked against the provider's multiplier of input (Anthropic: 5-minute 1.25×, 1-hour
 * 2×). LiteLLM has had such figures wrong (claude-3-haiku's 1-hour write at $6 instead of $0.50): the rule's
 * figure is used and the correction listed.
 */
function ruleChecked(id: string, key: string, field: string, value: number | null, input: number, multiplier: number | undefined, result: ImportResult, known?: number | null): number | null {
  if (value === null || multiplier === undefined) return value;
  const expected = round(input * multiplier);
  // Small departures are the provider's own (Haiku 3 writes at $0.30, 1.2× its $0.25): only a figure far off
  // the rule is a data error. The catalog's figure for the model replaces it where there is one, else the rule's.
  if (Math.abs(value - expected) <= expected * 0.25) return value;
  const used = known !== undefined && known !== null && Math.abs(known - expected) <= expected * 0.25 ? known : expected;
  result.corrected.push({ id, key, field, litellm: value, used, reason: `the provider's rule is ${multiplier}× input ($${input}): LiteLLM's $${value} breaks it` });
  return used;
}

/** Cached input inside a batch, by the provider's stacking rule (data/providers.yaml). */
function batchCachedInput(term: ProviderTerms | undefined, id: string, cached: number): number | null {
  if (!term) return null;
  const rule = stackingRule(term, id);
  if (rule === 'half') return round(cached * (term.batch.discount ?? 0.5));
  if (rule === 'unchanged') return cached;
  return null;
}

function newEntry(key: string, id: string, provider: ProviderId, e: LitellmEntry, catalog: Catalog, asOf: string, term: ProviderTerms | undefined, result: ImportResult): Record<string, unknown> {
  const embedding = e.mode === 'embedding';
  const input = perMillion(e.input_cost_per_token)!;
  const output = embedding ? (perMillion(e.output_cost_per_token) ?? 0) : perMillion(e.output_cost_per_token)!;
  const cached = perMillion(e.cache_read_input_token_cost);
  let batchIn = perMillion(e.input_cost_per_token_batches);
  let batchOut = perMillion(e.output_cost_per_token_batches) ?? (batchIn !== null && embedding ? 0 : null);
  let derived = false;
  // LiteLLM lacks batch fields for many new models: the provider's stated discount gives them (data/providers.yaml).
  const discount = term?.batch.available ? term.batch.discount : undefined;
  const batchModels = term?.batch.models ? new RegExp(term.batch.models, 'i') : undefined;
  if ((batchIn === null || batchOut === null) && discount !== undefined && (!batchModels || batchModels.test(id))) {
    batchIn = round(input * discount);
    batchOut = round(output * discount);
    derived = true;
  }
  const batch = batchIn !== null && batchOut !== null;
  const write = provider === 'anthropic' ? ruleChecked(id, key, 'cache_write', perMillion(e.cache_creation_input_token_cost), input, term?.cache?.write_5m_multiplier, result) : null;
  const write1h = provider === 'anthropic' ? ruleChecked(id, key, 'cache_write_1h', perMillion(e.cache_creation_input_token_cost_above_1hr), input, term?.cache?.write_1h_multiplier, result) : null;
  const prices: Record<string, unknown> = {
    input,
    output,
    cached_input: cached,
    cache_write: write,
    cache_write_1h: write1h,
    batch_input: batch ? batchIn : null,
    batch_output: batch ? batchOut : null,
    batch_cached_input: batch && cached !== null ? batchCachedInput(term, id, cached) : null,
    batch_derived: derived,
  };
  const longIn = perMillion(e.input_cost_per_token_above_200k_tokens);
  const longOut = perMillion(e.output_cost_per_token_above_200k_tokens);
  if (longIn !== null && longOut !== null) {
    prices.long_context = { above_input_tokens: 200000, input: longIn, output: longOut, cached_input: perMillion(e.cache_read_input_token_cost_above_200k_tokens) };
  }
  const deprecation = typeof e.deprecation_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e.deprecation_date) ? e.deprecation_date : undefined;
  const sameProvider = findModel(catalog, provider === 'anthropic' ? 'claude-haiku-4-5' : provider === 'google' ? 'gemini-2.5-flash' : 'gpt-4o');
  const tokenizer =
    provider === 'openai'
      ? { encoding: encodingForOpenAIName(id)?.encoding ?? 'o200k_base' }
      : (sameProvider?.tokenizer ?? { encoding: 'o200k_base', approximate: true, error_note: 'stand-in encoding: the count is an estimate' });
  const reasoning = provider === 'openai' && /^(o\d|gpt-5|gpt-6)/.test(id);
  const notes: string[] = [];
  if (!batch) notes.push(`no batch price in LiteLLM and no published discount for ${provider}: batch_api false`);
  if (derived) notes.push(`batch = ${Math.round((discount ?? 0.5) * 100)}% of standard (${term?.batch.source ?? provider})`);
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
    as_of: asOf,
  };
}

function typicalSpeed(provider: ProviderId, embedding: boolean): { ttft_s: number; output_tokens_per_s: number } {
  if (embedding) return { ttft_s: 0.2, output_tokens_per_s: 1000 };
  return provider === 'google' ? { ttft_s: 1.0, output_tokens_per_s: 150 } : provider === 'anthropic' ? { ttft_s: 1.0, output_tokens_per_s: 60 } : { ttft_s: 1.0, output_tokens_per_s: 80 };
}
