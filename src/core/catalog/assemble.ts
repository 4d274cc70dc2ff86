// Builds the catalog's models from the base dataset (list prices, context, name rules) and aip's curated
// layer in data/ (batch terms and stacking per provider and family, long-context tiers, max input/output,
// lifecycle, speeds, service tiers, corrections). Used at build time, by `aip catalog update`, and when a
// provider/model name falls back to another provider's list price (azure/gpt-4o). Pure.
import type { BaseModel, BaseProvider, BaseSnapshot, Tiered } from './base-data.js';
import { activePrices, matchNames } from './match.js';
import type { Model, ProviderTerms, ServiceTier, StackingRule } from './schema.js';
import { encodingForOpenAIName } from '../tokens/tokenizer.js';

type Json = Record<string, unknown>;

export interface CuratedModels {
  as_of: string;
  /** Patches of base models (by id) and complete entries of models the base lacks. */
  models: Json[];
}

export interface AssembleResult {
  /** Model drafts (to validate with the Model schema). */
  models: Json[];
  /** Curated patches whose model the base lacks and which are not complete entries, and other problems. */
  problems: string[];
  /** Base models left out, with the reason (counted in docs/catalog.md). */
  skipped: Array<{ provider: string; id: string; reason: string }>;
}

/** Ids that are not a chat or embedding API call aip can model (audio, images, realtime, fine-tunes, free promos). */
const NOT_TEXT = /(tts|transcrib|whisper|realtime|[-_.]audio|image|dall-e|moderation|computer-use|[-_]live|sonic|rerank|video|[-_]omni|:free$|^ft:|\.ft-|search-preview|deep-research|:extended$|:batch$)/;
const EMBEDDING = /(embed|^voyage-(?!.*rerank))/;
const REASONING = /^(o\d|gpt-5|gpt-6|deepseek-reasoner|deepseek-r1|.*-reasoning|.*thinking|magistral|grok-[34]-?mini|qwq)/;

const round = (n: number): number => (n === 0 ? 0 : Number(n.toPrecision(6)));
/** Text from the downloaded dataset reaches terminals: control characters (escape sequences) are dropped. */
// eslint-disable-next-line no-control-regex -- strips control characters from untrusted text on purpose
const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
const isTiered = (v: unknown): v is Tiered => typeof v === 'object' && v !== null && 'base' in v && 'tiers' in v;
const flat = (v: number | Tiered | undefined): number | undefined => (v === undefined ? undefined : isTiered(v) ? v.base : v);
const tier = (v: number | Tiered | undefined): { start: number; price: number } | undefined => (isTiered(v) ? v.tiers[0] : undefined);

export function isPlainObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Objects merge key by key; anything else (lists included) replaces. */
export function mergePatch(base: unknown, over: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(over)) {
    const out: Json = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergePatch(base[k], v) : v;
    return out;
  }
  return over;
}

/** The model's id in aip: plain for first-party APIs, "provider/…" for the others. */
export function aipId(term: ProviderTerms, baseId: string): string {
  const id = baseId.toLowerCase();
  return term.bare_names ? id : `${term.id}/${id}`;
}

export function assembleModels(base: BaseSnapshot, terms: readonly ProviderTerms[], curated: CuratedModels): AssembleResult {
  const drafts = new Map<string, Json>();
  const skipped: AssembleResult['skipped'] = [];
  const problems: string[] = [];
  for (const term of terms) {
    for (const feed of term.base) {
      const provider = base.providers.find((p) => p.id === feed.provider);
      if (!provider) {
        problems.push(`${term.id}: the base data has no provider "${feed.provider}"`);
        continue;
      }
      const include = feed.include ? new RegExp(feed.include, 'i') : undefined;
      const exclude = feed.exclude ? new RegExp(feed.exclude, 'i') : undefined;
      for (const m of provider.models) {
        if ((include && !include.test(m.id)) || (exclude && exclude.test(m.id))) continue;
        const draft = fromBase(base, provider, m, term);
        if (typeof draft === 'string') {
          skipped.push({ provider: provider.id, id: m.id, reason: draft });
          continue;
        }
        const id = draft.id as string;
        if (drafts.has(id)) {
          skipped.push({ provider: provider.id, id: m.id, reason: `a second base entry for ${id} (the first is kept)` });
          continue;
        }
        drafts.set(id, draft);
      }
    }
  }
  // The curated layer: a patch of a base model, or a complete entry for a model the base lacks.
  const seen = new Map<string, number>();
  curated.models.forEach((entry, i) => {
    let patch = entry;
    const id = String(patch.id ?? '');
    const first = seen.get(id);
    if (first !== undefined) problems.push(`curated model "${id}" is listed twice (entries ${first + 1} and ${i + 1})`);
    seen.set(id, i);
    // from_base: the base dataset names the model otherwise (claude-opus-4-0 for aip's claude-opus-4).
    const fromBase = typeof patch.from_base === 'string' ? patch.from_base : undefined;
    if (fromBase !== undefined) {
      const renamed = drafts.get(fromBase);
      if (!renamed) problems.push(`curated model "${id}": from_base "${fromBase}" is not a model of the base data`);
      else {
        drafts.delete(fromBase);
        drafts.set(id, { ...renamed, id, aliases: [...new Set([fromBase, ...((renamed.aliases as string[]) ?? [])])].filter((a) => a !== id) });
      }
    }
    const { from_base: _fromBase, ...patchBody } = patch;
    patch = patchBody;
    const found = drafts.get(id);
    if (found) {
      const merged = mergePatch(found, patch) as Json;
      merged.source = patch.prices && (patch.prices as Json).input !== undefined ? patch.source : `${String(patch.source)}; list prices: ${String(found.source)}`;
      merged.provenance = { ...(found.provenance as Json), ...((patch.provenance as Json | undefined) ?? {}), curated: { source: String(patch.source), as_of: String(patch.as_of) } };
      drafts.set(id, merged);
    } else {
      const term = terms.find((t) => t.id === patch.provider);
      drafts.set(id, { aliases: [], ...patch, provenance: { ...((patch.provenance as Json | undefined) ?? {}), curated: { source: String(patch.source), as_of: String(patch.as_of) } }, ...(term ? {} : {}) });
    }
  });
  const models: Json[] = [];
  for (const draft of drafts.values()) {
    if (Array.isArray(draft.aliases)) draft.aliases = [...new Set(draft.aliases as string[])].filter((a) => a !== draft.id);
    const term = terms.find((t) => t.id === draft.provider);
    models.push(term ? applyTerms(draft, term) : draft);
  }
  return { models, problems, skipped };
}

/** One base model as a draft catalog entry with list prices, or the reason it is left out. */
function fromBase(base: BaseSnapshot, provider: BaseProvider, m: BaseModel, term: ProviderTerms): Json | string {
  const lower = m.id.toLowerCase();
  if (!/^[a-z0-9][a-z0-9._:@+/-]*$/.test(lower)) return 'a floating alias or an id with characters a catalog id cannot have (~, spaces)';
  if (NOT_TEXT.test(lower)) return 'not a chat or embedding model (audio, image, realtime, fine-tune or free promotion)';
  const { prices: p, changes } = activePrices(m, base.as_of);
  const input = flat(p.input_mtok);
  if (input === undefined) return 'no price per input token';
  const embedding = EMBEDDING.test(lower) && flat(p.output_mtok) === undefined;
  const output = flat(p.output_mtok) ?? (embedding ? 0 : undefined);
  if (output === undefined) return 'no price per output token';
  if (input === 0 && output === 0) return 'priced $0 in the base data: unknown, not free';
  const cached = flat(p.cache_read_mtok);
  const write = flat(p.cache_write_mtok);
  const write1h = flat(p.cache_write_1h_mtok);
  const prices: Json = {
    input: round(input),
    output: round(output),
    cached_input: cached === undefined ? null : round(cached),
    cache_write: write === undefined ? null : round(write),
    cache_write_1h: write1h === undefined ? null : round(write1h),
  };
  const t = tier(p.input_mtok) ?? tier(p.output_mtok);
  if (t) {
    const at = (v: number | Tiered | undefined): number | null => {
      const x = tier(v);
      return x ? round(x.price) : v === undefined ? null : round(flat(v)!);
    };
    prices.long_context = {
      above_input_tokens: Math.max(1, Math.round(t.start)),
      input: at(p.input_mtok),
      output: at(p.output_mtok),
      cached_input: at(p.cache_read_mtok),
      cache_write: at(p.cache_write_mtok),
      cache_write_1h: at(p.cache_write_1h_mtok),
    };
  }
  const { names, patterns } = matchNames(m.match);
  const id = aipId(term, m.id);
  const prefix = term.bare_names ? '' : `${term.id}/`;
  const aliases = [...new Set(names.map((n) => `${prefix}${n}`))].filter((n) => n !== id);
  const url = provider.pricing_urls?.[0];
  const refs = [...(m.price_comments ?? '').matchAll(/https?:\/\/[^\s,)]+/g)].map((x) => x.at(0)!.replace(/[.;]$/, ''));
  const source = clean(`${base.name} ${base.version} (${base.as_of}), ${provider.id} "${m.id}"${url ? `; provider pricing page ${url}` : ''}${refs.length ? `; ${[...new Set(refs)].join(', ')}` : ''}`);
  const kind = embedding ? 'embedding' : REASONING.test(lower.replace(/^[a-z0-9-]+\//, '')) ? 'reasoning' : 'chat';
  const draft: Json = {
    id,
    provider: term.id,
    name: clean(m.name ?? m.id) || lower,
    aliases,
    ...(patterns.length ? { patterns } : {}),
    kind,
    prices,
    ...(m.context_window ? { context_window: m.context_window } : {}),
    ...(embedding ? { max_output: 0 } : {}),
    tokenizer: defaultTokenizer(lower),
    speed: term.default_speed ?? { ttft_s: embedding ? 0.2 : 1.0, output_tokens_per_s: embedding ? 1000 : 60, source: 'estimate: a default, not measured for this model' },
    rate_limit_class: null,
    lifecycle: m.deprecated ? { status: 'deprecated', note: 'marked deprecated in the base data (no date published there)', source: `${base.name} ${base.version}` } : { status: 'active' },
    provenance: { prices: { source, as_of: base.as_of } },
    source,
    as_of: base.as_of,
  };
  if (changes.length > 0) {
    const next = changes[0]!;
    draft.price_change = { from: next.from, input: flat(next.prices.input_mtok) ?? null, output: flat(next.prices.output_mtok) ?? null };
  }
  return draft;
}

const CLAUDE_NOTE =
  "Claude's tokenizer is not published; estimated as o200k_base × 1.16 (the English-prose ratio measured for Claude 3.5). Math runs ~21% and Python ~30% above o200k_base, so the error can exceed ±20% for code or math. Use --exact for Anthropic's count_tokens endpoint.";
const GEMINI_NOTE =
  "Gemini's tokenizer is not published for offline use; counted with o200k_base as a stand-in (Google's rule of thumb: ~4 characters per token). Expect ±25% or more, larger for non-English text and code; Gemini's countTokens endpoint gives the exact figure.";
const OTHER_NOTE = "this model's own tokenizer is not available offline; counted with o200k_base as a stand-in. Expect ±25% or more, larger for non-English text and code.";

export function defaultTokenizer(id: string): Json {
  const bare = id.split('/').pop()!.replace(/^(global|regional|us|eu|apac)\./, '').replace(/^openai\./, '');
  if (/claude/.test(id)) return { encoding: 'o200k_base', factor: 1.16, approximate: true, error_note: CLAUDE_NOTE };
  if (/gemini|gemma/.test(id)) return { encoding: 'o200k_base', approximate: true, error_note: GEMINI_NOTE };
  const openai = /^(gpt-|o\d|text-embedding-|chatgpt-|codex-)/.test(bare) ? encodingForOpenAIName(bare) : undefined;
  if (openai) return { encoding: openai.encoding };
  return { encoding: 'o200k_base', approximate: true, error_note: OTHER_NOTE };
}

const idMatches = (pattern: string | undefined, id: string): boolean => {
  if (!pattern) return true;
  const bare = id.replace(/^[a-z_-]+\//, '');
  return new RegExp(pattern, 'i').test(bare);
};

export function stackingRule(term: ProviderTerms, id: string): StackingRule {
  return term.batch.cache_stacking.find((s) => idMatches(s.models, id))?.rule ?? 'none';
}

const stack = (rule: StackingRule, cached: number | null, discount: number): number | null => {
  if (cached === null) return null;
  if (rule === 'half') return round(cached * discount);
  if (rule === 'unchanged') return cached;
  return null;
};

/**
 * The provider's rules applied to one draft: the batch API and its prices (given, or list × the stated
 * discount), batch cached input by the stacking rule, the long-context tier's batch prices, cache writes from
 * the provider's multipliers where the data lacks them, and the service tiers the model offers.
 */
export function applyTerms(draft: Json, term: ProviderTerms): Json {
  const d: Json = { ...draft, prices: { ...(draft.prices as Json) } };
  const p = d.prices as Json;
  const id = String(d.id);
  const discount = term.batch.discount;
  const batchPossible = term.batch.available && discount !== undefined && idMatches(term.batch.models, id);
  const given = typeof p.batch_input === 'number' && typeof p.batch_output === 'number';
  if (d.batch_api === undefined) d.batch_api = given || batchPossible;
  const rule = stackingRule(term, id);
  const provenance: Json = { ...((d.provenance as Json | undefined) ?? {}) };
  if (d.batch_api === true) {
    if (!given) {
      p.batch_input = round((p.input as number) * (discount ?? 0.5));
      p.batch_output = round((p.output as number) * (discount ?? 0.5));
      // A curated entry may say the derived figure is also the provider's published row (batch_derived: false).
      if (p.batch_derived === undefined) p.batch_derived = true;
    }
    if (p.batch_cached_input === undefined) p.batch_cached_input = stack(rule, (p.cached_input as number | null) ?? null, discount ?? 0.5);
    provenance.batch = { source: `${term.batch.source}${term.batch.note ? ` (${term.batch.note})` : ''}; cached input in a batch: ${ruleWords(rule)}`, as_of: term.batch.as_of };
  } else {
    p.batch_input = null;
    p.batch_output = null;
    p.batch_cached_input = null;
  }
  if (p.cached_input === undefined) p.cached_input = null;
  if (p.cache_write === undefined) p.cache_write = null;
  if (p.cache_write_1h === undefined) p.cache_write_1h = null;
  const c = term.cache;
  if (c && p.cached_input !== null) {
    if (p.cache_write === null && c.write_5m_multiplier) p.cache_write = round((p.input as number) * c.write_5m_multiplier);
    if (p.cache_write_1h === null && c.write_1h_multiplier) p.cache_write_1h = round((p.input as number) * c.write_1h_multiplier);
  }
  const lc = p.long_context as Json | undefined;
  if (lc) {
    const l: Json = { ...lc };
    if (l.cached_input === null && p.cached_input !== null && typeof l.input === 'number') l.cached_input = round((p.cached_input as number) * ((l.input as number) / (p.input as number)));
    if (c && l.cached_input !== null) {
      if ((l.cache_write ?? null) === null && c.write_5m_multiplier && p.cache_write !== null) l.cache_write = round((l.input as number) * c.write_5m_multiplier);
      if ((l.cache_write_1h ?? null) === null && c.write_1h_multiplier && p.cache_write_1h !== null) l.cache_write_1h = round((l.input as number) * c.write_1h_multiplier);
    }
    if (d.batch_api === true) {
      const share = given ? (p.batch_input as number) / (p.input as number) : (discount ?? 0.5);
      if ((l.batch_input ?? null) === null) l.batch_input = round((l.input as number) * share);
      if ((l.batch_output ?? null) === null) l.batch_output = round((l.output as number) * share);
      if ((l.batch_cached_input ?? null) === null) l.batch_cached_input = stack(rule, (l.cached_input as number | null) ?? null, share);
    } else {
      l.batch_input = null;
      l.batch_output = null;
      l.batch_cached_input = null;
    }
    p.long_context = l;
  }
  if (d.caching === undefined) d.caching = p.cached_input !== null;
  const tiers = serviceTiers(d, term);
  if (tiers.length > 0 || d.service_tiers !== undefined) d.service_tiers = [...((d.service_tiers as ServiceTier[] | undefined) ?? []), ...tiers];
  d.provenance = provenance;
  return d;
}

function ruleWords(rule: StackingRule): string {
  if (rule === 'half') return 'the batch discount applies to the cached price too';
  if (rule === 'unchanged') return 'cached tokens keep the standard cache price';
  return 'no stacking published: cached tokens pay the batch input price';
}

/** The tiers besides standard that a model offers, priced from the provider's terms. */
function serviceTiers(d: Json, term: ProviderTerms): ServiceTier[] {
  const out: ServiceTier[] = [];
  const id = String(d.id);
  const bare = id.replace(/^[a-z_-]+\//, '');
  const p = d.prices as Json;
  for (const t of term.service_tiers) {
    if (!idMatches(t.models, id)) continue;
    const behaviour = pick(t, ['shed_share', 'ttft_factor', 'tokens_per_s_factor', 'limit_share', 'behaviour_source']);
    const common = { source: t.source, as_of: t.as_of, ...behaviour, ...(t.note ? { note: t.note } : {}), ...(t.sold ? {} : { sold: false, note: `${t.note ? `${t.note}; ` : ''}no longer sold: only for accounts that already have it` }) };
    if (t.tier === 'provisioned') {
      out.push({ tier: 'provisioned', ...pick(t, ['usd_per_unit_hour', 'input_tpm_per_unit', 'min_units', 'unit_increment', 'min_term', 'batch_discount_applies', 'spillover']), ...common });
      continue;
    }
    if (t.prices) {
      const row = t.prices[bare];
      if (!row) continue;
      out.push({ tier: t.tier, input: row.input, output: row.output, ...(row.cached_input !== undefined && row.cached_input !== null ? { cached_input: row.cached_input } : {}), ...common });
    } else if (t.at_batch_prices) {
      if (d.batch_api !== true) continue;
      out.push({ tier: t.tier, input: p.batch_input as number, output: p.batch_output as number, ...(p.batch_cached_input !== null && p.batch_cached_input !== undefined ? { cached_input: p.batch_cached_input as number } : p.cached_input !== null ? { cached_input: round((p.cached_input as number) * (term.batch.discount ?? 0.5)) } : {}), ...common });
    } else if (t.multiplier !== undefined) {
      const m = t.multiplier;
      out.push({ tier: t.tier, multiplier: m, input: round((p.input as number) * m), output: round((p.output as number) * m), ...(p.cached_input !== null ? { cached_input: round((p.cached_input as number) * m) } : {}), ...common });
    } else {
      // Offered, but no price is published: listed, never priced.
      out.push({ tier: t.tier, ...common });
    }
  }
  return out;
}

function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/**
 * A model another provider charges the list price of (Azure Global deployments of OpenAI models): the same
 * prices and limits of context, under the other provider's id, with that provider's batch and tier terms.
 * Its rate limits are not borrowed: none are published for it here.
 */
export function pricedAs(model: Model, term: ProviderTerms, baseIdOverride?: string): Model {
  const bare = baseIdOverride ?? model.id.replace(/^[a-z_-]+\//, '');
  const p = { ...model.prices } as Json;
  for (const k of ['batch_input', 'batch_output', 'batch_cached_input', 'batch_derived']) delete p[k];
  if (p.long_context) {
    const l = { ...(p.long_context as Json) };
    for (const k of ['batch_input', 'batch_output', 'batch_cached_input']) l[k] = null;
    p.long_context = l;
  }
  const draft: Json = {
    ...model,
    id: `${term.id}/${bare}`,
    provider: term.id,
    aliases: model.aliases.map((a) => `${term.id}/${a}`),
    patterns: undefined,
    prices: p,
    batch_api: undefined,
    service_tiers: undefined,
    rate_limit_class: null,
    source: `priced as ${model.provider}'s ${model.id}${term.priced_as_note ? ` (${term.priced_as_note})` : ''}: ${model.source}`,
  };
  delete draft.patterns;
  delete draft.batch_api;
  delete draft.service_tiers;
  return applyTerms(draft, term) as unknown as Model;
}
