// The token-count cache in memory: a cached count is used as is, changed text is counted afresh, raw counts
// are scaled per model; where the cache directory is (the cache on disk: test/command/token-cache.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/io/catalog/load.js';
import { findModel } from '../../src/core/catalog/models.js';
import { cacheDirectory } from '../../src/io/token-cache.js';
import { memoryTokenCountCache } from '../../src/core/tokens/count-cache.js';
import { countTexts, counterForModel } from '../../src/core/tokens/tokenizer.js';

describe('token-count cache', () => {
  it('uses a cached count instead of counting again, and counts changed text afresh', async () => {
    const catalog = await loadCatalog();
    const model = findModel(catalog, 'gpt-4o-mini')!;
    const cache = memoryTokenCountCache();
    // A planted entry proves the cached value is used as is (the real count of "hello world" is 2).
    cache.set('o200k_base', 'hello world', 99);
    expect(await countTexts(model, ['hello world'], cache)).toEqual([99]);
    const counter = await counterForModel(model);
    const [fresh] = await countTexts(model, ['hello world, again'], cache);
    expect(fresh).toBe(counter.count('hello world, again'));
    expect(cache.get('o200k_base', 'hello world, again')).toBe(fresh);
  });

  it('caches raw counts and scales them per model (Claude ≈ o200k × 1.16)', async () => {
    const catalog = await loadCatalog();
    const claude = findModel(catalog, 'claude-haiku-4-5')!;
    const cache = memoryTokenCountCache();
    cache.set('o200k_base', 'x', 100);
    // 100 raw o200k tokens × 1.16 = 116 estimated Claude tokens.
    expect(await countTexts(claude, ['x'], cache)).toEqual([116]);
  });

  it('is off with AIP_NO_CACHE and follows XDG_CACHE_HOME, then HOME', () => {
    expect(cacheDirectory({ AIP_NO_CACHE: '1', HOME: '/h' })).toBeUndefined();
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'aip'));
    expect(cacheDirectory({ HOME: '/h' })).toBe(join('/h', '.cache', 'aip'));
    expect(cacheDirectory({})).toBeUndefined();
  });
});
