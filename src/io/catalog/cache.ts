// The catalog `aip catalog update` writes into the user cache directory, and its reading at start-up.
// Location: $AIP_CACHE_DIR, else $XDG_CACHE_HOME/aip, else ~/.cache/aip (AIP_NO_CACHE=1: none, the shipped
// catalog only). Same format as the compiled catalog (an index line, then a model per line) with the base
// data it was made from on the last line. Written atomically (a temporary file in the same directory, then
// rename), so a failed or interrupted update leaves the previous catalog as it was.
import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheDirectory } from '../token-cache.js';
import type { Catalog } from '../../core/catalog/schema.js';
import type { BaseSnapshot } from '../../core/catalog/base-data.js';
import { catalogFileText, readCatalogFile, type CompiledCatalog } from './compiled-file.js';

export const CACHE_FORMAT = 'aip-catalog-cache/1';
const FILE = join('catalog', 'catalog.jsonl');

export interface CacheExtra {
  format: typeof CACHE_FORMAT;
  /** Where the data came from (URL or file) and when it was fetched. */
  from: string;
  fetched_at: string;
  curated_hash: string;
  /** Byte offset and length of the base data line (after the index line). */
  base_range: [number, number];
}

export function catalogCachePath(env: Record<string, string | undefined>): string | undefined {
  const dir = cacheDirectory(env);
  return dir ? join(dir, FILE) : undefined;
}

/**
 * The updated catalog, when there is one and it is not older than the shipped one. Made with other curated
 * data (aip was upgraded since): its base is merged again with the shipped curated layer. Unreadable: ignored.
 */
export async function readCachedCatalog(path: string, shipped: CompiledCatalog): Promise<Omit<Catalog, 'overlays'> | undefined> {
  let read: ReturnType<typeof readCatalogFile<CacheExtra>>;
  try {
    read = readCatalogFile<CacheExtra>(path);
  } catch {
    return undefined;
  }
  const { index, catalog } = read;
  if (index.extra.format !== CACHE_FORMAT || !catalog.data) return undefined;
  // The package's own data is newer than the download: the shipped catalog wins.
  if (catalog.data.base.as_of < (shipped.catalog.data?.base.as_of ?? '')) return undefined;
  const data = { ...catalog.data, origin: 'cache' as const, from: index.extra.from, path };
  if (index.extra.curated_hash === shipped.curated_hash) {
    catalog.data = data;
    catalog.asOf = data.asOf;
    return catalog;
  }
  const base = readBaseLine(path, index.extra.base_range);
  if (!base) return undefined;
  const { buildCatalog } = await import('../../core/catalog/build.js');
  const built = buildCatalog(base, shipped.curated, 'cache');
  if (built.problems.length > 0) return undefined;
  return { ...built.catalog, data: { ...built.catalog.data!, from: index.extra.from, path } };
}

function readBaseLine(path: string, [offset, length]: [number, number]): BaseSnapshot | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const head = Buffer.alloc(1 << 20);
      const n = readSync(fd, head, 0, head.length, 0);
      let nl = head.subarray(0, n).indexOf(10);
      let pos = n;
      while (nl < 0) {
        const more = Buffer.alloc(1 << 20);
        const m = readSync(fd, more, 0, more.length, pos);
        if (m === 0) return undefined;
        const i = more.subarray(0, m).indexOf(10);
        if (i >= 0) nl = pos + i;
        pos += m;
      }
      const buf = Buffer.alloc(length);
      readSync(fd, buf, 0, length, nl + 1 + offset);
      return JSON.parse(buf.toString('utf8')) as BaseSnapshot;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** The cache file's text: the catalog's lines, then the base data it was made from. */
export function cachedCatalogText(catalog: Omit<Catalog, 'overlays'>, base: BaseSnapshot, meta: Omit<CacheExtra, 'format' | 'base_range'>): string {
  const modelsBytes = catalog.models.reduce((s, m) => s + Buffer.byteLength(JSON.stringify(m)) + 1, 0);
  const baseText = JSON.stringify(base);
  const extra: CacheExtra = { format: CACHE_FORMAT, ...meta, base_range: [modelsBytes, Buffer.byteLength(baseText)] };
  return `${catalogFileText(catalog, extra)}${baseText}\n`;
}

/** Write atomically: never a half-written catalog, and the previous one stays until the rename. */
export function writeCachedCatalog(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
