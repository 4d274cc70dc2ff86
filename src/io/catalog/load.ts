// Loads the catalog: the copy compiled at build time (dist/catalog.json), or, where `aip catalog update`
// wrote a newer one into the user cache, that one; then applies --catalog overlays. In a development
// checkout, a compiled copy older than data/ is ignored and data/ is assembled afresh.
//
// Why the compiled copy was not used in an installed package before: it was trusted only when every data
// file had the size and modification time recorded at build, and `npm pack` stamps every file of a tarball
// with one fixed date (1985-10-26), so after `npm install` the times never matched and each run re-read and
// re-validated the YAML. Now an installed package (no src/ beside dist/) trusts its compiled copy, and a
// checkout compares contents (sha256) when the times differ.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { UsageError, UsageErrors } from '../../core/errors.js';
import { dataDir, packageRoot } from '../paths.js';
import type { Catalog } from '../../core/catalog/schema.js';
import type { CuratedInputs } from '../../core/catalog/build.js';
import type { BaseSnapshot } from '../../core/catalog/base-data.js';
import { catalogCachePath, readCachedCatalog } from './cache.js';
import { COMPILED_FILE, COMPILED_FORMAT, readCatalogFile, type CompiledCatalog, type CompiledExtra } from './compiled-file.js';

/** The files of data/ the catalog is compiled from (the base snapshot and the curated layer). */
export const DATA_FILES = ['base/genai-prices.json', 'providers.yaml', 'models.yaml', 'rate_limits.yaml', 'failure_rates.yaml', 'thresholds.yaml'] as const;
export interface LoadOptions {
  /** --catalog files, resolved against cwd. */
  overlays?: readonly string[];
  cwd?: string;
  /** Read data/ even when a compiled copy is current (tests of the data itself). */
  fresh?: boolean;
  /** The environment: where the user cache is (AIP_CACHE_DIR, XDG_CACHE_HOME, HOME; AIP_NO_CACHE). */
  env?: Record<string, string | undefined>;
  /** Read the overlays from elsewhere than the disk (aip check --trust base: the base revision), named `label`. */
  overlaySource?: { label: string; readText(path: string): Promise<string> };
}

const cache = new Map<string, Catalog>();

export async function loadCatalog(opts: LoadOptions = {}): Promise<Catalog> {
  const overlays = opts.overlays ?? [];
  const cachePath = opts.env ? catalogCachePath(opts.env) : undefined;
  // An update in this process (tests, a long-lived caller) changes the cached file: its stamp is in the key.
  const stamp = cachePath ? fileStamp(cachePath) : '';
  const key = `${opts.fresh ? 'fresh' : ''}|${overlays.join('\n')}|${opts.cwd ?? ''}|${cachePath ?? ''}|${stamp}|${opts.overlaySource?.label ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const compiled = !opts.fresh ? readCompiled() : undefined;
  let base: Omit<Catalog, 'overlays'> = compiled?.catalog ?? (await loadDataDir(dataDir())).catalog;
  if (cachePath && !opts.fresh) {
    const updated = await readCachedCatalog(cachePath, compiled ?? (await compileInMemory()));
    if (updated) base = updated;
  }
  // Not a spread: the compiled catalog reads its models from disk only when they are all asked for.
  let catalog = base as Catalog;
  catalog.overlays = [];
  if (overlays.length > 0) {
    const { applyOverlay } = await import('./overlay.js');
    // Every bad overlay is reported in one run: a refused overlay is skipped and the next applies on top of the rest.
    const errors: UsageError[] = [];
    for (const file of overlays) {
      const path = isAbsolute(file) ? file : resolve(opts.cwd ?? process.cwd(), file);
      try {
        catalog = await applyOverlay(catalog, file, path, opts.overlaySource?.readText);
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

function fileStamp(path: string): string {
  try {
    const st = statSync(path);
    return `${st.size}:${st.mtimeMs}`;
  } catch {
    return 'none';
  }
}

/** The shipped catalog with its curated inputs (for `aip catalog update`), compiled or assembled from data/. */
export async function shippedCatalog(): Promise<CompiledCatalog> {
  return readCompiled() ?? (await compileInMemory());
}

async function compileInMemory(): Promise<CompiledCatalog> {
  const { catalog, curated, curatedHash } = await loadDataDir(dataDir());
  return { format: COMPILED_FORMAT, sources: [], curated_hash: curatedHash, curated, catalog };
}

/** The compiled copy in dist/, if it is current: always in an installed package, by content in a checkout. */
function readCompiled(): CompiledCatalog | undefined {
  try {
    const root = packageRoot();
    const { index, catalog } = readCatalogFile<CompiledExtra>(join(root, 'dist', COMPILED_FILE));
    const compiled: CompiledCatalog = { ...index.extra, catalog };
    if (compiled.format !== COMPILED_FORMAT) return undefined;
    // An installed package has no sources beside dist/: data/ there is the copy the build compiled.
    if (!existsSync(join(root, 'src'))) return compiled;
    const dir = dataDir();
    for (const s of compiled.sources) {
      const path = join(dir, s.file);
      const st = statSync(path);
      if (st.size !== s.size) return undefined;
      if (st.mtimeMs !== s.mtimeMs && sha256(readFileSync(path)) !== s.sha256) return undefined;
    }
    return compiled;
  } catch {
    return undefined;
  }
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export interface LoadedDataDir {
  catalog: Omit<Catalog, 'overlays'>;
  curated: CuratedInputs;
  curatedHash: string;
  skipped: Array<{ provider: string; id: string; reason: string }>;
}

/** Parse, validate and assemble data/ (at build time, in tests, and when the compiled copy is stale). */
export async function loadDataDir(dir: string): Promise<LoadedDataDir> {
  const { parseYamlSource, issuesToErrors } = await import('../../core/parse/yaml-source.js');
  const schema = await import('../../core/catalog/schema.js');
  const { BaseSnapshot } = await import('../../core/catalog/base-data.js');
  const { buildCatalog, curatedHash } = await import('../../core/catalog/build.js');
  const { CuratedFile } = await import('../../core/catalog/curated.js');
  const read = async <S extends z.ZodType>(name: string, s: S): Promise<z.infer<S>> => {
    const path = join(dir, name);
    const src = parseYamlSource(path, await readFile(path, 'utf8'));
    const parsed = s.safeParse(src.data);
    if (!parsed.success) throw new UsageErrors(issuesToErrors(src, s, parsed.error.issues));
    return parsed.data;
  };
  const basePath = join(dir, 'base', 'genai-prices.json');
  const baseParsed = BaseSnapshot.safeParse(JSON.parse(await readFile(basePath, 'utf8')));
  if (!baseParsed.success) {
    const issue = baseParsed.error.issues[0]!;
    throw new UsageError(`the base price data is not in the expected format (${issue.path.join('.')}: ${issue.message})`, { code: 'E_CATALOG', file: basePath });
  }
  const providersFile = await read('providers.yaml', schema.ProvidersFile);
  const curated: CuratedInputs = {
    providers: providersFile.providers,
    providersAsOf: providersFile.as_of,
    models: await read('models.yaml', CuratedFile),
    rateLimits: (await read('rate_limits.yaml', schema.RateLimitsFile)).providers,
    failureRates: await read('failure_rates.yaml', schema.FailureRates),
    thresholds: await read('thresholds.yaml', schema.Thresholds),
  };
  const built = buildCatalog(baseParsed.data as BaseSnapshot, curated, 'shipped');
  if (built.problems.length > 0) throw new UsageErrors(built.problems.map((p) => new UsageError(p, { code: 'E_CATALOG', file: dir })));
  return { catalog: built.catalog, curated, curatedHash: curatedHash(curated), skipped: built.skipped };
}

