// Loads the catalog from data/ (or its copy compiled at build time, when that copy is current), applies
// --catalog overlays, and checks the rules a schema cannot express (ids unique, references resolve).
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { UsageError, UsageErrors } from '../../core/errors.js';
import { dataDir, packageRoot } from '../paths.js';
import type { Catalog, FailureRates, Model, ProviderLimits, Thresholds } from '../../core/catalog/schema.js';

export const DATA_FILES = ['models.yaml', 'rate_limits.yaml', 'failure_rates.yaml', 'thresholds.yaml'] as const;

export interface CompiledCatalog {
  sources: Array<{ file: string; size: number; mtimeMs: number }>;
  catalog: Omit<Catalog, 'overlays'>;
}

export interface LoadOptions {
  /** --catalog files, resolved against cwd. */
  overlays?: readonly string[];
  cwd?: string;
  /** Read data/ even when a compiled copy is current (tests of the data itself). */
  fresh?: boolean;
}

const cache = new Map<string, Catalog>();

export async function loadCatalog(opts: LoadOptions = {}): Promise<Catalog> {
  const overlays = opts.overlays ?? [];
  const key = `${opts.fresh ? 'fresh' : ''}|${overlays.join('\n')}|${opts.cwd ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const base = (!opts.fresh && readCompiled()) || (await loadDataDir(dataDir()));
  let catalog: Catalog = { ...base, overlays: [] };
  if (overlays.length > 0) {
    const { applyOverlay } = await import('./overlay.js');
    // Every bad overlay is reported in one run: a refused overlay is skipped and the next applies on top of the rest.
    const errors: UsageError[] = [];
    for (const file of overlays) {
      const path = isAbsolute(file) ? file : resolve(opts.cwd ?? process.cwd(), file);
      try {
        catalog = await applyOverlay(catalog, file, path);
      } catch (err) {
        if (err instanceof UsageErrors) errors.push(...err.errors);
        else if (err instanceof UsageError) errors.push(err);
        else throw err;
      }
    }
    if (errors.length > 0) throw new UsageErrors(errors);
  }
  cache.set(key, catalog);
  return catalog;
}

/** The compiled copy in dist/, if it was built from the data files as they are now. */
function readCompiled(): Omit<Catalog, 'overlays'> | undefined {
  try {
    const compiled = JSON.parse(readFileSync(join(packageRoot(), 'dist', 'catalog.json'), 'utf8')) as CompiledCatalog;
    const dir = dataDir();
    for (const s of compiled.sources) {
      const st = statSync(join(dir, s.file));
      if (st.size !== s.size || st.mtimeMs !== s.mtimeMs) return undefined;
    }
    return compiled.catalog;
  } catch {
    return undefined;
  }
}

/** Parse and validate data/*.yaml (used at build time, by tests, and when the compiled copy is stale). */
export async function loadDataDir(dir: string): Promise<Omit<Catalog, 'overlays'>> {
  const { parseYamlSource, issuesToErrors } = await import('../../core/parse/yaml-source.js');
  const schema = await import('../../core/catalog/schema.js');
  const read = async <S extends z.ZodType>(name: string, s: S): Promise<z.infer<S>> => {
    const path = join(dir, name);
    const src = parseYamlSource(path, await readFile(path, 'utf8'));
    const parsed = s.safeParse(src.data);
    if (!parsed.success) throw new UsageErrors(issuesToErrors(src, s, parsed.error.issues));
    return parsed.data;
  };
  const models = (await read('models.yaml', schema.ModelsFile)).models;
  const rateLimits = (await read('rate_limits.yaml', schema.RateLimitsFile)).providers;
  const failureRates = await read('failure_rates.yaml', schema.FailureRates);
  const thresholds = await read('thresholds.yaml', schema.Thresholds);
  const catalog = { models, rateLimits, failureRates, thresholds, asOf: newestAsOf(models, rateLimits, failureRates, thresholds) };
  const problems = checkCatalogRules(catalog);
  if (problems.length > 0) throw new UsageErrors(problems.map((p) => new UsageError(p, { code: 'E_CATALOG', file: dir })));
  return catalog;
}

export function newestAsOf(models: Model[], rateLimits: ProviderLimits[], failureRates: FailureRates, thresholds: Thresholds): string {
  const dates = [
    ...models.map((m) => m.as_of),
    ...rateLimits.map((p) => p.as_of),
    ...rateLimits.flatMap((p) => p.classes.map((c) => c.as_of)),
    failureRates.as_of,
    thresholds.as_of,
  ];
  return dates.reduce((a, b) => (b > a ? b : a), '0000-00-00');
}

/** Cross-entry rules: unique ids and aliases, references that resolve, prices that match the flags. */
export function checkCatalogRules(catalog: Omit<Catalog, 'overlays'>): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  for (const m of catalog.models) {
    for (const name of [m.id, ...m.aliases]) {
      const owner = names.get(name);
      if (owner) problems.push(`model name "${name}" is used by both ${owner} and ${m.id}`);
      names.set(name, m.id);
    }
    const p = m.prices;
    if (m.batch_api && (p.batch_input === null || p.batch_output === null)) problems.push(`${m.id}: batch_api is true but batch prices are missing`);
    if (!m.batch_api && (p.batch_input !== null || p.batch_output !== null)) problems.push(`${m.id}: batch prices are set but batch_api is false`);
    if (m.caching && p.cached_input === null) problems.push(`${m.id}: caching is true but cached_input is null`);
    if (m.max_input !== undefined && m.max_input > m.context_window) problems.push(`${m.id}: max_input ${m.max_input} is larger than context_window ${m.context_window}`);
    if (m.rate_limit_class !== null) {
      const provider = catalog.rateLimits.find((r) => r.provider === m.provider);
      if (!provider?.classes.some((c) => c.class === m.rate_limit_class)) {
        problems.push(`${m.id}: rate_limit_class "${m.rate_limit_class}" is not a class of ${m.provider} in rate_limits.yaml`);
      }
    }
  }
  for (const p of catalog.rateLimits) {
    const tiers = p.tier_systems.flatMap((s) => s.tiers);
    if (!tiers.includes(p.default_tier)) problems.push(`${p.provider}: default_tier "${p.default_tier}" is not one of its tiers`);
    for (const c of p.classes) {
      for (const t of Object.keys(c.limits)) if (!tiers.includes(t)) problems.push(`${p.provider}/${c.class}: tier "${t}" is not one of ${tiers.join(', ')}`);
      for (const id of c.models) {
        const m = catalog.models.find((x) => x.id === id);
        if (!m) problems.push(`${p.provider}/${c.class}: lists "${id}", which is not a model id in models.yaml`);
        else if (c.above_input_tokens === undefined && m.rate_limit_class !== c.class) problems.push(`${p.provider}/${c.class}: lists ${id}, but ${id} has rate_limit_class ${m.rate_limit_class ?? 'null'}`);
      }
    }
  }
  return problems;
}
