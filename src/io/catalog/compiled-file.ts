// The compiled catalog on disk (dist/catalog.jsonl, and the user cache's updated catalog): line 1 is a small
// index (provider terms, limits, thresholds, every model name → its line, each model's byte range), then one
// model per line. A command parses the index and only the models it looks up, so start-up does not grow with
// the 1,000 models of the catalog; a listing of all models reads them all. One file, so it is written
// atomically (temporary file + rename).
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import type { Catalog, CatalogLookup, Model } from '../../core/catalog/schema.js';
import type { CuratedInputs } from '../../core/catalog/build.js';

export const COMPILED_FORMAT = 3;
export const COMPILED_FILE = 'catalog.jsonl';

/** What the compiled catalog's index line carries besides the catalog. */
export interface CompiledExtra {
  format: typeof COMPILED_FORMAT;
  sources: Array<{ file: string; size: number; mtimeMs: number; sha256: string }>;
  /** Fingerprint of the curated inputs (an updated catalog made with other curated data is re-merged). */
  curated_hash: string;
  /** The curated inputs themselves, to merge a newer base (aip catalog update) with them. */
  curated: CuratedInputs;
}

export interface CompiledCatalog extends CompiledExtra {
  catalog: Omit<Catalog, 'overlays'>;
}

export interface CatalogIndexLine<Extra> {
  /** Everything of the catalog but its models. */
  catalog: Omit<Catalog, 'overlays' | 'models' | 'lookup'>;
  extra: Extra;
  /** Model i: its byte offset after the index line, and its length. */
  ranges: Array<[number, number]>;
  /** Lower-case id or alias → model number. */
  names: Record<string, number>;
  /** Provider id → model numbers. */
  providers: Record<string, number[]>;
  /** Model numbers with name patterns (dated snapshots), and the patterns. */
  patterns: Array<[number, string[]]>;
}

/** The file's text: the index line and the model lines. */
export function catalogFileText<Extra>(catalog: Omit<Catalog, 'overlays'>, extra: Extra): string {
  const lines = catalog.models.map((m) => JSON.stringify(m));
  const ranges: Array<[number, number]> = [];
  let offset = 0;
  for (const line of lines) {
    const length = Buffer.byteLength(line);
    ranges.push([offset, length]);
    offset += length + 1;
  }
  const names: Record<string, number> = {};
  const providers: Record<string, number[]> = {};
  const patterns: Array<[number, string[]]> = [];
  catalog.models.forEach((m, i) => {
    for (const n of [m.id, ...m.aliases]) {
      const key = n.toLowerCase();
      if (!(key in names)) names[key] = i;
    }
    (providers[m.provider] ??= []).push(i);
    if (m.patterns?.length) patterns.push([i, m.patterns]);
  });
  const { models: _models, lookup: _lookup, ...rest } = catalog as Catalog;
  const index: CatalogIndexLine<Extra> = { catalog: rest, extra, ranges, names, providers, patterns };
  return `${JSON.stringify(index)}\n${lines.join('\n')}\n`;
}

/** Read the index line only (the models stay on disk until asked for). */
export function readCatalogFile<Extra>(path: string): { index: CatalogIndexLine<Extra>; catalog: Omit<Catalog, 'overlays'> } {
  const fd = openSync(path, 'r');
  let head: Buffer;
  let indexEnd: number;
  try {
    ({ head, indexEnd } = readFirstLine(fd));
  } finally {
    closeSync(fd);
  }
  const index = JSON.parse(head.subarray(0, indexEnd).toString('utf8')) as CatalogIndexLine<Extra>;
  const base = indexEnd + 1;
  const loaded = new Map<number, Model>();
  let all: Model[] | undefined;
  const model = (i: number): Model => {
    const hit = loaded.get(i);
    if (hit) return hit;
    const [offset, length] = index.ranges[i]!;
    const buf = Buffer.alloc(length);
    const fd2 = openSync(path, 'r');
    try {
      readSync(fd2, buf, 0, length, base + offset);
    } finally {
      closeSync(fd2);
    }
    const m = JSON.parse(buf.toString('utf8')) as Model;
    loaded.set(i, m);
    return m;
  };
  const allModels = (): Model[] => {
    if (all) return all;
    // JSON.stringify escapes line breaks inside strings: every line is one model.
    const lines = readFileSync(path).subarray(base).toString('utf8').split('\n');
    all = index.ranges.map((_, i) => loaded.get(i) ?? (JSON.parse(lines[i]!) as Model));
    return all;
  };
  /** Several models in one read: a provider's models are stored next to each other. */
  const many = (ids: number[]): Model[] => {
    const missing = ids.filter((i) => !loaded.has(i));
    if (missing.length > 1) {
      const start = Math.min(...missing.map((i) => index.ranges[i]![0]));
      const end = Math.max(...missing.map((i) => index.ranges[i]![0] + index.ranges[i]![1]));
      const buf = Buffer.alloc(end - start);
      const fd2 = openSync(path, 'r');
      try {
        readSync(fd2, buf, 0, buf.length, base + start);
      } finally {
        closeSync(fd2);
      }
      for (const i of missing) {
        const [offset, length] = index.ranges[i]!;
        loaded.set(i, JSON.parse(buf.subarray(offset - start, offset - start + length).toString('utf8')) as Model);
      }
    }
    return ids.map(model);
  };
  const lookup: CatalogLookup = {
    byName: (name) => {
      const i = index.names[name];
      return i === undefined ? undefined : model(i);
    },
    ofProvider: (provider) => many(index.providers[provider] ?? []),
    withPatterns: () => index.patterns.map(([i, p]) => ({ model: () => model(i), patterns: p, provider: providerOf(index, i) })),
    names: () => Object.keys(index.names),
    providerCounts: () => Object.fromEntries(Object.entries(index.providers).map(([p, list]) => [p, list.length])),
    count: index.ranges.length,
  };
  const catalog = { ...index.catalog } as Omit<Catalog, 'overlays'>;
  Object.defineProperty(catalog, 'models', { get: allModels, enumerable: true, configurable: true });
  Object.defineProperty(catalog, 'lookup', { value: lookup, enumerable: false, configurable: true });
  return { index, catalog };
}

function providerOf(index: CatalogIndexLine<unknown>, i: number): string {
  for (const [p, list] of Object.entries(index.providers)) if (list.includes(i)) return p;
  return '';
}

function readFirstLine(fd: number): { head: Buffer; indexEnd: number } {
  const chunks: Buffer[] = [];
  let total = 0;
  let pos = 0;
  for (;;) {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) throw new Error('catalog file has no index line');
    const part = buf.subarray(0, n);
    const nl = part.indexOf(10);
    if (nl >= 0) {
      chunks.push(part);
      return { head: Buffer.concat(chunks), indexEnd: total + nl };
    }
    chunks.push(part);
    total += n;
    pos += n;
  }
}
