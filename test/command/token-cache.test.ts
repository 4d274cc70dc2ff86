// The token-count cache on disk: repeated runs reuse counts (so the tokenizer is not built again), and a
// cache that cannot be written never fails a command (the cache in memory: test/unit/token-count-cache.test.ts).
import { mkdtempSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diskTokenCountCache } from '../../src/io/token-cache.js';
import { runAip } from '../helpers/run.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'aip-cache-'));

describe('token-count cache', () => {
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
    const cold = await runAip(['recommend', '--json', 'examples/workloads.yaml'], { env });
    const warm = await runAip(['recommend', '--json', 'examples/workloads.yaml'], { env });
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
