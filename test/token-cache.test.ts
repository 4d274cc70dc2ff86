// The token-count cache: repeated runs reuse counts (so the tokenizer is not built again), changed text
// is counted afresh, and a cache that cannot be written never fails a command.
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/io/catalog/load.js';
import { findModel } from '../src/core/catalog/models.js';
import { cacheDirectory, diskTokenCountCache } from '../src/io/token-cache.js';
import { memoryTokenCountCache } from '../src/core/tokens/count-cache.js';
import { countTexts, counterForModel } from '../src/core/tokens/tokenizer.js';
import { runAip, runBin } from './helpers/run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'aip-cache-'));

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

  it('persists between processes in the cache directory', async () => {
    const dir = tmp();
    const env = { AIP_CACHE_DIR: dir };
    const first = diskTokenCountCache(env);
    first.set('o200k_base', 'some prompt', 3);
    first.save();
    const second = diskTokenCountCache(env);
    expect(second.get('o200k_base', 'some prompt')).toBe(3);
    expect(second.get('o200k_base', 'another prompt')).toBeUndefined();
  });

  it('is off with AIP_NO_CACHE and follows XDG_CACHE_HOME, then HOME', () => {
    expect(cacheDirectory({ AIP_NO_CACHE: '1', HOME: '/h' })).toBeUndefined();
    expect(cacheDirectory({ XDG_CACHE_HOME: '/x', HOME: '/h' })).toBe(join('/x', 'aip'));
    expect(cacheDirectory({ HOME: '/h' })).toBe(join('/h', '.cache', 'aip'));
    expect(cacheDirectory({})).toBeUndefined();
  });

  it('ignores an unreadable or corrupt cache file and a directory it cannot write', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'token-counts-v1.json'), '{ not json');
    const cache = diskTokenCountCache({ AIP_CACHE_DIR: dir });
    expect(cache.get('o200k_base', 'a')).toBeUndefined();
    cache.set('o200k_base', 'a', 1);
    cache.save();
    expect(JSON.parse(readFileSync(join(dir, 'token-counts-v1.json'), 'utf8'))).toBeTypeOf('object');
    // A cache path that is a file, not a directory: saving fails quietly.
    const blocked = join(tmp(), 'blocked');
    writeFileSync(blocked, '');
    const broken = diskTokenCountCache({ AIP_CACHE_DIR: join(blocked, 'aip') });
    broken.set('o200k_base', 'b', 1);
    expect(() => broken.save()).not.toThrow();
  });

  it('gives aip recommend the same figures with and without a warm cache', async () => {
    const dir = tmp();
    const env = { AIP_CACHE_DIR: dir, AIP_NO_CACHE: undefined };
    const cold = await runBin(['recommend', '--json', 'examples/workloads.yaml'], { env });
    const warm = await runBin(['recommend', '--json', 'examples/workloads.yaml'], { env });
    expect(cold.code).toBe(0);
    expect(warm.stdout).toBe(cold.stdout);
    const entries = Object.keys(JSON.parse(readFileSync(join(dir, 'token-counts-v1.json'), 'utf8')));
    expect(entries.length).toBeGreaterThan(0);
  });

  it('counts prompt files in-process where no cache directory is known', async () => {
    const dir = tmp();
    mkdirSync(join(dir, 'prompts'));
    writeFileSync(join(dir, 'prompts', 'p.md'), 'Classify the ticket.');
    writeFileSync(join(dir, 'w.yaml'), 'version: 1\nworkloads:\n  - name: a\n    model: gpt-4o-mini\n    volume: 1000\n    latency: 2s\n    input: { prompt: prompts/p.md }\n    output: { tokens: 5 }\n');
    chmodSync(dir, 0o755);
    const r = await runAip(['recommend', '--json', 'w.yaml'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).workloads[0].tokens.input).toBeGreaterThan(0);
  });
});
