// Loads the catalog from data/ (or its copy compiled at build time, when that copy is current), applies
// --catalog overlays, and checks the rules a schema cannot express (ids unique, references resolve).
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { UsageError, UsageErrors } from '../../core/errors.js';
import { dataDir, packageRoot } from '../paths.js';
import type { Catalog } from '../../core/catalog/schema.js';
import { checkCatalogRules, newestAsOf } from '../../core/catalog/rules.js';

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
