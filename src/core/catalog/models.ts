// Finding a model by the names people write: its id or an alias, "provider/model" (azure/gpt-4o,
// bedrock/anthropic.claude-…, vertex_ai/gemini-…, openrouter/openai/gpt-4o), a dated snapshot
// (gpt-4o-2024-08-06, claude-3-5-sonnet-20241022), a -latest alias, or the plain first-party name.
// A name that matches nothing gets a "did you mean" across every provider; an unknown provider prefix gets
// the list of known providers.
import { UsageError } from '../errors.js';
import { closest } from '../suggest.js';
import { matchesPattern } from './match.js';
import { pricedAs } from './assemble.js';
import type { Catalog, Model, ProviderTerms } from './schema.js';

interface Finder {
  byName(name: string): Model | undefined;
  /** Models of a provider that have name patterns (dated snapshots). */
  patterned(provider: string): Array<{ model: () => Model; patterns: string[] }>;
  /** Every lower-case id and alias (for "did you mean"). */
  names(): string[];
  /** Models priced as another provider's (azure/gpt-4o), made once. */
  derived: Map<string, Model>;
}

const finders = new WeakMap<object, Finder>();

/** Look-ups over the compiled catalog's index (models read one by one), or over the models in memory. */
function finderOf(catalog: Catalog): Finder {
  const key: object = catalog.lookup ?? catalog.models;
  const found = finders.get(key);
  if (found) return found;
  let finder: Finder;
  const lookup = catalog.lookup;
  if (lookup) {
    const patterned = lookup.withPatterns();
    finder = {
      byName: (n) => lookup.byName(n),
      patterned: (provider) => patterned.filter((p) => p.provider === provider),
      names: () => lookup.names(),
      derived: new Map(),
    };
  } else {
    const names = new Map<string, Model>();
    for (const m of catalog.models) {
      for (const n of [m.id, ...m.aliases]) {
        const k = n.toLowerCase();
        if (!names.has(k)) names.set(k, m);
      }
    }
    finder = {
      byName: (n) => names.get(n),
      patterned: (provider) => catalog.models.filter((m) => m.provider === provider && m.patterns?.length).map((m) => ({ model: () => m, patterns: m.patterns! })),
      names: () => [...names.keys()],
      derived: new Map(),
    };
  }
  finders.set(key, finder);
  return finder;
}

/** The provider a prefix names: its id or one of the ways people write it (gemini → google, aws → bedrock). */
export function providerFor(catalog: Catalog, prefix: string): ProviderTerms | undefined {
  const p = prefix.toLowerCase();
  return catalog.providers.find((t) => t.id === p) ?? catalog.providers.find((t) => t.prefixes.includes(p));
}

/** Every lower-case id and alias of the catalog (without reading the models of a compiled catalog). */
export function allNames(catalog: Catalog): string[] {
  return finderOf(catalog).names();
}

/** The models of one provider, read one by one from a compiled catalog. */
export function modelsOf(catalog: Catalog, providerId: string): Model[] {
  return catalog.lookup ? catalog.lookup.ofProvider(providerId) : catalog.models.filter((m) => m.provider === providerId);
}

/** How many models each provider has, without reading the models of a compiled catalog. */
export function providerCounts(catalog: Catalog): Record<string, number> {
  if (catalog.lookup) return catalog.lookup.providerCounts();
  const out: Record<string, number> = {};
  for (const m of catalog.models) out[m.provider] = (out[m.provider] ?? 0) + 1;
  return out;
}

/** Every provider id a user can write, for messages (and those only an overlay added). */
export function knownProviders(catalog: Catalog): string[] {
  const ids = new Set(catalog.providers.map((p) => p.id));
  if (!catalog.lookup) for (const m of catalog.models) ids.add(m.provider);
  return [...ids];
}

const DATED = /-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/** Names to try after the exact one: without -latest, without a date suffix. */
function variants(name: string): string[] {
  const out: string[] = [];
  if (name.endsWith('-latest')) out.push(name.slice(0, -'-latest'.length));
  if (DATED.test(name)) out.push(name.replace(DATED, ''));
  return out;
}

/** A model of one provider by the rest of the name (after "provider/"). */
function within(catalog: Catalog, term: ProviderTerms | undefined, providerId: string, rest: string): Model | undefined {
  const finder = finderOf(catalog);
  const bare = term?.bare_names ?? false;
  for (const candidate of [rest, ...variants(rest)]) {
    const hit = finder.byName(bare ? candidate : `${providerId}/${candidate}`) ?? finder.byName(candidate);
    if (hit && hit.provider === providerId) return hit;
  }
  for (const p of finder.patterned(providerId)) {
    if (p.patterns.some((x) => matchesPattern(rest, x))) return p.model();
  }
  return undefined;
}

export function findModel(catalog: Catalog, name: string): Model | undefined {
  const wanted = name.trim().toLowerCase();
  if (wanted === '') return undefined;
  const finder = finderOf(catalog);
  const direct = finder.byName(wanted);
  if (direct) return direct;
  const slash = wanted.indexOf('/');
  if (slash > 0) {
    const term = providerFor(catalog, wanted.slice(0, slash));
    if (!term) return undefined;
    const rest = wanted.slice(slash + 1);
    const own = within(catalog, term, term.id, rest);
    if (own) return own;
    // Azure Global, Claude on Vertex: the model maker's list price under this provider's terms.
    for (const maker of term.priced_as ?? []) {
      const m = within(catalog, providerFor(catalog, maker), maker, rest);
      if (!m) continue;
      const key = `${term.id}/${m.id}`;
      const cached = finder.derived.get(key);
      if (cached) return cached;
      const derived = pricedAs(m, term, m.id);
      finder.derived.set(key, derived);
      return derived;
    }
    return undefined;
  }
  // A plain name: the first-party APIs, by their name rules (dated snapshots, -latest).
  for (const term of catalog.providers) {
    if (!term.bare_names) continue;
    const m = within(catalog, term, term.id, wanted);
    if (m) return m;
  }
  return undefined;
}

export interface Where {
  file?: string;
  line?: number;
  col?: number;
  field?: string;
  option?: string;
}

/** The model, or a UsageError: the known providers for an unknown prefix, else the closest names. */
export function resolveModel(catalog: Catalog, name: string, where: Where = {}): Model {
  const model = findModel(catalog, name);
  if (model) return model;
  const wanted = name.trim().toLowerCase();
  const slash = wanted.indexOf('/');
  if (slash > 0 && !providerFor(catalog, wanted.slice(0, slash))) {
    const prefix = wanted.slice(0, slash);
    const providers = knownProviders(catalog);
    const guess = closest(prefix, [...providers, ...catalog.providers.flatMap((p) => p.prefixes)], 1)[0];
    // A name from a file is not quoted back (file values stay out of logs); one typed as an option is.
    throw new UsageError(where.file ? 'unknown provider in the model name' : `unknown provider "${name.slice(0, slash)}" in model "${name}"`, {
      code: 'E_UNKNOWN_PROVIDER',
      ...where,
      expected: `a model id, or provider/model with one of these providers: ${providers.join(', ')}`,
      hint: guess ? `did you mean "${providerFor(catalog, guess)?.id ?? guess}/${name.slice(slash + 1)}"?` : 'add the model with --catalog FILE (provider: self-hosted for your own)',
    });
  }
  throw new UsageError(where.file ? 'unknown model' : `unknown model "${name}"`, {
    code: 'E_UNKNOWN_MODEL',
    ...where,
    expected: 'a model id from the catalog (see "aip models"), provider/model, or a dated snapshot',
    hint: suggestion(catalog, wanted),
  });
}

function suggestion(catalog: Catalog, wanted: string): string {
  const slash = wanted.indexOf('/');
  const term = slash > 0 ? providerFor(catalog, wanted.slice(0, slash)) : undefined;
  const rest = slash > 0 ? wanted.slice(slash + 1) : wanted;
  // Within the named provider first; across every provider for a plain name (llama-3.1-8b-instant → groq/…).
  const all = finderOf(catalog).names();
  const own = (n: string) => {
    if (!term) return true;
    const m = finderOf(catalog).byName(n);
    return m !== undefined && (m.provider === term.id || (term.priced_as ?? []).includes(m.provider));
  };
  const pool = term ? all.filter((n) => (term.bare_names ? !n.includes('/') : n.startsWith(`${term.id}/`)) || (term.priced_as ?? []).some((p) => !n.includes('/') || n.startsWith(`${p}/`))) : all;
  let guesses = closest(rest, pool, 3).filter(own);
  if (guesses.length === 0 && term) guesses = closest(rest, all, 3);
  if (guesses.length === 0) return 'run "aip models" (or "aip models --provider NAME") for the list, or add it with --catalog FILE';
  const shown = guesses.map((g) => (term && !term.bare_names && !g.includes('/') ? `${term.id}/${g}` : g));
  return `did you mean ${shown.map((g) => `"${g}"`).join(' or ')}?`;
}
